#ifndef DPSENROLL_APP_CONFIG_H
#define DPSENROLL_APP_CONFIG_H

/* The user's settings: $XDG_CONFIG_HOME/dpsenroll/config.json (or
 * ~/.config/dpsenroll/config.json):
 *   { "profiles": { "bench": { "connectionString": "HostName=...",
 *                              "cacert": "/path/ca.pem" } },
 *     "defaultProfile": "bench", "theme": "dark", "operator": "amy" }
 * It may hold service keys, so a file readable by others is refused. */

#include <stdbool.h>

struct profile {
	char *connection_string;	/* secret */
	char *cacert;
};

/* The config file's path; the caller frees. */
char *config_path(void);

/* Loads profile `name` (NULL: "defaultProfile"). Returns false with *why
 * (owned) when the file is missing, unsafe, not JSON (line and column),
 * or has no such profile. */
bool config_profile(const char *name, struct profile *out, char **why);
void profile_clear(struct profile *p);

/* A top-level text setting ("theme", "operator"); NULL when the file or
 * the setting is absent. A file that exists but is unsafe or not JSON
 * gives NULL with *why (owned). The caller frees the value. */
char *config_setting(const char *name, char **why);

#endif
