/* GET and DELETE /registrations/{id}: the device registration state as
 * the service API shows it. */

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "emu/emu_enroll.h"
#include "emu/emu_handlers.h"
#include "emu/emu_records.h"
#include "emu/emu_store.h"

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

void
emu_regstate_delete(struct emu *emu, const struct emu_request *req,
		    struct emu_response *resp)
{
	cJSON *state = emu_registration_load(emu, req->params[0]);
	if (!state) {
		reply_not_found(resp, req->params[0]);
		return;
	}
	struct emu_failure f = { 0 };
	if (!emu_if_match_allows(req->if_match, state, &f)) {
		emu_reply_failure(resp, &f);
		emu_failure_clear(&f);
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
