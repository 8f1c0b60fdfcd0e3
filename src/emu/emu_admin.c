/* The loopback-only admin API: faults while running, and registrations
 * simulated for devices the emulator cannot authenticate itself (TPM,
 * X.509) or outcomes a real device cannot provoke (failures). */

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "emu/emu_device.h"
#include "emu/emu_faults.h"
#include "emu/emu_enroll.h"
#include "emu/emu_handlers.h"
#include "emu/emu_records.h"
#include "emu/emu_store.h"
#include "model/checks.h"
#include "model/json.h"
#include "model/keymat.h"
#include "base/xalloc.h"

static bool
refuse_large(const struct emu_request *req, struct emu_response *resp)
{
	if (!req->body_too_large)
		return false;
	emu_reply_error(resp, 413, 413001, "the request body is larger than the "
			"service's 96 KB limit");
	return true;
}

void
emu_admin_fault_add(struct emu *emu, const struct emu_request *req,
		    struct emu_response *resp)
{
	if (refuse_large(req, resp))
		return;
	char *why = NULL;
	if (emu_faults_add(emu->faults, req->body, &why)) {
		emu_reply_empty(resp, 204);
		return;
	}
	emu_reply_error(resp, 400, 400004, "%s", why);
	free(why);
}

void
emu_admin_fault_list(struct emu *emu, const struct emu_request *req,
		     struct emu_response *resp)
{
	(void)req;
	emu_reply_json(resp, 200, emu_faults_list(emu->faults));
}

void
emu_admin_fault_clear(struct emu *emu, const struct emu_request *req,
		      struct emu_response *resp)
{
	(void)req;
	emu_faults_clear(emu->faults);
	emu_reply_empty(resp, 204);
}

/* ---- simulated registrations ---- */

static bool
take_status(const cJSON *m, struct emu_reg_outcome *given, char **why)
{
	static const char *const statuses[] = {
		"unassigned", "assigning", "assigned", "failed", "disabled", NULL,
	};
	for (int i = 0; cJSON_IsString(m) && statuses[i]; i++)
		if (strcmp(m->valuestring, statuses[i]) == 0) {
			given->status = statuses[i];
			return true;
		}
	*why = xstrdup("status must be one of \"unassigned\", \"assigning\", "
		       "\"assigned\", \"failed\" or \"disabled\"");
	return false;
}

static bool
take_error_code(const cJSON *m, struct emu_reg_outcome *given, char **why)
{
	if (!cJSON_IsNumber(m) || m->valuedouble < 1 ||
	    m->valuedouble > INT_MAX || m->valuedouble != m->valueint) {
		*why = xstrdup("errorCode must be a positive whole number, "
			       "e.g. 400209");
		return false;
	}
	given->error_code = m->valueint;
	return true;
}

static bool
take_error_message(const cJSON *m, struct emu_reg_outcome *given, char **why)
{
	if (!cJSON_IsString(m)) {
		*why = xstrdup("errorMessage must be text");
		return false;
	}
	given->error_message = m->valuestring;
	return true;
}

static bool
take_device_id(const cJSON *m, struct emu_reg_outcome *given, char **why)
{
	if (!cJSON_IsString(m) || !m->valuestring[0]) {
		*why = xstrdup("deviceId must be non-empty text");
		return false;
	}
	struct findings found;
	findings_init(&found);
	check_device_id("deviceId", m->valuestring, &found);
	for (size_t i = 0; i < found.count && !*why; i++)
		if (found.items[i].severity == SEV_ERROR)
			*why = xasprintf("deviceId: %s", found.items[i].message);
	findings_clear(&found);
	given->device_id = m->valuestring;
	return *why == NULL;
}

static bool
take_payload(const cJSON *m, struct emu_reg_outcome *given, char **why)
{
	if (!cJSON_IsObject(m)) {
		*why = xstrdup("payload must be a JSON object");
		return false;
	}
	if (keymat_in_json(m)) {
		*why = xstrdup("payload holds a private key; a private key "
			       "stays on the device and is never stored here");
		return false;
	}
	given->payload = m;
	return true;
}

