#ifndef DPSENROLL_SYS_PRIVATE_H
#define DPSENROLL_SYS_PRIVATE_H

/* What keeps the secrets a process holds (service keys, SAS tokens,
 * symmetric keys) inside it: no core dump of its memory, and no TLS
 * session keys written out for whoever reads a file. Both run at the
 * very start of main, before any thread. */

#include <stdbool.h>

/* No core dump, whatever the crash: the process is marked not dumpable
 * (which also keeps other processes of the same user from reading its
 * memory) and its core size limit is 0. False with *why (owned) when the
 * system refused. */
bool private_no_core_dumps(char **why);

/* Takes SSLKEYLOGFILE out of the environment, so the TLS libraries never
 * see it, and keeps its value aside. */
void private_keylog_hold(void);
/* Puts it back for a debugging session that asks for it; the path it
 * names (borrowed), or NULL when it was not set. */
const char *private_keylog_release(void);

#endif
