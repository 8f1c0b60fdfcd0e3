#include "app/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "model/json.h"
#include "sys/fileio.h"

char *
config_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && *xdg)
		return xasprintf("%s/dpsenroll/config.json", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.config/dpsenroll/config.json", home ? home : ".");
}

static char *
read_private(const char *path, size_t *len, char **why)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		*why = xasprintf(_("cannot read %s: %s"),
				 path, strerror(errno));
		return NULL;
	}
	if (st.st_mode & 077) {
		*why = xasprintf(_("%s is readable by others (mode %04o) and "
				   "may hold service keys; run: chmod 600 %s"),
				 path,
				 (unsigned)(st.st_mode & 07777), path);
		return NULL;
	}
	char *text = file_read_all(path, len);
	if (!text)
		*why = xasprintf(_("cannot read %s: %s"),
				 path, strerror(errno));
	return text;
}

static bool
pick_profile(const cJSON *root, const char *name, const char *path,
	     struct profile *out, char **why)
{
	const cJSON *dflt = cJSON_GetObjectItemCaseSensitive(root, "defaultProfile");
	if (!name && cJSON_IsString(dflt))
		name = dflt->valuestring;
	if (!name) {
		*why = xasprintf(_("%s names no defaultProfile; pass --profile "
				   "NAME"),
				 path);
		return false;
	}
	const cJSON *profiles = cJSON_GetObjectItemCaseSensitive(root, "profiles");
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(profiles, name);
	out->connection_string = json_member_dup(p, "connectionString");
	out->cacert = json_member_dup(p, "cacert");
	out->capath = json_member_dup(p, "capath");
	out->proxy = json_member_dup(p, "proxy");
	out->auth = json_member_dup(p, "auth");
	out->host_name = json_member_dup(p, "hostName");
	out->token_command = json_member_dup(p, "tokenCommand");
	if (cJSON_IsObject(p) && out->auth)
		return true;	/* profile_conn judges the rest */
	if (!cJSON_IsObject(p) || !out->connection_string) {
		*why = xasprintf(_("%s has no profile '%s' with a "
				   "connectionString"),
				 path, name);
		profile_clear(out);
		return false;
	}
	return true;
}

cJSON *
config_read(char **why)
{
	*why = NULL;
	char *path = config_path();
	size_t len;
	char *text = read_private(path, &len, why);
	cJSON *root = NULL;
	if (text) {
		struct json_error err;
		root = json_parse_located(text, len, &err);
		if (!root)
			*why = xasprintf(_("%s:%d:%d: not valid JSON: %s"),
					 path, err.line, err.column, err.message);
		secret_free(text, len);
	}
	free(path);
	return root;
}

void
config_free(cJSON *root)
{
	json_wipe_strings(root);
	cJSON_Delete(root);
}

bool
config_profile(const char *name, struct profile *out, char **why)
{
	memset(out, 0, sizeof(*out));
	cJSON *root = config_read(why);
	if (!root)
		return false;
	char *path = config_path();
	bool ok = pick_profile(root, name, path, out, why);
	free(path);
	config_free(root);
	return ok;
}

void
profile_clear(struct profile *p)
{
	secret_str_free(p->connection_string);
	free(p->cacert);
	free(p->capath);
	secret_str_free(p->proxy);
	free(p->auth);
	free(p->host_name);
	secret_str_free(p->token_command);
	memset(p, 0, sizeof(*p));
}

char *
config_setting(const char *name, char **why)
{
	char *path = config_path();
	struct stat st;
	char *value = NULL;
	if (stat(path, &st) != 0) {
		free(path);
		return NULL;
	}
	size_t len;
	char *text = read_private(path, &len, why);
	if (text) {
		struct json_error err;
		cJSON *root = json_parse_located(text, len, &err);
		if (!root)
			*why = xasprintf(_("%s:%d:%d: not valid JSON: %s"),
					 path, err.line, err.column, err.message);
		value = json_member_dup(root, name);
		json_wipe_strings(root);
		cJSON_Delete(root);
		secret_free(text, len);
	}
	free(path);
	return value;
}
