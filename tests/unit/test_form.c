/* The form engine without a terminal: which rows show, where focus goes,
 * live validation handed to fields, and the document the texts make. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "ui/form.h"

#define TYPE "attestation.type"
#define EK "attestation.tpm.endorsementKey"
#define SRK "attestation.tpm.storageRootKey"
#define PRIMARY_KEY "attestation.symmetricKey.primaryKey"
#define SECONDARY_KEY "attestation.symmetricKey.secondaryKey"
#define CLIENT_CERTS "attestation.x509.clientCertificates"
#define CLIENT_CERT CLIENT_CERTS ".primary.certificate"
#define SIGNING "attestation.x509.signingCertificates"
#define TAGS "initialTwin.tags"

/* 16 and 32 bytes of base64, as the service generates them. */
#define KEY_A "MDEyMzQ1Njc4OWFiY2RlZg=="
#define KEY_B "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

static struct form *f;

static void
setup(void)
{
	f = form_new();
}

static void
teardown(void)
{
	form_free(f);
}

static size_t
at(const char *path)
{
	long i = form_find(f, path);
	ck_assert_msg(i >= 0, "no field %s", path);
	return (size_t)i;
}

static void
set(const char *path, const char *text)
{
	form_set_text(f, at(path), text);
}

static const char *
text(const char *path)
{
	return f->fields[at(path)].text;
}

static bool
visible(const char *path)
{
	return form_visible(f, at(path));
}

/* The focused row's path, or "[Title]" when a section header has it. */
static const char *
focused_path(void)
{
	static char header[64];
	if (!f->on_section)
		return f->fields[f->focus].def->path;
	snprintf(header, sizeof(header), "[%s]", section_title(f->focus_sec));
	return header;
}

static const char *
message(const char *path)
{
	const char *m = form_message(f, at(path));
	return m ? m : "";
}

/* Every field's errors and the document's; for failure messages. */
static const char *
dump_findings(void)
{
	static char buf[4096];
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i <= f->count; i++) {
		const struct findings *fs = i < f->count ? &f->fields[i].found
							 : &f->other;
		for (size_t k = 0; k < fs->count && used < sizeof(buf); k++)
			used += (size_t)snprintf(buf + used, sizeof(buf) - used,
						 "%s: %s\n", fs->items[k].path,
						 fs->items[k].message);
	}
	return buf;
}

static void
make_valid_symmetric(void)
{
	set("registrationId", "dev-1");
	set(TYPE, "symmetricKey");
	ck_assert_msg(form_submittable(f), "not valid:\n%s", dump_findings());
}

static cJSON *
get_example_body(void)
{
	char *raw = read_fixture(
		"spec/examples/IndividualEnrollment_Get_MaximumSet_Gen.json",
		NULL);
	ck_assert_ptr_nonnull(raw);
	cJSON *example = cJSON_Parse(raw);
	free(raw);
	ck_assert_ptr_nonnull(example);
	cJSON *responses = cJSON_GetObjectItem(example, "responses");
	cJSON *ok = cJSON_GetObjectItem(responses, "200");
	cJSON *body = cJSON_DetachItemFromObject(ok, "body");
	cJSON_Delete(example);
	ck_assert(cJSON_IsObject(body));
	return body;
}

START_TEST(new_form_is_blank_and_folds_advanced_groups)
{
	size_t n;
	schema_fields(&n);
	ck_assert_uint_eq(f->count, n);
	for (size_t i = 0; i < f->count; i++)
		ck_assert_str_eq(f->fields[i].text, "");
	ck_assert_int_eq(f->fields[at("registrationId")].depth, 0);
	ck_assert_int_eq(f->fields[at(EK)].depth, 2);
	ck_assert_int_eq(f->fields[at(CLIENT_CERT)].depth, 4);
	ck_assert(f->fields[at(SIGNING)].folded);
	ck_assert(f->fields[at("attestation.x509.caReferences")].folded);
	ck_assert(f->fields[at(CLIENT_CERTS ".secondary")].folded);
	ck_assert(!f->fields[at(CLIENT_CERTS)].folded);
	ck_assert_str_eq(focused_path(), "registrationId");
	ck_assert_ptr_null(doc_get_string(f->base, "etag"));
	ck_assert(!form_changed(f));
	ck_assert(!form_submittable(f));
	ck_assert_int_eq(form_mark(f, at("registrationId")), MARK_ERROR);
	ck_assert_int_eq(form_mark(f, at("deviceId")), MARK_NONE);
	ck_assert_int_eq(form_mark(f, at("capabilities")), MARK_NONE);
	/* nothing the service sets is shown before it has set it */
	ck_assert(!visible("etag"));
	ck_assert(!visible("registrationState"));
	ck_assert(!visible("registrationState.status"));
	ck_assert_int_eq(form_find(f, "no.such.field"), -1);
}
END_TEST

