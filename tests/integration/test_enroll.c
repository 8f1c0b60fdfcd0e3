/* PUT, GET and DELETE /enrollments/{id} and the attestation mechanism:
 * what a client sees (semantics §5-§7). One emulator serves the suite;
 * every test works on ids of its own. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"
#include "suites.h"
#include "base/xalloc.h"

SHARED_EMU_FIXTURE(NULL)

static struct reply *
get_enrollment(struct emu_proc *e, const char *id)
{
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(e, "GET", path, NULL);
	free(path);
	return r;
}

static struct reply *
delete_enrollment(struct emu_proc *e, const char *id, const char *if_match)
{
	char *path = xasprintf("/enrollments/%s", id);
	char *header = if_match ? xasprintf("If-Match: %s", if_match) : NULL;
	const char *headers[] = { header, NULL };
	struct reply *r = svc_h(e, "DELETE", path, headers, NULL);
	free(header);
	free(path);
	return r;
}

static struct reply *
attestation_mechanism(struct emu_proc *e, const char *id, const char *body)
{
	char *path = xasprintf("/enrollments/%s/attestationmechanism", id);
	struct reply *r = svc(e, "POST", path, body);
	free(path);
	return r;
}

static void
expect_absent(struct emu_proc *e, const char *id)
{
	struct reply *r = get_enrollment(e, id);
	EXPECT_ERROR(r, 404, 404201);
	reply_free(r);
}

/* ---- create ---- */

START_TEST(create_fills_in_defaults)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("create");
	cJSON *j = create_enrollment(e, id, "");
	ck_assert_str_eq(jstr(j, "registrationId"), id);
	ck_assert_msg(is_etag(jstr(j, "etag")), "etag %s", jstr(j, "etag"));
	ck_assert_msg(is_timestamp(jstr(j, "createdDateTimeUtc")), "created %s",
		      jstr(j, "createdDateTimeUtc"));
	ck_assert_msg(is_timestamp(jstr(j, "lastUpdatedDateTimeUtc")),
		      "updated %s", jstr(j, "lastUpdatedDateTimeUtc"));
	ck_assert_str_eq(jstr(j, "attestation.type"), "symmetricKey");
	const char *pk = jstr(j, "attestation.symmetricKey.primaryKey");
	const char *sk = jstr(j, "attestation.symmetricKey.secondaryKey");
	ck_assert_int_eq(b64_len(pk), 64);
	ck_assert_int_eq(b64_len(sk), 64);
	ck_assert_str_ne(pk, sk);
	ck_assert_str_eq(jstr(j, "provisioningStatus"), "enabled");
	ck_assert_ptr_null(jget(j, "reprovisionPolicy"));
	ck_assert_ptr_null(jget(j, "capabilities"));
	ck_assert_ptr_null(jget(j, "registrationState"));
	cJSON_Delete(j);
	free(id);
}
END_TEST

START_TEST(create_echoes_null_provisioning_status)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("nullstatus");
	cJSON *j = create_enrollment(e, id, ",\"provisioningStatus\":null");
	ck_assert_msg(cJSON_IsNull(jget(j, "provisioningStatus")),
		      "PUT answer: provisioningStatus is not null");
	struct reply *r = get_enrollment(e, id);
	EXPECT_JSON(r, 200);
	ck_assert_msg(cJSON_IsNull(jget(r->json, "provisioningStatus")),
		      "GET: provisioningStatus is not null: %s", r->body);
	reply_free(r);
	cJSON_Delete(j);
	free(id);
}
END_TEST

