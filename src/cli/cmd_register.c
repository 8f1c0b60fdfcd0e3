/* dpsenroll register ID: registers the device as it would itself, which
 * provisions it into an IoT hub. */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/device_target.h"
#include "app/register.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "cli/cli_net.h"
#include "cli/cli_verify.h"
#include "dps/ops.h"
#include "model/checks.h"
#include "model/findings.h"

enum {
	OPT_ID_SCOPE = OPT_COMMAND_BASE,
	OPT_GLOBAL_ENDPOINT,
	OPT_CERT,
	OPT_KEY,
	OPT_YES,
};

struct register_args {
	struct net_opts net;
	const char *id;
	const char *id_scope;
	const char *endpoint;
	const char *cert;
	const char *key;
	bool yes;
};

static int
take_option(int c, struct register_args *a)
{
	switch (c) {
	case OPT_ID_SCOPE: a->id_scope = optarg; return EXIT_OK;
	case OPT_GLOBAL_ENDPOINT: a->endpoint = optarg; return EXIT_OK;
	case OPT_CERT: a->cert = optarg; return EXIT_OK;
	case OPT_KEY: a->key = optarg; return EXIT_OK;
	case OPT_YES: a->yes = true; return EXIT_OK;
	default: return -1;
	}
}

static int
parse_args(const struct cli_command *cmd, int argc, char **argv,
	   struct register_args *a)
{
	static const struct option opts[] = {
		NET_OPTIONS,
		{ "id-scope", required_argument, NULL, OPT_ID_SCOPE },
		{ "global-endpoint", required_argument, NULL, OPT_GLOBAL_ENDPOINT },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "yes", no_argument, NULL, OPT_YES },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if ((rc = net_option(cmd, c, optarg, &a->net)) >= 0 ||
		    (rc = take_option(c, a)) >= 0) {
			if (rc != EXIT_OK)
				return rc;
		} else {
			return net_bad_option(cmd, c, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, _("give one registration id"));
	a->id = argv[optind];
	if (!a->cert != !a->key)
		return cli_usage_error(cmd, _("--cert and --key go together: the "
				       "device's certificate and its private key"));
	return cli_check_id(cmd, a->id);
}

/* ---- how the device proves itself ---- */

static const char *
attestation_type(const cJSON *mech)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(mech, "type"));
}

/* The enrollment's primary key, read through the attestation mechanism. */
static bool
take_sas_key(const cJSON *mech, struct device_credentials *cred)
{
	const cJSON *sk = cJSON_GetObjectItemCaseSensitive(mech, "symmetricKey");
	const char *key = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(sk, "primaryKey"));
	if (!key || !*key)
		return false;
	cred->proof = PROOF_SAS;
	cred->key_b64 = xstrdup(key);
	return true;
}

static int
refuse(const struct register_args *a, const char *why)
{
	fprintf(stderr, _("dpsenroll %s: %s: %s\n"), "register", a->id, why);
	return EXIT_USAGE;
}

static int
credentials_for(const struct register_args *a, const cJSON *mech,
		struct device_credentials *cred)
{
	const char *type = attestation_type(mech);
	if (type && strcmp(type, "tpm") == 0)
		return refuse(a, _("the enrollment uses TPM attestation: only "
			      "the device's TPM can register it, not this computer.\n"
			      "  next: power the device on and run 'dpsenroll watch "
			      "ID' to see it register"));
	if (type && strcmp(type, "x509") == 0) {
		if (!a->cert)
			return refuse(a, _("the enrollment uses X.509 "
				      "attestation: give the device's certificate "
				      "and private key with --cert FILE --key FILE"));
		char *why = NULL;
		if (device_credentials_x509(a->cert, a->key, cred, &why))
			return EXIT_OK;
		int rc = refuse(a, why);
		free(why);
		return rc;
	}
	if (type && strcmp(type, "symmetricKey") == 0) {
		if (a->cert)
			return refuse(a, _("the enrollment uses a symmetric key; "
				      "--cert and --key are for X.509 enrollments"));
		if (take_sas_key(mech, cred))
			return EXIT_OK;
		return refuse(a, _("the service gave no symmetric key for "
			      "the enrollment"));
	}
	char *why = xasprintf(_("the enrollment's attestation type '%s' cannot "
			      "be registered from here"), type ? type : _("(none)"));
	int rc = refuse(a, why);
	free(why);
	return rc;
}

/* ---- asking first ---- */

static bool
confirmed(const struct register_args *a, const struct device_target *t)
{
	if (a->yes)
		return true;
	if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO)) {
		fprintf(stderr, _("dpsenroll register: %s: registering provisions the "
			"device into an IoT hub; pass --yes to do it without a "
			"terminal to confirm on\n"), a->id);
		return false;
	}
	/* TRANSLATORS: registration id, global endpoint, ID scope; the
	    answer is read by rpmatch(), in the language's letters (o/N) */
	fprintf(stderr, _("Register %s at %s (ID scope %s)? This provisions the "
		"device into an IoT hub, as the device itself would. [y/N] "),
		a->id, t->endpoint, t->id_scope);
	char line[16] = "";
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return rpmatch(line) == 1;
}

/* ---- the answer ---- */

static void
journal(const struct register_args *a, const struct register_outcome *o,
	const char *text)
{
	char *why = NULL;
	register_journal(a->id, o, text, &why);
	if (why)
		fprintf(stderr, _("dpsenroll register: not recorded in the journal: "
			"%s\n"), why);
	free(why);
}

