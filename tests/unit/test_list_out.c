/* dpsenroll list's output formats: CSV quoted as RFC 4180 says, TSV
 * without a tab or line end inside a value, JSON that parses, and a
 * table of one line per row (a message's line ends do not break it)
 * whose lines end without padding. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "app/fleet_row.h"
#include "cli/list_out.h"

static struct fleet_rows *
two_rows(void)
{
	struct fleet_rows *s = fleet_rows_new();
	cJSON *e = cJSON_Parse("[{\"registrationId\":\"a-1\",\"deviceId\":"
			       "\"box-1\",\"attestation\":{\"type\":\"tpm\"},"
			       "\"provisioningStatus\":\"enabled\"},"
			       "{\"registrationId\":\"b-2\",\"attestation\":"
			       "{\"type\":\"x509\"}}]");
	fleet_rows_add_page(s, e);
	cJSON_Delete(e);
	cJSON *st = cJSON_Parse("{\"status\":\"failed\",\"errorCode\":400209,"
				"\"errorMessage\":\"webhook said \\\"no\\\", "
				"then\\tgave\\nup\"}");
	fleet_rows_set_state(s, 0, st, 1);
	cJSON_Delete(st);
	fleet_rows_set_no_state(s, 1, 1);
	return s;
}

/* The whole output of the two rows in `format`; the caller frees. */
static char *
render(enum list_format format, bool with_state)
{
	struct fleet_rows *s = two_rows();
	struct fleet_view v = FLEET_VIEW_INIT;
	fleet_view_set_sort(&v, s, FLEET_COL_COUNT, false);
	fleet_view_rebuild(&v, s);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct list_out o = { .format = format, .with_state = with_state,
			      .f = f };
	list_out_rows(&o, s, &v);
	list_out_end(&o);
	fclose(f);
	fleet_view_clear(&v);
	fleet_rows_free(s);
	return text;
}

START_TEST(csv_quotes_what_needs_it)
{
	char *t = render(LIST_CSV, true);
	ck_assert_str_eq(t,
		"registrationId,deviceId,attestation,provisioningStatus,"
		"registrationStatus,assignedHub,lastUpdated,etag,"
		"registrationUpdated,errorCode,errorMessage\n"
		"a-1,box-1,tpm,enabled,failed,,,,,400209,"
		"\"webhook said \"\"no\"\", then\tgave\nup\"\n"
		"b-2,,x509,,unassigned,,,,,,\n");
	free(t);
}
END_TEST

START_TEST(tsv_has_no_tab_inside_a_value)
{
	char *t = render(LIST_TSV, true);
	ck_assert_ptr_nonnull(strstr(t, "\t400209\twebhook said \"no\", then "
				     "gave up\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nb-2\t\tx509\t\tunassigned\t"));
	free(t);
	t = render(LIST_TSV, false);
	ck_assert_str_eq(t, "registrationId\tdeviceId\tattestation\t"
			 "provisioningStatus\tlastUpdated\tetag\n"
			 "a-1\tbox-1\ttpm\tenabled\t\t\n"
			 "b-2\t\tx509\t\t\t\n");
	free(t);
}
END_TEST

START_TEST(json_and_json_lines_parse)
{
	char *t = render(LIST_JSON, true);
	cJSON *all = cJSON_Parse(t);
	ck_assert(cJSON_IsArray(all));
	ck_assert_int_eq(cJSON_GetArraySize(all), 2);
	cJSON *a = cJSON_GetArrayItem(all, 0);
	ck_assert_int_eq(cJSON_GetObjectItem(a, "errorCode")->valueint,
			 400209);
	ck_assert_str_eq(cJSON_GetObjectItem(a, "errorMessage")->valuestring,
			 "webhook said \"no\", then\tgave\nup");
	ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetArrayItem(all, 1),
					       "errorCode"));
	ck_assert_ptr_null(cJSON_GetObjectItem(a, "error"));
	cJSON_Delete(all);
	free(t);
	t = render(LIST_JSONL, false);
	char *nl = strchr(t, '\n');
	ck_assert_ptr_nonnull(nl);
	*nl = '\0';
	cJSON *first = cJSON_Parse(t);
	ck_assert_str_eq(cJSON_GetObjectItem(first, "registrationId")
			 ->valuestring, "a-1");
	ck_assert_ptr_null(cJSON_GetObjectItem(first, "registrationStatus"));
	cJSON_Delete(first);
	free(t);
}
END_TEST

START_TEST(table_lines_end_without_padding)
{
	char *t = render(LIST_TABLE, true);
	ck_assert_str_eq(t,
		"REGISTRATION ID  DEVICE ID  ATTESTATION  PROVISIONING  "
		"STATUS      HUB  LAST UPDATED  ERROR\n"
		"a-1              box-1      tpm          enabled       "
		"failed                         400209: webhook said \"no\", "
		"then gave up\n"
		"b-2                         x509                       "
		"unassigned\n");
	free(t);
	t = render(LIST_JSON, false);
	free(t);
}
END_TEST

START_TEST(formats_by_name)
{
	ck_assert_int_eq(list_format_parse("table"), LIST_TABLE);
	ck_assert_int_eq(list_format_parse("jsonl"), LIST_JSONL);
	ck_assert_int_eq(list_format_parse("csv"), LIST_CSV);
	ck_assert_int_eq(list_format_parse("CSV"), -1);
	ck_assert_int_eq(list_format_parse("xml"), -1);
}
END_TEST

Suite *
list_out_suite(void)
{
	Suite *s = suite_create("list_out");
	TCase *tc = tcase_create("formats");
	tcase_add_test(tc, csv_quotes_what_needs_it);
	tcase_add_test(tc, tsv_has_no_tab_inside_a_value);
	tcase_add_test(tc, json_and_json_lines_parse);
	tcase_add_test(tc, table_lines_end_without_padding);
	tcase_add_test(tc, formats_by_name);
	suite_add_tcase(s, tc);
	return s;
}