START_TEST(create_echoes_given_keys_and_policy)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("givenkeys");
	char *pk = random_key(32), *sk = random_key(48);
	char *extra = xasprintf(",\"attestation\":{\"type\":\"symmetricKey\","
				"\"symmetricKey\":{\"primaryKey\":\"%s\","
				"\"secondaryKey\":\"%s\"}},\"reprovisionPolicy\":"
				"{\"updateHubAssignment\":false,"
				"\"migrateDeviceData\":true}", pk, sk);
	char *body = xasprintf("{\"registrationId\":\"%s\"%s}", id, extra);
	struct reply *r = put_enrollment(e, id, body, NULL);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "attestation.symmetricKey.primaryKey"), pk);
	ck_assert_str_eq(jstr(r->json, "attestation.symmetricKey.secondaryKey"),
			 sk);
	ck_assert(cJSON_IsFalse(jget(r->json,
				     "reprovisionPolicy.updateHubAssignment")));
	ck_assert(cJSON_IsTrue(jget(r->json,
				    "reprovisionPolicy.migrateDeviceData")));
	reply_free(r);
	free(body);
	free(extra);
	free(pk);
	free(sk);
	free(id);
}
END_TEST

/* ---- get ---- */

START_TEST(get_hides_keys_and_shows_unassigned_state)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("get");
	cJSON *j = create_enrollment(e, id, "");
	struct reply *r = get_enrollment(e, id);
	EXPECT_JSON(r, 200);
	const cJSON *att = jget(r->json, "attestation");
	ck_assert_msg(cJSON_GetArraySize(att) == 1 &&
		      strcmp(jstr(att, "type"), "symmetricKey") == 0,
		      "attestation is not just {\"type\":\"symmetricKey\"}: %s",
		      r->body);
	ck_assert_ptr_null(strstr(r->body,
				  jstr(j, "attestation.symmetricKey.primaryKey")));
	const cJSON *rs = jget(r->json, "registrationState");
	ck_assert_msg(cJSON_GetArraySize(rs) == 2, "registrationState: %s",
		      r->body);
	ck_assert_str_eq(jstr(rs, "registrationId"), id);
	ck_assert_str_eq(jstr(rs, "status"), "unassigned");
	ck_assert_str_eq(jstr(r->json, "etag"), jstr(j, "etag"));
	ck_assert_str_eq(jstr(r->json, "createdDateTimeUtc"),
			 jstr(j, "createdDateTimeUtc"));
	ck_assert_str_eq(jstr(r->json, "provisioningStatus"), "enabled");
	reply_free(r);
	cJSON_Delete(j);
	free(id);
}
END_TEST

START_TEST(get_unknown_id_is_404201)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("nobody");
	expect_absent(e, id);
	free(id);
}
END_TEST

/* ---- update ---- */

/* Updates `id` (created as `before`) to disabled with the given If-Match
 * and body etag, expecting success: a new etag, the creation time kept. */
static void
expect_update(struct emu_proc *e, const char *id, const cJSON *before,
	      const char *if_match, const char *body_etag)
{
	char *extra = body_etag
		? xasprintf(",\"provisioningStatus\":\"disabled\",\"etag\":\"%s\"",
			    body_etag)
		: xstrdup(",\"provisioningStatus\":\"disabled\"");
	char *body = enrollment_text(id, extra);
	struct reply *r = put_enrollment(e, id, body, if_match);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "provisioningStatus"), "disabled");
	ck_assert_msg(is_etag(jstr(r->json, "etag")), "etag %s",
		      jstr(r->json, "etag"));
	ck_assert_str_ne(jstr(r->json, "etag"), jstr(before, "etag"));
	ck_assert_str_eq(jstr(r->json, "createdDateTimeUtc"),
			 jstr(before, "createdDateTimeUtc"));
	struct reply *g = get_enrollment(e, id);
	EXPECT_JSON(g, 200);
	ck_assert_str_eq(jstr(g->json, "etag"), jstr(r->json, "etag"));
	ck_assert_str_eq(jstr(g->json, "provisioningStatus"), "disabled");
	reply_free(g);
	reply_free(r);
	free(body);
	free(extra);
}

START_TEST(update_with_raw_if_match)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("upd-raw");
	cJSON *j = create_enrollment(e, id, "");
	expect_update(e, id, j, jstr(j, "etag"), NULL);
	cJSON_Delete(j);
	free(id);
}
END_TEST

START_TEST(update_with_quoted_if_match)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("upd-quoted");
	cJSON *j = create_enrollment(e, id, "");
	char *quoted = xasprintf("\"%s\"", jstr(j, "etag"));
	expect_update(e, id, j, quoted, NULL);
	free(quoted);
	cJSON_Delete(j);
	free(id);
}
END_TEST

