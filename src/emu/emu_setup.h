#ifndef DPSENROLL_EMU_SETUP_H
#define DPSENROLL_EMU_SETUP_H

/* Start-up and shutdown of the emulator's state: the data folder, the
 * store, the service policy and its key, the ID scope, TLS material,
 * faults and throttling. */

#include <stdbool.h>

#include "emu/emu.h"

/* Everything but the listening socket. False with *why (owned). */
bool emu_setup(struct emu *emu, char **why);
/* Once the port is known: sets emu->host_name and writes
 * DIR/connection-string (mode 0600). */
bool emu_publish(struct emu *emu, char **why);
void emu_teardown(struct emu *emu);
/* An IP address other machines can reach: not 127.0.0.0/8 or ::1 (false
 * for text that is no IP address; listening refuses that later). */
bool emu_address_is_public(const char *addr);
void emu_config_clear(struct emu_config *cfg);

#endif
