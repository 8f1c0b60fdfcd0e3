/* The pieces of an import that need no service: CSV records with the
 * lines they start on, a header's columns, cells set over a template,
 * and the progress file read back as written. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"
#include "app/import_state.h"
#include "app/station.h"
#include "base/csv.h"
#include "base/xalloc.h"
#include "model/import_row.h"

static enum csv_step
next(struct csv_reader *r, struct csv_record *rec)
{
	char *why = NULL;
	enum csv_step st = csv_next(r, rec, &why);
	free(why);
	return st;
}

START_TEST(csv_quoted_fields_span_lines_and_keep_their_quotes)
{
	const char *text = "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z\n";
	struct csv_reader r;
	struct csv_record rec = { 0 };
	csv_reader_init(&r, text, strlen(text));
	ck_assert_int_eq(next(&r, &rec), CSV_RECORD);
	ck_assert_uint_eq(rec.count, 2);
	ck_assert_uint_eq(rec.line, 1);
	ck_assert_int_eq(next(&r, &rec), CSV_RECORD);
	ck_assert_str_eq(rec.fields[0], "x, y");
	ck_assert_str_eq(rec.fields[1], "say \"hi\"");
	ck_assert_uint_eq(rec.line, 2);
	ck_assert_int_eq(next(&r, &rec), CSV_RECORD);
	ck_assert_str_eq(rec.fields[0], "two\nlines");
	ck_assert_str_eq(rec.fields[1], "z");
	ck_assert_uint_eq(rec.line, 4);
	ck_assert_int_eq(next(&r, &rec), CSV_END);
	csv_record_clear(&rec);
}
END_TEST

START_TEST(csv_unclosed_quote_names_its_line)
{
	const char *text = "a\n\"open\nstill\n";
	struct csv_reader r;
	struct csv_record rec = { 0 };
	char *why = NULL;
	csv_reader_init(&r, text, strlen(text));
	ck_assert_int_eq(csv_next(&r, &rec, &why), CSV_RECORD);
	ck_assert_int_eq(csv_next(&r, &rec, &why), CSV_ERROR);
	ck_assert_msg(strstr(why, "line 2") && strstr(why, "never closed"), "%s",
		      why);
	free(why);
	csv_record_clear(&rec);
}
END_TEST

START_TEST(csv_empty_last_field_and_bom)
{
	const char *text = "\xEF\xBB\xBFid,site\nd1,\n";
	struct csv_reader r;
	struct csv_record rec = { 0 };
	csv_reader_init(&r, text, strlen(text));
	ck_assert_int_eq(next(&r, &rec), CSV_RECORD);
	ck_assert_str_eq(rec.fields[0], "id");
	ck_assert_int_eq(next(&r, &rec), CSV_RECORD);
	ck_assert_uint_eq(rec.count, 2);
	ck_assert_str_eq(rec.fields[1], "");
	csv_record_clear(&rec);
}
END_TEST

static bool
read_header(const char *const *names, size_t n, struct import_columns *cols,
	    struct findings *fs)
{
	return import_columns_read((char *const *)names, n, cols, fs);
}

START_TEST(header_names_fields_members_and_refuses_the_rest)
{
	const char *good[] = { "registrationId", "initialTwin.tags.site",
			       "capabilities.iotEdge", "iotHubs" };
	struct import_columns cols = { 0 };
	struct findings fs;
	findings_init(&fs);
	ck_assert(read_header(good, 4, &cols, &fs));
	ck_assert(cols.items[1].member);
	ck_assert_str_eq(cols.items[1].row->path, "initialTwin.tags");
	import_columns_clear(&cols);

	const char *bad[] = { "registrationid", "etag", "attestation",
			      "registrationId", "registrationId" };
	ck_assert(!read_header(bad, 5, &cols, &fs));
	ck_assert(findings_has_path(&fs, "registrationid", SEV_ERROR));
	ck_assert_msg(strstr(fs.items[0].message, "did you mean 'registrationId'"),
		      "%s", fs.items[0].message);
	ck_assert(findings_has_path(&fs, "etag", SEV_ERROR));
	ck_assert(findings_has_path(&fs, "attestation", SEV_ERROR));
	ck_assert_msg(strstr(fs.items[fs.count - 1].message, "twice"), "%s",
		      fs.items[fs.count - 1].message);
	import_columns_clear(&cols);
	findings_clear(&fs);
}
END_TEST

START_TEST(cells_go_over_the_template_typed_by_the_schema)
{
	const char *names[] = { "registrationId", "initialTwin.tags.site",
				"capabilities.iotEdge", "iotHubs",
				"provisioningStatus" };
	const char *cells[] = { "d1", "bench-3", "true", "a.azure-devices.net, "
				"b.azure-devices.net", "" };
	struct import_columns cols = { 0 };
	struct findings fs;
	findings_init(&fs);
	ck_assert(read_header(names, 5, &cols, &fs));
	struct json_error err;
	const char *t = "{\"provisioningStatus\":\"disabled\","
			"\"initialTwin\":{\"tags\":{\"line\":\"A\"}}}";
	struct doc *d = doc_parse(t, strlen(t), &err);
	ck_assert_ptr_nonnull(d);
	for (size_t i = 0; i < 5; i++)
		import_cell_set(d, &cols.items[i], cells[i], &fs);
	ck_assert_uint_eq(fs.count, 0);
	ck_assert_str_eq(doc_get_string(d, "initialTwin.tags.site"), "bench-3");
	ck_assert_str_eq(doc_get_string(d, "initialTwin.tags.line"), "A");
	ck_assert(cJSON_IsTrue(doc_get(d, "capabilities.iotEdge")));
	ck_assert_int_eq(cJSON_GetArraySize(doc_get(d, "iotHubs")), 2);
	ck_assert_str_eq(doc_get_string(d, "provisioningStatus"), "disabled");
	ck_assert_ptr_eq(import_column_of(&cols, "iotHubs[1]"), &cols.items[3]);
	ck_assert_ptr_null(import_column_of(&cols, "attestation.type"));
	doc_free(d);
	import_columns_clear(&cols);
	findings_clear(&fs);
}
END_TEST

START_TEST(json_line_merges_member_by_member)
{
	struct json_error err;
	const char *t = "{\"initialTwin\":{\"tags\":{\"line\":\"A\",\"site\":\"x\"}}}";
	struct doc *d = doc_parse(t, strlen(t), &err);
	cJSON *over = cJSON_Parse("{\"registrationId\":\"d\",\"initialTwin\":"
				  "{\"tags\":{\"site\":\"y\"}}}");
	import_merge(d, over);
	ck_assert_str_eq(doc_get_string(d, "initialTwin.tags.line"), "A");
	ck_assert_str_eq(doc_get_string(d, "initialTwin.tags.site"), "y");
	ck_assert_str_eq(doc_get_string(d, "registrationId"), "d");
	cJSON_Delete(over);
	doc_free(d);
}
END_TEST

START_TEST(state_file_reads_back_private)
{
	char dir[] = "/tmp/dpsenroll-import-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *path = xasprintf("%s/r.csv.state", dir);
	struct import_state s = { 0 };
	char digest[IMPORT_DIGEST_SIZE];
	import_digest("{\"registrationId\":\"b\"}", digest);
	import_state_add_done(&s, "b", digest, 3, "created", 200);
	import_state_add_done(&s, "a", digest, 2, "applied", 200);
	import_state_add_in_flight(&s, "c");
	char *why = NULL;
	ck_assert_msg(import_state_save(path, &s, "create", &why), "%s", why);
	import_state_clear(&s);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_msg(import_state_load(path, &s, &why), "%s", why);
	const struct import_done *a = import_state_done(&s, "a");
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a->outcome, "applied");
	ck_assert_uint_eq(a->line, 2);
	ck_assert_str_eq(a->digest, digest);
	ck_assert(import_state_in_flight(&s, "c"));
	ck_assert(!import_state_in_flight(&s, "a"));
	ck_assert_ptr_null(import_state_done(&s, "c"));
	import_state_clear(&s);
	FILE *f = fopen(path, "w");
	fputs("{\"version\":1,\"done\":[{\"id\":3}]}", f);
	fclose(f);
	ck_assert(!import_state_load(path, &s, &why));
	ck_assert_msg(strstr(why, "not an import's progress file"), "%s", why);
	free(why);
	unlink(path);
	rmdir(dir);
	free(path);
}
END_TEST

static bool
rules_of(const char *json, struct station_rules *r, cJSON **tmpl, char **why)
{
	*tmpl = cJSON_Parse(json);
	ck_assert_ptr_nonnull(*tmpl);
	return station_rules_take(*tmpl, r, why);
}

START_TEST(station_rules_pattern_split_and_keys_folder)
{
	struct station_rules r;
	cJSON *t;
	char *why = NULL;
	ck_assert(rules_of("{\"attestation\":{\"type\":\"tpm\"},\"station\":"
			   "{\"idPattern\":\"^bench-[0-9]{6}$\",\"split\":"
			   "{\"separator\":\";\",\"fields\":[\"registrationId\","
			   "\"attestation.tpm.endorsementKey\"]},\"keysFolder\":\"k\"}}",
			   &r, &t, &why));
	/* the rules are not part of what is sent */
	ck_assert_ptr_null(cJSON_GetObjectItem(t, "station"));
	ck_assert(station_id_fits(&r, "bench-000101"));
	ck_assert(!station_id_fits(&r, "bench-12"));
	ck_assert(!station_id_fits(&r, "xbench-000101"));
	char *parts[2] = { NULL, NULL };
	ck_assert_uint_eq(station_split(&r, "bench-000101;AT;oA", parts), 2);
	ck_assert_str_eq(parts[0], "bench-000101");
	ck_assert_str_eq(parts[1], "AT;oA");	/* the last part keeps the rest */
	free(parts[0]);
	free(parts[1]);
	ck_assert_uint_eq(station_split(&r, "bench-000101", parts), 0);
	ck_assert_str_eq(r.keys_folder, "k");
	station_rules_clear(&r);
	cJSON_Delete(t);

	ck_assert(!rules_of("{\"station\":{\"idPattern\":\"([\"}}", &r, &t, &why));
	ck_assert_msg(strstr(why, "is not a regular expression"), "%s", why);
	free(why);
	why = NULL;
	cJSON_Delete(t);
	ck_assert(!rules_of("{\"station\":{\"split\":{\"separator\":\";\","
			    "\"fields\":[\"registrationId\",\"ek\"]}}}", &r, &t,
			    &why));
	ck_assert_msg(strstr(why, "'ek' is not a field"), "%s", why);
	free(why);
	cJSON_Delete(t);
	/* no rules: any id */
	ck_assert(rules_of("{}", &r, &t, &why));
	ck_assert(station_id_fits(&r, "anything"));
	station_rules_clear(&r);
	cJSON_Delete(t);
}
END_TEST