START_TEST(focus_order_skips_hidden_and_readonly_fields)
{
	static const char *const order[] = {
		"[Identity]", "registrationId", "deviceId",
		"[Attestation]", "attestation", TYPE,
		"attestation.symmetricKey", PRIMARY_KEY, SECONDARY_KEY,
		"[Allocation]", "allocationPolicy", "iotHubs", "iotHubHostName",
		"[Device settings]", "capabilities", "capabilities.iotEdge",
		"initialTwin", TAGS, "initialTwin.properties",
		"initialTwin.properties.desired", "optionalDeviceInformation",
		"[Status]", "provisioningStatus", "reprovisionPolicy",
		"reprovisionPolicy.updateHubAssignment",
		"reprovisionPolicy.migrateDeviceData",
	};
	size_t n = sizeof(order) / sizeof(order[0]);
	set(TYPE, "symmetricKey");
	ck_assert(!form_focus_first(f));	/* already there */
	ck_assert_str_eq(focused_path(), "registrationId");
	ck_assert(form_focus_prev(f));
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(focused_path(), order[i]);
		ck_assert(form_focus_next(f) == (i + 1 < n));
	}
	for (size_t i = n; i-- > 0;) {
		ck_assert_str_eq(focused_path(), order[i]);
		ck_assert(form_focus_prev(f) == (i > 0));
	}
	ck_assert(form_focus_last(f));
	ck_assert_str_eq(focused_path(), order[n - 1]);
	ck_assert(form_focus_by(f, -5));
	ck_assert_str_eq(focused_path(), order[n - 6]);
	ck_assert(form_focus_by(f, 100));
	ck_assert_str_eq(focused_path(), order[n - 1]);
	ck_assert(!form_focus_by(f, 1));
	ck_assert(form_focus_first(f));
	ck_assert_str_eq(focused_path(), "registrationId");
}
END_TEST

START_TEST(folded_sections_hide_their_rows)
{
	set("registrationId", "dev-1");
	set(TYPE, "tpm");
	f->section_folded[SECTION_ATTESTATION] = true;
	ck_assert(!visible(TYPE));
	ck_assert(!visible(EK));
	ck_assert(!form_focusable(f, at("attestation")));
	/* errors under a fold still count */
	ck_assert_int_eq(form_mark(f, at(EK)), MARK_ERROR);
	ck_assert(!form_submittable(f));

	ck_assert(form_focus_next(f));
	ck_assert(form_focus_next(f));
	ck_assert_str_eq(focused_path(), "[Attestation]");
	ck_assert(form_focus_next(f));
	ck_assert_str_eq(focused_path(), "[Allocation]");
	ck_assert(form_focus_next(f));
	ck_assert_str_eq(focused_path(), "allocationPolicy");

	ck_assert(form_focus_first_error(f));
	ck_assert(!f->section_folded[SECTION_ATTESTATION]);
	ck_assert_str_eq(focused_path(), EK);
	ck_assert(!f->on_section);

	/* a field that goes while its section folds leaves focus on the
	 * section's header */
	f->section_folded[SECTION_ATTESTATION] = true;
	set(TYPE, "x509");
	ck_assert_str_eq(focused_path(), "[Attestation]");
}
END_TEST

