/* Where the semantics notes record the service's own message, dpsemu's is
 * the same, word for word; what the emulator knows beyond it is in info. */

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"
#include "base/secret.h"
#include "base/xalloc.h"

SHARED_EMU_FIXTURE(NULL)

static void
expect_message(const struct reply *r, long status, int code, const char *msg)
{
	EXPECT_ERROR(r, status, code);
	ck_assert_str_eq(error_message(r), msg);
}

/* [OBS S16]: a key that is not a TPM2B_PUBLIC. */
START_TEST(bad_endorsement_key_has_the_services_message)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("msg-tpm");
	char *junk = random_key(40);
	char *body = xasprintf("{\"registrationId\":\"%s\",\"attestation\":"
			       "{\"type\":\"tpm\",\"tpm\":{\"endorsementKey\":"
			       "\"%s\"}}}", id, junk);
	struct reply *r = put_enrollment(e, id, body, NULL);
	expect_message(r, 400, 400004, "Endorsement key is invalid, or does not "
		       "match the Enrollment.");
	const cJSON *why = cJSON_GetObjectItemCaseSensitive(
		jget(r->json, "info"), "attestation.tpm.endorsementKey");
	ck_assert_msg(cJSON_IsString(why) && *why->valuestring,
		      "info does not say what is wrong with the key: %s",
		      r->body);
	reply_free(r);
	free(body);
	free(junk);
	free(id);
}
END_TEST

/* [OBS S17]: "Unauthorized"; the reason is in info. */
START_TEST(refused_tokens_say_unauthorized)
{
	struct emu_proc *e = shared_emu(&shared);
	struct reply *r = svc_auth(e, "GET", "/enrollments/msg-any", AUTH_NONE);
	expect_message(r, 401, 401002, "Unauthorized");
	const cJSON *info = jget(r->json, "info");
	ck_assert_str_eq(jstr(info, "reason"), "no Authorization header; send "
			 "a SharedAccessSignature made from the connection "
			 "string");
	reply_free(r);

	char *id = unique_id("msg-dev");
	cJSON *c = create_enrollment(e, id, "");
	char *other = random_key(64);
	char *token = device_token(e, id, other);
	char *path = xasprintf("/%s/registrations/%s/register", e->id_scope, id);
	char *body = xasprintf("{\"registrationId\":\"%s\"}", id);
	r = dev(e, "PUT", path, token, body);
	expect_message(r, 401, 401002, "Unauthorized");
	ck_assert_str_eq(jstr(jget(r->json, "info"), "reason"), "the signature "
			 "matches neither of the enrollment's symmetric keys");
	reply_free(r);
	free(body);
	free(path);
	secret_str_free(token);
	free(other);
	cJSON_Delete(c);
	free(id);
}
END_TEST

/* [OBS S7]: a create on an id that exists, alone or in bulk. */
START_TEST(existing_id_says_enrollment_already_exists)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("msg-exists");
	cJSON_Delete(create_enrollment(e, id, ""));
	char *text = enrollment_text(id, "");
	struct reply *r = put_enrollment(e, id, text, NULL);
	expect_message(r, 409, 409201, "Enrollment already exists.");
	reply_free(r);
	char *bulk = xasprintf("{\"mode\":\"create\",\"enrollments\":[%s]}", text);
	r = svc(e, "POST", "/enrollments", bulk);
	EXPECT_JSON(r, 200);
	const cJSON *err = cJSON_GetArrayItem(jget(r->json, "errors"), 0);
	ck_assert_msg(err, "no item error: %s", r->body);
	ck_assert_str_eq(jstr(err, "errorStatus"), "Enrollment already exists.");
	reply_free(r);
	free(bulk);
	free(text);
	free(id);
}
END_TEST

/* [OBS S15] */
START_TEST(bad_etag_says_etag_is_invalid)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("msg-etag");
	cJSON_Delete(create_enrollment(e, id, ""));
	char *text = enrollment_text(id, "");
	struct reply *r = put_enrollment(e, id, text, "not-an-etag");
	expect_message(r, 400, 400004, "ETag is invalid");
	reply_free(r);
	free(text);
	free(id);
}
END_TEST

Suite *
messages_suite(void)
{
	Suite *s = suite_create("messages");
	TCase *tc = itest_tcase("messages");
	tcase_add_unchecked_fixture(tc, shared_up, shared_down);
	tcase_add_test(tc, bad_endorsement_key_has_the_services_message);
	tcase_add_test(tc, refused_tokens_say_unauthorized);
	tcase_add_test(tc, existing_id_says_enrollment_already_exists);
	tcase_add_test(tc, bad_etag_says_etag_is_invalid);
	suite_add_tcase(s, tc);
	return s;
}
