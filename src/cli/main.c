/* dpsenroll: the entry point. With a subcommand, runs it; with none, shows
 * what there is to run. */

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/secret.h"
#include "cli/cli.h"
#include "dps/url_curl.h"
#include "paths.h"
#include "sys/private.h"

#define COMMAND_REF(name) &cmd_##name,
static const struct cli_command *const commands[] = {
	CLI_COMMANDS(COMMAND_REF)
};
#undef COMMAND_REF

enum { COMMAND_COUNT = sizeof(commands) / sizeof(commands[0]) };

static const struct cli_command *
find_command(const char *name)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static void
print_help(FILE *out)
{
	fputs(_("dpsenroll: enroll devices into Azure IoT Hub Device Provisioning "
		"Service.\n\n"
		"Usage: dpsenroll COMMAND [ARGS...]\n"
		"       dpsenroll COMMAND --help\n\n"
		"Commands:\n"), out);
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		fprintf(out, "  %-16s %s\n", commands[i]->name,
			_(commands[i]->summary));
	fputs(_("\nOptions:\n"
		"  --help     show this help\n"
		"  --version  show the version\n\n"
		"Exit codes: 0 ok, 1 refused by the service, 2 usage or "
		"validation,\n3 network/TLS/timeout, 4 conflict (409/412), "
		"5 server error,\n6 unreadable answer, 7 query or list stopped early "
		"or import stopped by Ctrl-C,\n8 no registration in time (watch, "
		"register).\n"), out);
}

/* Before anything else, and before any thread: the process will hold
 * keys and tokens. */
static void
keep_secrets_in(void)
{
	char *why = NULL;
	if (!private_no_core_dumps(&why))
		fprintf(stderr, _("dpsenroll: warning: %s\n"), why);
	free(why);
	/* Given back only by --insecure-keylog (see cli_net.c). */
	private_keylog_hold();
}

/* True when the command prints JSON for a program to read. */
static bool
wants_json(int argc, char **argv)
{
	for (int i = 2; i < argc && strcmp(argv[i], "--"); i++)
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "--jsonl") == 0)
			return true;
	return false;
}

/* The user's language for what people read. Numbers keep their dot (the
 * service and JSON want it), and JSON output keeps English messages: it
 * is the same whatever LANG is, for the scripts that read it. */
static void
speak_the_users_language(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	if (wants_json(argc, argv))
		setlocale(LC_MESSAGES, "C");
#if DPSENROLL_NLS
	bindtextdomain(I18N_DOMAIN, dpsenroll_localedir);
	textdomain(I18N_DOMAIN);
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
#endif
	i18n_start();
}

int
main(int argc, char **argv)
{
	speak_the_users_language(argc, argv);
	keep_secrets_in();
	secret_json_hooks();
	url_curl_install();
	bool terminal = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (argc < 2 && terminal)
		return cmd_tui.run(argc, argv);
	if (argc < 2) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	const char *arg = argv[1];
	/* Options first ("dpsenroll --theme dark") also open the form. */
	if (arg[0] == '-' && arg[1] == '-' && strcmp(arg, "--help") &&
	    strcmp(arg, "--version") && terminal)
		return cmd_tui.run(argc, argv);
	if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (strcmp(arg, "--version") == 0) {
		printf("dpsenroll %s\n", DPSENROLL_VERSION);
		return EXIT_OK;
	}
	if (strcmp(arg, "help") == 0 && argc > 2 && find_command(argv[2])) {
		cli_print_usage(stdout, find_command(argv[2]));
		return EXIT_OK;
	}
	const struct cli_command *cmd = find_command(arg);
	if (!cmd) {
		char *shown = secret_redact(arg);
		fprintf(stderr, _("dpsenroll: '%s' is not a command. "
				  "Run 'dpsenroll --help' for the list.\n"), shown);
		free(shown);
		return EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_usage(stdout, cmd);
			return EXIT_OK;
		}
	}
	return cmd->run(argc - 1, argv + 1);
}
