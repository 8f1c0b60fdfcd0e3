/* Whole-enrollment validation: types, enums, required fields, fields that
 * do not apply, unknown names, and the cross-field rules. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "suites.h"
#include "findings_assert.h"
#include "testcert.h"
#include "model/validate.h"
#include "model/x509info.h"
#include "base/xalloc.h"

static void
validate_text(const char *json)
{
	struct json_error err;
	struct doc *d = doc_parse(json, strlen(json), &err);
	ck_assert_msg(d, "test JSON does not parse: %s", err.message);
	findings_clear(&found_list);
	validate_enrollment(d, &found_list);
	doc_free(d);
}

#define CLIENT_CERT "attestation.x509.clientCertificates.primary.certificate"

#define MIN_SYM "\"registrationId\":\"dev-1\",\"attestation\":{\"type\":\"symmetricKey\"}"

START_TEST(fixture_enrollment_is_valid)
{
	char *text = read_fixture("enrollments/symmetric-key.json", NULL);
	validate_text(text);
	free(text);
	ck_nothing();
}
END_TEST

START_TEST(fixture_invalid_enrollment_lists_each_problem)
{
	char *text = read_fixture("enrollments/invalid.json", NULL);
	validate_text(text);
	free(text);
	ck_found(SEV_ERROR, "registrationId", "");
	ck_found(SEV_ERROR, "attestation.type", "did you mean 'tpm'");
	ck_found(SEV_ERROR, "provisioningStatus", "enabled, disabled");
	ck_found(SEV_ERROR, "iotHubs", "exactly one");
}
END_TEST

START_TEST(required_fields)
{
	validate_text("{}");
	ck_found(SEV_ERROR, "registrationId", "required");
	ck_found(SEV_ERROR, "attestation", "required");
	/* no separate noise for the type inside a missing section */
	ck_not_found(SEV_ERROR, "attestation.type", "");

	validate_text("{\"registrationId\":\"d\",\"attestation\":{}}");
	ck_found(SEV_ERROR, "attestation.type", "required");

	validate_text("{\"registrationId\":\"d\",\"attestation\":{\"type\":\"tpm\"}}");
	ck_found(SEV_ERROR, "attestation.tpm", "when attestation.type is tpm");

	validate_text("{\"registrationId\":\"d\",\"attestation\":{\"type\":\"tpm\","
		      "\"tpm\":{\"endorsementKey\":\"\"}}}");
	ck_found(SEV_ERROR, "attestation.tpm.endorsementKey", "required");
}
END_TEST

START_TEST(sections_of_another_type_are_ignored_with_a_warning)
{
	validate_text("{\"registrationId\":\"dev-1\",\"attestation\":{"
		      "\"type\":\"symmetricKey\",\"tpm\":{\"endorsementKey\":\"x\"}}}");
	ck_found(SEV_WARNING, "attestation.tpm", "ignored because attestation.type");
	/* the key inside is not checked when its section does not apply */
	ck_not_found(SEV_ERROR, "attestation.tpm.endorsementKey", "");
	ck_not_found(SEV_WARNING, "attestation.tpm.endorsementKey", "");
}
END_TEST

START_TEST(wrong_types_are_named)
{
	validate_text("{\"registrationId\":42,\"attestation\":{\"type\":\"symmetricKey\"},"
		      "\"capabilities\":{\"iotEdge\":\"yes\"},\"iotHubs\":\"h.example\"}");
	ck_found(SEV_ERROR, "registrationId", "not a number");
	ck_found(SEV_ERROR, "capabilities.iotEdge", "true or false");
	ck_found(SEV_ERROR, "iotHubs", "a list");
}
END_TEST

START_TEST(bools_are_required_inside_their_object)
{
	validate_text("{" MIN_SYM ",\"reprovisionPolicy\":{\"updateHubAssignment\":true}}");
	ck_found(SEV_ERROR, "reprovisionPolicy.migrateDeviceData",
		 "required whenever Reprovision policy is sent");
	validate_text("{" MIN_SYM ",\"capabilities\":{}}");
	ck_found(SEV_ERROR, "capabilities.iotEdge", "required");
	validate_text("{" MIN_SYM ",\"capabilities\":null}");
	ck_nothing();
}
END_TEST

