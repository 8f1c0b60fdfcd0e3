#ifndef DPSENROLL_SYS_COMMAND_H
#define DPSENROLL_SYS_COMMAND_H

/* Running a command the user configured (a profile's tokenCommand) and
 * taking what it prints: /bin/sh -c COMMAND started with posix_spawn, in
 * a process group of its own so a timeout ends whatever it started,
 * standard input from /dev/null. Its standard output may be a secret: it
 * is read into memory that is wiped when freed, and never passed on in a
 * message. Safe to call from any thread. */

#include <stdbool.h>
#include <stddef.h>

struct command_result {
	char *out;		/* secret; NUL-terminated */
	size_t out_len;
	char *err;		/* standard error, at most its first 4 KB */
	bool exited;		/* it ended by itself; else killed or signalled */
	int status;		/* its exit status, when exited */
	int signal;		/* the signal that ended it, when not exited */
	bool timed_out;		/* killed after timeout_ms */
	bool too_much;		/* killed for printing more than max_out bytes */
};

/* False with *why (owned) only when it could not be started; otherwise
 * `r` says how it ended (clear it with command_result_clear). The
 * command gets this process's environment without the variables named
 * in `withheld` (NULL-terminated, or NULL): secrets it has no use for. */
bool command_run(const char *command, const char *const *withheld,
		 long timeout_ms, size_t max_out, struct command_result *r,
		 char **why);
void command_result_clear(struct command_result *r);

#endif