START_TEST(readonly_rows_take_focus_but_no_text)
{
	cJSON *body = get_example_body();
	form_load(f, body);
	cJSON_Delete(body);
	ck_assert(visible("etag"));
	ck_assert(form_focusable(f, at("etag")));
	ck_assert(visible("registrationState"));
	ck_assert(form_focusable(f, at("registrationState")));
	ck_assert(form_focusable(f, at("registrationState.errorMessage")));
	ck_assert(form_focusable(f, at("registrationId")));
	/* the arrows stop on every read-only row shown */
	size_t readonly_stops = 0;
	form_focus_first(f);
	do {
		if (f->on_section)
			continue;
		ck_assert(form_visible(f, f->focus));
		readonly_stops += f->fields[f->focus].def->kind == FK_READONLY;
	} while (form_focus_next(f));
	size_t readonly_shown = 0;
	for (size_t i = 0; i < f->count; i++)
		readonly_shown += visible(f->fields[i].def->path) &&
				  f->fields[i].def->kind == FK_READONLY;
	ck_assert_uint_gt(readonly_shown, 10);
	ck_assert_uint_eq(readonly_stops, readonly_shown);
	ck_assert_str_eq(focused_path(), "registrationState.payload");
	/* focus is no licence to edit */
	const char *msg = f->fields[at("registrationState.errorMessage")].text;
	char *before = strdup(msg);
	set("registrationState.errorMessage", "edited");
	form_cycle(f, at("registrationState.status"), 1);
	ck_assert_str_eq(f->fields[at("registrationState.errorMessage")].text, before);
	ck_assert(!form_changed(f));
	free(before);
}
END_TEST

START_TEST(attestation_type_switch_shows_its_rows)
{
	set(TYPE, "symmetricKey");
	set(PRIMARY_KEY, KEY_A);
	ck_assert(visible(PRIMARY_KEY));
	ck_assert(!visible(EK));
	ck_assert(!visible("attestation.x509"));

	set(TYPE, "tpm");
	ck_assert(visible("attestation.tpm"));
	ck_assert(visible(EK));
	ck_assert(visible(SRK));
	ck_assert(!visible("attestation.symmetricKey"));
	ck_assert(!visible(PRIMARY_KEY));
	ck_assert(!visible(SECONDARY_KEY));
	ck_assert_ptr_null(doc_get(f->current, "attestation.symmetricKey"));

	set(TYPE, "symmetricKey");
	ck_assert(visible(PRIMARY_KEY));
	ck_assert_str_eq(text(PRIMARY_KEY), KEY_A);
	ck_assert_str_eq(doc_get_string(f->current, PRIMARY_KEY), KEY_A);
}
END_TEST

START_TEST(custom_allocation_shows_the_webhook)
{
	ck_assert(!visible("customAllocationDefinition"));
	ck_assert(!visible("customAllocationDefinition.webhookUrl"));
	set("allocationPolicy", "custom");
	ck_assert(visible("customAllocationDefinition"));
	ck_assert(visible("customAllocationDefinition.webhookUrl"));
	ck_assert(visible("customAllocationDefinition.apiVersion"));
	ck_assert_int_eq(form_mark(f, at("customAllocationDefinition.webhookUrl")),
			 MARK_ERROR);
	set("allocationPolicy", "hashed");
	ck_assert(!visible("customAllocationDefinition.webhookUrl"));
}
END_TEST

START_TEST(folding_hides_children)
{
	set(TYPE, "x509");
	size_t signing = at(SIGNING);
	ck_assert(visible(SIGNING));
	ck_assert(!visible(SIGNING ".primary"));
	ck_assert(!visible(SIGNING ".primary.certificate"));
	form_toggle_fold(f, signing);
	/* advanced groups inside an advanced group open with it */
	ck_assert(visible(SIGNING ".primary"));
	ck_assert(visible(SIGNING ".primary.certificate"));
	ck_assert(visible(SIGNING ".secondary.certificate"));
	/* the client's secondary certificate has a fold of its own */
	ck_assert(visible(CLIENT_CERTS ".primary.certificate"));
	ck_assert(visible(CLIENT_CERTS ".secondary"));
	ck_assert(!visible(CLIENT_CERTS ".secondary.certificate"));

	f->focus = at(SIGNING ".primary.certificate");
	form_toggle_fold(f, signing);
	ck_assert(!visible(SIGNING ".primary.certificate"));
	ck_assert_uint_eq(f->focus, signing);

	/* a fold does not hide the group itself, even with nothing in it */
	form_toggle_fold(f, at("capabilities"));
	ck_assert(visible("capabilities"));
	ck_assert(!visible("capabilities.iotEdge"));
	/* folding a field that is no group does nothing */
	form_toggle_fold(f, at("registrationId"));
	ck_assert(!f->fields[at("registrationId")].folded);
}
END_TEST

