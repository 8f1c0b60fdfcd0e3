#include "cli/cli_net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/config.h"
#include "app/explain.h"
#include "app/profile_conn.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/auth_token.h"
#include "dps/budget.h"
#include "dps/connstr.h"
#include "dps/readback.h"
#include "sys/private.h"

static int
parse_seconds(const struct cli_command *cmd, const char *name,
	      const char *arg, long *ms)
{
	char *end;
	double s = strtod(arg, &end);
	if (*arg == '\0' || *end || s <= 0 || s > 3600)
		return cli_usage_error(cmd, _("%s takes seconds (e.g. 30), not '%s'"),
				       name, arg);
	*ms = (long)(s * 1000);
	return EXIT_OK;
}


static bool
is_folder(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 0 turns the budget off (-1 in the client's terms). */
static int
parse_rate(const struct cli_command *cmd, const char *name, const char *arg,
	   long *out)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end || v < 0 || v > 1000000)
		return cli_usage_error(cmd, _("%s takes 0 (no limit) to 1000000 "
				       "requests a minute, not '%s'"), name, arg);
	*out = v ? v : -1;
	return EXIT_OK;
}

/* Options are read on the main thread before any connection is made, so
 * the variable is back before libcurl first looks at it. */
static void
allow_keylog(const struct cli_command *cmd)
{
	const char *path = private_keylog_release();
	if (path)
		fprintf(stderr, _("dpsenroll %s: warning: --insecure-keylog: the TLS "
			"session keys go to %s; whoever reads it can decrypt "
			"this traffic, keys and tokens included. Delete it "
			"after debugging.\n"), cmd->name, path);
	else
		fprintf(stderr, _("dpsenroll %s: --insecure-keylog does nothing: "
			"SSLKEYLOGFILE is not set\n"), cmd->name);
}

/* A password in an option is in the process list for every user of the
 * machine to read. */
static void
warn_visible_password(const struct cli_command *cmd, const char *url)
{
	const char *at = strchr(url, '@');
	const char *scheme = strstr(url, "://");
	const char *creds = scheme ? scheme + 3 : url;
	if (at && memchr(creds, ':', (size_t)(at - creds)))
		fprintf(stderr, _("dpsenroll %s: warning: the proxy password given "
			"with --proxy can be read by every user of this machine in "
			"the process list; put the proxy in the profile (\"proxy\") "
			"or in https_proxy instead\n"), cmd->name);
}

int
net_option(const struct cli_command *cmd, int c, const char *arg,
	   struct net_opts *o)
{
	char *end;
	switch (c) {
	case OPT_CONNECTION_STRING:
		secret_str_free(o->connection_string);
		o->connection_string = xstrdup(arg);
		return EXIT_OK;
	case OPT_PROFILE:
		free(o->profile);
		o->profile = xstrdup(arg);
		return EXIT_OK;
	case OPT_CACERT:
		free(o->cacert);
		o->cacert = xstrdup(arg);
		return EXIT_OK;
	case OPT_CAPATH:
		if (!is_folder(arg))
			return cli_usage_error(cmd, _("--capath %s is not a folder; "
					       "give a folder of CA certificates "
					       "prepared with 'openssl rehash "
					       "DIR', or one CA with --cacert"),
					       arg);
		free(o->capath);
		o->capath = xstrdup(arg);
		return EXIT_OK;
	case OPT_HOST:
		free(o->host);
		o->host = xstrdup(arg);
		return EXIT_OK;
	case OPT_ACCESS_TOKEN_FILE:
		free(o->access_token_file);
		o->access_token_file = xstrdup(arg);
		return EXIT_OK;
	case OPT_PROXY:
		secret_str_free(o->proxy);
		o->proxy = xstrdup(arg);
		warn_visible_password(cmd, arg);
		return EXIT_OK;
	case OPT_TIMEOUT:
		return parse_seconds(cmd, "--timeout", arg, &o->timeout_ms);
	case OPT_DEADLINE:
		return parse_seconds(cmd, "--deadline", arg, &o->deadline_ms);
	case OPT_CONNECT_TIMEOUT:
		return parse_seconds(cmd, "--connect-timeout", arg,
				     &o->connect_timeout_ms);
	case OPT_RETRIES:
		o->attempts = (int)strtol(arg, &end, 10) + 1;
		if (*arg == '\0' || *end || o->attempts < 1 || o->attempts > 21)
			return cli_usage_error(cmd, _("--retries takes 0 to 20, not '%s'"),
					       arg);
		return EXIT_OK;
	case OPT_OPS_PER_MINUTE:
		return parse_rate(cmd, "--ops-per-minute", arg,
				  &o->ops_per_minute);
	case OPT_JSON:
		o->json = true;
		return EXIT_OK;
	case OPT_INSECURE_KEYLOG:
		allow_keylog(cmd);
		return EXIT_OK;
	default:
		return -1;
	}
}

