#ifndef DPSENROLL_DPS_CONNSTR_H
#define DPSENROLL_DPS_CONNSTR_H

/* A DPS service connection string:
 *   HostName=<dps>.azure-devices-provisioning.net;SharedAccessKeyName=<policy>;
 *   SharedAccessKey=<base64 key>
 * Part names are case-insensitive; each part splits at its first '='
 * (keys end in '=' padding); HostName may carry a port. */

#include <stdbool.h>

struct dps_token_source;

struct dps_conn {
	char *host;	/* as written, e.g. "mydps.azure-devices-provisioning.net" */
	char *policy;
	char *key;	/* base64; secret */
	/* Owned. Not NULL: requests carry "Authorization: Bearer" with its
	 * Entra ID tokens (dps/auth_token.h), and policy and key are NULL. */
	struct dps_token_source *token;
};

/* False with *why (owned) naming the missing or bad part; the key's value
 * is never repeated in a message. */
bool dps_conn_parse(const char *text, struct dps_conn *out, char **why);
void dps_conn_clear(struct dps_conn *c);
/* A connection to `host` (checked as HostName is) with tokens from
 * `source`, which it takes (freed on failure too). False with *why. */
bool dps_conn_with_token(const char *host, struct dps_token_source *source,
			 struct dps_conn *out, char **why);
/* An independent copy of `src` (its token source too). */
void dps_conn_copy(struct dps_conn *dst, const struct dps_conn *src);
/* The port HostName names ("h:8443", "[::1]:8443"), 443 when it names
 * none, 0 when what follows the colon is not a port (1 to 65535). */
int dps_conn_port(const struct dps_conn *c);

#endif
