#ifndef DPSENROLL_APP_STATE_H
#define DPSENROLL_APP_STATE_H

/* Where dpsenroll keeps what it writes as it works (the form's draft, the
 * journal): $XDG_STATE_HOME/dpsenroll, or ~/.local/state/dpsenroll. The
 * folder is private (0700) because the draft in it holds keys. */

#include <time.h>

/* The folder's path, whether or not it exists; the caller frees. */
char *state_dir(void);
/* The folder, made when missing and made private when it is not; the
 * caller frees. NULL with *why (owned) when it cannot be. */
char *state_dir_make(char **why);

/* `t` as ISO-8601 UTC, "2024-05-01T12:00:00Z" (20 characters). */
enum { STATE_TIME_SIZE = 21 };
void state_time_text(time_t t, char out[STATE_TIME_SIZE]);

#endif
