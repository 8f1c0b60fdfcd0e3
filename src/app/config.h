#ifndef DPSENROLL_APP_CONFIG_H
#define DPSENROLL_APP_CONFIG_H

/* The user's settings: $XDG_CONFIG_HOME/dpsenroll/config.json (or
 * ~/.config/dpsenroll/config.json):
 *   { "profiles": { "bench": { "connectionString": "HostName=...",
 *                              "cacert": "/path/ca.pem",
 *                              "capath": "/etc/bench-cas",
 *                              "proxy": "http://proxy:3128" } },
 *                 "entra": { "auth": "token",
 *                            "hostName": "mydps.azure-devices-provisioning.net",
 *                            "tokenCommand": "az account get-access-token ..." } },
 *     "defaultProfile": "bench", "theme": "dark", "operator": "amy" }
 * It may hold service keys, so a file readable by others is refused. */

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

struct profile {
	char *connection_string;	/* secret; NULL for "auth": "token" */
	char *auth;			/* "token", or NULL: the shared key */
	char *host_name;		/* with "auth": "token" */
	/* with "auth": "token"; secret: it may hold a credential */
	char *token_command;
	char *cacert;
	char *capath;
	char *proxy;			/* secret: may hold a password */
};

/* The config file's path; the caller frees. */
char *config_path(void);

/* Loads profile `name` (NULL: "defaultProfile"). Returns false with *why
 * (owned) when the file is missing, unsafe, not JSON (line and column),
 * or has no such profile. */
bool config_profile(const char *name, struct profile *out, char **why);
void profile_clear(struct profile *p);

/* The "template" of profile `name` (NULL: the default profile), for
 * station mode; relative to the config file's folder. NULL with *why
 * (owned) when there is none (config_template.c). */
char *config_profile_template(const char *name, char **why);

/* The whole file as JSON (owned: config_free it, which wipes the keys).
 * NULL with *why (owned) when it is missing, unsafe or not JSON. */
cJSON *config_read(char **why);
void config_free(cJSON *root);

/* A top-level text setting ("theme", "operator"); NULL when the file or
 * the setting is absent. A file that exists but is unsafe or not JSON
 * gives NULL with *why (owned). The caller frees the value. */
char *config_setting(const char *name, char **why);

/* The profiles for a person to choose from (config_profiles.c): names
 * and hosts, never keys. */
struct profile_info {
	char *name;
	char *host;		/* from its connection string, or NULL */
	char *problem;		/* why there is no host, or NULL */
	bool is_default;	/* the file's defaultProfile */
};

/* The profiles in file order; true with *count 0 when there is no config
 * file. False with *why (owned) when it is unsafe or not JSON. */
bool config_profiles(struct profile_info **out, size_t *count, char **why);
void profile_infos_free(struct profile_info *list, size_t count);

/* Adds profile `name` with `connection_string` to the config file (made
 * when missing, mode 0600 in a 0700 folder; written whole). False with
 * *why (owned) when the name is taken or unusable, or the file cannot be
 * read safely or written. */
bool config_save_profile(const char *name, const char *connection_string,
			 char **why);

#endif
