/* Whole-enrollment validation: types, enums, required fields, fields that
 * do not apply, unknown names, and the cross-field rules. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "model/validate.h"
#include "model/xalloc.h"

static struct findings fs;

static void
setup(void)
{
	findings_init(&fs);
}

static void
teardown(void)
{
	findings_clear(&fs);
}

static void
validate_text(const char *json)
{
	struct json_error err;
	struct doc *d = doc_parse(json, strlen(json), &err);
	ck_assert_msg(d, "test JSON does not parse: %s", err.message);
	findings_clear(&fs);
	validate_enrollment(d, &fs);
	doc_free(d);
}

static const struct finding *
finding_at(const char *path, enum severity sev)
{
	for (size_t i = 0; i < fs.count; i++)
		if (fs.items[i].severity == sev &&
		    strcmp(fs.items[i].path, path) == 0)
			return &fs.items[i];
	return NULL;
}

static void
expect(const char *path, enum severity sev, const char *fragment)
{
	const struct finding *f = finding_at(path, sev);
	if (!f) {
		for (size_t i = 0; i < fs.count; i++)
			fprintf(stderr, "  have %s: %s: %s\n", fs.items[i].path,
				severity_name(fs.items[i].severity),
				fs.items[i].message);
	}
	ck_assert_msg(f, "no %s at %s", severity_name(sev), path);
	ck_assert_msg(strstr(f->message, fragment), "'%s' lacks '%s'",
		      f->message, fragment);
}

#define MIN_SYM "\"registrationId\":\"dev-1\",\"attestation\":{\"type\":\"symmetricKey\"}"

START_TEST(fixture_enrollment_is_valid)
{
	char *text = read_fixture("enrollments/symmetric-key.json", NULL);
	validate_text(text);
	free(text);
	ck_assert_uint_eq(fs.count, 0);
}
END_TEST

START_TEST(fixture_invalid_enrollment_lists_each_problem)
{
	char *text = read_fixture("enrollments/invalid.json", NULL);
	validate_text(text);
	free(text);
	expect("registrationId", SEV_ERROR, "");
	expect("attestation.type", SEV_ERROR, "did you mean 'tpm'");
	expect("provisioningStatus", SEV_ERROR, "enabled, disabled");
	expect("iotHubs", SEV_ERROR, "exactly one");
}
END_TEST

START_TEST(required_fields)
{
	validate_text("{}");
	expect("registrationId", SEV_ERROR, "required");
	expect("attestation", SEV_ERROR, "required");
	/* no separate noise for the type inside a missing section */
	ck_assert_ptr_null(finding_at("attestation.type", SEV_ERROR));

	validate_text("{\"registrationId\":\"d\",\"attestation\":{}}");
	expect("attestation.type", SEV_ERROR, "required");

	validate_text("{\"registrationId\":\"d\",\"attestation\":{\"type\":\"tpm\"}}");
	expect("attestation.tpm", SEV_ERROR, "when attestation.type is tpm");

	validate_text("{\"registrationId\":\"d\",\"attestation\":{\"type\":\"tpm\","
		      "\"tpm\":{\"endorsementKey\":\"\"}}}");
	expect("attestation.tpm.endorsementKey", SEV_ERROR, "required");
}
END_TEST

START_TEST(sections_of_another_type_are_ignored_with_a_warning)
{
	validate_text("{\"registrationId\":\"dev-1\",\"attestation\":{"
		      "\"type\":\"symmetricKey\",\"tpm\":{\"endorsementKey\":\"x\"}}}");
	expect("attestation.tpm", SEV_WARNING, "ignored because attestation.type");
	/* the key inside is not checked when its section does not apply */
	ck_assert_ptr_null(finding_at("attestation.tpm.endorsementKey", SEV_ERROR));
	ck_assert_ptr_null(finding_at("attestation.tpm.endorsementKey",
				      SEV_WARNING));
}
END_TEST

START_TEST(wrong_types_are_named)
{
	validate_text("{\"registrationId\":42,\"attestation\":{\"type\":\"symmetricKey\"},"
		      "\"capabilities\":{\"iotEdge\":\"yes\"},\"iotHubs\":\"h.example\"}");
	expect("registrationId", SEV_ERROR, "not a number");
	expect("capabilities.iotEdge", SEV_ERROR, "true or false");
	expect("iotHubs", SEV_ERROR, "a list");
}
END_TEST

START_TEST(bools_are_required_inside_their_object)
{
	validate_text("{" MIN_SYM ",\"reprovisionPolicy\":{\"updateHubAssignment\":true}}");
	expect("reprovisionPolicy.migrateDeviceData", SEV_ERROR,
	       "required whenever Reprovision policy is sent");
	validate_text("{" MIN_SYM ",\"capabilities\":{}}");
	expect("capabilities.iotEdge", SEV_ERROR, "required");
	validate_text("{" MIN_SYM ",\"capabilities\":null}");
	ck_assert_uint_eq(fs.count, 0);
}
END_TEST

START_TEST(unknown_names_warn_and_suggest)
{
	validate_text("{" MIN_SYM ",\"deviceID\":\"x\",\"newThing\":1}");
	expect("deviceID", SEV_WARNING, "did you mean 'deviceId'");
	expect("newThing", SEV_WARNING, "sent as it is");
	ck_assert_uint_eq(findings_count(&fs, SEV_ERROR), 0);
}
END_TEST