START_TEST(update_with_star_if_match)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("upd-star");
	cJSON *j = create_enrollment(e, id, "");
	expect_update(e, id, j, "*", NULL);
	cJSON_Delete(j);
	free(id);
}
END_TEST

START_TEST(update_with_body_etag_only)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("upd-body");
	cJSON *j = create_enrollment(e, id, "");
	expect_update(e, id, j, NULL, jstr(j, "etag"));
	cJSON_Delete(j);
	free(id);
}
END_TEST

START_TEST(update_without_etag_is_409201)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("upd-none");
	cJSON *j = create_enrollment(e, id, "");
	char *body = enrollment_text(id, ",\"provisioningStatus\":\"disabled\"");
	struct reply *r = put_enrollment(e, id, body, NULL);
	EXPECT_ERROR(r, 409, 409201);
	reply_free(r);
	r = get_enrollment(e, id);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "etag"), jstr(j, "etag"));
	ck_assert_str_eq(jstr(r->json, "provisioningStatus"), "enabled");
	reply_free(r);
	free(body);
	cJSON_Delete(j);
	free(id);
}
END_TEST

START_TEST(update_with_stale_etag_is_412001)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("upd-stale");
	cJSON *j = create_enrollment(e, id, "");
	expect_update(e, id, j, jstr(j, "etag"), NULL);
	char *body = enrollment_text(id, "");
	struct reply *r = put_enrollment(e, id, body, jstr(j, "etag"));
	EXPECT_ERROR(r, 412, 412001);
	reply_free(r);
	char *extra = xasprintf(",\"etag\":\"%s\"", jstr(j, "etag"));
	char *with_etag = enrollment_text(id, extra);
	r = put_enrollment(e, id, with_etag, NULL);
	EXPECT_ERROR(r, 412, 412001);
	reply_free(r);
	free(with_etag);
	free(extra);
	free(body);
	cJSON_Delete(j);
	free(id);
}
END_TEST

START_TEST(update_with_bad_etag_is_400)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("upd-bad");
	cJSON *j = create_enrollment(e, id, "");
	char *body = enrollment_text(id, "");
	struct reply *r = put_enrollment(e, id, body, "%%%not-an-etag%%%");
	EXPECT_ERROR(r, 400, 400004);
	ck_assert_msg(strstr(error_message(r), "ETag is invalid"),
		      "message: %s", error_message(r));
	reply_free(r);
	free(body);
	cJSON_Delete(j);
	free(id);
}
END_TEST

/* ---- ids and validation ---- */

START_TEST(url_id_must_match_body_id)
{
	struct emu_proc *e = shared_emu(&shared);
	char *url_id = unique_id("url"), *body_id = unique_id("body");
	char *body = enrollment_text(body_id, "");
	struct reply *r = put_enrollment(e, url_id, body, NULL);
	EXPECT_ERROR(r, 400, 400004);
	reply_free(r);
	expect_absent(e, url_id);
	expect_absent(e, body_id);
	free(body);
	free(url_id);
	free(body_id);
}
END_TEST

/* A %00 in the URL must not cut the id short: the request names an id
 * with a NUL in it, which is not the body's. */
START_TEST(nul_in_url_id_is_not_a_shorter_id)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("nul");
	char *path = xasprintf("/enrollments/%s%%00z", id);
	char *body = enrollment_text(id, "");
	struct reply *r = svc(e, "PUT", path, body);
	EXPECT_ERROR(r, 400, 400004);
	reply_free(r);
	expect_absent(e, id);
	free(body);
	free(path);
	free(id);
}
END_TEST

START_TEST(ids_are_case_insensitive)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("MixedCase");
	char *lower = lower_copy(id);
	cJSON *j = create_enrollment(e, id, "");
	struct reply *r = get_enrollment(e, lower);
	EXPECT_JSON(r, 200);
	ck_assert_msg(strcasecmp(jstr(r->json, "registrationId"), id) == 0,
		      "registrationId %s", jstr(r->json, "registrationId"));
	ck_assert_str_eq(jstr(r->json, "etag"), jstr(j, "etag"));
	reply_free(r);
	char *body = enrollment_text(lower, "");
	r = put_enrollment(e, lower, body, NULL);
	EXPECT_ERROR(r, 409, 409201);
	reply_free(r);
	free(body);
	cJSON_Delete(j);
	free(lower);
	free(id);
}
END_TEST

