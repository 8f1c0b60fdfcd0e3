/* The schema table against the spec it claims to describe: every property
 * of IndividualEnrollment and its nested definitions has a row, every row
 * is in the spec, and enums carry exactly the spec's values. */

#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "model/doc.h"
#include "model/schema.h"
#include "base/xalloc.h"

static cJSON *spec;

static void
load_spec(void)
{
	char *text = read_fixture("spec/service.json", NULL);
	ck_assert_msg(text, "tests/fixtures/spec/service.json is missing");
	spec = cJSON_Parse(text);
	free(text);
	ck_assert_ptr_nonnull(spec);
}

static void
free_spec(void)
{
	cJSON_Delete(spec);
}

static const cJSON *
definition(const char *name)
{
	const cJSON *defs = cJSON_GetObjectItem(spec, "definitions");
	return cJSON_GetObjectItem(defs, name);
}

/* "#/definitions/Foo" -> the definition; otherwise the schema itself. */
static const cJSON *
resolve(const cJSON *schema, const char **refname)
{
	const cJSON *ref = cJSON_GetObjectItem(schema, "$ref");
	*refname = NULL;
	if (!cJSON_IsString(ref))
		return schema;
	*refname = strrchr(ref->valuestring, '/') + 1;
	return definition(*refname);
}

typedef void (*visit_fn)(const char *path, const cJSON *prop,
			 const cJSON *resolved, const char *refname);

static void
walk(const cJSON *def, const char *prefix, visit_fn visit)
{
	const cJSON *props = cJSON_GetObjectItem(def, "properties");
	const cJSON *p;
	cJSON_ArrayForEach(p, props) {
		char *path = *prefix ? xasprintf("%s.%s", prefix, p->string)
				     : xstrdup(p->string);
		const char *refname;
		const cJSON *r = resolve(p, &refname);
		visit(path, p, r, refname);
		bool twin = refname && strcmp(refname, "TwinCollection") == 0;
		if (!twin && cJSON_GetObjectItem(r, "properties"))
			walk(r, path, visit);
		free(path);
	}
}

static void
expect_row(const char *path, const cJSON *prop, const cJSON *r,
	   const char *refname)
{
	(void)prop;
	(void)refname;
	(void)r;
	ck_assert_msg(schema_find(path), "spec property %s has no row", path);
}

START_TEST(every_spec_property_has_a_row)
{
	walk(definition("IndividualEnrollment"), "", expect_row);
}
END_TEST

static bool spec_has;
static const char *spec_wanted;

static void
find_path(const char *path, const cJSON *prop, const cJSON *r,
	  const char *refname)
{
	(void)prop;
	(void)r;
	(void)refname;
	if (strcmp(path, spec_wanted) == 0)
		spec_has = true;
}

START_TEST(every_row_is_in_the_spec)
{
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	ck_assert_uint_gt(n, 60);
	for (size_t i = 0; i < n; i++) {
		spec_has = false;
		spec_wanted = rows[i].path;
		walk(definition("IndividualEnrollment"), "", find_path);
		ck_assert_msg(spec_has, "row %s is not in the spec", rows[i].path);
	}
}
END_TEST

static void
expect_same_enum(const char *path, const cJSON *prop, const cJSON *r,
		 const char *refname)
{
	(void)prop;
	(void)refname;
	const cJSON *values = cJSON_GetObjectItem(r, "enum");
	const struct field_def *f = schema_find(path);
	if (!values) {
		ck_assert_msg(!f || !f->enumdef, "%s has enum values the spec lacks",
			      path);
		return;
	}
	ck_assert_msg(f && f->enumdef, "%s is an enum in the spec", path);
	ck_assert_int_eq((int)f->enumdef->count, cJSON_GetArraySize(values));
	const cJSON *v;
	size_t i = 0;
	cJSON_ArrayForEach(v, values)
		ck_assert_str_eq(f->enumdef->values[i++].wire, v->valuestring);
}

START_TEST(enums_match_the_spec)
{
	walk(definition("IndividualEnrollment"), "", expect_same_enum);
}
END_TEST

static void
expect_kind(const char *path, const cJSON *prop, const cJSON *r,
	    const char *refname)
{
	const struct field_def *f = schema_find(path);
	if (!f)
		return;
	bool ro = cJSON_IsTrue(cJSON_GetObjectItem(prop, "readOnly")) ||
		  cJSON_IsTrue(cJSON_GetObjectItem(r, "readOnly"));
	if (ro)
		ck_assert_msg(field_is_readonly(f), "%s is read-only in the spec",
			      path);
	const cJSON *type = cJSON_GetObjectItem(r, "type");
	if (refname && strcmp(refname, "TwinCollection") == 0)
		ck_assert_msg(f->kind == FK_JSON_OBJECT, "%s is a twin collection",
			      path);
	else if (!ro && cJSON_IsString(type) &&
		 strcmp(type->valuestring, "boolean") == 0)
		ck_assert_msg(f->kind == FK_BOOL, "%s is a boolean", path);
	else if (!ro && cJSON_IsString(type) &&
		 strcmp(type->valuestring, "array") == 0)
		ck_assert_msg(f->kind == FK_STRING_LIST, "%s is a list", path);
	else if (!ro && cJSON_GetObjectItem(r, "properties"))
		ck_assert_msg(f->kind == FK_GROUP, "%s is an object", path);
}

