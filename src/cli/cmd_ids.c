/* The network commands that take one registration id: get, delete, keys,
 * regstate, regstate-delete. */

#include <stdlib.h>
#include <string.h>

#include "cli/cli_journal.h"
#include "base/i18n.h"
#include "cli/cli_net.h"
#include "dps/ops.h"
#include "model/checks.h"
#include "model/findings.h"

enum {
	OPT_IF_MATCH = OPT_COMMAND_BASE,
	OPT_SHOW_KEYS,
};

struct id_args {
	struct net_opts net;
	const char *id;
	const char *if_match;
	bool show_keys;
};

static int
parse_id_args(const struct cli_command *cmd, int argc, char **argv,
	      struct id_args *a)
{
	static const struct option opts[] = {
		NET_OPTIONS,
		{ "if-match", required_argument, NULL, OPT_IF_MATCH },
		{ "show-keys", no_argument, NULL, OPT_SHOW_KEYS },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if ((rc = net_option(cmd, c, optarg, &a->net)) >= 0) {
			if (rc != EXIT_OK)
				return rc;
		} else if (c == OPT_IF_MATCH && strstr(cmd->args, "--if-match")) {
			a->if_match = optarg;
		} else if (c == OPT_SHOW_KEYS && strstr(cmd->args, "--show-keys")) {
			a->show_keys = true;
		} else {
			return net_bad_option(cmd, c, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, _("give one registration id"));
	a->id = argv[optind];
	return EXIT_OK;
}

typedef void (*id_op_fn)(struct dps_client *c, const struct id_args *a,
			 struct dps_response *out);

static int
run_id_command(const struct cli_command *cmd, int argc, char **argv,
	       id_op_fn op)
{
	struct id_args a = { 0 };
	struct dps_client *client = NULL;
	int rc = parse_id_args(cmd, argc, argv, &a);
	if (rc == EXIT_OK)
		rc = cli_check_id(cmd, a.id);
	if (rc == EXIT_OK)
		rc = net_connect(cmd, &a.net, &client);
	if (rc == EXIT_OK) {
		struct dps_response r;
		op(client, &a, &r);
		rc = net_finish(cmd, &a.net, &r);
		dps_response_clear(&r);
	}
	dps_client_free(client);
	net_opts_clear(&a.net);
	return rc;
}

/* GET hides keys; --show-keys adds them from the attestation mechanism. */
static void
op_get(struct dps_client *c, const struct id_args *a, struct dps_response *out)
{
	dps_enrollment_get(c, a->id, out);
	if (!a->show_keys || out->status != 200 || !out->body)
		return;
	struct dps_response mech;
	dps_enrollment_attestation(c, a->id, &mech);
	if (mech.status == 200 && mech.body) {
		cJSON_ReplaceItemInObjectCaseSensitive(out->body, "attestation",
						       mech.body);
		mech.body = NULL;
	} else {
		dps_response_clear(out);
		*out = mech;
		return;
	}
	dps_response_clear(&mech);
}

static void
op_delete(struct dps_client *c, const struct id_args *a, struct dps_response *out)
{
	dps_enrollment_delete(c, a->id, a->if_match, out);
	cli_journal_record(&cmd_delete, "delete", a->id, out);
}

static void
op_keys(struct dps_client *c, const struct id_args *a, struct dps_response *out)
{
	dps_enrollment_attestation(c, a->id, out);
}

static void
op_regstate(struct dps_client *c, const struct id_args *a,
	    struct dps_response *out)
{
	dps_regstate_get(c, a->id, out);
}

static void
op_regstate_delete(struct dps_client *c, const struct id_args *a,
		   struct dps_response *out)
{
	dps_regstate_delete(c, a->id, a->if_match, out);
	cli_journal_record(&cmd_regstate_delete, "deleteRegistrationState",
			   a->id, out);
}

#define ID_COMMAND(var, op) \
	static int run_##var(int argc, char **argv) \
	{ \
		return run_id_command(&cmd_##var, argc, argv, op); \
	}

ID_COMMAND(get, op_get)
ID_COMMAND(delete, op_delete)
ID_COMMAND(keys, op_keys)
ID_COMMAND(regstate, op_regstate)
ID_COMMAND(regstate_delete, op_regstate_delete)

const struct cli_command cmd_get = {
	.name = "get", .args = N_("ID [--show-keys] [connection options]"),
	.summary = N_("print an individual enrollment"),
	.details = N_("The service hides symmetric keys; --show-keys fetches them\n"
		   "from the attestation mechanism too.\n\n") NET_OPTIONS_HELP,
	.run = run_get,
};

const struct cli_command cmd_delete = {
	.name = "delete", .args = N_("ID [--if-match ETAG] [connection options]"),
	.summary = N_("delete an individual enrollment"),
	.details = N_("When the answer is lost, the enrollment is read back: gone\n"
		   "(exit 0), still there (safe to run again) or changed by\n"
		   "someone else (exit 4).\n\n"
		   "  --if-match ETAG   delete only if it is still this version\n\n")
		   NET_OPTIONS_HELP,
	.run = run_delete,
};

const struct cli_command cmd_keys = {
	.name = "keys", .args = N_("ID [connection options]"),
	.summary = N_("print an enrollment's attestation, keys included"),
	.details = NET_OPTIONS_HELP,
	.run = run_keys,
};

const struct cli_command cmd_regstate = {
	.name = "regstate", .args = N_("ID [connection options]"),
	.summary = N_("print the device's registration state"),
	.details = NET_OPTIONS_HELP,
	.run = run_regstate,
};

const struct cli_command cmd_regstate_delete = {
	.name = "regstate-delete", .args = N_("ID [--if-match ETAG] [connection options]"),
	.summary = N_("delete the device's registration state"),
	.details = N_("  --if-match ETAG   delete only if it is still this version\n\n")
		   NET_OPTIONS_HELP,
	.run = run_regstate_delete,
};