static bool
take_member(const cJSON *m, struct emu_reg_outcome *given, char **why)
{
	static const struct {
		const char *name;
		bool (*take)(const cJSON *, struct emu_reg_outcome *, char **);
	} members[] = {
		{ "status", take_status }, { "errorCode", take_error_code },
		{ "errorMessage", take_error_message },
		{ "deviceId", take_device_id }, { "payload", take_payload },
	};
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		if (strcmp(m->string, members[i].name) == 0)
			return members[i].take(m, given, why);
	*why = xasprintf("unknown member '%s'; use status, errorCode, "
			 "errorMessage, deviceId or payload", m->string);
	return false;
}

/* The optional body: *doc (owned) holds what `given` points into. False
 * with *why (owned) when it is not a usable simulation request. */
static bool
parse_simulation(const struct emu_request *req, cJSON **doc,
		 struct emu_reg_outcome *given, char **why)
{
	memset(given, 0, sizeof(*given));
	*doc = NULL;
	if (req->body[strspn(req->body, " \t\r\n")] == '\0')
		return true;
	struct json_error err;
	*doc = json_parse_located(req->body, req->body_len, &err);
	if (!*doc) {
		*why = xasprintf("the body is not JSON: %s (line %d, column %d)",
				 err.message, err.line, err.column);
		return false;
	}
	if (!cJSON_IsObject(*doc)) {
		*why = xstrdup("the body must be a JSON object, e.g. "
			       "{\"status\": \"failed\", \"errorCode\": 400209}");
		return false;
	}
	const cJSON *m;
	cJSON_ArrayForEach(m, *doc)
		if (!take_member(m, given, why))
			return false;
	return true;
}

/* A status other than "assigned" replaces the assignment: nothing was
 * assigned, so no hub, substatus or device id unless the caller says so. */
static void
apply_simulation(struct emu_reg_outcome *o, const struct emu_reg_outcome *given)
{
	if (given->status && strcmp(given->status, "assigned") != 0) {
		memset(o, 0, sizeof(*o));
		o->status = given->status;
	}
	if (given->device_id)
		o->device_id = given->device_id;
	if (given->error_code)
		o->error_code = given->error_code;
	if (given->error_message)
		o->error_message = given->error_message;
	if (given->payload)
		o->payload = given->payload;
}

/* A device already polling its operation sees the simulated outcome. */
static void
keep_operation(cJSON *state, const cJSON *previous)
{
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(previous, "_operationId");
	if (cJSON_IsString(op))
		cJSON_AddStringToObject(state, "_operationId", op->valuestring);
}

static void
register_simulated(struct emu *emu, const cJSON *enrollment,
		   const struct emu_reg_outcome *given, const char *id,
		   struct emu_response *resp)
{
	cJSON *previous = emu_registration_load(emu, id);
	struct emu_reg_outcome outcome;
	emu_device_assignment(emu, enrollment, previous, &outcome);
	apply_simulation(&outcome, given);
	cJSON *state = emu_registration_build(enrollment, previous, &outcome);
	keep_operation(state, previous);
	if (emu_registration_save(emu, state))
		emu_reply_json(resp, 200, emu_registration_public(state));
	else
		emu_reply_error(resp, 500, 500000, "cannot save the registration "
				"state: %s", emu_store_error(emu->store));
	cJSON_Delete(state);
	cJSON_Delete(previous);
}

void
emu_admin_register(struct emu *emu, const struct emu_request *req,
		   struct emu_response *resp)
{
	if (refuse_large(req, resp))
		return;
	const char *id = req->params[0];
	cJSON *enrollment = emu_enrollment_load(emu, id);
	if (!enrollment) {
		emu_reply_error(resp, 404, 404201, "Enrollment not found: no "
				"individual enrollment has registration id '%s'", id);
		return;
	}
	cJSON *doc;
	struct emu_reg_outcome given;
	char *why = NULL;
	if (parse_simulation(req, &doc, &given, &why))
		register_simulated(emu, enrollment, &given, id, resp);
	else
		emu_reply_error(resp, 400, 400004, "%s", why);
	free(why);
	cJSON_Delete(doc);
	emu_enrollment_free(enrollment);
}