START_TEST(validity_counts_visible_fields_only)
{
	set("registrationId", "dev-1");
	set(TYPE, "tpm");
	set(EK, "not a key!");
	ck_assert_int_eq(form_mark(f, at(EK)), MARK_ERROR);
	ck_assert(!form_submittable(f));
	size_t with_ek = f->errors;

	set(TYPE, "x509");
	ck_assert_str_eq(text(EK), "not a key!");
	ck_assert_ptr_null(form_message(f, at(EK)));
	ck_assert_ptr_null(doc_get(f->current, "attestation.tpm"));
	/* what is left is the certificate an X.509 enrollment needs, and it
	 * is the certificate row that says so */
	ck_assert_msg(f->errors == 1, "%s", dump_findings());
	ck_assert_int_eq(form_mark(f, at(CLIENT_CERT)), MARK_ERROR);

	set(TYPE, "symmetricKey");
	ck_assert_msg(form_submittable(f), "%s", dump_findings());
	ck_assert_uint_eq(f->errors, 0);

	set(TYPE, "tpm");
	ck_assert_uint_eq(f->errors, with_ek);
}
END_TEST

START_TEST(required_field_in_an_absent_group_is_marked)
{
	set("registrationId", "dev-1");
	set(TYPE, "tpm");
	ck_assert_int_eq(form_mark(f, at(EK)), MARK_ERROR);
	ck_assert(strstr(message(EK), "required"));
	ck_assert_int_eq(form_mark(f, at(SRK)), MARK_NONE);
	/* said once, on the field to fill in rather than on its group */
	ck_assert_int_eq(form_mark(f, at("attestation.tpm")), MARK_NONE);
	ck_assert_msg(f->errors == 1, "%s", dump_findings());
	set(EK, "x");
	ck_assert(!strstr(message(EK), "required"));

	form_reset(f);
	ck_assert(strstr(message(TYPE), "required"));
	ck_assert_int_eq(form_mark(f, at("attestation")), MARK_NONE);

	set("allocationPolicy", "custom");
	ck_assert(strstr(message("customAllocationDefinition.webhookUrl"),
			 "required"));
	ck_assert(strstr(message("customAllocationDefinition.apiVersion"),
			 "required"));
	ck_assert_ptr_null(form_message(f, at("customAllocationDefinition")));
}
END_TEST

START_TEST(first_error_unfolds_and_focuses)
{
	set("registrationId", "dev-1");
	set(TYPE, "x509");
	set(CLIENT_CERT, "not a certificate");
	form_toggle_fold(f, at(CLIENT_CERTS));
	form_toggle_fold(f, at("attestation.x509"));
	ck_assert(!visible(CLIENT_CERT));
	ck_assert_int_eq(form_mark(f, at(CLIENT_CERT)), MARK_ERROR);
	ck_assert(!form_submittable(f));

	ck_assert(form_focus_first_error(f));
	ck_assert_str_eq(focused_path(), CLIENT_CERT);
	ck_assert(visible(CLIENT_CERT));
	ck_assert(!f->fields[at("attestation.x509")].folded);
	ck_assert(!f->fields[at(CLIENT_CERTS)].folded);

	set(TYPE, "symmetricKey");
	ck_assert(!form_focus_first_error(f));
}
END_TEST