/* What a template never gives a batch comes from the schema's rows: the
 * id, device id, TPM keys, a whole client certificate group and the
 * symmetric keys; a CA reference or the allocation stays the batch's. */
START_TEST(a_template_keeps_none_of_a_devices_own_values)
{
	cJSON *t = cJSON_Parse("{\"registrationId\":\"r\",\"deviceId\":\"d\","
		"\"allocationPolicy\":\"hashed\",\"attestation\":{\"type\":\"tpm\","
		"\"tpm\":{\"endorsementKey\":\"AA==\",\"storageRootKey\":\"AA==\"},"
		"\"x509\":{\"clientCertificates\":{\"primary\":{\"certificate\":\"c\"}},"
		"\"caReferences\":{\"primary\":\"ca\"}},"
		"\"symmetricKey\":{\"primaryKey\":\"k\",\"secondaryKey\":\"k\"}}}");
	char *held = station_per_device_held(t);
	ck_assert_str_eq(held, "registrationId, deviceId, "
			 "attestation.tpm.endorsementKey, "
			 "attestation.tpm.storageRootKey, "
			 "attestation.x509.clientCertificates, "
			 "attestation.symmetricKey.primaryKey, "
			 "attestation.symmetricKey.secondaryKey");
	free(held);
	station_drop_per_device(t);
	ck_assert_ptr_null(station_per_device_held(t));
	char *left = cJSON_PrintUnformatted(t);
	ck_assert_str_eq(left, "{\"allocationPolicy\":\"hashed\",\"attestation\":"
			 "{\"type\":\"tpm\",\"tpm\":{},\"x509\":{\"caReferences\":"
			 "{\"primary\":\"ca\"}},\"symmetricKey\":{}}}");
	free(left);
	cJSON_Delete(t);
}
END_TEST

Suite *
import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *t = tcase_create("import");
	tcase_add_test(t, csv_quoted_fields_span_lines_and_keep_their_quotes);
	tcase_add_test(t, csv_unclosed_quote_names_its_line);
	tcase_add_test(t, csv_empty_last_field_and_bom);
	tcase_add_test(t, header_names_fields_members_and_refuses_the_rest);
	tcase_add_test(t, cells_go_over_the_template_typed_by_the_schema);
	tcase_add_test(t, json_line_merges_member_by_member);
	tcase_add_test(t, state_file_reads_back_private);
	tcase_add_test(t, station_rules_pattern_split_and_keys_folder);
	tcase_add_test(t, a_template_keeps_none_of_a_devices_own_values);
	suite_add_tcase(s, t);
	return s;
}