/* A 400004 whose message names `field`. */
static void
expect_refused(struct emu_proc *e, const char *id, const char *body,
	       const char *field)
{
	struct reply *r = put_enrollment(e, id, body, NULL);
	EXPECT_ERROR(r, 400, 400004);
	ck_assert_msg(!field || strstr(error_message(r), field),
		      "the message does not name %s: %s", field,
		      error_message(r));
	reply_free(r);
}

START_TEST(bad_registration_id_is_400004)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("bad!id");
	char *body = enrollment_text(id, "");
	expect_refused(e, id, body, "registrationId");
	free(body);
	free(id);
}
END_TEST

START_TEST(short_key_is_400004)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("shortkey");
	char *body = xasprintf("{\"registrationId\":\"%s\",\"attestation\":"
			       "{\"type\":\"symmetricKey\",\"symmetricKey\":"
			       "{\"primaryKey\":\"AAECAwQFBgc=\"}}}", id);
	expect_refused(e, id, body, "primaryKey");
	expect_absent(e, id);
	free(body);
	free(id);
}
END_TEST

START_TEST(missing_attestation_is_400004)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("noatt");
	char *body = xasprintf("{\"registrationId\":\"%s\"}", id);
	expect_refused(e, id, body, "attestation");
	free(body);
	free(id);
}
END_TEST

static char *
custom_allocation(const char *webhook)
{
	return xasprintf(",\"allocationPolicy\":\"custom\","
			 "\"customAllocationDefinition\":{\"webhookUrl\":\"%s\","
			 "\"apiVersion\":\"2021-10-01\"}", webhook);
}

/* dpsemu checks a webhook URL as `dpsenroll validate` does, with the same
 * URL parser: the message is the client's, word for word. */
START_TEST(webhook_url_is_checked_like_the_client)
{
	static const struct {
		const char *url, *message;
	} bad[] = {
		{ "ftp://files.example.com/x", "customAllocationDefinition."
		  "webhookUrl: 'ftp' URLs cannot be called; DPS calls only "
		  "https webhooks, like https://myfunc.azurewebsites.net/api/"
		  "allocate?code=KEY" },
		{ "myfunc.azurewebsites.net/api/allocate", "customAllocation"
		  "Definition.webhookUrl: it does not start with https://; DPS "
		  "needs an absolute URL, so put https:// in front" },
		{ "https://myfunc.azurewebsites.net:99999/api", "customAllocation"
		  "Definition.webhookUrl: its port is not a number from 1 to "
		  "65535; leave the port out for https" },
	};
	struct emu_proc *e = shared_emu(&shared);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *id = unique_id("webhook");
		char *extra = custom_allocation(bad[i].url);
		char *body = enrollment_text(id, extra);
		struct reply *r = put_enrollment(e, id, body, NULL);
		EXPECT_ERROR(r, 400, 400004);
		ck_assert_str_eq(error_message(r), bad[i].message);
		reply_free(r);
		expect_absent(e, id);
		free(body);
		free(extra);
		free(id);
	}
	char *id = unique_id("webhook");
	char *extra = custom_allocation("https://myfunc.azurewebsites.net/api/"
					"allocate?code=abc123==");
	cJSON_Delete(create_enrollment(e, id, extra));
	free(extra);
	free(id);
}
END_TEST

START_TEST(body_not_json_is_400004)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("notjson");
	expect_refused(e, id, "{\"registrationId\": ", NULL);
	free(id);
}
END_TEST

/* JSON is UTF-8. Text in another encoding, once stored, would be served
 * back to clients that then cannot parse the answer, so it is refused
 * with the place to look at. */