START_TEST(load_fills_texts_and_keeps_the_base)
{
	cJSON *body = get_example_body();
	cJSON_AddStringToObject(body, "futureField", "kept");
	cJSON_AddNumberToObject(cJSON_GetObjectItem(body, "attestation"),
				"futureDepth", 3);
	form_load(f, body);

	ck_assert_str_eq(doc_get_string(f->base, "etag"), "ngtrmhcikthymtknva");
	ck_assert_str_eq(text("etag"), "ngtrmhcikthymtknva");
	ck_assert_str_eq(text("registrationId"), "kz");
	ck_assert_str_eq(text(TYPE), "none");
	ck_assert_str_eq(text(EK), "naoofgjbxiulcitlysusxdvagyucgn");
	ck_assert_str_eq(text("capabilities.iotEdge"), "true");
	ck_assert_str_eq(text("iotHubs"), "lwgwrfdherfrbowfdbrdhvnragwrs");
	ck_assert_str_eq(text("registrationState.errorCode"), "2");
	ck_assert_str_eq(text("registrationState.payload"), "{}");
	ck_assert_str_eq(text(CLIENT_CERTS ".primary.info.version"), "12");
	ck_assert(strstr(text(TAGS), "\n  \"count\": 16,\n"));
	ck_assert(!strchr(text(TAGS), '\t'));
	ck_assert(!form_changed(f));
	ck_assert(!visible(EK));	/* type none */

	struct doc *d = form_to_doc(f);
	ck_assert_str_eq(doc_get_string(d, "futureField"), "kept");
	ck_assert_ptr_nonnull(doc_get(d, "attestation.futureDepth"));
	ck_assert_str_eq(doc_get_string(d, "registrationState.etag"),
			 "ctquvtjyhnomcmtddscxwjk");
	ck_assert_str_eq(doc_get_string(d, "etag"), "ngtrmhcikthymtknva");
	ck_assert_str_eq(doc_get_string(d, "createdDateTimeUtc"),
			 "2025-10-01T17:42:04.760Z");
	ck_assert(cJSON_Compare(doc_get(d, TAGS), json_path_get(body, TAGS), 1));
	ck_assert(cJSON_Compare(doc_get(d, "iotHubs"),
				json_path_get(body, "iotHubs"), 1));
	ck_assert(cJSON_IsTrue(doc_get(d, "capabilities.iotEdge")));
	/* rows that do not apply to type none are not sent */
	ck_assert_ptr_null(doc_get(d, "attestation.tpm"));
	ck_assert_ptr_null(doc_get(d, "attestation.x509"));
	ck_assert_ptr_null(doc_get(d, "customAllocationDefinition"));
	doc_free(d);
	cJSON_Delete(body);

	/* the unknown names are pointed out, on no field of their own */
	bool said = false;
	for (size_t k = 0; k < f->other.count; k++)
		said |= strcmp(f->other.items[k].path, "futureField") == 0;
	ck_assert_msg(said, "%s", dump_findings());
	ck_assert_uint_ge(f->warnings, 2);
}
END_TEST

START_TEST(json_texts_are_laid_out_for_editing)
{
	cJSON *body = cJSON_Parse(
		"{\"initialTwin\":{\"tags\":{},\"properties\":{\"desired\":"
		"{\"a\":{\"b\":[1,{}],\"c\":\"x\\ty\"}}}},"
		"\"iotHubs\":[\"h1\",2,\"h3\"]}");
	form_load(f, body);
	ck_assert_str_eq(text(TAGS), "{}");
	ck_assert_str_eq(text("initialTwin.properties.desired"),
			 "{\n  \"a\": {\n    \"b\": [\n      1,\n      {}\n    ],\n"
			 "    \"c\": \"x\\ty\"\n  }\n}");
	ck_assert_str_eq(text("iotHubs"), "h1\n2\nh3");
	/* the text reads back as the same value */
	ck_assert(cJSON_Compare(doc_get(f->current,
				       "initialTwin.properties.desired"),
				json_path_get(body, "initialTwin.properties.desired"),
				1));
	cJSON_Delete(body);
}
END_TEST

START_TEST(reset_forgets_the_loaded_copy)
{
	cJSON *body = get_example_body();
	form_load(f, body);
	cJSON_Delete(body);
	set("registrationId", "changed");
	ck_assert(form_changed(f));
	form_reset(f);
	ck_assert_ptr_null(doc_get_string(f->base, "etag"));
	ck_assert_str_eq(text("registrationId"), "");
	ck_assert_str_eq(text(EK), "");
	ck_assert(!form_changed(f));
	struct doc *d = form_to_doc(f);
	ck_assert_ptr_null(d->root->child);
	doc_free(d);
}
END_TEST

