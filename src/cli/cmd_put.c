/* dpsenroll put FILE|-: create or update an individual enrollment. */

#include <stdlib.h>
#include <string.h>

#include "cli/cli_journal.h"
#include "cli/cli_keymat.h"
#include "cli/cli_net.h"
#include "app/keepkeys.h"
#include "app/session_sync.h"
#include "dps/ops.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "model/json.h"
#include "model/settle.h"
#include "model/validate.h"

enum {
	OPT_IF_MATCH = OPT_COMMAND_BASE,
	OPT_FORCE,
	OPT_NO_VALIDATE,
};

struct put_args {
	struct net_opts net;
	const char *file;
	const char *if_match;
	bool force;
	bool no_validate;
};

static int
parse_put_args(int argc, char **argv, struct put_args *a)
{
	static const struct option opts[] = {
		NET_OPTIONS,
		{ "if-match", required_argument, NULL, OPT_IF_MATCH },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "no-validate", no_argument, NULL, OPT_NO_VALIDATE },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if ((rc = net_option(&cmd_put, c, optarg, &a->net)) >= 0) {
			if (rc != EXIT_OK)
				return rc;
		} else if (c == OPT_IF_MATCH) {
			a->if_match = optarg;
		} else if (c == OPT_FORCE) {
			a->force = true;
		} else if (c == OPT_NO_VALIDATE) {
			a->no_validate = true;
		} else {
			return net_bad_option(&cmd_put, c, argv);
		}
	}
	if (a->force && a->if_match)
		return cli_usage_error(&cmd_put, _("--force and --if-match exclude "
				       "each other"));
	if (argc - optind != 1)
		return cli_usage_error(&cmd_put, _("give one enrollment file, or - "
				       "for standard input"));
	a->file = argv[optind];
	return EXIT_OK;
}

static struct doc *
load_doc(const char *file)
{
	cJSON *root = cli_read_json(&cmd_put, file, cJSON_IsObject,
				    _("one enrollment, a JSON object { ... }"));
	return root ? doc_adopt(root) : NULL;
}

/* Same checks as `validate`; problems go to stderr. */
static bool
passes_validation(const struct doc *d)
{
	struct findings fs;
	findings_init(&fs);
	validate_enrollment(d, &fs);
	for (size_t i = 0; i < fs.count; i++)
		fprintf(stderr, "%s: %s: %s\n",
			*fs.items[i].path ? fs.items[i].path : _("(enrollment)"),
			cli_severity(fs.items[i].severity), fs.items[i].message);
	bool ok = findings_count(&fs, SEV_ERROR) == 0;
	if (!ok)
		fprintf(stderr, _("dpsenroll put: not sent: fix the errors above "
			"(or pass --no-validate)\n"));
	findings_clear(&fs);
	return ok;
}

/* What the form does with the same text: a certificate is sent as its
 * leaf alone, a TPM key without white space. Said on stderr, since what
 * is sent is then not the file's text. */
static void
settle_attestation(struct doc *d)
{
	struct findings notes;
	findings_init(&notes);
	doc_settle_attestation(d, &notes);
	for (size_t i = 0; i < notes.count; i++)
		fprintf(stderr, _("dpsenroll %s: %s: %s\n"), "put", notes.items[i].path,
			notes.items[i].message);
	findings_clear(&notes);
}

/* The keys could not be read: nothing is sent, and the user learns why
 * and that running the command again is safe. */
static int
refuse_without_keys(const struct put_args *a, const struct dps_response *mech,
		    const char *id, const char *why)
{
	int rc = net_exit_code(mech);
	bool reported = rc != EXIT_OK;
	if (reported)
		net_report_failure(&cmd_put, &a->net, mech);
	else
		rc = EXIT_SERVER;	/* answered, but without the keys */
	fprintf(stderr, _("dpsenroll put: nothing was sent; '%s' is unchanged. "
		"Its keys could not be read (%s), and the file has none: an "
		"update without keys makes the service generate new ones, which "
		"locks the device out. Run the command again (or put the keys in "
		"the file)\n"), id, reported ? _("see above") : why);
	return rc;
}

static bool
is_symmetric_key(const cJSON *enrollment)
{
	const cJSON *type = json_path_get(enrollment, "attestation.type");
	return cJSON_IsString(type) && !strcmp(type->valuestring, "symmetricKey");
}

/* `sent`: what went, keys included when an update without them resent
 * the existing ones (those the service kept, not generated). */