int
net_bad_option(const struct cli_command *cmd, int c, char **argv)
{
	/* Only the option's name: a mistyped --connection-string=... carries
	 * the key in its value. */
	const char *arg = argv[optind - 1];
	int name = (int)strcspn(arg, "=");
	if (c == ':')
		return cli_usage_error(cmd, _("'%.*s' needs a value"), name, arg);
	return cli_usage_error(cmd, _("unknown option '%.*s'"), name, arg);
}

/* The host for an access token given without a profile. */
static const char *
token_host(const struct net_opts *o)
{
	const char *env = getenv("DPS_HOST");
	return o->host ? o->host : env && *env ? env : NULL;
}

static bool
token_conn(const struct net_opts *o, struct dps_token_source *src,
	   const char *from, struct dps_conn *conn, char **why)
{
	const char *host = token_host(o);
	if (!host) {
		dps_token_source_free(src);
		*why = xasprintf(_("%s needs the DPS host name too: pass --host "
				 "HOST or set DPS_HOST (e.g. "
				 "mydps.azure-devices-provisioning.net)"), from);
		return false;
	}
	return dps_conn_with_token(host, src, conn, why);
}

/* The profile's connection; its cacert, capath and proxy fill what the
 * options left open. */
static bool
from_profile(struct net_opts *o, struct dps_conn *conn, char **why)
{
	struct profile p;
	if (!config_profile(o->profile, &p, why)) {
		if (!o->profile) {
			char *inner = *why;
			*why = xasprintf(_("no connection string: pass --connection-string, "
					 "set DPS_CONNECTION_STRING, or add a profile (%s)"),
					 inner);
			free(inner);
		}
		return false;
	}
	bool ok = profile_conn(&p, o->profile, conn, why);
	if (!o->cacert && p.cacert) {
		o->cacert = p.cacert;
		p.cacert = NULL;
	}
	if (!o->capath && p.capath) {
		o->capath = p.capath;
		p.capath = NULL;
	}
	if (!o->proxy && p.proxy) {
		o->proxy = p.proxy;
		p.proxy = NULL;
	}
	profile_clear(&p);
	return ok;
}

/* First found wins: options, a named profile, the environment, the
 * default profile. */
bool
net_resolve(struct net_opts *o, struct dps_conn *conn, char **why)
{
	memset(conn, 0, sizeof(*conn));
	const char *env = getenv("DPS_CONNECTION_STRING");
	const char *env_token = getenv("DPS_ACCESS_TOKEN");
	if (!o->cacert && getenv("DPSENROLL_CACERT") && *getenv("DPSENROLL_CACERT"))
		o->cacert = xstrdup(getenv("DPSENROLL_CACERT"));
	if (o->access_token_file && !o->connection_string)
		return token_conn(o, dps_token_file(o->access_token_file),
				  "--access-token-file", conn, why);
	bool env_first = !o->connection_string && !o->profile &&
			 !(env && *env);
	if (env_first && env_token && *env_token)
		return token_conn(o, dps_token_fixed(env_token),
				  "DPS_ACCESS_TOKEN", conn, why);
	if (o->host) {
		*why = xstrdup(_("--host goes with an access token (DPS_ACCESS_TOKEN "
			       "or --access-token-file); a connection string or "
			       "a profile names its own host"));
		return false;
	}
	if (o->connection_string)
		return dps_conn_parse(o->connection_string, conn, why);
	if (o->profile)
		return from_profile(o, conn, why);
	if (env && *env)
		return dps_conn_parse(env, conn, why);
	return from_profile(o, conn, why);
}

