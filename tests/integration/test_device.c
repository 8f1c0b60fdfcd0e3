/* The device runtime API and registration states: a device registers
 * with its symmetric key, is assigned to a linked hub, and the service
 * API then shows the registration. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "suites.h"
#include "base/secret.h"
#include "base/xalloc.h"

#define HUB1 "h1.example.net"
#define HUB2 "h2.example.net"

static const char *const hub_args[] = { "--linked-hubs", HUB1 "," HUB2, NULL };
SHARED_EMU_FIXTURE(hub_args)

static bool
is_linked_hub(const char *hub)
{
	return hub && (strcmp(hub, HUB1) == 0 || strcmp(hub, HUB2) == 0);
}

/* PUT .../register; the answer as it came. */
static struct reply *
register_call(struct emu_proc *e, const char *id, const char *token,
	      const char *api)
{
	char *path = xasprintf("/%s/registrations/%s/register", e->id_scope, id);
	char *body = xasprintf("{\"registrationId\":\"%s\"}", id);
	struct http_req req = { .method = "PUT", .path = path, .body = body,
				.auth = token, .api_version = api };
	struct reply *r = http(e, &req);
	free(body);
	free(path);
	return r;
}

/* Polls the operation until it leaves "assigning"; the last answer. */
static struct reply *
poll_operation(struct emu_proc *e, const char *id, const char *op,
	       const char *token)
{
	char *path = xasprintf("/%s/registrations/%s/operations/%s",
			       e->id_scope, id, op);
	struct reply *r = NULL;
	for (int i = 0; i < 50; i++) {
		reply_free(r);
		r = dev(e, "GET", path, token, NULL);
		EXPECT_JSON(r, 200);
		const char *status = jstr(r->json, "status");
		if (!status || strcmp(status, "assigning") != 0)
			break;
		pause_ms(100);
	}
	free(path);
	return r;
}

/* Registers `id` with `key` through the device API; the final operation
 * status. */
static struct reply *
register_device(struct emu_proc *e, const char *id, const char *key,
		const char *api)
{
	char *token = device_token(e, id, key);
	struct reply *r = register_call(e, id, token, api);
	EXPECT_JSON(r, 202);
	const char *op = jstr(r->json, "operationId");
	ck_assert_msg(op && *op, "no operationId: %s", r->body);
	ck_assert_msg(r->retry_after && atoi(r->retry_after) >= 0,
		      "the 202 has no Retry-After");
	struct reply *done = poll_operation(e, id, op, token);
	reply_free(r);
	secret_str_free(token);
	return done;
}

static const char *
primary_key(const cJSON *created)
{
	return jstr(created, "attestation.symmetricKey.primaryKey");
}

/* The operation says assigned, to a linked hub, as `device_id`; returns
 * the hub. */
static const char *
expect_assigned(const struct reply *r, const char *id, const char *device_id)
{
	ck_assert_msg(jstr(r->json, "status") &&
		      strcmp(jstr(r->json, "status"), "assigned") == 0,
		      "operation status: %s", r->body);
	const cJSON *rs = jget(r->json, "registrationState");
	ck_assert_msg(rs, "no registrationState: %s", r->body);
	ck_assert_str_eq(jstr(rs, "status"), "assigned");
	ck_assert_str_eq(jstr(rs, "registrationId"), id);
	ck_assert_msg(is_linked_hub(jstr(rs, "assignedHub")),
		      "assignedHub %s is not a linked hub", jstr(rs, "assignedHub"));
	ck_assert_str_eq(jstr(rs, "deviceId"), device_id);
	return jstr(rs, "assignedHub");
}

static struct reply *
registration_state(struct emu_proc *e, const char *id)
{
	char *path = xasprintf("/registrations/%s", id);
	struct reply *r = svc(e, "GET", path, NULL);
	free(path);
	return r;
}

static struct reply *
enrollment(struct emu_proc *e, const char *id)
{
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(e, "GET", path, NULL);
	free(path);
	EXPECT_JSON(r, 200);
	return r;
}

/* GET /registrations/{id} and the enrollment's registrationState both
 * show the assignment to `hub`. */
