/* `dpsenroll completion bash|zsh`: the shells' completion scripts, and
 * `completion words -- WORD...`, which they call for the candidates. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "cli/complete.h"
#include "ui/theme.h"

#define COMMAND_REF(name) &cmd_##name,
static const struct cli_command *const commands[] = {
	CLI_COMMANDS(COMMAND_REF)
};
#undef COMMAND_REF

enum { COMMAND_COUNT = sizeof(commands) / sizeof(commands[0]) };

/* The words typed so far go to the program as arguments, never through
 * eval: a word may hold anything. */
static const char bash_script[] =
	"# dpsenroll completion for bash: dpsenroll completion bash\n"
	"_dpsenroll()\n"
	"{\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} line\n"
	"\tlocal IFS=$'\\n'\n"
	"\tCOMPREPLY=()\n"
	"\tfor line in $(\"${COMP_WORDS[0]}\" completion words -- \\\n"
	"\t\t\"${COMP_WORDS[@]:1:COMP_CWORD}\" 2>/dev/null); do\n"
	"\t\tcase $line in\n"
	"\t\t@files) compopt -o filenames 2>/dev/null\n"
	"\t\t\tCOMPREPLY+=($(compgen -f -- \"$cur\")) ;;\n"
	"\t\t@dirs) compopt -o filenames 2>/dev/null\n"
	"\t\t\tCOMPREPLY+=($(compgen -d -- \"$cur\")) ;;\n"
	"\t\t*) COMPREPLY+=(\"$line\") ;;\n"
	"\t\tesac\n"
	"\tdone\n"
	"}\n"
	"complete -F _dpsenroll dpsenroll\n";

static const char zsh_script[] =
	"#compdef dpsenroll\n"
	"# dpsenroll completion for zsh: dpsenroll completion zsh\n"
	"_dpsenroll() {\n"
	"\tlocal line\n"
	"\tlocal -a plain\n"
	"\tfor line in \"${(@f)$(${words[1]} completion words -- "
	"\"${(@)words[2,CURRENT]}\" 2>/dev/null)}\"; do\n"
	"\t\tcase $line in\n"
	"\t\t@files) _files ;;\n"
	"\t\t@dirs) _files -/ ;;\n"
	"\t\t?*) plain+=(\"$line\") ;;\n"
	"\t\tesac\n"
	"\tdone\n"
	"\t(( ${#plain} )) && compadd -Q -- \"${plain[@]}\"\n"
	"\treturn 0\n"
	"}\n"
	"_dpsenroll \"$@\"\n";

/* Profile names never come with their keys (config_profiles), and a
 * config file that cannot be read gives none rather than an error: a
 * shell is asking, not a person. */
static void
print_candidates(const char *const *words, size_t count)
{
	struct profile_info *profiles = NULL;
	size_t profile_count = 0;
	char *why = NULL;
	if (!config_profiles(&profiles, &profile_count, &why))
		profile_count = 0;
	free(why);
	const char **profile_names = xcalloc(profile_count + 1, sizeof(char *));
	for (size_t i = 0; i < profile_count; i++)
		profile_names[i] = profiles[i].name;
	size_t theme_count = 0;
	char **themes = theme_list(&theme_count);
	struct complete_names names = {
		.profiles = profile_names,
		.profile_count = profile_count,
		.themes = (const char *const *)themes,
		.theme_count = theme_count,
	};
	struct complete_list out = { 0 };
	complete_words(commands, COMMAND_COUNT, &names, words, count, &out);
	for (size_t i = 0; i < out.count; i++)
		puts(out.items[i]);
	complete_list_clear(&out);
	theme_list_free(themes, theme_count);
	free(profile_names);
	profile_infos_free(profiles, profile_count);
}

static int
run_completion(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "bash") == 0) {
		fputs(bash_script, stdout);
		return EXIT_OK;
	}
	if (argc == 2 && strcmp(argv[1], "zsh") == 0) {
		fputs(zsh_script, stdout);
		return EXIT_OK;
	}
	if (argc >= 3 && strcmp(argv[1], "words") == 0 &&
	    strcmp(argv[2], "--") == 0) {
		print_candidates((const char *const *)argv + 3, (size_t)argc - 3);
		return EXIT_OK;
	}
	if (argc < 2)
		return cli_usage_error(&cmd_completion, _("which shell? bash or zsh"));
	return cli_usage_error(&cmd_completion,
			       _("'%s' is not a shell this knows; use bash or zsh"),
			       argv[1]);
}

static const char *const shells[] = { "bash", "zsh", NULL };

const struct cli_command cmd_completion = {
	.name = "completion",
	.args = "bash|zsh",
	.summary = N_("print the shell completion script for bash or zsh"),
	.details =
		N_("Completes commands, options, profile names, theme names and\n"
		"file arguments. `make install` installs both scripts; to try one\n"
		"without installing:  source <(dpsenroll completion bash)\n"
		"The scripts ask `dpsenroll completion words -- WORD...` for the\n"
		"candidates of the last word.\n"),
	.run = run_completion,
	.first_arg_choices = shells,
};