/* The option, else DPSENROLL_OPS_PER_MINUTE when it reads as one
 * (anything else there leaves the default: it is not this command's
 * argument to refuse), else the default. */
static long
ops_per_minute(const struct net_opts *o)
{
	if (o->ops_per_minute)
		return o->ops_per_minute;
	const char *env = getenv("DPSENROLL_OPS_PER_MINUTE");
	char *end;
	long v = env && *env ? strtol(env, &end, 10) : -2;
	if (v < 0 || v > 1000000 || *end)
		return 0;
	return v ? v : -1;
}

struct dps_client_opts
net_client_opts(const struct net_opts *o)
{
	return (struct dps_client_opts){
		.ops_per_minute = ops_per_minute(o),
		.cacert = o->cacert,
		.capath = o->capath,
		.proxy = o->proxy,
		.timeout_ms = o->timeout_ms,
		.connect_timeout_ms = o->connect_timeout_ms,
		.max_attempts = o->attempts,
		.deadline_ms = o->deadline_ms,
	};
}

struct dps_budget *
net_session_budget(struct dps_client_opts *opts)
{
	if (opts->budget || opts->ops_per_minute < 0)
		return NULL;
	long n = opts->ops_per_minute ? opts->ops_per_minute
				      : DPS_BUDGET_DEFAULT_PER_MINUTE;
	opts->budget = dps_budget_new((unsigned)n, NULL);
	return opts->budget;
}

/* A long wait (a Retry-After) must not look like a hang. */
static void
say_retry(void *ctx, const struct dps_retry *r)
{
	const struct cli_command *cmd = ctx;
	char *text = explain_retry(r, (long)r->wait_ms);
	fprintf(stderr, _("dpsenroll %s: %s\n"), cmd->name, text);
	free(text);
}

int
net_connect(const struct cli_command *cmd, struct net_opts *o,
	    struct dps_client **client)
{
	*client = NULL;
	char *why = NULL;
	struct dps_conn conn;
	bool ok = net_resolve(o, &conn, &why);
	if (ok) {
		struct dps_client_opts opts = net_client_opts(o);
		if (!o->json) {	/* standard error holds one JSON object then */
			opts.on_retry = say_retry;
			opts.retry_ctx = (void *)cmd;
		}
		*client = dps_client_new(&conn, &opts, &why);
		dps_conn_clear(&conn);
		ok = *client != NULL;
	}
	if (ok)
		return EXIT_OK;
	fprintf(stderr, _("dpsenroll %s: %s\n"), cmd->name, why);
	free(why);
	return EXIT_USAGE;
}

int
net_exit_code(const struct dps_response *r)
{
	if (r->failure == DPS_FAIL_BAD_ANSWER || r->failure == DPS_FAIL_TOO_LARGE)
		return EXIT_UNREADABLE;
	if (r->outcome == DPS_OUTCOME_CHANGED)
		return EXIT_CONFLICT;
	/* the credentials are no good, like a 401, though nothing was sent */
	if (r->failure == DPS_FAIL_AUTH)
		return EXIT_REFUSED;
	if (r->failure != DPS_ANSWERED)
		return EXIT_NETWORK;
	if (r->status < 400)
		return EXIT_OK;
	if (r->status == 409 || r->status == 412)
		return EXIT_CONFLICT;
	if (r->status == 429 || r->status >= 500)
		return EXIT_SERVER;
	return EXIT_REFUSED;
}

static void
add_string(cJSON *o, const char *name, const char *value)
{
	if (value)
		cJSON_AddStringToObject(o, name, value);
}

