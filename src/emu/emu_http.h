#ifndef DPSENROLL_EMU_HTTP_H
#define DPSENROLL_EMU_HTTP_H

/* The HTTPS server (libmicrohttpd): one thread per connection, so a
 * delayed answer holds up only its own client. */

#include "emu/emu.h"

struct emu_http;

/* Starts listening on emu->cfg.listen_addr:port (port 0: any free port;
 * emu->cfg.port is then set to the one chosen). NULL with *why. */
struct emu_http *emu_http_start(struct emu *emu, char **why);
void emu_http_stop(struct emu_http *h);

#endif