static int
report(const struct register_args *a, enum device_proof proof,
       const struct register_outcome *o)
{
	if (!o->status) {
		int rc = net_report_failure(&cmd_register, &a->net, &o->resp);
		if (!a->net.json) {
			struct advice adv = explain_device_response(&o->resp, proof);
			verify_say_advice(&adv);
		}
		journal(a, o, NULL);
		return rc;
	}
	/* The journal keeps English; the person reads their language. */
	char *text = o->gave_up ? xasprintf("still assigning after the polls "
					    "allowed; run 'dpsenroll watch %s'",
					    a->id)
				: register_state_text(o->state);
	if (o->gave_up)
		fprintf(stderr, _("dpsenroll register: %s: still assigning after "
				  "the polls allowed; run 'dpsenroll watch %s'\n"),
			a->id, a->id);
	else {
		char *words = register_state_words(o->state);
		fprintf(stderr, _("dpsenroll %s: %s: %s\n"), "register", a->id, words);
		free(words);
	}
	if (o->state) {
		char *json = cJSON_Print(o->state);
		puts(json);
		free(json);
	}
	journal(a, o, text);
	free(text);
	if (strcmp(o->status, "assigned") == 0)
		return EXIT_OK;
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(o->state, "errorCode");
	if (cJSON_IsNumber(code)) {
		struct advice adv = explain_registration(code->valueint,
			cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				o->state, "errorMessage")), proof);
		verify_say_advice(&adv);
	}
	return o->gave_up ? EXIT_TIMED_OUT : EXIT_REFUSED;
}

/* The enrollment's attestation, keys included; NULL after reporting. */
static cJSON *
attestation(struct register_args *a, int *rc)
{
	struct dps_client *svc = NULL;
	*rc = net_connect(&cmd_register, &a->net, &svc);
	if (*rc != EXIT_OK)
		return NULL;
	struct dps_response r;
	dps_enrollment_attestation(svc, a->id, &r);
	cJSON *mech = NULL;
	if (net_exit_code(&r) == EXIT_OK && cJSON_IsObject(r.body)) {
		mech = r.body;
		r.body = NULL;
	} else {
		*rc = net_report_failure(&cmd_register, &a->net, &r);
		if (!a->net.json) {
			struct advice adv = explain_response(&r);
			verify_say_advice(&adv);
		}
	}
	dps_response_clear(&r);
	dps_client_free(svc);
	return mech;
}

static int
register_with(struct register_args *a, const struct device_target *t)
{
	int rc;
	cJSON *mech = attestation(a, &rc);
	if (!mech)
		return rc;
	struct device_credentials cred = { 0 };
	rc = credentials_for(a, mech, &cred);
	cJSON_Delete(mech);	/* wiped: the JSON hooks clear what they free */
	if (rc == EXIT_OK && !confirmed(a, t))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK) {
		struct dps_client_opts opts = net_client_opts(&a->net);
		struct register_outcome o;
		device_register(t, a->id, &cred, &opts, &o);
		rc = report(a, cred.proof, &o);
		register_outcome_clear(&o);
	}
	device_credentials_clear(&cred);
	return rc;
}

static int
run_register(int argc, char **argv)
{
	struct register_args a = { 0 };
	int rc = parse_args(&cmd_register, argc, argv, &a);
	struct device_target t = { 0 };
	char *why = NULL;
	if (rc == EXIT_OK && !device_target_resolve(a.id_scope, a.endpoint,
						     a.net.profile, &t, &why)) {
		fprintf(stderr, _("dpsenroll %s: %s\n"), "register", why);
		free(why);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_OK)
		rc = register_with(&a, &t);
	device_target_clear(&t);
	net_opts_clear(&a.net);
	return rc;
}

const struct cli_command cmd_register = {
	.name = "register",
	.args = N_("ID [--id-scope SCOPE] [--global-endpoint HOST[:PORT]] "
		"[--cert FILE --key FILE] [--yes] [connection options]"),
	.summary = N_("register the device as it would itself (provisions it)"),
	.details =
	N_("This really provisions the device into an IoT hub, as if the device\n"
	"had registered: it asks first on a terminal; --yes skips the\n"
	"question (and is needed without a terminal).\n\n"
	"Performs the device registration API (PUT {idScope}/registrations/\n"
	"{id}/register, then polls the operation as its Retry-After asks) and\n"
	"prints the registration state: assigned hub, device id, substatus.\n"
	"Symmetric key: signs the device token with the enrollment's key, read\n"
	"through the service connection and never shown. X.509: mutual TLS\n"
	"with the device's certificate and private key files (the key is only\n"
	"used for the handshake, then wiped). TPM: only the device can\n"
	"register; use 'dpsenroll watch ID'.\n\n"
	"Exit codes: 0 assigned, 1 refused, failed or disabled, 2 usage or not\n"
	"confirmed, 3 network, 8 still assigning after the polls allowed.\n\n"
	"  --id-scope SCOPE     the DPS's ID scope; or DPS_ID_SCOPE, or the\n"
	"                       profile's \"idScope\" (dpsemu: DATA/id-scope)\n"
	"  --global-endpoint HOST[:PORT]\n"
	"                       where devices register (default global.azure-\n"
	"                       devices-provisioning.net); or DPS_GLOBAL_ENDPOINT,\n"
	"                       or the profile's \"globalEndpoint\"\n"
	"  --cert FILE          X.509: the device's certificate (PEM)\n"
	"  --key FILE           X.509: the device's private key (PEM)\n"
	"  --yes                register without asking\n\n") NET_OPTIONS_HELP,
	.run = run_register,
};
