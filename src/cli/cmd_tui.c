/* dpsenroll tui (also what `dpsenroll` alone runs on a terminal): the
 * enrollment form. */

#include <stdlib.h>
#include <unistd.h>

#include "app/config.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "cli/cli_net.h"
#include "dps/budget.h"
#include "ui/ui.h"

enum {
	OPT_THEME = OPT_COMMAND_BASE,
	OPT_LOAD,
	OPT_LIST,
};

static int
parse_tui_args(int argc, char **argv, struct net_opts *net, const char **theme,
	       const char **load, bool *list)
{
	static const struct option opts[] = {
		NET_OPTIONS,
		{ "theme", required_argument, NULL, OPT_THEME },
		{ "load", required_argument, NULL, OPT_LOAD },
		{ "list", no_argument, NULL, OPT_LIST },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if ((rc = net_option(&cmd_tui, c, optarg, net)) >= 0) {
			if (rc != EXIT_OK)
				return rc;
		} else if (c == OPT_THEME) {
			*theme = optarg;
		} else if (c == OPT_LOAD) {
			*load = optarg;
		} else if (c == OPT_LIST) {
			*list = true;
		} else {
			return net_bad_option(&cmd_tui, c, argv);
		}
	}
	if (optind != argc)
		return cli_usage_error(&cmd_tui, _("unexpected argument '%s'"),
				       argv[optind]);
	if (*list && *load)
		return cli_usage_error(&cmd_tui, _("--list and --load open different "
				       "screens; give one of them"));
	return EXIT_OK;
}

static int
run_tui(int argc, char **argv)
{
	struct net_opts net = { 0 };
	const char *theme = NULL, *load = NULL;
	bool list = false;
	int rc = parse_tui_args(argc, argv, &net, &theme, &load, &list);
	if (rc != EXIT_OK) {
		net_opts_clear(&net);
		return rc;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, _("dpsenroll: the form needs a terminal; for scripts "
			"use the commands (dpsenroll --help)\n"));
		net_opts_clear(&net);
		return EXIT_USAGE;
	}
	char *config_problem = NULL, *config_theme = NULL;
	if (!theme)
		theme = config_theme = config_setting("theme", &config_problem);
	/* Taken before a profile's own cacert can fill it in: a DPS chosen
	 * later in the form trusts this one unless its profile names one. */
	const char *env_ca = getenv("DPSENROLL_CACERT");
	char *cacert_default = net.cacert ? xstrdup(net.cacert)
			     : env_ca && *env_ca ? xstrdup(env_ca) : NULL;
	char *proxy_default = net.proxy ? xstrdup(net.proxy) : NULL;
	struct dps_conn conn;
	char *why = NULL;
	bool have = net_resolve(&net, &conn, &why);
	struct ui_options o = {
		.conn = have ? &conn : NULL,
		.conn_problem = why,
		.client = net_client_opts(&net),
		.cacert_default = cacert_default,
		.proxy_default = proxy_default,
		.theme = theme,
		.load_id = load,
		.list = list,
		.profile = net.profile,
		.notice = config_problem,
	};
	/* Every worker the form makes shares it. */
	struct dps_budget *budget = net_session_budget(&o.client);
	rc = ui_run(&o);
	dps_budget_free(budget);
	if (have)
		dps_conn_clear(&conn);
	free(config_theme);
	free(config_problem);
	free(cacert_default);
	secret_str_free(proxy_default);
	free(why);
	net_opts_clear(&net);
	return rc;
}

const struct cli_command cmd_tui = {
	.name = "tui",
	.args = N_("[--theme NAME] [--load ID | --list] [connection options]"),
	.summary = N_("the enrollment form (what 'dpsenroll' alone opens)"),
	.details =
		N_("  --theme NAME   default, dark, light, high-contrast, monochrome,\n"
		"                 or a theme file (NO_COLOR turns colours off)\n"
		"  --load ID      open with this enrollment loaded\n"
		"  --list         open on the fleet list: every enrollment and its\n"
		"                 device's registration state\n\n")
		NET_OPTIONS_HELP,
	.run = run_tui,
};
