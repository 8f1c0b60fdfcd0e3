/* A profile's station template: "template" beside its connection
 * string, so a bench's profile says which batch it enrolls. */

#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "model/json.h"

char *
config_profile_template(const char *name, char **why)
{
	*why = NULL;
	cJSON *root = config_read(why);
	if (!root)
		return NULL;
	const cJSON *dflt = cJSON_GetObjectItemCaseSensitive(root, "defaultProfile");
	if (!name && cJSON_IsString(dflt))
		name = dflt->valuestring;
	const cJSON *p = name ? cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, "profiles"), name) : NULL;
	char *tmpl = json_member_dup(p, "template");
	char *path = config_path();
	if (!tmpl && name)
		*why = xasprintf(_("%s: profile '%s' has no \"template\"; pass "
				   "--template FILE"), path, name);
	else if (!tmpl)
		*why = xasprintf(_("%s: no profile has a \"template\" (there "
				   "is no defaultProfile); pass --template FILE"),
				 path);
	else if (tmpl[0] != '/') {
		/* relative to the config file's folder, where it was written */
		char *slash = strrchr(path, '/');
		char *full = xasprintf("%.*s/%s", slash ? (int)(slash - path) : 1,
				       slash ? path : ".", tmpl);
		free(tmpl);
		tmpl = full;
	}
	free(path);
	config_free(root);
	return tmpl;
}
