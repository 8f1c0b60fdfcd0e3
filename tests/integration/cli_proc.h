#ifndef DPSENROLL_TESTS_CLI_PROC_H
#define DPSENROLL_TESTS_CLI_PROC_H

/* dpsenroll ($DPSENROLL) run as a user runs it, for the integration
 * tests: in a folder of the test's own, standard input empty, standard
 * output and error kept in DIR/stdout and DIR/stderr. Its environment is
 * this process's without every name `set` gives a value to, plus `set`:
 * the test decides the connection, config and state, never the person
 * running the tests. */

#include <sys/types.h>

struct cli_result {
	int status;	/* exit status */
	char *out;	/* owned */
	char *err;	/* owned */
};

/* Starts it; `set` ("NAME=value", or "NAME" alone to leave NAME out)
 * and `args` end with NULL. Values in
 * `set` may be secrets: they reach the child's environment, never its
 * arguments. */
pid_t cli_spawn(const char *dir, const char *const *set,
		const char *const *args);
/* Waits for it (it must exit, not be killed) and reads what it wrote. */
struct cli_result cli_finish(const char *dir, pid_t pid);
/* Wipes and frees what it holds: output may hold keys or tokens. */
void cli_result_free(struct cli_result *r);

#endif