START_TEST(body_not_utf8_is_400004)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("latin1");
	/* "cafe" with an e-acute, saved as Latin-1: 0xE9 then a quote is
	 * no UTF-8 sequence. */
	char *body = enrollment_text(id, ",\"initialTwin\":{\"tags\":"
				     "{\"place\":\"caf\xe9\"}}");
	char *column = xasprintf("column %d",
				 (int)(strchr(body, '\xe9') - body) + 1);
	struct reply *r = put_enrollment(e, id, body, NULL);
	EXPECT_ERROR(r, 400, 400004);
	const char *message = error_message(r);
	ck_assert_msg(strstr(message, "UTF-8") && strstr(message, "line 1") &&
		      strstr(message, column),
		      "the message does not name UTF-8 and %s: %s", column,
		      message);
	reply_free(r);
	expect_absent(e, id);
	free(column);
	free(body);
	free(id);
}
END_TEST

/* A valid enrollment padded with white space to `size` bytes, so only
 * its size can be wrong with it. */
static char *
padded_enrollment(const char *id, size_t size)
{
	char *head = enrollment_text(id, "");
	size_t n = strlen(head);
	ck_assert(size > n);
	char *body = xmalloc(size + 1);
	memcpy(body, head, n - 1);
	memset(body + n - 1, ' ', size - n);
	body[size - 1] = '}';
	body[size] = '\0';
	free(head);
	return body;
}

static void
expect_size_refused(struct emu_proc *e, size_t size)
{
	char *id = unique_id("big");
	char *body = padded_enrollment(id, size);
	struct reply *r = put_enrollment(e, id, body, NULL);
	ck_assert_msg(r->status >= 400 && r->status < 500,
		      "a %zu-byte body got %ld %s", size, r->status,
		      r->body ? r->body : "");
	EXPECT_JSON(r, r->status);
	reply_free(r);
	expect_absent(e, id);
	free(body);
	free(id);
}

START_TEST(body_just_over_96k_is_refused)
{
	expect_size_refused(shared_emu(&shared), 97 * 1024);
}
END_TEST

START_TEST(body_far_over_96k_is_refused)
{
	expect_size_refused(shared_emu(&shared), 200 * 1024);
}
END_TEST

START_TEST(body_under_96k_is_taken)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("almostbig");
	char *body = padded_enrollment(id, 90 * 1024);
	struct reply *r = put_enrollment(e, id, body, NULL);
	EXPECT_JSON(r, 200);
	reply_free(r);
	free(body);
	free(id);
}
END_TEST

START_TEST(api_version_missing_or_unknown_is_400)
{
	struct emu_proc *e = shared_emu(&shared);
	static const char *const versions[] = { API_NONE, "2099-01-01",
						"latest" };
	for (size_t i = 0; i < 3; i++) {
		struct http_req req = { .method = "GET",
					.path = "/enrollments/whatever",
					.api_version = versions[i] };
		struct reply *r = http(e, &req);
		EXPECT_ERROR(r, 400, 400004);
		ck_assert_msg(strstr(error_message(r), "api-version"),
			      "message: %s", error_message(r));
		reply_free(r);
	}
}
END_TEST

/* Every answer with a body, success or error, is labelled JSON. */
START_TEST(json_answers_say_application_json)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("ctype");
	char *body = enrollment_text(id, "");
	char *path = xasprintf("/enrollments/%s", id);
	char *mech = xasprintf("/enrollments/%s/attestationmechanism", id);
	struct reply *r[10];
	size_t n = 0;
	r[n++] = put_enrollment(e, id, body, NULL);
	r[n++] = svc(e, "GET", path, NULL);
	r[n++] = svc(e, "POST", mech, NULL);
	r[n++] = put_enrollment(e, id, body, NULL);
	r[n++] = svc(e, "POST", "/enrollments/query", "{\"query\":\"SELECT *\"}");
	r[n++] = svc(e, "POST", "/enrollments",
		     "{\"mode\":\"create\",\"enrollments\":[]}");
	r[n++] = svc(e, "GET", "/enrollments/no-such-id-anywhere", NULL);
	r[n++] = svc_auth(e, "GET", path, AUTH_NONE);
	r[n++] = svc(e, "PATCH", path, NULL);
	r[n++] = svc(e, "GET", "/nothing/here", NULL);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(r[i]->body_len > 0, "%s: %ld without a body",
			      r[i]->what, r[i]->status);
		EXPECT_JSON(r[i], r[i]->status);
		reply_free(r[i]);
	}
	free(mech);
	free(path);
	free(body);
	free(id);
}
END_TEST

