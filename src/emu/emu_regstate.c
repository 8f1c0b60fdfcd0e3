/* GET and DELETE /registrations/{id}: the device registration state as
 * the service API shows it. */

#include <stdlib.h>
#include <string.h>

#include "emu/emu_handlers.h"
#include "emu/emu_records.h"
#include "emu/emu_store.h"
#include "model/xalloc.h"

static void
reply_not_found(struct emu_response *resp, const char *id)
{
	emu_reply_error(resp, 404, 404202, "Registration not found: no device "
			"has registered as '%s'", id);
}

void
emu_regstate_get(struct emu *emu, const struct emu_request *req,
		 struct emu_response *resp)
{
	cJSON *state = emu_registration_load(emu, req->params[0]);
	if (!state) {
		reply_not_found(resp, req->params[0]);
		return;
	}
	emu_reply_json(resp, 200, emu_registration_public(state));
	cJSON_Delete(state);
}

/* If-Match as clients send it: raw, in one pair of quotes, or "*". An
 * empty header counts as absent. */
static bool
etag_allows(const char *if_match, const cJSON *state)
{
	if (!if_match || !*if_match || strcmp(if_match, "*") == 0)
		return true;
	size_t n = strlen(if_match);
	if (n >= 2 && if_match[0] == '"' && if_match[n - 1] == '"') {
		if_match++;
		n -= 2;
	}
	const cJSON *etag = cJSON_GetObjectItemCaseSensitive(state, "etag");
	return cJSON_IsString(etag) && strlen(etag->valuestring) == n &&
	       strncmp(etag->valuestring, if_match, n) == 0;
}

void
emu_regstate_delete(struct emu *emu, const struct emu_request *req,
		    struct emu_response *resp)
{
	cJSON *state = emu_registration_load(emu, req->params[0]);
	if (!state) {
		reply_not_found(resp, req->params[0]);
		return;
	}
	if (!etag_allows(req->if_match, state)) {
		emu_reply_error(resp, 412, 412001, "Precondition failed: the "
				"If-Match etag is not the registration's current "
				"etag; get it again");
		cJSON_Delete(state);
		return;
	}
	cJSON_Delete(state);
	char *id = emu_lower(req->params[0]);
	if (emu_store_delete(emu->store, EMU_REGISTRATIONS, id) == STORE_ERROR)
		emu_reply_error(resp, 500, 500000, "cannot delete the registration "
				"state: %s", emu_store_error(emu->store));
	else
		emu_reply_empty(resp, 204);
	free(id);
}