START_TEST(unknown_names_warn_and_suggest)
{
	validate_text("{" MIN_SYM ",\"deviceID\":\"x\",\"newThing\":1}");
	ck_found(SEV_WARNING, "deviceID", "did you mean 'deviceId'");
	ck_found(SEV_WARNING, "newThing", "sent as it is");
	ck_assert_uint_eq(findings_count(&found_list, SEV_ERROR), 0);
}
END_TEST

START_TEST(custom_allocation_needs_its_webhook)
{
	validate_text("{" MIN_SYM ",\"allocationPolicy\":\"custom\"}");
	ck_found(SEV_ERROR, "customAllocationDefinition", "allocationPolicy is custom");
	validate_text("{" MIN_SYM ",\"allocationPolicy\":\"custom\","
		      "\"customAllocationDefinition\":{\"webhookUrl\":\"\"}}");
	ck_found(SEV_ERROR, "customAllocationDefinition.webhookUrl", "required");
	ck_found(SEV_ERROR, "customAllocationDefinition.apiVersion", "required");
	validate_text("{" MIN_SYM ",\"allocationPolicy\":\"hashed\","
		      "\"customAllocationDefinition\":{\"webhookUrl\":\"https://a.example/x\","
		      "\"apiVersion\":\"2021-10-01\"}}");
	ck_found(SEV_WARNING, "customAllocationDefinition", "is 'hashed'");
}
END_TEST

START_TEST(static_allocation_and_hubs)
{
	validate_text("{" MIN_SYM ",\"allocationPolicy\":\"static\","
		      "\"iotHubs\":[\"a.azure-devices.net\",\"b.azure-devices.net\"]}");
	ck_found(SEV_ERROR, "iotHubs", "2 are listed");
	validate_text("{" MIN_SYM ",\"allocationPolicy\":\"static\"}");
	ck_found(SEV_WARNING, "iotHubs", "one IoT hub");
	validate_text("{" MIN_SYM ",\"allocationPolicy\":\"static\","
		      "\"iotHubs\":[\"a.azure-devices.net\"]}");
	ck_nothing();
	validate_text("{" MIN_SYM ",\"iotHubHostName\":\"a.azure-devices.net\","
		      "\"iotHubs\":[\"a.azure-devices.net\"]}");
	ck_found(SEV_WARNING, "iotHubHostName", "both set");
	validate_text("{" MIN_SYM ",\"iotHubs\":[\"a.azure-devices.net\", 7]}");
	ck_found(SEV_ERROR, "iotHubs", "item 2 is a number");
}
END_TEST

START_TEST(attestation_none_and_group_only_sections)
{
	validate_text("{\"registrationId\":\"d\",\"attestation\":{\"type\":\"none\"}}");
	ck_found(SEV_WARNING, "attestation.type", "none");
	validate_text("{\"registrationId\":\"d\",\"attestation\":{\"type\":\"x509\","
		      "\"x509\":{\"caReferences\":{\"primary\":\"my-ca\"}}}}");
	ck_found(SEV_WARNING, "attestation.x509.caReferences", "enrollment groups");
	validate_text("{\"registrationId\":\"d\",\"attestation\":{\"type\":\"x509\","
		      "\"x509\":{}}}");
	ck_found(SEV_ERROR, CLIENT_CERT, "needs the device's certificate");
	/* with no x509 section at all, the error still names the certificate,
	 * the field to fill, not the section */
	validate_text("{\"registrationId\":\"d\",\"attestation\":{\"type\":\"x509\"}}");
	ck_found(SEV_ERROR, CLIENT_CERT, "needs the device's certificate");
	ck_not_found(SEV_ERROR, "attestation.x509", "");
}
END_TEST

START_TEST(read_only_fields_are_accepted_as_returned)
{
	validate_text("{" MIN_SYM ",\"etag\":\"IjAi\",\"createdDateTimeUtc\":\"x\","
		      "\"registrationState\":{\"status\":\"whatever\",\"errorCode\":1}}");
	ck_nothing();
}
END_TEST

START_TEST(document_over_96_kb_is_refused)
{
	char *big = repeat_text("a", ENROLLMENT_MAX_BYTES);
	char *json = xasprintf("{" MIN_SYM ",\"optionalDeviceInformation\":"
			       "{\"blob\":\"%s\"}}", big);
	validate_text(json);
	ck_found(SEV_ERROR, "", "96 KB");
	free(json);
	free(big);
}
END_TEST

/* ---- a row at a time ---- */

