/* dpsenroll station --template FILE: the form in station mode, one device
 * after another from a template. */

#include <stdlib.h>
#include <unistd.h>

#include "app/config.h"
#include "app/station.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "cli/cli_keymat.h"
#include "cli/cli_net.h"
#include "ui/ui.h"

enum {
	OPT_TEMPLATE = OPT_COMMAND_BASE,
	OPT_THEME,
};

static int
parse_station_args(int argc, char **argv, struct net_opts *net,
		   const char **tmpl, const char **theme)
{
	static const struct option opts[] = {
		NET_OPTIONS,
		{ "template", required_argument, NULL, OPT_TEMPLATE },
		{ "theme", required_argument, NULL, OPT_THEME },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if ((rc = net_option(&cmd_station, c, optarg, net)) >= 0) {
			if (rc != EXIT_OK)
				return rc;
		} else if (c == OPT_TEMPLATE) {
			*tmpl = optarg;
		} else if (c == OPT_THEME) {
			*theme = optarg;
		} else {
			return net_bad_option(&cmd_station, c, argv);
		}
	}
	if (optind != argc)
		return cli_usage_error(&cmd_station, _("unexpected argument '%s'"),
				       argv[optind]);
	return EXIT_OK;
}

static int
run_ui(struct net_opts *net, const cJSON *tmpl, const char *theme)
{
	char *config_problem = NULL, *config_theme = NULL;
	if (!theme)
		theme = config_theme = config_setting("theme", &config_problem);
	const char *env_ca = getenv("DPSENROLL_CACERT");
	char *cacert_default = net->cacert ? xstrdup(net->cacert)
			     : env_ca && *env_ca ? xstrdup(env_ca) : NULL;
	struct dps_conn conn;
	char *why = NULL;
	bool have = net_resolve(net, &conn, &why);
	struct ui_options o = {
		.conn = have ? &conn : NULL,
		.conn_problem = why,
		.client = net_client_opts(net),
		.cacert_default = cacert_default,
		.theme = theme,
		.notice = config_problem,
		.station_template = tmpl,
	};
	int rc = ui_run(&o);
	if (have)
		dps_conn_clear(&conn);
	free(config_theme);
	free(config_problem);
	free(cacert_default);
	free(why);
	return rc;
}

/* A template whose station rules cannot be used is refused here, where
 * the whole message can be read, rather than the form opening without
 * the batch's template and a status line too short to say why. */
static bool
rules_readable(const char *file, const cJSON *tmpl)
{
	cJSON *copy = cJSON_Duplicate(tmpl, 1);
	struct station_rules rules;
	char *why = NULL;
	bool ok = station_rules_take(copy, &rules, &why);
	if (ok)
		station_rules_clear(&rules);
	else
		fprintf(stderr, _("dpsenroll %s: %s: %s\n"), "station", file, why);
	free(why);
	cJSON_Delete(copy);
	return ok;
}

static int
run_station(int argc, char **argv)
{
	struct net_opts net = { 0 };
	const char *file = NULL, *theme = NULL;
	cJSON *tmpl = NULL;
	char *from_profile = NULL;
	int rc = parse_station_args(argc, argv, &net, &file, &theme);
	if (rc == EXIT_OK && !file) {
		char *why = NULL;
		file = from_profile = config_profile_template(net.profile, &why);
		if (!file)
			rc = cli_usage_error(&cmd_station, _("give the batch's "
					     "template: --template FILE, or a "
					     "profile with one (%s)"), why);
		free(why);
	}
	if (rc == EXIT_OK && !(tmpl = cli_read_json(&cmd_station, file,
			cJSON_IsObject, _("one enrollment, a JSON object { ... }"))))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && !cli_free_of_keys(&cmd_station, tmpl))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && !rules_readable(file, tmpl))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, _("dpsenroll station: the form needs a terminal; "
			"for a file of devices use 'dpsenroll import'\n"));
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK)
		rc = run_ui(&net, tmpl, theme);
	cJSON_Delete(tmpl);
	free(from_profile);
	net_opts_clear(&net);
	return rc;
}

const struct cli_command cmd_station = {
	.name = "station",
	.args = N_("[--template FILE] [--theme NAME] [connection options]"),
	.summary = N_("the form for a batch: one device after another from a template"),
	.details =
		N_("The template is an enrollment whose values the batch shares;\n"
		"they are locked in the form (u unlocks the focused one for this\n"
		"device). The registration id takes a scan and Enter and moves on\n"
		"to the next open field; F2 creates the device, and the form is\n"
		"the template again. An optional \"station\" member of the\n"
		"template (not sent) holds the batch's rules:\n"
		"  \"idPattern\": \"^bench-[0-9]{6}$\"   a scan that does not match\n"
		"                                    is refused\n"
		"  \"split\": {\"separator\": \";\", \"fields\": [\"registrationId\",\n"
		"            \"attestation.tpm.endorsementKey\"]}   an id;ek scan\n"
		"  \"keysFolder\": \"keys\"   after a create, keys/ID-keys.json\n"
		"                         (mode 0600) with the device's keys\n"
		"In the form, t makes the enrollment there the template.\n\n"
		"  --template FILE   the batch's enrollment; without it, the\n"
		"                    \"template\" of the profile (--profile, or the\n"
		"                    default one), relative to the config file\n"
		"  --theme NAME      as for tui\n\n")
		NET_OPTIONS_HELP,
	.run = run_station,
};
