#ifndef DPSENROLL_CLI_COMPLETE_H
#define DPSENROLL_CLI_COMPLETE_H

/* Shell completion: what may come next on a dpsenroll command line. The
 * shells' scripts (`dpsenroll completion bash|zsh`) hand over the words
 * typed so far and print what this returns, so the command table stays
 * the one place that knows the commands and their options. */

#include <stddef.h>

#include "cli/cli.h"

/* Stand-ins a shell expands itself. */
#define COMPLETE_FILES "@files"
#define COMPLETE_DIRS "@dirs"

/* Names only the running system knows, gathered by the caller. */
struct complete_names {
	const char *const *profiles;
	size_t profile_count;
	const char *const *themes;
	size_t theme_count;
};

struct complete_list {
	char **items;		/* owned */
	size_t count;
	size_t cap;
};

/* The candidates for the last of `words` (the word being typed, maybe
 * empty), given the words before it; `words` starts after "dpsenroll".
 * Candidates start with what is typed; COMPLETE_FILES or COMPLETE_DIRS
 * ask the shell to offer paths. */
void complete_words(const struct cli_command *const *commands,
		    size_t command_count, const struct complete_names *names,
		    const char *const *words, size_t count,
		    struct complete_list *out);
void complete_list_clear(struct complete_list *l);

#endif
