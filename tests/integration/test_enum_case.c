/* Enum values in any case: the service's JSON reader takes them so
 * (semantics [INF]), and answers and stores the spec's spelling. */

#include <stdlib.h>
#include <string.h>

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

/* The answer to a write and the stored enrollment both say `want` at
 * `path`. */
static void
expect_spelling(struct emu_proc *e, const cJSON *answer, const char *id,
		const char *path, const char *want)
{
	if (answer)
		ck_assert_str_eq(jstr(answer, path), want);
	struct reply *r = get_enrollment(e, id);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, path), want);
	reply_free(r);
}

START_TEST(put_takes_any_case_and_answers_the_spec_spelling)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("enum-case");
	char *body = xasprintf("{\"registrationId\":\"%s\",\"attestation\":"
			       "{\"type\":\"SYMMETRICKEY\"},\"allocationPolicy\":"
			       "\"Hashed\",\"provisioningStatus\":\"DISABLED\"}",
			       id);
	struct reply *r = put_enrollment(e, id, body, NULL);
	EXPECT_JSON(r, 200);
	/* read as a symmetric-key enrollment: its keys were made */
	ck_assert_int_eq(b64_len(jstr(r->json,
				      "attestation.symmetricKey.primaryKey")), 64);
	expect_spelling(e, r->json, id, "attestation.type", "symmetricKey");
	expect_spelling(e, r->json, id, "allocationPolicy", "hashed");
	expect_spelling(e, r->json, id, "provisioningStatus", "disabled");
	reply_free(r);
	free(body);
	free(id);
}
END_TEST

START_TEST(tpm_and_geo_latency_in_other_cases)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("enum-tpm");
	char *ek = tpm_ek_text();
	char *body = xasprintf("{\"registrationId\":\"%s\",\"attestation\":"
			       "{\"type\":\"Tpm\",\"tpm\":{\"endorsementKey\":"
			       "\"%s\"}},\"allocationPolicy\":\"GEOLATENCY\"}",
			       id, ek);
	struct reply *r = put_enrollment(e, id, body, NULL);
	EXPECT_JSON(r, 200);
	expect_spelling(e, r->json, id, "attestation.type", "tpm");
	expect_spelling(e, r->json, id, "attestation.tpm.endorsementKey", ek);
	expect_spelling(e, r->json, id, "allocationPolicy", "geoLatency");
	reply_free(r);
	free(body);
	free(ek);
	free(id);
}
END_TEST

/* A value that is no enum value in any case is still refused. */
START_TEST(an_unknown_value_is_still_400004)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("enum-bad");
	char *body = xasprintf("{\"registrationId\":\"%s\",\"attestation\":"
			       "{\"type\":\"symmetric\"}}", id);
	struct reply *r = put_enrollment(e, id, body, NULL);
	EXPECT_ERROR(r, 400, 400004);
	ck_assert_msg(strstr(error_message(r), "'symmetric' is not a valid"),
		      "message: %s", error_message(r));
	reply_free(r);
	free(body);
	free(id);
}
END_TEST

static struct reply *
bulk(struct emu_proc *e, const char *mode, const char *items)
{
	char *body = xasprintf("{\"mode\":\"%s\",\"enrollments\":[%s]}", mode,
			       items);
	struct reply *r = svc(e, "POST", "/enrollments", body);
	free(body);
	return r;
}

static void
expect_all_done(const struct reply *r)
{
	EXPECT_JSON(r, 200);
	ck_assert_msg(cJSON_IsTrue(jget(r->json, "isSuccessful")) &&
		      cJSON_GetArraySize(jget(r->json, "errors")) == 0,
		      "%s: %s", r->what, r->body);
}

/* The Node SDK's typed bulk mode is "updateIfMatchEtag"; the spec says
 * "updateIfMatchETag". */
START_TEST(bulk_modes_and_items_in_any_case)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("enum-bulk");
	char *item = xasprintf("{\"registrationId\":\"%s\",\"attestation\":"
			       "{\"type\":\"symmetrickey\"},\"provisioningStatus\":"
			       "\"Enabled\"}", id);
	struct reply *r = bulk(e, "Create", item);
	expect_all_done(r);
	reply_free(r);
	expect_spelling(e, NULL, id, "attestation.type", "symmetricKey");
	expect_spelling(e, NULL, id, "provisioningStatus", "enabled");

	r = get_enrollment(e, id);
	EXPECT_JSON(r, 200);
	char *update = xasprintf("{\"registrationId\":\"%s\",\"attestation\":"
				 "{\"type\":\"SymmetricKey\"},\"etag\":\"%s\","
				 "\"provisioningStatus\":\"Disabled\"}", id,
				 jstr(r->json, "etag"));
	reply_free(r);
	r = bulk(e, "updateIfMatchEtag", update);
	expect_all_done(r);
	reply_free(r);
	expect_spelling(e, NULL, id, "provisioningStatus", "disabled");

	char *gone = xasprintf("{\"registrationId\":\"%s\"}", id);
	r = bulk(e, "DELETE", gone);
	expect_all_done(r);
	reply_free(r);
	r = get_enrollment(e, id);
	EXPECT_ERROR(r, 404, 404201);
	reply_free(r);
	free(gone);
	free(update);
	free(item);
	free(id);
}
END_TEST

Suite *
enum_case_suite(void)
{
	Suite *s = suite_create("enum_case");
	TCase *tc = itest_tcase("enum case");
	tcase_add_unchecked_fixture(tc, shared_up, shared_down);
	tcase_add_test(tc, put_takes_any_case_and_answers_the_spec_spelling);
	tcase_add_test(tc, tpm_and_geo_latency_in_other_cases);
	tcase_add_test(tc, an_unknown_value_is_still_400004);
	tcase_add_test(tc, bulk_modes_and_items_in_any_case);
	suite_add_tcase(s, tc);
	return s;
}
