#include "app/keepkeys.h"

#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "model/json.h"

static bool
has_key(const cJSON *keys, const char *name)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(keys, name);
	return cJSON_IsString(k) && *k->valuestring;
}

bool
keepkeys_missing(const cJSON *enrollment)
{
	const cJSON *type = json_path_get(enrollment, "attestation.type");
	const cJSON *keys = json_path_get(enrollment, "attestation.symmetricKey");
	return cJSON_IsString(type) &&
	       strcmp(type->valuestring, "symmetricKey") == 0 &&
	       !has_key(keys, "primaryKey") && !has_key(keys, "secondaryKey");
}

cJSON *
keepkeys_from_answer(const struct dps_response *r, char **why)
{
	*why = NULL;
	if (r->failure != DPS_ANSWERED || r->status != 200) {
		*why = dps_response_describe_local(r);
		return NULL;
	}
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(r->body,
							     "symmetricKey");
	/* Both, or the service would generate the one left out. */
	if (!has_key(keys, "primaryKey") || !has_key(keys, "secondaryKey")) {
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(r->body, "type");
		*why = cJSON_IsString(type) && strcmp(type->valuestring,
						      "symmetricKey") != 0
		       ? xasprintf(_("the service's answer holds no symmetric "
				     "keys: the enrollment's attestation is "
				     "now '%s'"),
				   type->valuestring)
		       : xstrdup(_("the service's answer holds no symmetric "
				   "keys"));
		return NULL;
	}
	return cJSON_Duplicate(keys, 1);
}
