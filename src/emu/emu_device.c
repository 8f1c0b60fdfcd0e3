/* The device runtime API (device.json): a device proves itself with a SAS
 * signed by its enrollment's symmetric key, or with its X.509 certificate
 * in the TLS handshake (emu_device_x509.c), registers, and polls the
 * operation. Assignment is immediate, so the first poll already reports
 * the outcome. */

#include "emu/emu_device.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

#include "base/sas.h"
#include "base/url.h"
#include "base/xalloc.h"
#include "emu/emu_device_x509.h"
#include "emu/emu_enroll.h"
#include "emu/emu_handlers.h"
#include "emu/emu_records.h"
#include "emu/emu_store.h"
#include "model/checks.h"
#include "model/json.h"

enum { SAS_CLOCK_SKEW = EMU_SAS_CLOCK_SKEW };

static const char *
string_member(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

static bool
member_is(const cJSON *obj, const char *name, const char *want)
{
	const char *v = string_member(obj, name);
	return v && strcmp(v, want) == 0;
}

/* reprovisionPolicy flags default to true when the policy is absent. */
static bool
reprovision_flag(const cJSON *enrollment, const char *name)
{
	const cJSON *policy =
		cJSON_GetObjectItemCaseSensitive(enrollment, "reprovisionPolicy");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(policy, name);
	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : true;
}

/* ---- assignment ---- */

static size_t
string_count(const cJSON *array)
{
	size_t n = 0;
	const cJSON *item;
	cJSON_ArrayForEach(item, array)
		n += cJSON_IsString(item) && item->valuestring[0];
	return n;
}

static const char *
nth_string(const cJSON *array, size_t k)
{
	const cJSON *item;
	cJSON_ArrayForEach(item, array) {
		if (!cJSON_IsString(item) || !item->valuestring[0])
			continue;
		if (k-- == 0)
			return item->valuestring;
	}
	return NULL;
}

static size_t
linked_count(const struct emu *emu)
{
	size_t n = 0;
	while (emu->cfg.linked_hubs && emu->cfg.linked_hubs[n])
		n++;
	return n;
}

static const char *
static_hub(const struct emu *emu, const cJSON *enrollment)
{
	const cJSON *hubs = cJSON_GetObjectItemCaseSensitive(enrollment, "iotHubs");
	const char *hub = nth_string(hubs, 0);
	if (!hub)
		hub = string_member(enrollment, "iotHubHostName");
	if (!hub && linked_count(emu))
		hub = emu->cfg.linked_hubs[0];
	return hub;
}

/* The same id always lands on the same hub, whatever the process. */
static size_t
stable_index(const char *registration_id, size_t n)
{
	char *lower = emu_lower(registration_id);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	uint64_t h = 0;
	if (EVP_Digest(lower, strlen(lower), md, &len, EVP_sha256(), NULL))
		for (int i = 0; i < 8; i++)
			h = h << 8 | md[i];
	free(lower);
	return (size_t)(h % n);
}

static const char *
hashed_hub(const struct emu *emu, const cJSON *enrollment, const char *id)
{
	const cJSON *hubs = cJSON_GetObjectItemCaseSensitive(enrollment, "iotHubs");
	size_t n = string_count(hubs);
	if (n)
		return nth_string(hubs, stable_index(id, n));
	n = linked_count(emu);
	return n ? emu->cfg.linked_hubs[stable_index(id, n)] : NULL;
}

static const char *
pick_hub(const struct emu *emu, const cJSON *enrollment, const char *id)
{
	if (member_is(enrollment, "allocationPolicy", "static"))
		return static_hub(emu, enrollment);
	return hashed_hub(emu, enrollment, id);
}

static const char *
substatus_for(const cJSON *enrollment, const cJSON *previous,
	      const char *hub)
{
	const char *prev_hub = string_member(previous, "assignedHub");
	if (!prev_hub)
		return "initialAssignment";
	if (strcasecmp(prev_hub, hub) == 0) {
		const char *prev = string_member(previous, "substatus");
		return prev ? prev : "initialAssignment";
	}
	return reprovision_flag(enrollment, "migrateDeviceData")
		       ? "deviceDataMigrated" : "deviceDataReset";
}

void
emu_device_assignment(const struct emu *emu, const cJSON *enrollment,
		      const cJSON *previous, struct emu_reg_outcome *out)
{
	memset(out, 0, sizeof(*out));
	if (member_is(enrollment, "provisioningStatus", "disabled")) {
		out->status = "disabled";
		return;
	}
	const char *id = string_member(enrollment, "registrationId");
	const char *hub = string_member(previous, "assignedHub");
	if (!hub || reprovision_flag(enrollment, "updateHubAssignment"))
		hub = pick_hub(emu, enrollment, id ? id : "");
	if (!hub) {
		out->status = "failed";
		out->error_code = 400208;
		out->error_message = "no IoT hub is linked to this provisioning "
				     "service; start dpsemu with --linked-hubs";
		return;
	}
	out->status = "assigned";
	out->hub = hub;
	out->device_id = string_member(enrollment, "deviceId");
	if (!out->device_id)
		out->device_id = id;
	out->substatus = substatus_for(enrollment, previous, hub);
}

static void
add_string(cJSON *obj, const char *name, const char *value)
{
	if (value)
		cJSON_AddStringToObject(obj, name, value);
}

cJSON *
emu_registration_build(const cJSON *enrollment, const cJSON *previous,
		       const struct emu_reg_outcome *o)
{
	char now[40];
	emu_timestamp(now);
	const char *created = string_member(previous, "createdDateTimeUtc");
	cJSON *s = cJSON_CreateObject();
	add_string(s, "registrationId", string_member(enrollment, "registrationId"));
	add_string(s, "createdDateTimeUtc", created ? created : now);
	add_string(s, "assignedHub", o->hub);
	add_string(s, "deviceId", o->device_id);
	add_string(s, "status", o->status);
	add_string(s, "substatus", o->substatus);
	if (o->error_code)
		cJSON_AddNumberToObject(s, "errorCode", o->error_code);
	add_string(s, "errorMessage", o->error_message);
	add_string(s, "lastUpdatedDateTimeUtc", now);
	char *etag = emu_new_etag();
	add_string(s, "etag", etag);
	free(etag);
	if (o->payload)
		cJSON_AddItemToObject(s, "payload", cJSON_Duplicate(o->payload, true));
	return s;
}

/* ---- device authentication ---- */

static bool
deny(struct emu_response *resp, const char *why)
{
	emu_reply_unauthorized(resp, why);
	return false;
}

/* sr names "{idScope}/registrations/{registrationId}", compared decoded
 * and lower-cased as the documentation describes it. */
static bool
resource_is(const struct sas_fields *f, const struct emu_request *req)
{
	char *decoded = url_decode(f->sr);
	if (!decoded)
		return false;
	char *want = xasprintf("%s/registrations/%s", req->params[0],
			       req->params[1]);
	bool ok = strcasecmp(decoded, want) == 0;
	free(want);
	free(decoded);
	return ok;
}

static bool
signed_by_enrollment(const struct sas_fields *f, const cJSON *enrollment)
{
	const cJSON *sk = json_path_get(enrollment, "attestation.symmetricKey");
	const char *keys[] = { string_member(sk, "primaryKey"),
			       string_member(sk, "secondaryKey") };
	for (size_t i = 0; i < 2; i++)
		if (keys[i] && sas_fields_verify(f, keys[i], time(NULL),
						 SAS_CLOCK_SKEW))
			return true;
	return false;
}

static bool
check_fields(const struct sas_fields *f, const struct emu_request *req,
	     const cJSON *enrollment, struct emu_response *resp)
{
	char *skn = f->skn ? url_decode(f->skn) : NULL;
	bool skn_ok = skn && strcmp(skn, "registration") == 0;
	free(skn);
	if (!skn_ok)
		return deny(resp, "a device token needs skn=registration");
	if (!resource_is(f, req))
		return deny(resp, "the token's resource (sr) must be "
			    "{idScope}/registrations/{registrationId}");
	if (sas_expired(f->se, time(NULL), SAS_CLOCK_SKEW))
		return deny(resp, "the token has expired (se is in the past)");
	if (!signed_by_enrollment(f, enrollment))
		return deny(resp, "the signature matches neither of the "
			    "enrollment's symmetric keys");
	return true;
}

/* A certificate the service refuses: 401 at the call, and (for a
 * register call) a failed registration state saying why. */
static bool
deny_certificate(struct emu *emu, const cJSON *enrollment, const char *why,
		 bool record, struct emu_response *resp)
{
	emu_reply_error(resp, 401, 401002, "Invalid certificate: %s", why);
	if (!record)
		return false;
	const char *id = string_member(enrollment, "registrationId");
	cJSON *previous = id ? emu_registration_load(emu, id) : NULL;
	struct emu_reg_outcome o = {
		.status = "failed", .error_code = 401002,
		.error_message = "Invalid certificate",
	};
	cJSON *state = emu_registration_build(enrollment, previous, &o);
	emu_registration_save(emu, state);
	cJSON_Delete(state);
	cJSON_Delete(previous);
	return false;
}

static bool
authorize_x509(struct emu *emu, const struct emu_request *req,
	       const cJSON *enrollment, bool record, struct emu_response *resp)
{
	char *why = emu_x509_refusal(req, enrollment);
	if (!why)
		return true;
	deny_certificate(emu, enrollment, why, record, resp);
	free(why);
	return false;
}

static bool
authorize_device(struct emu *emu, const struct emu_request *req,
		 const cJSON *enrollment, bool record,
		 struct emu_response *resp)
{
	const char *type = string_member(json_path_get(enrollment, "attestation"),
					 "type");
	if (type && strcmp(type, "x509") == 0)
		return authorize_x509(emu, req, enrollment, record, resp);
	if (!type || strcmp(type, "symmetricKey") != 0) {
		char *why = xasprintf("this enrollment uses %s attestation; "
				      "the emulator authenticates only "
				      "symmetric-key and X.509 devices "
				      "(simulate others with POST "
				      "/admin/registrations/{id})",
				      type ? type : "no");
		deny(resp, why);
		free(why);
		return false;
	}
	if (!req->authorization)
		return deny(resp, "no Authorization header; send a "
			    "SharedAccessSignature signed with the device key");
	const char *refused = emu_sas_refusal(req->authorization, time(NULL));
	if (refused)
		return deny(resp, refused);
	struct sas_fields f;
	if (!sas_fields_parse(req->authorization, &f))
		return deny(resp, "the Authorization header is not a "
			    "SharedAccessSignature with sr, sig and se");
	bool ok = check_fields(&f, req, enrollment, resp);
	sas_fields_clear(&f);
	return ok;
}

/* The enrollment of the device calling, once scope and token check out;
 * owned. NULL with resp filled otherwise. */
static cJSON *
device_enrollment(struct emu *emu, const struct emu_request *req,
		  bool record, struct emu_response *resp)
{
	if (strcasecmp(req->params[0], emu->id_scope) != 0) {
		emu_reply_error(resp, 404, 404201, "ID scope '%s' is not known "
				"here; this provisioning service's ID scope is %s",
				req->params[0], emu->id_scope);
		return NULL;
	}
	cJSON *enrollment = emu_enrollment_load(emu, req->params[1]);
	if (!enrollment) {
		emu_reply_error(resp, 404, 404201, "Enrollment not found: no "
				"individual enrollment has registration id '%s'",
				req->params[1]);
		return NULL;
	}
	if (authorize_device(emu, req, enrollment, record, resp))
		return enrollment;
	emu_enrollment_free(enrollment);
	return NULL;
}

/* ---- request bodies and answers ---- */

static bool
is_blank(const char *s)
{
	s += strspn(s, " \t\r\n");
	return *s == '\0';
}

/* The DeviceRegistration body: a JSON object whose registrationId, when
 * present (and it must be when `id_required`), names the path's id. */
static bool
check_body(const struct emu_request *req, bool id_required,
	   struct emu_response *resp)
{
	if (!id_required && is_blank(req->body))
		return true;
	struct json_error err;
	cJSON *body = json_parse_located(req->body, req->body_len, &err);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(body, "registrationId");
	bool ok = false;
	if (!body)
		emu_reply_error(resp, 400, 400004, "the body is not JSON: %s "
				"(line %d, column %d)", err.message, err.line,
				err.column);
	else if (!cJSON_IsObject(body))
		emu_reply_error(resp, 400, 400004, "the body must be a JSON "
				"object such as {\"registrationId\": \"%s\"}",
				req->params[1]);
	else if (!id && id_required)
		emu_reply_error(resp, 400, 400004, "the body has no registrationId;"
				" send {\"registrationId\": \"%s\"}", req->params[1]);
	else if (id && (!cJSON_IsString(id) ||
			!registration_id_equal(id->valuestring, req->params[1])))
		emu_reply_error(resp, 400, 400004, "the body's registrationId "
				"differs from '%s' in the path", req->params[1]);
	else
		ok = true;
	cJSON_Delete(body);
	return ok;
}

/* DeviceRegistrationResult: the public state, preceded by the attestation
 * member the service reports for the device's kind. */
static cJSON *
device_result(const cJSON *enrollment, const cJSON *state)
{
	cJSON *pub = emu_registration_public(state);
	if (!member_is(json_path_get(enrollment, "attestation"), "type",
		       "symmetricKey"))
		return pub;
	cJSON *result = cJSON_CreateObject();
	cJSON_AddItemToObject(result, "symmetricKey", cJSON_CreateObject());
	while (pub->child) {
		cJSON *item = cJSON_DetachItemViaPointer(pub, pub->child);
		cJSON_AddItemToObject(result, item->string, item);
	}
	cJSON_Delete(pub);
	return result;
}

static void
reply_not_saved(struct emu *emu, struct emu_response *resp)
{
	emu_reply_error(resp, 500, 500000, "cannot save the registration "
			"state: %s", emu_store_error(emu->store));
}

static void
reply_accepted(struct emu_response *resp, const char *operation_id)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "operationId", operation_id);
	cJSON_AddStringToObject(body, "status", "assigning");
	emu_reply_json(resp, 202, body);
	emu_reply_header(resp, "Retry-After", "1");
}