START_TEST(kinds_follow_the_spec_types)
{
	walk(definition("IndividualEnrollment"), "", expect_kind);
}
END_TEST

START_TEST(required_fields_follow_the_spec)
{
	ck_assert_int_eq(schema_find("registrationId")->need, NEED_REQUIRED);
	ck_assert_int_eq(schema_find("attestation")->need, NEED_REQUIRED);
	ck_assert_int_eq(schema_find("attestation.type")->need, NEED_REQUIRED);
	ck_assert_int_eq(schema_find("attestation.tpm.endorsementKey")->need,
			 NEED_REQUIRED);
	ck_assert_int_eq(schema_find("capabilities.iotEdge")->need,
			 NEED_WITH_PARENT);
	ck_assert_int_eq(schema_find("reprovisionPolicy.migrateDeviceData")->need,
			 NEED_WITH_PARENT);
	ck_assert_str_eq(schema_find("provisioningStatus")->default_value,
			 "enabled");
}
END_TEST

START_TEST(visibility_follows_attestation_type_and_policy)
{
	struct doc *d = doc_new();
	const struct field_def *ek = schema_find("attestation.tpm.endorsementKey");
	const struct field_def *pk =
		schema_find("attestation.symmetricKey.primaryKey");
	const struct field_def *hook =
		schema_find("customAllocationDefinition.webhookUrl");
	ck_assert(!schema_field_applies(ek, d));
	doc_set_string(d, "attestation.type", "tpm");
	ck_assert(schema_field_applies(ek, d));
	ck_assert(!schema_field_applies(pk, d));
	doc_set_string(d, "attestation.type", "symmetricKey");
	ck_assert(!schema_field_applies(ek, d));
	ck_assert(schema_field_applies(pk, d));
	ck_assert(!schema_field_applies(hook, d));
	doc_set_string(d, "allocationPolicy", "custom");
	ck_assert(schema_field_applies(hook, d));
	doc_free(d);
}
END_TEST

START_TEST(secrets_and_parents)
{
	ck_assert(field_is_secret(
		schema_find("attestation.symmetricKey.secondaryKey")));
	ck_assert(!field_is_secret(schema_find("registrationId")));
	const struct field_def *info = schema_find(
		"attestation.x509.clientCertificates.primary.info.sha256Thumbprint");
	ck_assert(field_is_readonly(info));
	ck_assert_str_eq(schema_parent(info)->path,
			 "attestation.x509.clientCertificates.primary.info");
	ck_assert_ptr_null(schema_parent(schema_find("registrationId")));
	ck_assert(field_is_readonly(schema_find("registrationState.status")));
}
END_TEST

/* Help follows what each certificate is (the spec describes both pairs
 * alike): a client certificate is the device's own, a signing
 * certificate the CA that signed the devices' certificates. */
START_TEST(certificate_help_says_whose_certificate)
{
	static const char *const slots[] = { "primary", "secondary" };
	for (int i = 0; i < 2; i++) {
		char *client = xasprintf("attestation.x509.clientCertificates.%s."
					 "certificate", slots[i]);
		char *signing = xasprintf("attestation.x509.signingCertificates.%s."
					  "certificate", slots[i]);
		const char *c = schema_find(client)->help;
		const char *g = schema_find(signing)->help;
		ck_assert_msg(strstr(c, "the device's own certificate"), "%s", c);
		ck_assert_msg(!strstr(g, "device's own"), "%s: %s", signing, g);
		ck_assert_msg(strstr(g, "CA certificate that signed the device "
				     "certificates"), "%s: %s", signing, g);
		free(client);
		free(signing);
	}
	const char *pair = schema_find("attestation.x509.signingCertificates")->help;
	ck_assert_msg(strstr(pair, "CA or intermediate") &&
		      strstr(pair, "enrollment groups"), "%s", pair);
}
END_TEST

/* The form shows sections in table order, so rows must not go back to an
 * earlier section. */
START_TEST(sections_come_in_order)
{
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	enum field_section last = SECTION_IDENTITY;
	for (size_t i = 0; i < n; i++) {
		enum field_section s = field_section(&rows[i]);
		ck_assert_msg(s >= last, "%s goes back to section %s", rows[i].path,
			      section_title(s));
		last = s;
	}
	ck_assert_int_eq(last, SECTION_STATUS);
	ck_assert_int_eq(field_section(schema_find("attestation.tpm.endorsementKey")),
			 SECTION_ATTESTATION);
	ck_assert_str_eq(section_title(SECTION_DEVICE), "Device settings");
}
END_TEST

Suite *
schema_suite(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("spec");
	tcase_add_checked_fixture(tc, load_spec, free_spec);
	tcase_add_test(tc, every_spec_property_has_a_row);
	tcase_add_test(tc, every_row_is_in_the_spec);
	tcase_add_test(tc, enums_match_the_spec);
	tcase_add_test(tc, kinds_follow_the_spec_types);
	suite_add_tcase(s, tc);
	tc = tcase_create("rows");
	tcase_add_test(tc, required_fields_follow_the_spec);
	tcase_add_test(tc, visibility_follows_attestation_type_and_policy);
	tcase_add_test(tc, secrets_and_parents);
	tcase_add_test(tc, certificate_help_says_whose_certificate);
	tcase_add_test(tc, sections_come_in_order);
	suite_add_tcase(s, tc);
	return s;
}