static void
same_findings(const struct findings *got, const struct findings *want,
	      const char *what)
{
	ck_assert_msg(got->count == want->count, "%s: %zu findings, want %zu",
		      what, got->count, want->count);
	for (size_t k = 0; k < got->count; k++)
		ck_assert_msg(got->items[k].severity == want->items[k].severity &&
			      !strcmp(got->items[k].path, want->items[k].path) &&
			      !strcmp(got->items[k].message, want->items[k].message),
			      "%s, finding %zu: '%s', want '%s'", what, k,
			      got->items[k].message, want->items[k].message);
}

/* validate_field gives, row by row, what validate_enrollment says at the
 * row's path, in its order; what is left is unknown names and then the
 * size check. */
static void
expect_row_by_row(const char *json)
{
	struct json_error err;
	struct doc *d = doc_parse(json, strlen(json), &err);
	ck_assert_msg(d, "test JSON does not parse: %s", err.message);
	struct findings all, rest, mine, want;
	findings_init(&all);
	findings_init(&rest);
	findings_init(&mine);
	findings_init(&want);
	validate_enrollment(d, &all);
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < all.count; k++)
			if (!strcmp(all.items[k].path, rows[i].path))
				findings_add(&want, rows[i].path, all.items[k].severity,
					     "%s", all.items[k].message);
		validate_field(&rows[i], d, &mine);
		same_findings(&mine, &want, rows[i].path);
		findings_clear(&mine);
		findings_clear(&want);
	}
	for (size_t k = 0; k < all.count; k++)
		if (!schema_find(all.items[k].path))
			findings_add(&rest, all.items[k].path, all.items[k].severity,
				     "%s", all.items[k].message);
	validate_size(d, &want);
	ck_assert_uint_ge(rest.count, want.count);
	struct findings tail = { rest.items + rest.count - want.count, want.count,
				 want.count };
	same_findings(&tail, &want, "size");
	for (size_t k = 0; k < rest.count - want.count; k++)
		ck_assert_msg(strstr(rest.items[k].message, "not a field of"),
			      "%s", rest.items[k].message);
	findings_clear(&want);
	findings_clear(&rest);
	findings_clear(&all);
	doc_free(d);
}

START_TEST(field_by_field_as_the_whole)
{
	char *cert = testcert_make_pem(&(struct testcert_spec){ .cn = "dev-01" });
	cJSON *s = cJSON_CreateString(cert);
	char *quoted = cJSON_PrintUnformatted(s);
	char *big = repeat_text("a", ENROLLMENT_MAX_BYTES);
	char *docs[] = {
		xstrdup("{}"),
		read_fixture("enrollments/invalid.json", NULL),
		read_fixture("enrollments/symmetric-key.json", NULL),
		xasprintf("{\"registrationId\":\"dev-02\",\"attestation\":"
			  "{\"type\":\"x509\",\"x509\":{\"clientCertificates\":"
			  "{\"primary\":{\"certificate\":%s}},\"caReferences\":"
			  "{\"primary\":\"ca\"},\"signingCertificates\":{\"primary\":"
			  "{\"certificate\":%s}},\"extra\":1}}}", quoted, quoted),
		xstrdup("{\"registrationId\":\"-d\",\"attestation\":{\"type\":"
			"\"tpm\",\"tpm\":{}},\"allocationPolicy\":\"static\","
			"\"iotHubs\":[\"a.b\",\"c d\"],\"iotHubHostName\":\"x\","
			"\"reprovisionPolicy\":{\"migrateDeviceData\":1},"
			"\"capabilities\":\"no\",\"initialTwin\":{\"tags\":"
			"{\"$v\":1,\"version\":2}},\"registrationID\":\"x\"}"),
		xstrdup("{\"registrationId\":\"d\",\"attestation\":{\"type\":"
			"\"none\",\"symmetricKey\":{\"primaryKey\":\"x\"}},"
			"\"allocationPolicy\":\"custom\",\"customAllocationDefinition\":"
			"{\"webhookUrl\":\"http://x\"}}"),
		xasprintf("{" MIN_SYM ",\"optionalDeviceInformation\":"
			  "{\"blob\":\"%s\"},\"unknown\":1}", big),
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		ck_assert_ptr_nonnull(docs[i]);
		expect_row_by_row(docs[i]);
		free(docs[i]);
	}
	free(big);
	cJSON_free(quoted);
	cJSON_Delete(s);
	free(cert);
}
END_TEST

