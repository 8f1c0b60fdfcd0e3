/* Keeping a device's keys across an update: which documents lack them,
 * and which answers of the attestation mechanism call give them. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "app/keepkeys.h"
#include "model/json.h"

static const char P[] = "AAECAwQFBgcICQoLDA0ODw==";
static const char S[] = "EBESExQVFhcYGRobHB0eHw==";

static bool
missing(const char *json)
{
	cJSON *j = cJSON_Parse(json);
	ck_assert_ptr_nonnull(j);
	bool m = keepkeys_missing(j);
	cJSON_Delete(j);
	return m;
}

START_TEST(only_a_keyless_symmetric_key_enrollment_lacks_keys)
{
	ck_assert(missing("{\"attestation\":{\"type\":\"symmetricKey\"}}"));
	ck_assert(missing("{\"attestation\":{\"type\":\"symmetricKey\","
			  "\"symmetricKey\":{\"primaryKey\":\"\"}}}"));
	ck_assert(!missing("{\"attestation\":{\"type\":\"symmetricKey\","
			   "\"symmetricKey\":{\"primaryKey\":\"AAAA\"}}}"));
	ck_assert(!missing("{\"attestation\":{\"type\":\"symmetricKey\","
			   "\"symmetricKey\":{\"secondaryKey\":\"AAAA\"}}}"));
	ck_assert(!missing("{\"attestation\":{\"type\":\"tpm\"}}"));
	ck_assert(!missing("{}"));
}
END_TEST

/* An answer of `status` with `body` (NULL: none). */
static struct dps_response
answer(long status, const char *body)
{
	struct dps_response r = {
		.failure = DPS_ANSWERED, .status = status, .retry_after = -1,
		.attempts = 1, .body = body ? cJSON_Parse(body) : NULL,
	};
	return r;
}

/* keepkeys_from_answer gives no keys, and a reason holding `why`. */
static void
expect_no_keys(struct dps_response *r, const char *why)
{
	char *reason = NULL;
	cJSON *keys = keepkeys_from_answer(r, &reason);
	ck_assert_ptr_null(keys);
	ck_assert_msg(reason && strstr(reason, why), "reason \"%s\" lacks "
		      "\"%s\"", reason ? reason : "(none)", why);
	free(reason);
	cJSON_Delete(r->body);
}

START_TEST(both_keys_of_a_200_are_taken)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"type\":\"symmetricKey\",\"symmetricKey\":"
		 "{\"primaryKey\":\"%s\",\"secondaryKey\":\"%s\"}}", P, S);
	struct dps_response r = answer(200, body);
	char *why = NULL;
	cJSON *keys = keepkeys_from_answer(&r, &why);
	ck_assert_ptr_nonnull(keys);
	ck_assert_ptr_null(why);
	ck_assert_str_eq(json_path_get(keys, "primaryKey")->valuestring, P);
	ck_assert_str_eq(json_path_get(keys, "secondaryKey")->valuestring, S);
	json_wipe_strings(keys);
	cJSON_Delete(keys);
	cJSON_Delete(r.body);
}
END_TEST

START_TEST(an_answer_without_both_keys_gives_none)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"type\":\"symmetricKey\",\"symmetricKey\":"
		 "{\"primaryKey\":\"%s\"}}", P);
	struct dps_response r = answer(200, body);
	expect_no_keys(&r, "no symmetric keys");
	r = answer(200, "{\"type\":\"x509\"}");
	expect_no_keys(&r, "now 'x509'");
	r = answer(200, NULL);
	expect_no_keys(&r, "no symmetric keys");
}
END_TEST

START_TEST(a_refusal_or_no_answer_gives_none)
{
	struct dps_response r = answer(404, "{\"errorCode\":404201}");
	r.error.error_code = 404201;
	expect_no_keys(&r, "404");
	r = answer(500, NULL);
	expect_no_keys(&r, "500");
	r = (struct dps_response){ .failure = DPS_FAIL_DROPPED,
				   .retry_after = -1,
				   .failure_text = (char *)"connection closed" };
	expect_no_keys(&r, "connection closed");
	r = (struct dps_response){ .failure = DPS_FAIL_BAD_ANSWER,
				   .retry_after = -1,
				   .failure_text = (char *)"not valid JSON" };
	expect_no_keys(&r, "not valid JSON");
}
END_TEST

Suite *
keepkeys_suite(void)
{
	Suite *s = suite_create("keepkeys");
	TCase *tc = tcase_create("keepkeys");
	tcase_add_test(tc, only_a_keyless_symmetric_key_enrollment_lacks_keys);
	tcase_add_test(tc, both_keys_of_a_200_are_taken);
	tcase_add_test(tc, an_answer_without_both_keys_gives_none);
	tcase_add_test(tc, a_refusal_or_no_answer_gives_none);
	suite_add_tcase(s, tc);
	return s;
}