START_TEST(twin_syntax_error_names_line_and_column)
{
	make_valid_symmetric();
	set(TAGS, "{\n  \"site\": \"bench\",\n  \"x\": }");
	ck_assert_int_eq(form_mark(f, at(TAGS)), MARK_ERROR);
	ck_assert_msg(strstr(message(TAGS), "line 3, column 8"), "%s",
		      message(TAGS));
	ck_assert(!form_submittable(f));
	ck_assert_ptr_null(doc_get(f->current, "initialTwin"));
	ck_assert_str_eq(doc_get_string(f->current, "registrationId"), "dev-1");

	set(TAGS, "[1, 2]");
	ck_assert_int_eq(form_mark(f, at(TAGS)), MARK_ERROR);
	ck_assert_ptr_null(doc_get(f->current, "initialTwin"));

	set(TAGS, "{\"site\": \"bench\"}");
	ck_assert_int_eq(form_mark(f, at(TAGS)), MARK_OK);
	ck_assert_str_eq(doc_get_string(f->current, TAGS ".site"), "bench");
	ck_assert(form_submittable(f));
}
END_TEST

START_TEST(twin_content_errors_land_on_the_twin_field)
{
	make_valid_symmetric();
	set(TAGS, "{\"bad name\": 1}");
	ck_assert_int_eq(form_mark(f, at(TAGS)), MARK_ERROR);
	ck_assert(strstr(message(TAGS), "bad name"));
	ck_assert_uint_eq(findings_count(&f->other, SEV_ERROR), 0);
}
END_TEST

START_TEST(cycle_offers_unset_for_optional_enums_only)
{
	size_t type = at(TYPE);
	static const char *const types[] = { "none", "tpm", "x509",
					     "symmetricKey", "none" };
	for (size_t k = 0; k < 5; k++) {
		form_cycle(f, type, 1);
		ck_assert_str_eq(text(TYPE), types[k]);
	}
	form_cycle(f, type, -1);
	ck_assert_str_eq(text(TYPE), "symmetricKey");

	size_t policy = at("allocationPolicy");
	static const char *const policies[] = { "hashed", "geoLatency",
						"static", "custom", "" };
	for (size_t k = 0; k < 5; k++) {
		form_cycle(f, policy, 1);
		ck_assert_str_eq(text("allocationPolicy"), policies[k]);
	}
	form_cycle(f, policy, -1);
	ck_assert_str_eq(text("allocationPolicy"), "custom");

	size_t edge = at("capabilities.iotEdge");
	static const char *const bools[] = { "true", "false", "" };
	for (size_t k = 0; k < 3; k++) {
		form_cycle(f, edge, 1);
		ck_assert_str_eq(text("capabilities.iotEdge"), bools[k]);
	}

	/* typed text that is no value starts the cycle at an end */
	set("provisioningStatus", "Enabled");
	form_cycle(f, at("provisioningStatus"), -1);
	ck_assert_str_eq(text("provisioningStatus"), "disabled");

	form_cycle(f, at("registrationId"), 1);
	ck_assert_str_eq(text("registrationId"), "");
}
END_TEST

START_TEST(blank_optional_fields_are_not_sent)
{
	make_valid_symmetric();
	set("deviceId", "   ");
	set("allocationPolicy", "");
	set("capabilities.iotEdge", "");
	set("iotHubs", "\n  \n");
	set(TAGS, "  ");
	set(PRIMARY_KEY, "");
	struct doc *d = form_to_doc(f);
	char *json = doc_serialize(d, false);
	ck_assert_str_eq(json, "{\"registrationId\":\"dev-1\","
			 "\"attestation\":{\"type\":\"symmetricKey\"}}");
	free(json);
	doc_free(d);
	ck_assert_int_eq(form_mark(f, at("deviceId")), MARK_NONE);
	ck_assert_int_eq(form_mark(f, at("registrationId")), MARK_OK);
}
END_TEST

