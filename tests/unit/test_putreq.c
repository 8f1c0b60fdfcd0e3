/* What a submit sends: an update carries the etag as If-Match; a create
 * carries no etag anywhere, nor the times and registration state of the
 * record it was copied from, and keeps the keys. */

#include <string.h>

#include "suites.h"
#include "app/putreq.h"
#include "model/json.h"

static const char LOADED[] =
	"{\"registrationId\":\"bench-new\",\"etag\":\"ImFiYyI=\","
	"\"createdDateTimeUtc\":\"2024-05-01T12:00:00Z\","
	"\"lastUpdatedDateTimeUtc\":\"2024-05-01T12:00:00Z\","
	"\"registrationState\":{\"status\":\"assigned\",\"etag\":\"ImRlZiI=\"},"
	"\"attestation\":{\"type\":\"symmetricKey\",\"symmetricKey\":"
	"{\"primaryKey\":\"AAECAwQFBgcICQoLDA0ODw==\","
	"\"secondaryKey\":\"EBESExQVFhcYGRobHB0eHw==\"}},"
	"\"provisioningStatus\":\"enabled\"}";

static struct doc *
loaded(void)
{
	struct json_error err;
	struct doc *d = doc_parse(LOADED, strlen(LOADED), &err);
	ck_assert_ptr_nonnull(d);
	return d;
}

START_TEST(a_create_carries_no_etag)
{
	struct doc *d = loaded();
	struct put_request r;
	put_request_create(d, &r);
	ck_assert_ptr_null(r.if_match);
	cJSON *body = cJSON_Parse(r.body);
	ck_assert_ptr_nonnull(body);
	ck_assert_ptr_null(json_path_get(body, "etag"));
	ck_assert_ptr_null(json_path_get(body, "createdDateTimeUtc"));
	ck_assert_ptr_null(json_path_get(body, "lastUpdatedDateTimeUtc"));
	ck_assert_ptr_null(json_path_get(body, "registrationState"));
	ck_assert_str_eq(json_path_get(body, "registrationId")->valuestring,
			 "bench-new");
	ck_assert_str_eq(json_path_get(body, "provisioningStatus")->valuestring,
			 "enabled");
	ck_assert_str_eq(json_path_get(body, "attestation.symmetricKey."
				       "primaryKey")->valuestring,
			 "AAECAwQFBgcICQoLDA0ODw==");
	/* the form's copy is left as it was */
	ck_assert_ptr_nonnull(doc_get(d, "etag"));
	json_wipe_strings(body);
	cJSON_Delete(body);
	put_request_clear(&r);
	ck_assert_ptr_null(r.body);
	doc_free(d);
}
END_TEST

START_TEST(an_update_carries_the_etag_as_if_match)
{
	struct doc *d = loaded();
	struct put_request r;
	put_request_update(d, "ImFiYyI=", &r);
	ck_assert_str_eq(r.if_match, "ImFiYyI=");
	cJSON *body = cJSON_Parse(r.body);
	ck_assert_str_eq(json_path_get(body, "etag")->valuestring, "ImFiYyI=");
	json_wipe_strings(body);
	cJSON_Delete(body);
	put_request_clear(&r);
	doc_free(d);
}
END_TEST

Suite *
putreq_suite(void)
{
	Suite *s = suite_create("putreq");
	TCase *tc = tcase_create("putreq");
	tcase_add_test(tc, a_create_carries_no_etag);
	tcase_add_test(tc, an_update_carries_the_etag_as_if_match);
	suite_add_tcase(s, tc);
	return s;
}
