#ifndef DPSENROLL_DPS_AUTH_H
#define DPSENROLL_DPS_AUTH_H

/* The Authorization header's value, the one place that makes it: a
 * SharedAccessSignature signed with the connection's shared access key,
 * or "Bearer <token>" from its token source (Entra ID). Either is kept
 * and reused until DPS_TOKEN_RENEW_BEFORE seconds before it expires. */

#include <stdbool.h>
#include <time.h>

#include "dps/connstr.h"

struct dps_auth {
	char *value;		/* secret: the whole header value */
	time_t sas_expiry;	/* of a SharedAccessSignature value */
};

enum { DPS_SAS_LIFETIME = 3600 };

struct dps_said;

/* The value for a request sent at `now`, borrowed until the next call.
 * A SharedAccessSignature is for `resource` ("{idScope}/registrations/
 * {id}" on the device API), or NULL: the connection's host. NULL with
 * *why (owned; see dps/said.h) when no token can be had (see
 * dps_token_get). */
const char *dps_auth_value(struct dps_auth *a, struct dps_conn *conn,
			   const char *resource, time_t now,
			   struct dps_said *why);
void dps_auth_clear(struct dps_auth *a);

#endif
