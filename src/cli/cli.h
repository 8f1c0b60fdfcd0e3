#ifndef DPSENROLL_CLI_CLI_H
#define DPSENROLL_CLI_CLI_H

/* Subcommands: one table gives names, summaries and usage text, so the
 * help output cannot drift from what is dispatched. */

#include <stdio.h>
#include <stddef.h>

/* Exit codes, documented in the README. */
enum cli_exit {
	EXIT_OK = 0,
	EXIT_REFUSED = 1,	/* the service said no */
	EXIT_USAGE = 2,		/* bad usage, unreadable input, invalid enrollment */
	EXIT_NETWORK = 3,	/* network, TLS or timeout */
	EXIT_CONFLICT = 4,	/* 409 or 412 */
	EXIT_SERVER = 5,	/* server error after retries */
	EXIT_UNREADABLE = 6,	/* the service's answer could not be read */
	EXIT_INCOMPLETE = 7,	/* query stopped: repeated pages or --max-items */
	EXIT_TIMED_OUT = 8,	/* watch, register: no outcome in time */
};

struct cli_command {
	const char *name;
	const char *args;	/* "FILE|- [--json]" */
	const char *summary;	/* one line for the command list */
	const char *details;	/* the rest of `CMD --help` */
	int (*run)(int argc, char **argv);
	/* The values the first argument takes (NULL-terminated), for shell
	 * completion; NULL when it is free text or a file. */
	const char *const *first_arg_choices;
};

#define CLI_COMMANDS(_) \
	_(tui) \
	_(get) \
	_(put) \
	_(delete) \
	_(keys) \
	_(regstate) \
	_(regstate_delete) \
	_(query) \
	_(list) \
	_(bulk) \
	_(import) \
	_(station) \
	_(journal) \
	_(validate) \
	_(keygen) \
	_(certinfo) \
	_(watch) \
	_(register) \
	_(completion)

#define DECLARE_COMMAND(name) extern const struct cli_command cmd_##name;
CLI_COMMANDS(DECLARE_COMMAND)
#undef DECLARE_COMMAND

/* A registration id as the service takes it: EXIT_OK, or EXIT_USAGE after
 * saying why not (a malformed id would only earn a 404; say why now). */
int cli_check_id(const struct cli_command *cmd, const char *id);

/* Prints "Usage: dpsenroll NAME ARGS" and the details, translated: the
 * table keeps them English for the generated documentation. */
void cli_print_usage(FILE *out, const struct cli_command *cmd);
/* For a bad option or argument: a message naming it, then a hint. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reads a whole file, or standard input for "-". Returns an owned buffer
 * (NUL-terminated, *len without the NUL) or NULL with *why owned. */
char *cli_read_input(const char *path, size_t *len, char **why);

/* Reads and parses a JSON file (or "-"); on failure prints
 * "dpsenroll CMD: FILE:LINE:COL: not valid JSON: ..." (or why it could not
 * be read) and returns NULL. The caller owns the tree. */
#include <cjson/cJSON.h>
/* `is` (cJSON_IsObject, cJSON_IsArray) says what the file must hold, and
 * `what` names it in the message when it holds something else. */
cJSON *cli_read_json(const struct cli_command *cmd, const char *file,
		     cJSON_bool (*is)(const cJSON *), const char *what);

/* A finding's severity as a person reads it ("error" in English); JSON
 * keeps severity_name(). */
#include "model/findings.h"
const char *cli_severity(enum severity sev);

#endif
