#include "dps/auth.h"

#include <stdlib.h>
#include <string.h>

#include "base/sas.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/auth_token.h"

static const char *
sas_value(struct dps_auth *a, const struct dps_conn *conn,
	  const char *resource, time_t now, char **why)
{
	if (a->value && now + DPS_TOKEN_RENEW_BEFORE < a->sas_expiry)
		return a->value;
	dps_auth_clear(a);
	const char *bad = NULL;
	a->sas_expiry = now + DPS_SAS_LIFETIME;
	a->value = sas_token_new(resource ? resource : conn->host, conn->key,
				 conn->policy, a->sas_expiry, &bad);
	if (!a->value)
		*why = xstrdup(bad ? bad : "the shared access key cannot sign");
	return a->value;
}

const char *
dps_auth_value(struct dps_auth *a, struct dps_conn *conn, const char *resource,
	       time_t now, char **why)
{
	*why = NULL;
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
