#ifndef DPSENROLL_APP_DEVICE_TARGET_H
#define DPSENROLL_APP_DEVICE_TARGET_H

/* Where a device registers: the DPS's ID scope and the global endpoint.
 * Each comes from its option, else its environment variable (unless a
 * profile was named), else the profile ("idScope", "globalEndpoint" in
 * config.json), else (the endpoint only) global.azure-devices-
 * provisioning.net. */

#include <stdbool.h>

struct device_target {
	char *id_scope;
	char *endpoint;		/* HOST[:PORT] */
};

/* `profile` NULL: the default profile, if any. False with *why (owned)
 * when no ID scope is found, or the config file cannot be read. */
bool device_target_resolve(const char *id_scope, const char *endpoint,
			   const char *profile, struct device_target *out,
			   char **why);
void device_target_clear(struct device_target *t);

#endif