static void
expect_visible(struct emu_proc *e, const char *id, const char *hub,
	       const char *device_id)
{
	struct reply *r = registration_state(e, id);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "registrationId"), id);
	ck_assert_str_eq(jstr(r->json, "status"), "assigned");
	ck_assert_str_eq(jstr(r->json, "assignedHub"), hub);
	ck_assert_str_eq(jstr(r->json, "deviceId"), device_id);
	reply_free(r);
	r = enrollment(e, id);
	ck_assert_str_eq(jstr(r->json, "registrationState.status"), "assigned");
	ck_assert_str_eq(jstr(r->json, "registrationState.assignedHub"), hub);
	ck_assert_str_eq(jstr(r->json, "registrationState.deviceId"), device_id);
	reply_free(r);
}

START_TEST(symmetric_key_device_is_assigned)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("dev");
	cJSON *c = create_enrollment(e, id, "");
	struct reply *r = register_device(e, id, primary_key(c), DEVICE_API);
	char *hub = xstrdup(expect_assigned(r, id, id));
	reply_free(r);
	expect_visible(e, id, hub, id);
	free(hub);
	cJSON_Delete(c);
	free(id);
}
END_TEST

START_TEST(secondary_key_and_older_api_version_work)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("dev-old");
	cJSON *c = create_enrollment(e, id, "");
	struct reply *r = register_device(
		e, id, jstr(c, "attestation.symmetricKey.secondaryKey"),
		"2019-03-31");
	expect_assigned(r, id, id);
	reply_free(r);
	cJSON_Delete(c);
	free(id);
}
END_TEST

START_TEST(enrollment_device_id_is_used)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("dev-named");
	char *device_id = unique_id("named-device");
	char *extra = xasprintf(",\"deviceId\":\"%s\"", device_id);
	cJSON *c = create_enrollment(e, id, extra);
	struct reply *r = register_device(e, id, primary_key(c), DEVICE_API);
	expect_assigned(r, id, device_id);
	reply_free(r);
	cJSON_Delete(c);
	free(extra);
	free(device_id);
	free(id);
}
END_TEST

START_TEST(static_policy_assigns_its_hub)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("dev-static");
	cJSON *c = create_enrollment(e, id, ",\"allocationPolicy\":\"static\","
			       "\"iotHubs\":[\"" HUB2 "\"]");
	struct reply *r = register_device(e, id, primary_key(c), DEVICE_API);
	ck_assert_str_eq(expect_assigned(r, id, id), HUB2);
	reply_free(r);
	cJSON_Delete(c);
	free(id);
}
END_TEST

START_TEST(hashed_policy_is_stable_and_uses_enrollment_hubs)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("dev-hashed");
	cJSON *c = create_enrollment(e, id, ",\"allocationPolicy\":\"hashed\"");
	struct reply *r = register_device(e, id, primary_key(c), DEVICE_API);
	char *first = xstrdup(expect_assigned(r, id, id));
	reply_free(r);
	r = register_device(e, id, primary_key(c), DEVICE_API);
	ck_assert_str_eq(expect_assigned(r, id, id), first);
	reply_free(r);
	char *one = unique_id("dev-hashed-one");
	cJSON *c1 = create_enrollment(e, one, ",\"allocationPolicy\":\"hashed\","
				"\"iotHubs\":[\"" HUB1 "\"]");
	r = register_device(e, one, primary_key(c1), DEVICE_API);
	ck_assert_str_eq(expect_assigned(r, one, one), HUB1);
	reply_free(r);
	cJSON_Delete(c1);
	free(one);
	free(first);
	cJSON_Delete(c);
	free(id);
}
END_TEST

START_TEST(disabled_enrollment_registers_as_disabled)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("dev-off");
	cJSON *c = create_enrollment(e, id, ",\"provisioningStatus\":\"disabled\"");
	char *token = device_token(e, id, primary_key(c));
	struct reply *r = register_call(e, id, token, DEVICE_API);
	EXPECT_JSON(r, 202);
	const char *op = jstr(r->json, "operationId");
	ck_assert_msg(op && *op, "no operationId: %s", r->body);
	struct reply *done = poll_operation(e, id, op, token);
	ck_assert_msg(jstr(done->json, "status") &&
		      strcmp(jstr(done->json, "status"), "disabled") == 0,
		      "operation status: %s", done->body);
	reply_free(done);
	reply_free(r);
	secret_str_free(token);
	cJSON_Delete(c);
	free(id);
}
END_TEST