static void
explain_outcome(const struct doc *sent, const struct dps_response *r,
		const char *id)
{
	if (r->status == 409 && r->error.error_code == 409201)
		fprintf(stderr, _("dpsenroll put: '%s' already exists. To update it, "
			"pass --if-match ETAG (the etag from 'dpsenroll get %s'), or "
			"--force to replace whatever is there\n"), id, id);
	if (r->status == 412)
		fprintf(stderr, _("dpsenroll put: '%s' was changed since that etag; "
			"get it again, reapply your change, and put with the new etag\n"),
			id);
	if (r->status != 200 || !keepkeys_missing(sent->root))
		return;
	/* An answer read back after a lost one comes from GET, which hides
	 * the keys: only keys that were printed are "shown above". */
	if (is_symmetric_key(r->body) && !keepkeys_missing(r->body))
		fprintf(stderr, _("dpsenroll put: the service generated the keys "
			"shown above; store them now ('dpsenroll keys %s' shows them "
			"again)\n"), id);
	else
		fprintf(stderr, _("dpsenroll put: the service generated keys, which "
			"this answer does not show; read and store them now with "
			"'dpsenroll keys %s'\n"), id);
}

/* The session sends it: an update without keys resends the existing ones
 * (GET hides them, and the service would make new ones, locking the
 * device out), and sends nothing when they cannot be read. */
static struct session_news
submit(struct session *s, struct session_sync *y, const struct doc *d,
       const char *if_match)
{
	if (if_match)
		session_submit_update(s, d, if_match);
	else
		session_submit_create(s, d);
	return session_sync_finish(s, y);
}

static int
send_doc(struct put_args *a, struct dps_client *c, struct doc *d)
{
	const char *id = doc_get_string(d, "registrationId");
	const char *if_match = a->force ? "*" : a->if_match;
	if (!if_match)
		if_match = doc_get_string(d, "etag");
	struct session_sync y = { .client = c };
	struct session_port port = session_sync_port(&y);
	struct session *s = session_new(&port);
	struct session_news n = submit(s, &y, d, if_match);
	int rc;
	if (n.kind == NEWS_KEYS_UNREADABLE) {
		rc = refuse_without_keys(a, &n.job->resp, id, session_why(s));
	} else {
		if (if_match && keepkeys_missing(d->root))
			fprintf(stderr, _("dpsenroll put: the file has no keys; sending "
				"the enrollment's existing keys so the device keeps "
				"working\n"));
		rc = net_finish(&cmd_put, &a->net, &n.job->resp);
		const struct doc *sent = session_sent(s);
		explain_outcome(sent ? sent : d, &n.job->resp, id);
		cli_journal_record(&cmd_put, a->force ? "replace"
				   : if_match ? "update" : "create", id,
				   &n.job->resp);
	}
	session_free(s);
	session_sync_clear(&y);
	return rc;
}

static int
run_put(int argc, char **argv)
{
	struct put_args a = { 0 };
	struct dps_client *client = NULL;
	struct doc *d = NULL;
	int rc = parse_put_args(argc, argv, &a);
	if (rc == EXIT_OK && !(d = load_doc(a.file)))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && !cli_free_of_keys(&cmd_put, d->root))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && !a.no_validate && !passes_validation(d))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && !a.no_validate)
		settle_attestation(d);
	if (rc == EXIT_OK && !doc_get_string(d, "registrationId")) {
		fprintf(stderr, _("dpsenroll put: the enrollment has no registrationId\n"));
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK)
		rc = net_connect(&cmd_put, &a.net, &client);
	if (rc == EXIT_OK)
		rc = send_doc(&a, client, d);
	dps_client_free(client);
	doc_free(d);
	net_opts_clear(&a.net);
	return rc;
}

const struct cli_command cmd_put = {
	.name = "put",
	.args = N_("FILE|- [--if-match ETAG | --force] [--no-validate] "
		"[connection options]"),
	.summary = N_("create or update an individual enrollment from JSON"),
	.details =
		N_("Validates first (as 'validate' does). Without --if-match, an\n"
		"etag in the file is used; with neither, it is a create, and an\n"
		"existing id is refused (409) rather than overwritten.\n"
		"An update of a symmetric-key enrollment whose file has no keys\n"
		"resends the enrollment's existing keys; when they cannot be\n"
		"read, nothing is sent (run it again). A certificate given as a\n"
		"chain is sent as its leaf alone, and a TPM key without its line\n"
		"breaks (both said on stderr). A file holding a private key is\n"
		"refused (exit 2), --no-validate or not.\n"
		"When the answer is lost, the enrollment is read back: applied\n"
		"(exit 0), not applied (safe to send again) or changed by\n"
		"someone else (exit 4).\n\n"
		"  --if-match ETAG   update only if it is still this version\n"
		"  --force           replace whatever is there (If-Match: *)\n"
		"  --no-validate     send without checking first\n\n")
		NET_OPTIONS_HELP,
	.run = run_put,
};
