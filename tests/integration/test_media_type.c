/* The media type of a request body: JSON is taken whatever its
 * parameters, anything else is 415 in the service's error shape [DOC S3];
 * a body without a Content-Type is read as JSON (the notes are silent). */

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"
#include "base/secret.h"
#include "base/xalloc.h"

SHARED_EMU_FIXTURE(NULL)

static struct reply *
put_typed(struct emu_proc *e, const char *id, const char *content_type)
{
	char *path = xasprintf("/enrollments/%s", id);
	char *body = enrollment_text(id, "");
	char *header = xasprintf("Content-Type:%s%s", *content_type ? " " : "",
				 content_type);
	const char *const headers[] = { header, NULL };
	struct reply *r = svc_h(e, "PUT", path, headers, body);
	free(header);
	free(body);
	free(path);
	return r;
}

static void
expect_stored(struct emu_proc *e, const char *id, bool stored)
{
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(e, "GET", path, NULL);
	if (stored)
		EXPECT_JSON(r, 200);
	else
		EXPECT_ERROR(r, 404, 404201);
	reply_free(r);
	free(path);
}

static void
expect_415(const struct reply *r, const char *content_type)
{
	EXPECT_ERROR(r, 415, 415001);
	char *want = xasprintf("Unsupported media type: the body's Content-Type "
			       "is '%s'; send the body as JSON with "
			       "Content-Type: application/json", content_type);
	ck_assert_str_eq(error_message(r), want);
	free(want);
}

START_TEST(text_and_form_bodies_are_415)
{
	struct emu_proc *e = shared_emu(&shared);
	static const char *const refused[] = {
		"text/plain", "text/plain; charset=utf-8",
		"application/x-www-form-urlencoded",
		"multipart/form-data; boundary=x", "application/jsonp",
		"application/xml",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		char *id = unique_id("media-refused");
		struct reply *r = put_typed(e, id, refused[i]);
		expect_415(r, refused[i]);
		reply_free(r);
		expect_stored(e, id, false);
		free(id);
	}
}
END_TEST

/* What the SDKs send: Java and Python plain, C, C# and Node with
 * "; charset=utf-8"; spelling and spacing vary. */
START_TEST(json_with_or_without_parameters_is_taken)
{
	struct emu_proc *e = shared_emu(&shared);
	static const char *const taken[] = {
		"application/json", "application/json; charset=utf-8",
		"application/json;charset=UTF-8", "Application/JSON",
		"application/json ; charset=utf-8",
	};
	for (size_t i = 0; i < sizeof(taken) / sizeof(*taken); i++) {
		char *id = unique_id("media-taken");
		struct reply *r = put_typed(e, id, taken[i]);
		EXPECT_JSON(r, 200);
		reply_free(r);
		expect_stored(e, id, true);
		free(id);
	}
}
END_TEST

START_TEST(a_body_without_content_type_is_read_as_json)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("media-none");
	struct reply *r = put_typed(e, id, "");
	EXPECT_JSON(r, 200);
	reply_free(r);
	expect_stored(e, id, true);
	free(id);
}
END_TEST

/* Every call with a body: bulk, query and the device's registration. */
START_TEST(bulk_query_and_register_refuse_text_too)
{
	struct emu_proc *e = shared_emu(&shared);
	static const char *const text[] = { "Content-Type: text/plain", NULL };
	char *id = unique_id("media-bulk");
	char *item = enrollment_text(id, "");
	char *bulk = xasprintf("{\"mode\":\"create\",\"enrollments\":[%s]}", item);
	struct reply *r = svc_h(e, "POST", "/enrollments", text, bulk);
	expect_415(r, "text/plain");
	reply_free(r);
	expect_stored(e, id, false);
	r = svc_h(e, "POST", "/enrollments/query", text,
		  "{\"query\":\"SELECT *\"}");
	expect_415(r, "text/plain");
	reply_free(r);

	cJSON *c = create_enrollment(e, id, "");
	char *token = device_token(e, id,
				   jstr(c, "attestation.symmetricKey.primaryKey"));
	char *path = xasprintf("/%s/registrations/%s/register", e->id_scope, id);
	char *body = xasprintf("{\"registrationId\":\"%s\"}", id);
	struct http_req req = { .method = "PUT", .path = path, .body = body,
				.headers = text, .auth = token,
				.api_version = DEVICE_API };
	r = http(e, &req);
	expect_415(r, "text/plain");
	reply_free(r);
	r = dev(e, "PUT", path, token, body);
	EXPECT_JSON(r, 202);
	reply_free(r);
	cJSON_Delete(c);
	secret_str_free(token);
	free(body);
	free(path);
	free(bulk);
	free(item);
	free(id);
}
END_TEST

/* A POST without a body (attestationmechanism) carries whatever type its
 * client library puts there; with nothing to read, nothing is refused. */
START_TEST(an_empty_body_has_no_media_type_to_refuse)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("media-empty");
	cJSON_Delete(create_enrollment(e, id, ""));
	char *path = xasprintf("/enrollments/%s/attestationmechanism", id);
	static const char *const form[] = {
		"Content-Type: application/x-www-form-urlencoded", NULL };
	struct reply *r = svc_h(e, "POST", path, form, NULL);
	EXPECT_JSON(r, 200);
	reply_free(r);
	free(path);
	free(id);
}
END_TEST

Suite *
media_type_suite(void)
{
	Suite *s = suite_create("media_type");
	TCase *tc = itest_tcase("media type");
	tcase_add_unchecked_fixture(tc, shared_up, shared_down);
	tcase_add_test(tc, text_and_form_bodies_are_415);
	tcase_add_test(tc, json_with_or_without_parameters_is_taken);
	tcase_add_test(tc, a_body_without_content_type_is_read_as_json);
	tcase_add_test(tc, bulk_query_and_register_refuse_text_too);
	tcase_add_test(tc, an_empty_body_has_no_media_type_to_refuse);
	suite_add_tcase(s, tc);
	return s;
}