START_TEST(wrong_device_key_is_401)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("dev-wrongkey");
	cJSON *c = create_enrollment(e, id, "");
	char *key = random_key(64);
	char *token = device_token(e, id, key);
	struct reply *r = register_call(e, id, token, DEVICE_API);
	EXPECT_ERROR(r, 401, 401002);
	reply_free(r);
	secret_str_free(token);
	char *other = unique_id("dev-other");
	token = device_token(e, other, primary_key(c));
	r = register_call(e, id, token, DEVICE_API);
	EXPECT_ERROR(r, 401, 401002);
	reply_free(r);
	secret_str_free(token);
	r = registration_state(e, id);
	EXPECT_STATUS(r, 404);
	reply_free(r);
	free(other);
	free(key);
	cJSON_Delete(c);
	free(id);
}
END_TEST

static struct reply *
simulate(struct emu_proc *e, const char *id)
{
	char *path = xasprintf("/admin/registrations/%s", id);
	struct reply *r = admin(e, "POST", path, NULL);
	free(path);
	return r;
}

START_TEST(admin_simulates_tpm_registration)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("dev-tpm");
	char *ek = tpm_ek_text();
	char *body = xasprintf("{\"registrationId\":\"%s\",\"attestation\":"
			       "{\"type\":\"tpm\",\"tpm\":{\"endorsementKey\":"
			       "\"%s\"}}}", id, ek);
	struct reply *r = put_enrollment(e, id, body, NULL);
	EXPECT_JSON(r, 200);
	reply_free(r);
	r = simulate(e, id);
	ck_assert_msg(r->status >= 200 && r->status < 300,
		      "POST /admin/registrations: %ld %s", r->status,
		      r->body ? r->body : "");
	reply_free(r);
	r = registration_state(e, id);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "status"), "assigned");
	ck_assert_msg(is_linked_hub(jstr(r->json, "assignedHub")),
		      "assignedHub: %s", r->body);
	char *hub = xstrdup(jstr(r->json, "assignedHub"));
	reply_free(r);
	expect_visible(e, id, hub, id);
	free(hub);
	free(body);
	free(ek);
	free(id);
}
END_TEST

START_TEST(admin_simulation_of_unknown_id_is_404)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("dev-ghost");
	struct reply *r = simulate(e, id);
	EXPECT_STATUS(r, 404);
	reply_free(r);
	free(id);
}
END_TEST

START_TEST(registration_state_can_be_deleted)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("dev-forget");
	cJSON *c = create_enrollment(e, id, "");
	struct reply *r = register_device(e, id, primary_key(c), DEVICE_API);
	expect_assigned(r, id, id);
	reply_free(r);
	char *path = xasprintf("/registrations/%s", id);
	r = svc(e, "DELETE", path, NULL);
	EXPECT_STATUS(r, 204);
	reply_free(r);
	r = registration_state(e, id);
	EXPECT_JSON(r, 404);
	ck_assert_int_eq(error_code(r) / 1000, 404);
	reply_free(r);
	r = enrollment(e, id);
	reply_free(r);
	free(path);
	cJSON_Delete(c);
	free(id);
}
END_TEST

START_TEST(unregistered_device_has_no_state)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("dev-never");
	cJSON *c = create_enrollment(e, id, "");
	struct reply *r = registration_state(e, id);
	EXPECT_JSON(r, 404);
	reply_free(r);
	cJSON_Delete(c);
	free(id);
}
END_TEST

/* device.json, the service's own description of the device API, is
 * 2021-10-01 and its examples send that; a client generated from it must
 * be able to register. */