/* ---- handlers ---- */

void
emu_device_register(struct emu *emu, const struct emu_request *req,
		    struct emu_response *resp)
{
	cJSON *enrollment = device_enrollment(emu, req, true, resp);
	if (!enrollment)
		return;
	if (!check_body(req, true, resp)) {
		emu_enrollment_free(enrollment);
		return;
	}
	cJSON *previous = emu_registration_load(emu, req->params[1]);
	struct emu_reg_outcome outcome;
	emu_device_assignment(emu, enrollment, previous, &outcome);
	cJSON *state = emu_registration_build(enrollment, previous, &outcome);
	char operation_id[37];
	emu_new_guid(operation_id);
	cJSON_AddStringToObject(state, "_operationId", operation_id);
	if (emu_registration_save(emu, state))
		reply_accepted(resp, operation_id);
	else
		reply_not_saved(emu, resp);
	cJSON_Delete(state);
	cJSON_Delete(previous);
	emu_enrollment_free(enrollment);
}

void
emu_device_operation(struct emu *emu, const struct emu_request *req,
		     struct emu_response *resp)
{
	cJSON *enrollment = device_enrollment(emu, req, false, resp);
	if (!enrollment)
		return;
	cJSON *state = emu_registration_load(emu, req->params[1]);
	const char *op = string_member(state, "_operationId");
	if (!op || strcmp(op, req->params[2]) != 0) {
		emu_reply_error(resp, 404, 404000, "no operation '%s' for "
				"registration '%s'; register again", req->params[2],
				req->params[1]);
	} else {
		cJSON *body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "operationId", op);
		add_string(body, "status", string_member(state, "status"));
		cJSON_AddItemToObject(body, "registrationState",
				      device_result(enrollment, state));
		emu_reply_json(resp, 200, body);
	}
	cJSON_Delete(state);
	emu_enrollment_free(enrollment);
}

void
emu_device_status(struct emu *emu, const struct emu_request *req,
		  struct emu_response *resp)
{
	cJSON *enrollment = device_enrollment(emu, req, false, resp);
	if (!enrollment)
		return;
	if (!check_body(req, false, resp)) {
		emu_enrollment_free(enrollment);
		return;
	}
	cJSON *state = emu_registration_load(emu, req->params[1]);
	if (state)
		emu_reply_json(resp, 200, device_result(enrollment, state));
	else
		emu_reply_error(resp, 404, 404202, "Registration not found: '%s' "
				"has not registered yet", req->params[1]);
	cJSON_Delete(state);
	emu_enrollment_free(enrollment);
}
