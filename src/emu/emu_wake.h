#ifndef DPSENROLL_EMU_WAKE_H
#define DPSENROLL_EMU_WAKE_H

/* Injected delays without a thread held: the connection is suspended and
 * one timer thread resumes it when its time comes, so a thousand delayed
 * requests cost no worker and hold up no other client. */

#include <stdbool.h>

#include <microhttpd.h>

struct emu_wake;

struct emu_wake *emu_wake_new(void);
/* Suspends `c` (from its request callback) and resumes it after `ms`;
 * libmicrohttpd then calls the request callback again. False, with `c`
 * left running, once the wake-up thread is stopping. */
bool emu_wake_after(struct emu_wake *w, struct MHD_Connection *c, unsigned ms);
/* Resumes every waiting connection at once and ends the thread; before
 * the daemon stops (later delays are not waited). NULL is a no-op. */
void emu_wake_stop(struct emu_wake *w);
/* After the daemon has stopped. */
void emu_wake_free(struct emu_wake *w);

#endif