/* ---- delete ---- */

START_TEST(delete_answers_204_then_404)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("del");
	cJSON *j = create_enrollment(e, id, "");
	struct reply *r = delete_enrollment(e, id, NULL);
	EXPECT_STATUS(r, 204);
	ck_assert_uint_eq(r->body_len, 0);
	reply_free(r);
	expect_absent(e, id);
	r = delete_enrollment(e, id, NULL);
	EXPECT_ERROR(r, 404, 404201);
	reply_free(r);
	cJSON_Delete(j);
	free(id);
}
END_TEST

START_TEST(delete_with_stale_etag_is_412)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("del-stale");
	cJSON *j = create_enrollment(e, id, "");
	expect_update(e, id, j, "*", NULL);
	struct reply *r = delete_enrollment(e, id, jstr(j, "etag"));
	EXPECT_ERROR(r, 412, 412001);
	reply_free(r);
	r = get_enrollment(e, id);
	EXPECT_JSON(r, 200);
	char *etag = xstrdup(jstr(r->json, "etag"));
	reply_free(r);
	r = delete_enrollment(e, id, etag);
	EXPECT_STATUS(r, 204);
	reply_free(r);
	expect_absent(e, id);
	free(etag);
	cJSON_Delete(j);
	free(id);
}
END_TEST

/* ---- attestation mechanism ---- */

START_TEST(attestation_mechanism_returns_keys)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("mech");
	cJSON *j = create_enrollment(e, id, "");
	/* Python sends no body, Java sends {}. */
	static const char *const bodies[] = { NULL, "{}" };
	for (size_t i = 0; i < 2; i++) {
		struct reply *r = attestation_mechanism(e, id, bodies[i]);
		EXPECT_JSON(r, 200);
		ck_assert_str_eq(jstr(r->json, "type"), "symmetricKey");
		ck_assert_str_eq(jstr(r->json, "symmetricKey.primaryKey"),
				 jstr(j, "attestation.symmetricKey.primaryKey"));
		ck_assert_str_eq(jstr(r->json, "symmetricKey.secondaryKey"),
				 jstr(j, "attestation.symmetricKey.secondaryKey"));
		reply_free(r);
	}
	char *nobody = unique_id("mech-none");
	struct reply *r = attestation_mechanism(e, nobody, NULL);
	EXPECT_ERROR(r, 404, 404201);
	reply_free(r);
	free(nobody);
	cJSON_Delete(j);
	free(id);
}
END_TEST

/* ---- X.509 and TPM ---- */

struct cert {
	char *pem;
	char *der_b64;
	char *sha256;	/* upper-case hex, no colons */
	char *sha1;
};

static char *
fingerprint(const char *dir, const char *alg)
{
	char *cmd = xasprintf("openssl x509 -in '%s/cert.pem' -noout "
			      "-fingerprint -%s", dir, alg);
	char *out = run_shell(cmd);
	free(cmd);
	char *eq = strchr(out, '=');
	ck_assert_msg(eq, "openssl printed %s", out);
	char *hex = xmalloc(strlen(eq));
	size_t n = 0;
	for (char *p = eq + 1; *p && *p != '\n'; p++)
		if (*p != ':')
			hex[n++] = *p;
	hex[n] = '\0';
	free(out);
	return hex;
}

/* A self-signed EC certificate for CN=cn, made by the openssl command
 * line, so nothing in the project computes the expected values. */