START_TEST(custom_allocation_needs_its_webhook)
{
	validate_text("{" MIN_SYM ",\"allocationPolicy\":\"custom\"}");
	expect("customAllocationDefinition", SEV_ERROR, "allocationPolicy is custom");
	validate_text("{" MIN_SYM ",\"allocationPolicy\":\"custom\","
		      "\"customAllocationDefinition\":{\"webhookUrl\":\"\"}}");
	expect("customAllocationDefinition.webhookUrl", SEV_ERROR, "required");
	expect("customAllocationDefinition.apiVersion", SEV_ERROR, "required");
	validate_text("{" MIN_SYM ",\"allocationPolicy\":\"hashed\","
		      "\"customAllocationDefinition\":{\"webhookUrl\":\"https://a.example/x\","
		      "\"apiVersion\":\"2021-10-01\"}}");
	expect("customAllocationDefinition", SEV_WARNING, "is 'hashed'");
}
END_TEST

START_TEST(static_allocation_and_hubs)
{
	validate_text("{" MIN_SYM ",\"allocationPolicy\":\"static\","
		      "\"iotHubs\":[\"a.azure-devices.net\",\"b.azure-devices.net\"]}");
	expect("iotHubs", SEV_ERROR, "2 are listed");
	validate_text("{" MIN_SYM ",\"allocationPolicy\":\"static\"}");
	expect("iotHubs", SEV_WARNING, "one IoT hub");
	validate_text("{" MIN_SYM ",\"allocationPolicy\":\"static\","
		      "\"iotHubs\":[\"a.azure-devices.net\"]}");
	ck_assert_uint_eq(fs.count, 0);
	validate_text("{" MIN_SYM ",\"iotHubHostName\":\"a.azure-devices.net\","
		      "\"iotHubs\":[\"a.azure-devices.net\"]}");
	expect("iotHubHostName", SEV_WARNING, "both set");
	validate_text("{" MIN_SYM ",\"iotHubs\":[\"a.azure-devices.net\", 7]}");
	expect("iotHubs", SEV_ERROR, "item 2 is a number");
}
END_TEST

START_TEST(attestation_none_and_group_only_sections)
{
	validate_text("{\"registrationId\":\"d\",\"attestation\":{\"type\":\"none\"}}");
	expect("attestation.type", SEV_WARNING, "none");
	validate_text("{\"registrationId\":\"d\",\"attestation\":{\"type\":\"x509\","
		      "\"x509\":{\"caReferences\":{\"primary\":\"my-ca\"}}}}");
	expect("attestation.x509.caReferences", SEV_WARNING, "enrollment groups");
	validate_text("{\"registrationId\":\"d\",\"attestation\":{\"type\":\"x509\","
		      "\"x509\":{}}}");
	expect("attestation.x509.clientCertificates.primary.certificate",
	       SEV_ERROR, "needs the device's certificate");
}
END_TEST

START_TEST(read_only_fields_are_accepted_as_returned)
{
	validate_text("{" MIN_SYM ",\"etag\":\"IjAi\",\"createdDateTimeUtc\":\"x\","
		      "\"registrationState\":{\"status\":\"whatever\",\"errorCode\":1}}");
	ck_assert_uint_eq(fs.count, 0);
}
END_TEST

START_TEST(document_over_96_kb_is_refused)
{
	size_t n = ENROLLMENT_MAX_BYTES;
	char *big = malloc(n + 1);
	memset(big, 'a', n);
	big[n] = '\0';
	char *json = xasprintf("{" MIN_SYM ",\"optionalDeviceInformation\":"
			       "{\"blob\":\"%s\"}}", big);
	validate_text(json);
	expect("", SEV_ERROR, "96 KB");
	free(json);
	free(big);
}
END_TEST

START_TEST(field_text_as_the_form_holds_it)
{
	const struct field_def *tags = schema_find("initialTwin.tags");
	validate_field_text(tags, "{\n  \"a\": 1,\n  \"b\" 2\n}", &fs);
	expect("initialTwin.tags", SEV_ERROR, "line 3, column 7");
	findings_clear(&fs);
	validate_field_text(tags, "", &fs);
	ck_assert_uint_eq(fs.count, 0);

	const struct field_def *id = schema_find("registrationId");
	validate_field_text(id, "  ", &fs);
	expect("registrationId", SEV_ERROR, "required");
	findings_clear(&fs);

	const struct field_def *type = schema_find("attestation.type");
	validate_field_text(type, "X509", &fs);
	expect("attestation.type", SEV_ERROR, "did you mean 'x509'");
	findings_clear(&fs);

	const struct field_def *edge = schema_find("capabilities.iotEdge");
	validate_field_text(edge, "maybe", &fs);
	expect("capabilities.iotEdge", SEV_ERROR, "true or false");
	findings_clear(&fs);
	validate_field_text(edge, "true", &fs);
	ck_assert_uint_eq(fs.count, 0);
}
END_TEST

Suite *
validate_suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("validate");
	tcase_add_checked_fixture(tc, setup, teardown);
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
	suite_add_tcase(s, tc);
	return s;
}
