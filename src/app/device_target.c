#include "app/device_target.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/config.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "dps/device.h"
#include "model/json.h"

static char *
env_value(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? xstrdup(v) : NULL;
}

/* The profile's member `name`, or NULL (no file, no such profile). */
static char *
profile_value(const char *profile, const char *name, char **why)
{
	char *path = config_path();
	struct stat st;
	bool exists = stat(path, &st) == 0;
	free(path);
	if (!exists)
		return NULL;
	cJSON *root = config_read(why);
	if (!root)
		return NULL;
	const char *pick = profile;
	if (!pick)
		pick = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(root, "defaultProfile"));
	const cJSON *p = pick ? cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, "profiles"), pick) : NULL;
	char *value = json_member_dup(p, name);
	config_free(root);
	return value;
}

static char *
resolve_one(const char *given, const char *env, const char *profile,
	    const char *member, char **why)
{
	if (given && *given)
		return xstrdup(given);
	char *v = profile ? NULL : env_value(env);
	return v ? v : profile_value(profile, member, why);
}

bool
device_target_resolve(const char *id_scope, const char *endpoint,
		      const char *profile, struct device_target *out,
		      char **why)
{
	memset(out, 0, sizeof(*out));
	*why = NULL;
	out->id_scope = resolve_one(id_scope, "DPS_ID_SCOPE", profile,
				    "idScope", why);
	if (!*why)
		out->endpoint = resolve_one(endpoint, "DPS_GLOBAL_ENDPOINT",
					    profile, "globalEndpoint", why);
	if (*why) {
		device_target_clear(out);
		return false;
	}
	if (!out->endpoint)
		out->endpoint = xstrdup(DPS_GLOBAL_ENDPOINT);
	if (!out->id_scope) {
		*why = xstrdup(_("no ID scope: pass --id-scope SCOPE (the "
				 "DPS's overview shows it, e.g. 0ne00ABC123; "
				 "dpsemu's is in DATA/id-scope), set "
				 "DPS_ID_SCOPE, or add \"idScope\" to the "
				 "profile"));
		device_target_clear(out);
		return false;
	}
	return true;
}

void
device_target_clear(struct device_target *t)
{
	free(t->id_scope);
	free(t->endpoint);
	memset(t, 0, sizeof(*t));
}