/* Validates `text` as the form holds it for the row at `path`. */
static void
validate_row_text(const char *path, const char *text)
{
	const struct field_def *row = schema_find(path);
	ck_assert_msg(row, "no schema row %s", path);
	findings_clear(&found_list);
	validate_field_text(row, text, &found_list);
}

START_TEST(field_text_as_the_form_holds_it)
{
	validate_row_text("initialTwin.tags", "{\n  \"a\": 1,\n  \"b\" 2\n}");
	ck_found(SEV_ERROR, "initialTwin.tags", "line 3, column 7");
	validate_row_text("initialTwin.tags", "");
	ck_nothing();

	validate_row_text("registrationId", "  ");
	ck_found(SEV_ERROR, "registrationId", "required");

	validate_row_text("attestation.type", "X509");
	ck_found(SEV_ERROR, "attestation.type", "did you mean 'x509'");

	validate_row_text("capabilities.iotEdge", "maybe");
	ck_found(SEV_ERROR, "capabilities.iotEdge", "true or false");
	validate_row_text("capabilities.iotEdge", "true");
	ck_nothing();
}
END_TEST

/* ---- the client certificate against the rest of the enrollment ---- */

/* Validates an individual X.509 enrollment for `id` whose client
 * certificate is `pem`. */
static void
validate_x509(const char *id, const char *pem)
{
	struct doc *d = doc_new();
	ck_assert(doc_set_string(d, "registrationId", id));
	ck_assert(doc_set_string(d, "attestation.type", "x509"));
	ck_assert(doc_set_string(d, CLIENT_CERT, pem));
	findings_clear(&found_list);
	validate_enrollment(d, &found_list);
	doc_free(d);
}

START_TEST(x509_cn_equal_to_the_id_is_valid)
{
	/* The device registers as its CN, and registration ids compare
	 * without regard to ASCII case, so none of these is a mismatch. */
	static const char *const ids[] = { "Sensor-7", "sensor-7", "SENSOR-7" };
	char *pem = testcert_make_pem(&(struct testcert_spec){
		.cn = "Sensor-7" });
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		validate_x509(ids[i], pem);
		ck_nothing_for(ids[i]);
	}
	free(pem);
}
END_TEST

START_TEST(x509_cn_other_than_the_id_warns)
{
	char *pem = testcert_make_pem(&(struct testcert_spec){
		.cn = "sensor-7" });
	validate_x509("sensor-8", pem);
	ck_total(1);
	ck_found(SEV_WARNING, "registrationId", "the certificate's CN is "
						"'sensor-7'");
	ck_found(SEV_WARNING, "registrationId", "registration id is "
						"'sensor-8'");
	free(pem);
}
END_TEST

START_TEST(x509_expired_client_certificate_warns)
{
	time_t expired;
	char *pem = testcert_expired_pem("sensor-7", &expired);
	char when[21], fragment[48];
	format_utc(expired, when);
	snprintf(fragment, sizeof(fragment), "expired on %s", when);
	validate_x509("sensor-7", pem);
	ck_total(1);
	ck_found(SEV_WARNING, CLIENT_CERT, fragment);
	free(pem);
}
END_TEST

Suite *
validate_suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = findings_tcase(s, "validate");
	tcase_add_test(tc, fixture_enrollment_is_valid);
	tcase_add_test(tc, fixture_invalid_enrollment_lists_each_problem);
	tcase_add_test(tc, required_fields);
	tcase_add_test(tc, sections_of_another_type_are_ignored_with_a_warning);
	tcase_add_test(tc, wrong_types_are_named);
	tcase_add_test(tc, bools_are_required_inside_their_object);
	tcase_add_test(tc, unknown_names_warn_and_suggest);
	tcase_add_test(tc, custom_allocation_needs_its_webhook);
	tcase_add_test(tc, static_allocation_and_hubs);
	tcase_add_test(tc, attestation_none_and_group_only_sections);
	tcase_add_test(tc, read_only_fields_are_accepted_as_returned);
	tcase_add_test(tc, document_over_96_kb_is_refused);
	tcase_add_test(tc, field_text_as_the_form_holds_it);
	tcase_add_test(tc, field_by_field_as_the_whole);

	tc = findings_tcase(s, "client_certificate");
	tcase_add_test(tc, x509_cn_equal_to_the_id_is_valid);
	tcase_add_test(tc, x509_cn_other_than_the_id_warns);
	tcase_add_test(tc, x509_expired_client_certificate_warns);
	return s;
}