START_TEST(api_version_of_device_json_is_accepted)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("dev-2021-10");
	cJSON *c = create_enrollment(e, id, "");
	char *token = device_token(e, id, primary_key(c));
	struct reply *r = register_call(e, id, token, "2021-10-01");
	EXPECT_JSON(r, 202);
	const char *op = jstr(r->json, "operationId");
	ck_assert_msg(op && *op, "no operationId: %s", r->body);
	char *path = xasprintf("/%s/registrations/%s/operations/%s",
			       e->id_scope, id, op);
	struct http_req req = { .method = "GET", .path = path, .auth = token,
				.api_version = "2021-10-01" };
	struct reply *status = http(e, &req);
	EXPECT_JSON(status, 200);
	ck_assert_msg(jstr(status->json, "status"), "no status: %s",
		      status->body);
	reply_free(status);
	free(path);
	reply_free(r);
	secret_str_free(token);
	cJSON_Delete(c);
	free(id);
}
END_TEST

static struct reply *
delete_registration(struct emu_proc *e, const char *id, const char *if_match)
{
	char *path = xasprintf("/registrations/%s", id);
	char *header = xasprintf("If-Match: %s", if_match);
	const char *headers[] = { header, NULL };
	struct reply *r = svc_h(e, "DELETE", path, headers, NULL);
	free(header);
	free(path);
	return r;
}

static char *
registration_etag(struct emu_proc *e, const char *id)
{
	struct reply *r = registration_state(e, id);
	EXPECT_JSON(r, 200);
	ck_assert_msg(is_etag(jstr(r->json, "etag")), "etag: %s", r->body);
	char *etag = xstrdup(jstr(r->json, "etag"));
	reply_free(r);
	return etag;
}

/* If-Match on a registration state follows the enrollments' rule: an
 * etag that cannot be one is a bad request, not a lost race, so a client
 * does not retry it forever as it would a 412. */
START_TEST(registration_delete_checks_if_match_like_enrollments)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("dev-ifmatch");
	cJSON *c = create_enrollment(e, id, "");
	struct reply *r = register_device(e, id, primary_key(c), DEVICE_API);
	expect_assigned(r, id, id);
	reply_free(r);
	char *stale = registration_etag(e, id);
	r = register_device(e, id, primary_key(c), DEVICE_API);
	expect_assigned(r, id, id);
	reply_free(r);
	char *current = registration_etag(e, id);
	ck_assert_str_ne(stale, current);
	static const char *const garbage[] = { "\"garbage\"", "garbage" };
	for (size_t i = 0; i < 2; i++) {
		r = delete_registration(e, id, garbage[i]);
		EXPECT_ERROR(r, 400, 400004);
		ck_assert_msg(strstr(error_message(r), "ETag is invalid"),
			      "If-Match %s: %s", garbage[i], error_message(r));
		reply_free(r);
	}
	r = delete_registration(e, id, stale);
	EXPECT_ERROR(r, 412, 412001);
	reply_free(r);
	char *kept = registration_etag(e, id);
	ck_assert_str_eq(kept, current);
	free(kept);
	r = delete_registration(e, id, current);
	EXPECT_STATUS(r, 204);
	reply_free(r);
	r = registration_state(e, id);
	EXPECT_STATUS(r, 404);
	reply_free(r);
	free(current);
	free(stale);
	cJSON_Delete(c);
	free(id);
}
END_TEST

Suite *
device_suite(void)
{
	Suite *s = suite_create("device");
	TCase *tc = itest_tcase("device");
	tcase_add_unchecked_fixture(tc, shared_up, shared_down);
	tcase_add_test(tc, symmetric_key_device_is_assigned);
	tcase_add_test(tc, secondary_key_and_older_api_version_work);
	tcase_add_test(tc, enrollment_device_id_is_used);
	tcase_add_test(tc, static_policy_assigns_its_hub);
	tcase_add_test(tc, hashed_policy_is_stable_and_uses_enrollment_hubs);
	tcase_add_test(tc, disabled_enrollment_registers_as_disabled);
	tcase_add_test(tc, wrong_device_key_is_401);
	tcase_add_test(tc, admin_simulates_tpm_registration);
	tcase_add_test(tc, admin_simulation_of_unknown_id_is_404);
	tcase_add_test(tc, registration_state_can_be_deleted);
	tcase_add_test(tc, unregistered_device_has_no_state);
	tcase_add_test(tc, api_version_of_device_json_is_accepted);
	tcase_add_test(tc, registration_delete_checks_if_match_like_enrollments);
	suite_add_tcase(s, tc);
	return s;
}
