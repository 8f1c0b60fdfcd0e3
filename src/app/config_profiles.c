/* Profiles to choose from and to add, for a form that switches its DPS
 * while it runs. */

#include "app/config.h"
#include "app/profile_conn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/array.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/connstr.h"
#include "sys/fileio.h"

static bool
config_missing(void)
{
	char *path = config_path();
	struct stat st;
	bool missing = stat(path, &st) != 0 && errno == ENOENT;
	free(path);
	return missing;
}

static void
describe(const cJSON *p, bool is_default, struct profile_info *out)
{
	memset(out, 0, sizeof(*out));
	out->name = xstrdup(p->string);
	out->is_default = is_default;
	struct dps_conn conn;
	char *why = NULL;
	if (!profile_conn_json(p, NULL, &conn, &why))
		out->problem = why;
	else
		out->host = xstrdup(conn.host);
	dps_conn_clear(&conn);	/* zeroed by a failure */
}

bool
config_profiles(struct profile_info **out, size_t *count, char **why)
{
	*out = NULL;
	*count = 0;
	*why = NULL;
	if (config_missing())
		return true;
	cJSON *root = config_read(why);
	if (!root)
		return false;
	const cJSON *dflt = cJSON_GetObjectItemCaseSensitive(root, "defaultProfile");
	const cJSON *profiles = cJSON_GetObjectItemCaseSensitive(root, "profiles");
	if (!cJSON_IsObject(profiles))
		profiles = NULL;
	const cJSON *p;
	size_t cap = 0;
	cJSON_ArrayForEach(p, profiles) {
		bool is_default = cJSON_IsString(dflt) &&
				  !strcmp(dflt->valuestring, p->string);
		*out = array_grow(*out, *count, &cap, sizeof(**out));
		describe(p, is_default, &(*out)[(*count)++]);
	}
	config_free(root);
	return true;
}

void
profile_infos_free(struct profile_info *list, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(list[i].name);
		free(list[i].host);
		free(list[i].problem);
	}
	free(list);
}

/* The reason `name` cannot name a profile, or NULL. */
static const char *
name_problem(const char *name)
{
	size_t len = strlen(name);
	if (!len)
		return _("give the profile a name");
	if (len > 64)
		return _("a profile name has at most 64 characters");
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return _("a profile name has no control characters");
	return NULL;
}

/* The file's tree to add to: a new one when there is no file. */
static cJSON *
tree_to_change(char **why)
{
	if (config_missing())
		return cJSON_CreateObject();
	cJSON *root = config_read(why);
	if (root && !cJSON_IsObject(root)) {
		char *path = config_path();
		*why = xasprintf(_("%s is not a JSON object; fix it first"),
				 path);
		free(path);
		config_free(root);
		return NULL;
	}
	return root;
}

static bool
add_profile(cJSON *root, const char *name, const char *cs, char **why)
{
	cJSON *profiles = cJSON_GetObjectItemCaseSensitive(root, "profiles");
	if (!profiles)
		profiles = cJSON_AddObjectToObject(root, "profiles");
	char *path = config_path();
	bool ok = false;
	if (!cJSON_IsObject(profiles))
		*why = xasprintf(_("\"profiles\" in %s is not an object; fix "
				   "it first"),
				 path);
	else if (cJSON_GetObjectItemCaseSensitive(profiles, name))
		*why = xasprintf(_("%s has a profile '%s' already; choose "
				   "another name"), path, name);
	else
		ok = true;
	free(path);
	if (ok) {
		cJSON *p = cJSON_AddObjectToObject(profiles, name);
		cJSON_AddStringToObject(p, "connectionString", cs);
	}
	return ok;
}

static bool
write_config(const cJSON *root, char **why)
{
	char *path = config_path();
	char *dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	char *text = cJSON_Print(root);
	bool ok = dir_make(dir, 0700, why) &&
		  file_write_atomic(path, text, strlen(text), 0600, why);
	secret_str_free(text);
	free(dir);
	free(path);
	return ok;
}

bool
config_save_profile(const char *name, const char *connection_string,
		    char **why)
{
	*why = NULL;
	const char *bad = name_problem(name);
	if (bad) {
		*why = xstrdup(bad);
		return false;
	}
	cJSON *root = tree_to_change(why);
	bool ok = root && add_profile(root, name, connection_string, why) &&
		  write_config(root, why);
	config_free(root);
	return ok;
}
