#include "app/profile_conn.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "dps/auth_token.h"
#include "model/json.h"

/* Takes `what`. */
static bool
fail(const char *name, char **why, char *what)
{
	/* TRANSLATORS: %1$s is a profile's name; %2$s, what is wrong
	 * with it. */
	*why = name ? xasprintf(_("profile '%1$s': %2$s"), name, what)
		    : xstrdup(what);
	free(what);
	return false;
}

static bool
token_conn(const struct profile *p, const char *name, struct dps_conn *out,
	   char **why)
{
	if (!p->host_name || !*p->host_name)
		return fail(name, why, xstrdup(_("\"auth\": \"token\" needs "
			    "\"hostName\" (e.g. mydps.azure-devices-provisioning.net)")));
	if (!p->token_command || !*p->token_command)
		return fail(name, why, xasprintf(_("\"auth\": \"token\" needs "
			    "\"tokenCommand\", a command that prints an access "
			    "token (e.g. az account get-access-token --resource "
			    "%s --query accessToken -o tsv)"), DPS_TOKEN_RESOURCE));
	char *bad = NULL;
	if (!dps_conn_with_token(p->host_name, dps_token_command(p->token_command),
				 out, &bad)) {
		fail(name, why, xasprintf("hostName: %s", bad));
		free(bad);
		return false;
	}
	return true;
}

bool
profile_conn(const struct profile *p, const char *name, struct dps_conn *out,
	     char **why)
{
	memset(out, 0, sizeof(*out));
	if (p->auth && strcmp(p->auth, "token") == 0)
		return token_conn(p, name, out, why);
	if (p->auth && strcmp(p->auth, "sharedAccessKey") != 0)
		return fail(name, why, xasprintf(_("\"auth\" is \"%s\"; it can be "
			    "\"token\" (with hostName and tokenCommand) or "
			    "\"sharedAccessKey\" (with connectionString)"), p->auth));
	if (!p->connection_string)
		return fail(name, why, xstrdup(_("it has no connectionString")));
	char *bad = NULL;
	if (!dps_conn_parse(p->connection_string, out, &bad)) {
		fail(name, why, bad);
		return false;
	}
	return true;
}

bool
profile_conn_json(const cJSON *p, const char *name, struct dps_conn *out,
		  char **why)
{
	struct profile prof = {
		.connection_string = json_member_dup(p, "connectionString"),
		.auth = json_member_dup(p, "auth"),
		.host_name = json_member_dup(p, "hostName"),
		.token_command = json_member_dup(p, "tokenCommand"),
	};
	bool ok = profile_conn(&prof, name, out, why);
	profile_clear(&prof);
	return ok;
}
