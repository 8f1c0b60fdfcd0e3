/* The enrollment document: lossless round trips (every enrollment in the
 * spec's examples, and fields no schema knows), and path access. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "model/doc.h"

static void
assert_round_trip(const cJSON *enrollment, const char *where)
{
	char *text = cJSON_PrintUnformatted(enrollment);
	struct json_error err;
	struct doc *d = doc_parse(text, strlen(text), &err);
	ck_assert_msg(d, "%s: %s", where, err.message);
	for (int pretty = 0; pretty < 2; pretty++) {
		char *out = doc_serialize(d, pretty);
		cJSON *back = cJSON_Parse(out);
		ck_assert_msg(cJSON_Compare(back, enrollment, 1),
			      "%s changed in a round trip", where);
		if (!pretty)
			ck_assert_str_eq(out, text);
		cJSON_Delete(back);
		free(out);
	}
	doc_free(d);
	free(text);
}

static cJSON *
load_example(const char *name)
{
	char *rel = NULL;
	size_t n = strlen(name) + 32;
	rel = malloc(n);
	snprintf(rel, n, "spec/examples/%s", name);
	char *text = read_fixture(rel, NULL);
	ck_assert_msg(text, "missing fixture %s", rel);
	cJSON *j = cJSON_Parse(text);
	free(text);
	free(rel);
	ck_assert_ptr_nonnull(j);
	return j;
}

static const cJSON *
at(const cJSON *root, const char *path)
{
	const cJSON *v = json_path_get(root, path);
	ck_assert_msg(v, "example lacks %s", path);
	return v;
}

START_TEST(create_or_update_examples_round_trip)
{
	const char *files[] = {
		"IndividualEnrollment_CreateOrUpdate_MaximumSet_Gen.json",
		"IndividualEnrollment_CreateOrUpdate_MinimumSet_Gen.json",
	};
	for (size_t i = 0; i < 2; i++) {
		cJSON *ex = load_example(files[i]);
		assert_round_trip(at(ex, "parameters.enrollment"), files[i]);
		assert_round_trip(at(ex, "responses.200.body"), files[i]);
		cJSON_Delete(ex);
	}
}
END_TEST

START_TEST(get_query_and_bulk_examples_round_trip)
{
	cJSON *ex = load_example("IndividualEnrollment_Get_MaximumSet_Gen.json");
	assert_round_trip(at(ex, "responses.200.body"), "Get");
	cJSON_Delete(ex);

	ex = load_example("IndividualEnrollment_Query_MaximumSet_Gen.json");
	const cJSON *item;
	int n = 0;
	cJSON_ArrayForEach(item, at(ex, "responses.200.body")) {
		assert_round_trip(item, "Query item");
		n++;
	}
	ck_assert_int_gt(n, 0);
	cJSON_Delete(ex);

	ex = load_example("IndividualEnrollment_RunBulkOperation_MaximumSet_Gen.json");
	n = 0;
	cJSON_ArrayForEach(item, at(ex, "parameters.bulkOperation.enrollments")) {
		assert_round_trip(item, "Bulk item");
		n++;
	}
	ck_assert_int_gt(n, 0);
	cJSON_Delete(ex);
}
END_TEST

START_TEST(unknown_fields_survive)
{
	const char *text =
		"{\"registrationId\":\"a\",\"futureField\":{\"x\":[1,2,{\"y\":null}]},"
		"\"attestation\":{\"type\":\"tpm\",\"tpm\":{\"endorsementKey\":\"k\","
		"\"newKeyKind\":\"z\"}},\"capabilities\":{\"iotEdge\":true,"
		"\"gpu\":\"yes\"}}";
	struct json_error err;
	struct doc *d = doc_parse(text, strlen(text), &err);
	ck_assert_ptr_nonnull(d);
	doc_set_string(d, "deviceId", "dev");
	doc_remove(d, "deviceId");
	char *out = doc_serialize(d, false);
	ck_assert_str_eq(out, text);
	free(out);
	doc_free(d);
}
END_TEST

START_TEST(set_creates_sections_and_remove_prunes_them)
{
	struct doc *d = doc_new();
	ck_assert(doc_set_string(d, "attestation.symmetricKey.primaryKey", "k1"));
	ck_assert_str_eq(doc_get_string(d, "attestation.symmetricKey.primaryKey"),
			 "k1");
	ck_assert(doc_set_string(d, "attestation.type", "symmetricKey"));
	ck_assert(doc_set_string(d, "attestation.symmetricKey.primaryKey", "k2"));
	ck_assert_str_eq(doc_get_string(d, "attestation.symmetricKey.primaryKey"),
			 "k2");
	ck_assert(doc_remove(d, "attestation.symmetricKey.primaryKey"));
	ck_assert_ptr_null(doc_get(d, "attestation.symmetricKey"));
	ck_assert_str_eq(doc_get_string(d, "attestation.type"), "symmetricKey");
	ck_assert(!doc_remove(d, "attestation.symmetricKey.primaryKey"));
	ck_assert(doc_set_bool(d, "capabilities.iotEdge", true));
	ck_assert(cJSON_IsTrue(doc_get(d, "capabilities.iotEdge")));
	/* a step that is not an object cannot be walked through */
	ck_assert(!doc_set_string(d, "attestation.type.sub", "x"));
	doc_free(d);
}
END_TEST

START_TEST(parse_errors_give_line_and_column)
{
	size_t len;
	char *text = read_fixture("enrollments/broken.json", &len);
	ck_assert_ptr_nonnull(text);
	struct json_error err;
	ck_assert_ptr_null(doc_parse(text, len, &err));
	ck_assert_int_eq(err.line, 4);
	ck_assert_int_eq(err.column, 1);
	ck_assert_str_eq(err.message, "unexpected '}'");
	free(text);

	ck_assert_ptr_null(doc_parse("[1,2]", 5, &err));
	ck_assert(strstr(err.message, "JSON object") != NULL);
	ck_assert_ptr_null(doc_parse("{\"a\": \"caf\xc3\xa9\" x}", 17, &err));
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(err.column, 14);	/* é counts as one character */
	ck_assert_ptr_null(doc_parse("{\"a\": 1", 7, &err));
	ck_assert(strstr(err.message, "ends too early") != NULL);
	ck_assert_ptr_null(doc_parse("{} {}", 5, &err));
	ck_assert(strstr(err.message, "more text") != NULL);
	ck_assert_int_eq(err.column, 4);
}
END_TEST

START_TEST(clone_is_independent)
{
	struct doc *a = doc_new();
	doc_set_string(a, "registrationId", "one");
	struct doc *b = doc_clone(a);
	doc_set_string(b, "registrationId", "two");
	ck_assert_str_eq(doc_get_string(a, "registrationId"), "one");
	ck_assert_str_eq(doc_get_string(b, "registrationId"), "two");
	doc_free(a);
	doc_free(b);
}
END_TEST

Suite *
doc_suite(void)
{
	Suite *s = suite_create("doc");
	TCase *tc = tcase_create("doc");
	tcase_add_test(tc, create_or_update_examples_round_trip);
	tcase_add_test(tc, get_query_and_bulk_examples_round_trip);
	tcase_add_test(tc, unknown_fields_survive);
	tcase_add_test(tc, set_creates_sections_and_remove_prunes_them);
	tcase_add_test(tc, parse_errors_give_line_and_column);
	tcase_add_test(tc, clone_is_independent);
	suite_add_tcase(s, tc);
	return s;
}
