#include "emu/emu_records.h"

#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "emu/emu_enroll.h"
#include "emu/emu_store.h"
#include "model/doc.h"
#include "model/schema.h"

/* The order in which the service writes an enrollment's members; clients
 * do not depend on it, but people comparing answers side by side do. */
static const char *const enrollment_keys[] = {
	"registrationId", "deviceId", "registrationState", "attestation",
	"capabilities", "iotHubHostName", "initialTwin", "etag",
	"provisioningStatus", "reprovisionPolicy", "createdDateTimeUtc",
	"lastUpdatedDateTimeUtc", "allocationPolicy", "iotHubs",
	"customAllocationDefinition", "optionalDeviceInformation",
};

enum { ENROLLMENT_KEY_COUNT = sizeof(enrollment_keys) / sizeof(char *) };

enum emu_load
emu_record_load(struct emu *emu, enum emu_table t, const char *id,
		cJSON **doc)
{
	*doc = NULL;
	char *key = emu_lower(id);
	char *text = NULL;
	enum emu_store_result r = emu_store_get(emu->store, t, key, &text);
	free(key);
	if (r == STORE_NOT_FOUND)
		return EMU_LOAD_ABSENT;
	if (r != STORE_OK)
		return EMU_LOAD_STORE_ERROR;
	*doc = cJSON_Parse(text);
	secret_str_free(text);	/* an enrollment's text holds its keys */
	if (cJSON_IsObject(*doc))
		return EMU_LOAD_OK;
	cJSON_Delete(*doc);
	*doc = NULL;
	return EMU_LOAD_CORRUPT;
}

bool
emu_enrollment_fetch(struct emu *emu, const char *id, cJSON **doc,
		     struct emu_failure *f)
{
	switch (emu_record_load(emu, EMU_ENROLLMENTS, id, doc)) {
	case EMU_LOAD_OK:
	case EMU_LOAD_ABSENT:
		return true;
	case EMU_LOAD_CORRUPT:
		return emu_fail(f, 500, 500000,
				"the stored enrollment '%s' is not valid JSON",
				id);
	default:
		return emu_store_failed(emu, f);
	}
}

cJSON *
emu_enrollment_load(struct emu *emu, const char *id)
{
	cJSON *doc;
	emu_record_load(emu, EMU_ENROLLMENTS, id, &doc);
	return doc;
}

void
emu_enrollment_free(cJSON *doc)
{
	if (doc)
		doc_free(doc_adopt(doc));
}

static void
move_member(cJSON *from, cJSON *item, cJSON *to)
{
	cJSON_DetachItemViaPointer(from, item);
	cJSON_AddItemToObject(to, item->string, item);
}

cJSON *
emu_enrollment_in_order(cJSON *doc)
{
	cJSON *out = cJSON_CreateObject();
	for (size_t i = 0; i < ENROLLMENT_KEY_COUNT; i++) {
		const char *name = enrollment_keys[i];
		cJSON *item = cJSON_GetObjectItemCaseSensitive(doc, name);
		if (item)
			move_member(doc, item, out);
	}
	/* Members the list does not name (a newer schema's) keep their
	 * relative order at the end. */
	while (doc && doc->child)
		move_member(doc, doc->child, out);
	cJSON_Delete(doc);
	return out;
}

cJSON *
emu_registration_load(struct emu *emu, const char *id)
{
	cJSON *doc;
	emu_record_load(emu, EMU_REGISTRATIONS, id, &doc);
	return doc;
}

bool
emu_registration_save(struct emu *emu, const cJSON *state)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(state,
							   "registrationId");
	if (!cJSON_IsString(id) || !*id->valuestring)
		return false;
	char *key = emu_lower(id->valuestring);
	char *text = cJSON_PrintUnformatted(state);
	bool ok = text && emu_store_put(emu->store, EMU_REGISTRATIONS, key,
					text) == STORE_OK;
	free(text);
	free(key);
	return ok;
}

/* Only top-level members are internal: a webhook's payload further down
 * may use any names it likes. */
cJSON *
emu_registration_public(const cJSON *state)
{
	cJSON *copy = cJSON_Duplicate(state, 1);
	cJSON *item = copy ? copy->child : NULL;
	while (item) {
		cJSON *next = item->next;
		if (item->string && item->string[0] == '_')
			cJSON_Delete(cJSON_DetachItemViaPointer(copy, item));
		item = next;
	}
	return copy;
}

static cJSON *
registration_state(struct emu *emu, const cJSON *stored)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(stored,
							   "registrationId");
	const char *name = cJSON_IsString(id) ? id->valuestring : "";
	cJSON *state = emu_registration_load(emu, name);
	if (state) {
		cJSON *shown = emu_registration_public(state);
		cJSON_Delete(state);
		return shown;
	}
	cJSON *none = cJSON_CreateObject();
	cJSON_AddStringToObject(none, "registrationId", name);
	cJSON_AddStringToObject(none, "status", "unassigned");
	return none;
}

/* The service answers with what it read from a certificate, never with
 * the certificate itself. Rows are picked by what they hold, so a
 * certificate field added to the schema is hidden without a change here. */
static void
hide_certificates(struct doc *d)
{
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++)
		if (field_holds_certificate(&rows[i]))
			doc_remove(d, rows[i].path);
}

/* Keys leave the service only in a PUT answer and through the
 * attestation mechanism call. TPM keys are public and stay. */
static void
hide_keys(struct doc *d)
{
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++)
		if (field_is_secret(&rows[i]))
			doc_remove(d, rows[i].path);
}

cJSON *
emu_enrollment_view(struct emu *emu, const cJSON *stored, enum emu_view view)
{
	struct doc d = { .root = cJSON_Duplicate(stored, 1) };
	hide_certificates(&d);
	if (view != EMU_VIEW_PUT) {
		hide_keys(&d);
		cJSON_DeleteItemFromObjectCaseSensitive(d.root,
							"registrationState");
	}
	if (view == EMU_VIEW_GET)
		cJSON_AddItemToObject(d.root, "registrationState",
				      registration_state(emu, stored));
	return emu_enrollment_in_order(d.root);
}
