/* POST /enrollments: up to ten enrollments created, updated or deleted in
 * one call. Items succeed or fail on their own, and the answer is 200
 * either way, listing the failures (semantics §8). */

#include <string.h>
#include <strings.h>

#include "emu/emu_enroll.h"
#include "emu/emu_enums.h"
#include "emu/emu_handlers.h"
#include "emu/emu_store.h"
#include "model/keymat.h"
#include "model/schema.h"

enum { BULK_MAX_ITEMS = 10 };

struct bulk_mode {
	const char *wire;	/* as ENUM_OPERATION_MODE spells it */
	bool remove;
	enum emu_write_mode write;
};

static const struct bulk_mode bulk_modes[] = {
	{ "create", false, EMU_WRITE_CREATE },
	{ "update", false, EMU_WRITE_PUT },
	{ "updateIfMatchETag", false, EMU_WRITE_IF_MATCH },
	{ "delete", true, EMU_WRITE_PUT },
};

enum { BULK_MODE_COUNT = sizeof(bulk_modes) / sizeof(bulk_modes[0]) };

static const struct bulk_mode *
find_mode(const cJSON *body, struct emu_failure *f)
{
	const cJSON *mode = cJSON_GetObjectItemCaseSensitive(body, "mode");
	/* Any case: the Node SDK's own typed value is "updateIfMatchEtag". */
	for (size_t i = 0; cJSON_IsString(mode) && i < BULK_MODE_COUNT; i++)
		if (strcasecmp(bulk_modes[i].wire, mode->valuestring) == 0)
			return &bulk_modes[i];
	char allowed[256];
	enum_list(&ENUM_OPERATION_MODE, allowed, sizeof(allowed));
	if (cJSON_IsString(mode))
		emu_fail(f, 400, 400004, "mode: '%s' is not a bulk operation "
			 "mode; use one of: %s", mode->valuestring, allowed);
	else
		emu_fail(f, 400, 400004,
			 "mode is required, as text; use one of: %s", allowed);
	return NULL;
}

/* The items, their enum values in the spec's spelling. */
static const cJSON *
find_items(cJSON *body, struct emu_failure *f)
{
	cJSON *items = cJSON_GetObjectItemCaseSensitive(body, "enrollments");
	if (!cJSON_IsArray(items)) {
		emu_fail(f, 400, 400004,
			 "enrollments is required: a list of enrollments");
		return NULL;
	}
	int n = cJSON_GetArraySize(items);
	if (n > BULK_MAX_ITEMS) {
		emu_fail(f, 400, 400004, "a bulk operation takes at most %d "
			 "enrollments, and %d were sent; split them into several "
			 "calls", BULK_MAX_ITEMS, n);
		return NULL;
	}
	cJSON *item;
	cJSON_ArrayForEach(item, items)
		if (cJSON_IsObject(item))
			emu_enums_normalize(item);
	return items;
}

static const char *
item_id(const cJSON *item)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(item,
							   "registrationId");
	return cJSON_IsString(id) ? id->valuestring : NULL;
}

static bool
run_delete(struct emu *emu, const cJSON *item, const char *etag,
	   struct emu_failure *f)
{
	const char *id = item_id(item);
	if (!id || !*id)
		return emu_fail(f, 400, 400004, "registrationId is required");
	return emu_enrollment_remove(emu, id, etag, f);
}

static bool
run_item(struct emu *emu, const struct bulk_mode *mode, const cJSON *item,
	 struct emu_failure *f)
{
	const char *etag = NULL;
	if (!cJSON_IsObject(item))
		return emu_fail(f, 400, 400004,
				"each item of enrollments must be a JSON "
				"object");
	if (!emu_item_etag(item, &etag, f))
		return false;
	if (mode->remove)
		return run_delete(emu, item, etag, f);
	cJSON *written = NULL;
	bool ok = emu_enrollment_write(emu, item, etag, mode->write, &written,
				       f);
	emu_enrollment_free(written);
	return ok;
}

static cJSON *
item_error(const cJSON *item, const struct emu_failure *f)
{
	const char *id = item_id(item);
	if (keymat_in_text(id))
		id = "";	/* the error says why; the key is not sent back */
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "registrationId", id ? id : "");
	cJSON_AddNumberToObject(e, "errorCode", f->code);
	cJSON_AddStringToObject(e, "errorStatus", f->message);
	return e;
}

/* One item in a part of the transaction of its own, so that undoing a
 * failed item leaves the others' writes alone. False when the part could
 * not be ended: what the transaction holds is then unknown. */
static bool
run_part(struct emu *emu, const struct bulk_mode *mode, const cJSON *item,
	 struct emu_failure *f)
{
	if (emu_store_part_begin(emu->store) != STORE_OK)
		return !emu_store_failed(emu, f);
	bool ok = run_item(emu, mode, item, f);
	return emu_store_part_end(emu->store, ok) == STORE_OK;
}

/* Every item is written in one transaction: one commit for the request
 * instead of one per item. The answer (owned) lists the items that
 * failed; NULL with `f` filled when the transaction could not be made. */
static cJSON *
run_all(struct emu *emu, const struct bulk_mode *mode, const cJSON *items,
	struct emu_failure *f)
{
	if (emu_store_begin(emu->store) != STORE_OK) {
		emu_store_failed(emu, f);
		return NULL;
	}
	cJSON *errors = cJSON_CreateArray();
	const cJSON *item;
	bool sound = true;
	cJSON_ArrayForEach(item, items) {
		struct emu_failure item_f = { 0 };
		sound = sound && run_part(emu, mode, item, &item_f);
		if (item_f.status)
			cJSON_AddItemToArray(errors, item_error(item, &item_f));
		emu_failure_clear(&item_f);
	}
	if (!sound)
		emu_store_rollback(emu->store);
	if (!sound || emu_store_commit(emu->store) != STORE_OK) {
		cJSON_Delete(errors);
		emu_store_failed(emu, f);
		return NULL;
	}
	cJSON *result = cJSON_CreateObject();
	cJSON_AddBoolToObject(result, "isSuccessful",
			      cJSON_GetArraySize(errors) == 0);
	cJSON_AddItemToObject(result, "errors", errors);
	return result;
}

/* Items may carry keys; they are wiped like any enrollment's. */
static void
free_body(cJSON *body)
{
	cJSON *items = cJSON_GetObjectItemCaseSensitive(body, "enrollments");
	while (cJSON_IsArray(items) && items->child)
		emu_enrollment_free(cJSON_DetachItemViaPointer(items,
							       items->child));
	cJSON_Delete(body);
}

void
emu_enrollment_bulk(struct emu *emu, const struct emu_request *req,
		    struct emu_response *resp)
{
	struct emu_failure f = { 0 };
	const struct bulk_mode *mode = NULL;
	const cJSON *items = NULL;
	cJSON *result = NULL;
	cJSON *body = emu_parse_body(req, &f);
	if (body && (mode = find_mode(body, &f)) &&
	    (items = find_items(body, &f)))
		result = run_all(emu, mode, items, &f);
	if (result)
		emu_reply_json(resp, 200, result);
	else
		emu_reply_failure(resp, &f);
	free_body(body);
	emu_failure_clear(&f);
}
