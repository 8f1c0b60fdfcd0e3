#include "dps/auth.h"

#include <stdlib.h>
#include <string.h>

#include "base/sas.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/auth_token.h"
#include "dps/said.h"

static const char *
sas_value(struct dps_auth *a, const struct dps_conn *conn,
	  const char *resource, time_t now, struct dps_said *why)
{
	if (a->value && now + DPS_TOKEN_RENEW_BEFORE < a->sas_expiry)
		return a->value;
	dps_auth_clear(a);
	const char *bad = NULL;
	a->sas_expiry = now + DPS_SAS_LIFETIME;
	a->value = sas_token_new(resource ? resource : conn->host, conn->key,
				 conn->policy, a->sas_expiry, &bad);
	/* sas_token_new's words are English, as the journal keeps them */
	if (!a->value)
		dps_said_take(why, xstrdup(bad ? bad : "the shared access key "
					   "cannot sign"), NULL);
	return a->value;
}

const char *
dps_auth_value(struct dps_auth *a, struct dps_conn *conn, const char *resource,
	       time_t now, struct dps_said *why)
{
	*why = (struct dps_said){ 0 };
	if (!conn->token)
		return sas_value(a, conn, resource, now, why);
	const char *tok = dps_token_get(conn->token, now, why);
	if (!tok)
		return NULL;
	dps_auth_clear(a);
	a->value = xasprintf("Bearer %s", tok);
	return a->value;
}

void
dps_auth_clear(struct dps_auth *a)
{
	secret_str_free(a->value);
	a->value = NULL;
	a->sas_expiry = 0;
}