static struct cert
make_cert(const char *cn)
{
	char *dir = harness_tmpdir("cert");
	ck_assert_ptr_nonnull(dir);
	char *cmd = xasprintf(
		"cd '%s' && openssl req -x509 -newkey ec -pkeyopt "
		"ec_paramgen_curve:prime256v1 -nodes -keyout key.pem -out "
		"cert.pem -days 30 -subj '/CN=%s' 2>/dev/null && openssl x509 "
		"-in cert.pem -outform DER | base64 -w0", dir, cn);
	struct cert c = { .der_b64 = run_shell(cmd) };
	free(cmd);
	cmd = xasprintf("cat '%s/cert.pem'", dir);
	c.pem = run_shell(cmd);
	free(cmd);
	c.sha256 = fingerprint(dir, "sha256");
	c.sha1 = fingerprint(dir, "sha1");
	free(dir);
	return c;
}

static void
cert_free(struct cert *c)
{
	free(c->pem);
	free(c->der_b64);
	free(c->sha256);
	free(c->sha1);
}

static char *
x509_body(const char *id, const char *primary, const char *secondary)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "registrationId", id);
	cJSON *att = cJSON_AddObjectToObject(b, "attestation");
	cJSON_AddStringToObject(att, "type", "x509");
	cJSON *certs = cJSON_AddObjectToObject(
		cJSON_AddObjectToObject(att, "x509"), "clientCertificates");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(certs, "primary"),
				"certificate", primary);
	if (secondary)
		cJSON_AddStringToObject(cJSON_AddObjectToObject(certs, "secondary"),
					"certificate", secondary);
	char *text = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	return text;
}

/* `which` ("primary"/"secondary") shows info for `c` and no certificate. */
static void
expect_cert_info(const struct reply *r, const char *which,
		 const struct cert *c, const char *cn)
{
	char *base = xasprintf("attestation.x509.clientCertificates.%s", which);
	const cJSON *slot = jget(r->json, base);
	ck_assert_msg(slot, "%s: no %s: %s", r->what, base, r->body);
	ck_assert_msg(!jget(slot, "certificate"), "%s: %s still carries the "
		      "certificate text", r->what, which);
	const char *sha256 = jstr(slot, "info.sha256Thumbprint");
	ck_assert_msg(sha256 && strcmp(sha256, c->sha256) == 0,
		      "%s: %s sha256Thumbprint %s, openssl says %s", r->what,
		      which, sha256 ? sha256 : "absent", c->sha256);
	const char *sha1 = jstr(slot, "info.sha1Thumbprint");
	ck_assert_msg(sha1 && strcmp(sha1, c->sha1) == 0,
		      "%s: %s sha1Thumbprint %s, openssl says %s", r->what,
		      which, sha1 ? sha1 : "absent", c->sha1);
	const char *subject = jstr(slot, "info.subjectName");
	char *want = xasprintf("CN=%s", cn);
	ck_assert_msg(subject && strstr(subject, want), "%s: subjectName %s",
		      r->what, subject ? subject : "absent");
	ck_assert_ptr_null(strstr(r->body, "BEGIN CERTIFICATE"));
	free(want);
	free(base);
}

START_TEST(x509_pem_gives_info_and_mirrors_secondary)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("x509pem");
	struct cert c = make_cert(id);
	char *body = x509_body(id, c.pem, NULL);
	struct reply *r = put_enrollment(e, id, body, NULL);
	EXPECT_JSON(r, 200);
	expect_cert_info(r, "primary", &c, id);
	expect_cert_info(r, "secondary", &c, id);
	reply_free(r);
	r = get_enrollment(e, id);
	EXPECT_JSON(r, 200);
	expect_cert_info(r, "primary", &c, id);
	ck_assert_ptr_null(strstr(r->body, c.der_b64 + 8));
	reply_free(r);
	free(body);
	cert_free(&c);
	free(id);
}
END_TEST

START_TEST(x509_base64_der_and_own_secondary)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("x509der");
	struct cert c1 = make_cert(id), c2 = make_cert(id);
	char *body = x509_body(id, c1.der_b64, c2.der_b64);
	struct reply *r = put_enrollment(e, id, body, NULL);
	EXPECT_JSON(r, 200);
	expect_cert_info(r, "primary", &c1, id);
	expect_cert_info(r, "secondary", &c2, id);
	ck_assert_ptr_null(strstr(r->body, c1.der_b64 + 8));
	reply_free(r);
	free(body);
	cert_free(&c1);
	cert_free(&c2);
	free(id);
}
END_TEST