START_TEST(list_and_bool_texts_become_json)
{
	make_valid_symmetric();
	set("iotHubs", " a.azure-devices.net\n\nb.azure-devices.net , "
	    "c.azure-devices.net \n");
	set("reprovisionPolicy.updateHubAssignment", "false");
	set("reprovisionPolicy.migrateDeviceData", "true");
	const cJSON *hubs = doc_get(f->current, "iotHubs");
	ck_assert_int_eq(cJSON_GetArraySize(hubs), 3);
	ck_assert_str_eq(cJSON_GetArrayItem(hubs, 0)->valuestring,
			 "a.azure-devices.net");
	ck_assert_str_eq(cJSON_GetArrayItem(hubs, 1)->valuestring,
			 "b.azure-devices.net");
	ck_assert_str_eq(cJSON_GetArrayItem(hubs, 2)->valuestring,
			 "c.azure-devices.net");
	ck_assert(cJSON_IsFalse(doc_get(f->current,
				       "reprovisionPolicy.updateHubAssignment")));
	ck_assert_msg(form_submittable(f), "%s", dump_findings());

	/* one of a pair alone: its partner is required with it */
	set("reprovisionPolicy.migrateDeviceData", "");
	ck_assert_int_eq(form_mark(f, at("reprovisionPolicy.migrateDeviceData")),
			 MARK_ERROR);

	set("iotHubs", "a.azure-devices.net\nhttps://b.azure-devices.net");
	ck_assert_int_eq(form_mark(f, at("iotHubs")), MARK_ERROR);
	ck_assert(strstr(message("iotHubs"), "https://"));
}
END_TEST

START_TEST(secrets_survive_a_type_switch)
{
	make_valid_symmetric();
	set(PRIMARY_KEY, KEY_A);
	set(SECONDARY_KEY, KEY_B);
	f->fields[at(PRIMARY_KEY)].revealed = true;
	set(TYPE, "x509");
	set(TYPE, "tpm");
	ck_assert_ptr_null(doc_get(f->current, "attestation.symmetricKey"));
	set(TYPE, "symmetricKey");
	ck_assert_str_eq(text(PRIMARY_KEY), KEY_A);
	ck_assert_str_eq(text(SECONDARY_KEY), KEY_B);
	ck_assert_str_eq(doc_get_string(f->current, SECONDARY_KEY), KEY_B);
	ck_assert_msg(form_submittable(f), "%s", dump_findings());

	/* a loaded record starts with its secrets masked */
	cJSON *body = get_example_body();
	form_load(f, body);
	cJSON_Delete(body);
	ck_assert(!f->fields[at(PRIMARY_KEY)].revealed);
	ck_assert_str_eq(text(PRIMARY_KEY), "tdoshkmlo");
}
END_TEST

START_TEST(changed_compares_with_what_was_loaded)
{
	ck_assert(!form_changed(f));
	set("deviceId", "x");
	ck_assert(form_changed(f));
	set("deviceId", "");
	ck_assert(!form_changed(f));

	cJSON *body = get_example_body();
	form_load(f, body);
	cJSON_Delete(body);
	ck_assert(!form_changed(f));
	form_cycle(f, at("allocationPolicy"), 1);
	ck_assert(form_changed(f));
	form_cycle(f, at("allocationPolicy"), -1);
	ck_assert(!form_changed(f));
	/* read-only and group rows cannot be edited */
	set("etag", "other");
	set("attestation", "x");
	ck_assert(!form_changed(f));
}
END_TEST

/* A GET gives a certificate's info, never the certificate: the blank
 * field stands for the one the service keeps, the update sends the info
 * back (which keeps it), and a certificate typed in replaces it. */
START_TEST(a_certificate_the_service_keeps_counts_as_set)
{
	cJSON *body = cJSON_Parse(
		"{\"registrationId\":\"dev-1\",\"etag\":\"e1\","
		"\"attestation\":{\"type\":\"x509\",\"x509\":"
		"{\"clientCertificates\":{\"primary\":{\"info\":"
		"{\"subjectName\":\"CN=dev-1\",\"sha256Thumbprint\":\"AB12\","
		"\"notAfterUtc\":\"2027-01-01T00:00:00Z\"}}}}}}");
	form_load(f, body);
	cJSON_Delete(body);
	ck_assert_str_eq(text(CLIENT_CERT), "");
	const cJSON *kept = form_kept_certificate(f, at(CLIENT_CERT));
	ck_assert_ptr_nonnull(kept);
	ck_assert_str_eq(cJSON_GetObjectItem(kept, "sha256Thumbprint")->valuestring,
			 "AB12");
	ck_assert_int_eq(form_mark(f, at(CLIENT_CERT)), MARK_OK);
	ck_assert(form_submittable(f));
	ck_assert_ptr_null(form_kept_certificate(f, at("registrationId")));
	struct doc *d = form_to_doc(f);
	ck_assert_ptr_null(doc_get(d, CLIENT_CERT));
	ck_assert_str_eq(doc_get_string(d, CLIENT_CERTS ".primary.info.sha256Thumbprint"),
			 "AB12");
	doc_free(d);

	set(CLIENT_CERT, "not a certificate");
	ck_assert_ptr_null(form_kept_certificate(f, at(CLIENT_CERT)));
	ck_assert_int_eq(form_mark(f, at(CLIENT_CERT)), MARK_ERROR);

	/* a new enrollment has nothing on the service */
	form_reset(f);
	set(TYPE, "x509");
	ck_assert_ptr_null(form_kept_certificate(f, at(CLIENT_CERT)));
	ck_assert_int_eq(form_mark(f, at(CLIENT_CERT)), MARK_ERROR);
}
END_TEST

