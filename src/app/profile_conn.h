#ifndef DPSENROLL_APP_PROFILE_CONN_H
#define DPSENROLL_APP_PROFILE_CONN_H

/* A profile of the config file as a connection: its connectionString
 * (a shared access key), or with "auth": "token" its hostName and the
 * tokenCommand that prints Entra ID access tokens. */

#include <stdbool.h>

#include "app/config.h"
#include "dps/connstr.h"

/* False with *why (owned, naming the profile `name` and what is wrong). */
bool profile_conn(const struct profile *p, const char *name,
		  struct dps_conn *out, char **why);

/* The same from the profile's JSON object (for listing profiles). */
bool profile_conn_json(const cJSON *p, const char *name, struct dps_conn *out,
		       char **why);

#endif