static char *
tpm_body(const char *id, const char *ek)
{
	return xasprintf("{\"registrationId\":\"%s\",\"attestation\":{\"type\":"
			 "\"tpm\",\"tpm\":{\"endorsementKey\":\"%s\"}}}", id, ek);
}

START_TEST(tpm_endorsement_key_is_echoed)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("tpm");
	char *ek = tpm_ek_text();
	ck_assert_int_eq(strncmp(ek, "AToAAQALAAMAsgAg", 16), 0);
	char *body = tpm_body(id, ek);
	struct reply *r = put_enrollment(e, id, body, NULL);
	EXPECT_JSON(r, 200);
	reply_free(r);
	r = get_enrollment(e, id);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "attestation.type"), "tpm");
	ck_assert_str_eq(jstr(r->json, "attestation.tpm.endorsementKey"), ek);
	reply_free(r);
	r = attestation_mechanism(e, id, NULL);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "type"), "tpm");
	ck_assert_str_eq(jstr(r->json, "tpm.endorsementKey"), ek);
	reply_free(r);
	free(body);
	free(ek);
	free(id);
}
END_TEST

START_TEST(tpm_bad_endorsement_key_is_400004)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("tpmbad");
	char *junk = random_key(40);
	char *body = tpm_body(id, junk);
	expect_refused(e, id, body, NULL);
	expect_absent(e, id);
	free(body);
	free(junk);
	free(id);
}
END_TEST

Suite *
enroll_suite(void)
{
	Suite *s = suite_create("enroll");
	TCase *tc = itest_tcase("enroll");
	tcase_add_unchecked_fixture(tc, shared_up, shared_down);
	tcase_add_test(tc, create_fills_in_defaults);
	tcase_add_test(tc, create_echoes_null_provisioning_status);
	tcase_add_test(tc, create_echoes_given_keys_and_policy);
	tcase_add_test(tc, get_hides_keys_and_shows_unassigned_state);
	tcase_add_test(tc, get_unknown_id_is_404201);
	tcase_add_test(tc, update_with_raw_if_match);
	tcase_add_test(tc, update_with_quoted_if_match);
	tcase_add_test(tc, update_with_star_if_match);
	tcase_add_test(tc, update_with_body_etag_only);
	tcase_add_test(tc, update_without_etag_is_409201);
	tcase_add_test(tc, update_with_stale_etag_is_412001);
	tcase_add_test(tc, update_with_bad_etag_is_400);
	tcase_add_test(tc, url_id_must_match_body_id);
	tcase_add_test(tc, ids_are_case_insensitive);
	tcase_add_test(tc, nul_in_url_id_is_not_a_shorter_id);
	tcase_add_test(tc, bad_registration_id_is_400004);
	tcase_add_test(tc, short_key_is_400004);
	tcase_add_test(tc, missing_attestation_is_400004);
	tcase_add_test(tc, webhook_url_is_checked_like_the_client);
	tcase_add_test(tc, body_not_json_is_400004);
	tcase_add_test(tc, body_not_utf8_is_400004);
	tcase_add_test(tc, body_just_over_96k_is_refused);
	tcase_add_test(tc, body_far_over_96k_is_refused);
	tcase_add_test(tc, body_under_96k_is_taken);
	tcase_add_test(tc, api_version_missing_or_unknown_is_400);
	tcase_add_test(tc, json_answers_say_application_json);
	tcase_add_test(tc, delete_answers_204_then_404);
	tcase_add_test(tc, delete_with_stale_etag_is_412);
	tcase_add_test(tc, attestation_mechanism_returns_keys);
	tcase_add_test(tc, x509_pem_gives_info_and_mirrors_secondary);
	tcase_add_test(tc, x509_base64_der_and_own_secondary);
	tcase_add_test(tc, tpm_endorsement_key_is_echoed);
	tcase_add_test(tc, tpm_bad_endorsement_key_is_400004);
	suite_add_tcase(s, tc);
	return s;
}