START_TEST(hiding_the_focused_field_moves_focus_up)
{
	set(TYPE, "symmetricKey");
	f->focus = at(SECONDARY_KEY);
	set(TYPE, "none");
	ck_assert(form_focusable(f, f->focus));
	ck_assert_str_eq(focused_path(), TYPE);
}
END_TEST

START_TEST(findings_without_a_field_are_document_wide)
{
	cJSON *body = cJSON_Parse("{\"registrationId\":\"d\","
				  "\"attestation\":{\"type\":\"symmetricKey\","
				  "\"symmetricKey\":{\"keyName\":\"x\"}},"
				  "\"registrationID\":\"x\"}");
	form_load(f, body);
	cJSON_Delete(body);
	ck_assert_uint_eq(f->errors, 0);
	ck_assert_uint_eq(f->warnings, 2);
	ck_assert_uint_eq(f->other.count, 2);
	ck_assert(form_submittable(f));
	struct doc *d = form_to_doc(f);
	ck_assert_str_eq(doc_get_string(d, "registrationID"), "x");
	ck_assert_str_eq(doc_get_string(d, "attestation.symmetricKey.keyName"),
			 "x");
	doc_free(d);
}
END_TEST

START_TEST(messages_put_errors_before_warnings)
{
	set(TYPE, "none");
	ck_assert_int_eq(form_mark(f, at(TYPE)), MARK_WARNING);
	ck_assert(strstr(message(TYPE), "'none'"));
	set(TYPE, "TPM");
	ck_assert_int_eq(form_mark(f, at(TYPE)), MARK_ERROR);
	ck_assert(strstr(message(TYPE), "did you mean 'tpm'"));
}
END_TEST

Suite *
form_suite(void)
{
	Suite *s = suite_create("form");
	TCase *tc = tcase_create("form");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, new_form_is_blank_and_folds_advanced_groups);
	tcase_add_test(tc, focus_order_skips_hidden_and_readonly_fields);
	tcase_add_test(tc, folded_sections_hide_their_rows);
	tcase_add_test(tc, readonly_rows_take_focus_but_no_text);
	tcase_add_test(tc, attestation_type_switch_shows_its_rows);
	tcase_add_test(tc, custom_allocation_shows_the_webhook);
	tcase_add_test(tc, folding_hides_children);
	tcase_add_test(tc, validity_counts_visible_fields_only);
	tcase_add_test(tc, required_field_in_an_absent_group_is_marked);
	tcase_add_test(tc, first_error_unfolds_and_focuses);
	tcase_add_test(tc, load_fills_texts_and_keeps_the_base);
	tcase_add_test(tc, json_texts_are_laid_out_for_editing);
	tcase_add_test(tc, reset_forgets_the_loaded_copy);
	tcase_add_test(tc, twin_syntax_error_names_line_and_column);
	tcase_add_test(tc, twin_content_errors_land_on_the_twin_field);
	tcase_add_test(tc, cycle_offers_unset_for_optional_enums_only);
	tcase_add_test(tc, blank_optional_fields_are_not_sent);
	tcase_add_test(tc, list_and_bool_texts_become_json);
	tcase_add_test(tc, secrets_survive_a_type_switch);
	tcase_add_test(tc, changed_compares_with_what_was_loaded);
	tcase_add_test(tc, a_certificate_the_service_keeps_counts_as_set);
	tcase_add_test(tc, hiding_the_focused_field_moves_focus_up);
	tcase_add_test(tc, findings_without_a_field_are_document_wide);
	tcase_add_test(tc, messages_put_errors_before_warnings);
	suite_add_tcase(s, tc);
	return s;
}