static void
report_json(const struct dps_response *r)
{
	cJSON *e = cJSON_CreateObject();
	if (r->failure != DPS_ANSWERED) {
		add_string(e, "failure", r->failure_text);
		add_string(e, "hint", r->hint);
	} else {
		cJSON_AddNumberToObject(e, "status", (double)r->status);
		if (r->error.error_code)
			cJSON_AddNumberToObject(e, "errorCode", r->error.error_code);
		add_string(e, "message", r->error.message);
		add_string(e, "trackingId", r->error.tracking_id);
		add_string(e, "timestampUtc", r->error.timestamp);
		add_string(e, "xMsErrorCode", r->ms_error_code);
		if (r->error.info)
			cJSON_AddItemToObject(e, "info", cJSON_Duplicate(r->error.info, 1));
	}
	if (r->outcome != DPS_OUTCOME_SURE)
		cJSON_AddStringToObject(e, "readBack", dps_outcome_name(r->outcome));
	cJSON_AddNumberToObject(e, "attempts", r->attempts);
	char *text = cJSON_PrintUnformatted(e);
	fprintf(stderr, "%s\n", text);
	free(text);
	cJSON_Delete(e);
}

/* A write without a sure answer: what reading it back found. */
static void
say_outcome(const struct cli_command *cmd, const char *id, enum dps_outcome o)
{
	const char *text = explain_outcome(o);
	if (text && id)
		fprintf(stderr, _("dpsenroll %s: %s: %s\n"), cmd->name, id, text);
	else if (text)
		fprintf(stderr, _("dpsenroll %s: %s\n"), cmd->name, text);
}

/* A bulk list whose batch lost its answer: each item, read back. */
static void
say_item_outcomes(const struct cli_command *cmd, const cJSON *body)
{
	static const enum dps_outcome all[] = {
		DPS_OUTCOME_APPLIED, DPS_OUTCOME_NOT_APPLIED,
		DPS_OUTCOME_CHANGED, DPS_OUTCOME_UNKNOWN,
	};
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(body, "readBack")) {
		const char *id = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(e, "registrationId"));
		const char *name = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(e, "outcome"));
		for (size_t i = 0; name && i < sizeof(all) / sizeof(all[0]); i++)
			if (strcmp(name, dps_outcome_name(all[i])) == 0)
				say_outcome(cmd, id ? id : "?", all[i]);
		if (name && strcmp(name, "notSent") == 0)
			fprintf(stderr, _("dpsenroll %s: %s: not sent (the list "
				"stopped at the batch that could not be read back)\n"),
				cmd->name, id ? id : "?");
	}
}

/* Refused credentials (a shared access key or an access token): the
 * service's "Unauthorized" says neither which nor what to do; the advice
 * does. */
static void
say_auth_advice(const struct dps_response *r)
{
	if (r->failure != DPS_ANSWERED || r->status != 401)
		return;
	struct advice a = explain_response(r);
	/* TRANSLATORS: the cause, then the next step */
	fprintf(stderr, _("  %s\n  what to do: %s\n"), a.cause, a.next_step);
	advice_clear(&a);
}

int
net_report_failure(const struct cli_command *cmd, const struct net_opts *o,
		   const struct dps_response *r)
{
	if (o->json) {
		report_json(r);
	} else {
		char *d = dps_response_describe_local(r);
		fprintf(stderr, _("dpsenroll %s: %s\n"), cmd->name, d);
		free(d);
		if (r->error.timestamp)
			fprintf(stderr, _("  at %s\n"), r->error.timestamp);
		if (r->attempts > 1)
			fprintf(stderr, ngettext("  after %d attempt\n",
						 "  after %d attempts\n",
						 r->attempts), r->attempts);
		if (r->past_deadline)
			fprintf(stderr, _("  not retried: the next attempt was due "
				"after the --deadline\n"));
		say_auth_advice(r);
		say_outcome(cmd, NULL, r->outcome);
	}
	return net_exit_code(r);
}

int
net_finish(const struct cli_command *cmd, const struct net_opts *o,
	   const struct dps_response *r)
{
	int rc = net_exit_code(r);
	if (rc != EXIT_OK)
		return net_report_failure(cmd, o, r);
	if (r->body) {
		char *text = cJSON_Print(r->body);
		puts(text);
		secret_str_free(text);
	}
	if (!o->json) {
		say_outcome(cmd, NULL, r->outcome);
		say_item_outcomes(cmd, r->body);
	}
	return EXIT_OK;
}

void
net_opts_clear(struct net_opts *o)
{
	secret_str_free(o->connection_string);
	free(o->profile);
	free(o->cacert);
	free(o->capath);
	secret_str_free(o->proxy);
	free(o->host);
	free(o->access_token_file);
	memset(o, 0, sizeof(*o));
}
