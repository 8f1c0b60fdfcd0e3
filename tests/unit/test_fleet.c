/* The fleet list's rows and views: rows from enrollments and states,
 * interned texts, lookup by id, the typed filter, sorting and pages
 * merged into a sorted view. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "quoted_json.h"
#include "app/fleet_row.h"
#include "base/strpool.h"
#include "base/xalloc.h"

static long
add(struct fleet_rows *s, const char *id, const char *device,
    const char *type, const char *prov)
{
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "registrationId", id);
	if (device)
		cJSON_AddStringToObject(e, "deviceId", device);
	cJSON *att = cJSON_AddObjectToObject(e, "attestation");
	cJSON_AddStringToObject(att, "type", type);
	cJSON_AddStringToObject(e, "provisioningStatus", prov);
	cJSON_AddStringToObject(e, "etag", "\"e-1\"");
	cJSON_AddStringToObject(e, "lastUpdatedDateTimeUtc",
				"2026-12-01T10:00:00Z");
	long at = fleet_rows_add_enrollment(s, e);
	cJSON_Delete(e);
	return at;
}

static void
set_state(struct fleet_rows *s, size_t i, const char *json, int64_t now)
{
	cJSON *st = quoted_json(json);
	fleet_rows_set_state(s, i, st, now);
	cJSON_Delete(st);
}

static const char *
text(const struct fleet_rows *s, size_t i, enum fleet_col c)
{
	return fleet_row_text(s, fleet_rows_at(s, i), c);
}

START_TEST(pool_keeps_each_text_once)
{
	struct strpool p = STRPOOL_INIT;
	uint32_t a = strpool_intern(&p, "hub-1.azure-devices.net");
	uint32_t b = strpool_intern(&p, "hub-2.azure-devices.net");
	ck_assert_uint_ne(a, b);
	ck_assert_uint_eq(strpool_intern(&p, "hub-1.azure-devices.net"), a);
	ck_assert_uint_eq(strpool_intern(&p, ""), 0);
	ck_assert_uint_eq(strpool_intern(&p, NULL), 0);
	ck_assert_str_eq(strpool_get(&p, 0), "");
	/* References stay valid while the pool grows and rehashes. */
	char buf[32];
	for (int i = 0; i < 20000; i++) {
		snprintf(buf, sizeof(buf), "text-%d", i);
		strpool_intern(&p, buf);
	}
	ck_assert_str_eq(strpool_get(&p, a), "hub-1.azure-devices.net");
	ck_assert_uint_eq(strpool_intern(&p, "text-12345"),
			  strpool_intern(&p, "text-12345"));
	ck_assert_uint_eq(p.count, 20002);
	/* Texts span several blocks; a long one gets a block of its own
	 * and the others go on filling theirs. */
	ck_assert_uint_gt(p.nblocks, 2);
	char *big = repeat_text("0123456789abcdef", 40000);
	uint32_t r = strpool_intern(&p, big);
	uint32_t after = strpool_intern(&p, "after the long one");
	ck_assert_str_eq(strpool_get(&p, r), big);
	ck_assert_str_eq(strpool_get(&p, after), "after the long one");
	ck_assert_uint_eq(strpool_intern(&p, big), r);
	ck_assert_str_eq(strpool_get(&p, strpool_intern(&p, "text-7")),
			 "text-7");
	free(big);
	strpool_clear(&p);
}
END_TEST

START_TEST(row_from_enrollment)
{
	struct fleet_rows *s = fleet_rows_new();
	cJSON *e = quoted_json("{'registrationId':'dev-1','deviceId':'box-1',"
			 "'attestation':{'type':'symmetricKey',"
			 "'symmetricKey':{'primaryKey':'c2VjcmV0'}},"
			 "'provisioningStatus':'enabled','etag':'\\\"abc\\\"',"
			 "'lastUpdatedDateTimeUtc':'2026-12-01T10:00:00Z',"
			 "'registrationState':{'status':'assigned'}}");
	ck_assert_int_eq(fleet_rows_add_enrollment(s, e), 0);
	cJSON_Delete(e);
	const struct fleet_row *r = fleet_rows_at(s, 0);
	ck_assert_str_eq(text(s, 0, FLEET_COL_ID), "dev-1");
	ck_assert_str_eq(text(s, 0, FLEET_COL_DEVICE), "box-1");
	ck_assert_str_eq(text(s, 0, FLEET_COL_ATTESTATION), "symmetricKey");
	ck_assert_str_eq(text(s, 0, FLEET_COL_PROVISIONING), "enabled");
	ck_assert_str_eq(text(s, 0, FLEET_COL_UPDATED),
			 "2026-12-01T10:00:00Z");
	ck_assert_str_eq(fleet_rows_str(s, r->etag), "\"abc\"");
	/* A query's registrationState is not trusted: the real service
	 * leaves it out, so the state is unknown until fetched. */
	ck_assert_str_eq(text(s, 0, FLEET_COL_STATUS), "unknown");
	ck_assert_str_eq(text(s, 0, FLEET_COL_HUB), "");
	ck_assert_int_eq(fleet_row_age_ms(r, 5000), -1);
	fleet_rows_free(s);
}
END_TEST

START_TEST(enrollment_without_id_is_refused)
{
	struct fleet_rows *s = fleet_rows_new();
	cJSON *e = quoted_json("{'deviceId':'box-1'}");
	ck_assert_int_eq(fleet_rows_add_enrollment(s, e), -1);
	cJSON_Delete(e);
	e = quoted_json("[{'registrationId':'a'},{'registrationId':7},"
		  "{'registrationId':''},{'registrationId':'b'}]");
	ck_assert_uint_eq(fleet_rows_add_page(s, e), 2);
	cJSON_Delete(e);
	ck_assert_uint_eq(fleet_rows_count(s), 2);
	fleet_rows_free(s);
}
END_TEST

START_TEST(same_id_again_updates_and_keeps_state)
{
	struct fleet_rows *s = fleet_rows_new();
	add(s, "dev-1", "box-1", "tpm", "enabled");
	set_state(s, 0, "{'status':'assigned','assignedHub':'h1'}", 100);
	ck_assert_int_eq(add(s, "DEV-1", "box-9", "tpm", "disabled"), 0);
	ck_assert_uint_eq(fleet_rows_count(s), 1);
	ck_assert_str_eq(text(s, 0, FLEET_COL_DEVICE), "box-9");
	ck_assert_str_eq(text(s, 0, FLEET_COL_PROVISIONING), "disabled");
	ck_assert_str_eq(text(s, 0, FLEET_COL_STATUS), "assigned");
	ck_assert_str_eq(text(s, 0, FLEET_COL_HUB), "h1");
	fleet_rows_free(s);
}
END_TEST

START_TEST(find_by_id_in_any_case)
{
	struct fleet_rows *s = fleet_rows_new();
	char id[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(id, sizeof(id), "Dev-%05d", i);
		ck_assert_int_eq(add(s, id, NULL, "tpm", "enabled"), i);
	}
	ck_assert_int_eq(fleet_rows_find(s, "Dev-00000"), 0);
	ck_assert_int_eq(fleet_rows_find(s, "dev-04321"), 4321);
	ck_assert_int_eq(fleet_rows_find(s, "DEV-04999"), 4999);
	ck_assert_int_eq(fleet_rows_find(s, "dev-5000"), -1);
	ck_assert_int_eq(fleet_rows_find(s, ""), -1);
	fleet_rows_free(s);
}
END_TEST

START_TEST(state_assigned_failed_and_absent)
{
	struct fleet_rows *s = fleet_rows_new();
	add(s, "a", "a", "tpm", "enabled");
	add(s, "b", "b", "x509", "enabled");
	add(s, "c", "c", "symmetricKey", "enabled");
	set_state(s, 0, "{'registrationId':'a','status':'assigned',"
			"'assignedHub':'hub-1.azure-devices.net',"
			"'etag':'\\\"s1\\\"','lastUpdatedDateTimeUtc':'T1'}", 1000);
	set_state(s, 1, "{'registrationId':'b','status':'Failed',"
			"'errorCode':400209,'errorMessage':'Custom allocation "
			"failed with status code: 400'}", 2000);
	fleet_rows_set_no_state(s, 2, 3000);

	const struct fleet_row *a = fleet_rows_at(s, 0);
	ck_assert_str_eq(text(s, 0, FLEET_COL_STATUS), "assigned");
	ck_assert_str_eq(text(s, 0, FLEET_COL_HUB), "hub-1.azure-devices.net");
	ck_assert_str_eq(fleet_rows_str(s, a->state_etag), "\"s1\"");
	ck_assert_str_eq(fleet_rows_str(s, a->state_updated), "T1");
	ck_assert_int_eq(a->flags, FLEET_ROW_STATE_FETCHED);
	ck_assert_int_eq(fleet_row_age_ms(a, 4000), 3000);

	const struct fleet_row *b = fleet_rows_at(s, 1);
	ck_assert_int_eq(b->status, FLEET_STATUS_FAILED);
	ck_assert_int_eq(b->error_code, 400209);
	ck_assert_str_eq(fleet_rows_str(s, b->error_message),
			 "Custom allocation failed with status code: 400");

	const struct fleet_row *c = fleet_rows_at(s, 2);
	ck_assert_str_eq(text(s, 2, FLEET_COL_STATUS), "unassigned");
	ck_assert_int_eq(c->flags,
			 FLEET_ROW_STATE_FETCHED | FLEET_ROW_STATE_ABSENT);
	ck_assert_int_eq(fleet_row_age_ms(c, 3500), 500);
	fleet_rows_free(s);
}
END_TEST

START_TEST(newer_state_replaces_the_old)
{
	struct fleet_rows *s = fleet_rows_new();
	add(s, "a", "a", "tpm", "enabled");
	set_state(s, 0, "{'status':'failed','errorCode':1,"
			"'errorMessage':'no hub'}", 10);
	set_state(s, 0, "{'status':'assigned','assignedHub':'h'}", 20);
	const struct fleet_row *r = fleet_rows_at(s, 0);
	ck_assert_int_eq(r->status, FLEET_STATUS_ASSIGNED);
	ck_assert_int_eq(r->error_code, 0);
	ck_assert_str_eq(fleet_rows_str(s, r->error_message), "");
	ck_assert_int_eq(r->fetched_ms, 20);
	fleet_rows_set_fetch_failed(s, 0, "HTTP 500", 30);
	ck_assert_int_eq(r->status, FLEET_STATUS_UNKNOWN);
	ck_assert_int_eq(r->flags, FLEET_ROW_FETCH_FAILED);
	ck_assert_str_eq(fleet_rows_str(s, r->error_message), "HTTP 500");
	ck_assert_str_eq(text(s, 0, FLEET_COL_HUB), "");
	fleet_rows_forget_state(s, 0);
	ck_assert_int_eq(fleet_row_age_ms(r, 40), -1);
	ck_assert_int_eq(r->flags, 0);
	fleet_rows_free(s);
}
END_TEST

START_TEST(status_names)
{
	ck_assert_int_eq(fleet_status_parse("assigning"),
			 FLEET_STATUS_ASSIGNING);
	ck_assert_int_eq(fleet_status_parse("DISABLED"),
			 FLEET_STATUS_DISABLED);
	ck_assert_int_eq(fleet_status_parse("whatever"),
			 FLEET_STATUS_UNKNOWN);
	ck_assert_int_eq(fleet_status_parse(NULL), FLEET_STATUS_UNKNOWN);
	ck_assert_str_eq(fleet_status_name(FLEET_STATUS_FAILED), "failed");
	ck_assert_str_eq(fleet_status_name((enum fleet_status)99), "unknown");
	ck_assert_str_eq(fleet_col_key(FLEET_COL_HUB), "assignedHub");
	ck_assert_str_eq(fleet_col_title(FLEET_COL_STATUS), "STATUS");
}
END_TEST

/* The fleet of the view tests: five rows of every kind. */
static struct fleet_rows *
small_fleet(void)
{
	struct fleet_rows *s = fleet_rows_new();
	add(s, "pump-3", "pump-3", "tpm", "enabled");
	add(s, "valve-1", "box-A", "x509", "disabled");
	add(s, "pump-1", "pump-1", "symmetricKey", "enabled");
	add(s, "meter-7", "meter-7", "symmetricKey", "enabled");
	add(s, "pump-2", "Box-B", "x509", "enabled");
	set_state(s, 0, "{'status':'assigned','assignedHub':'north.hub'}", 1);
	set_state(s, 1, "{'status':'failed','errorCode':5}", 1);
	fleet_rows_set_no_state(s, 2, 1);
	set_state(s, 4, "{'status':'assigned','assignedHub':'south.hub'}", 1);
	return s;
}

static const char *
view_ids(const struct fleet_rows *s, const struct fleet_view *v)
{
	static char buf[256];
	buf[0] = '\0';
	for (size_t i = 0; i < v->count; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, text(s, v->idx[i], FLEET_COL_ID));
	}
	return buf;
}

START_TEST(filter_by_typed_words)
{
	struct fleet_rows *s = small_fleet();
	struct fleet_view v = FLEET_VIEW_INIT;
	fleet_view_rebuild(&v, s);
	ck_assert_str_eq(view_ids(s, &v),
			 "meter-7 pump-1 pump-2 pump-3 valve-1");
	fleet_view_set_filter(&v, s, "PUMP");
	ck_assert_str_eq(view_ids(s, &v), "pump-1 pump-2 pump-3");
	fleet_view_set_filter(&v, s, "box");	/* device id */
	ck_assert_str_eq(view_ids(s, &v), "pump-2 valve-1");
	fleet_view_set_filter(&v, s, "south");	/* hub */
	ck_assert_str_eq(view_ids(s, &v), "pump-2");
	fleet_view_set_filter(&v, s, "failed");	/* registration status */
	ck_assert_str_eq(view_ids(s, &v), "valve-1");
	fleet_view_set_filter(&v, s, "unassigned");
	ck_assert_str_eq(view_ids(s, &v), "pump-1");
	fleet_view_set_filter(&v, s, "unknown");
	ck_assert_str_eq(view_ids(s, &v), "meter-7");
	fleet_view_set_filter(&v, s, "symmetric");	/* attestation */
	ck_assert_str_eq(view_ids(s, &v), "meter-7 pump-1");
	fleet_view_set_filter(&v, s, "disabled");	/* provisioning */
	ck_assert_str_eq(view_ids(s, &v), "valve-1");
	fleet_view_set_filter(&v, s, "  pump   assigned ");	/* every word */
	ck_assert_str_eq(view_ids(s, &v), "pump-2 pump-3");
	fleet_view_set_filter(&v, s, "nothing-like-it");
	ck_assert_uint_eq(v.count, 0);
	fleet_view_set_filter(&v, s, "");
	ck_assert_uint_eq(v.count, 5);
	fleet_view_clear(&v);
	fleet_rows_free(s);
}
END_TEST

START_TEST(sort_by_each_column)
{
	struct fleet_rows *s = small_fleet();
	struct fleet_view v = FLEET_VIEW_INIT;
	fleet_view_rebuild(&v, s);
	fleet_view_set_sort(&v, s, FLEET_COL_ID, true);
	ck_assert_str_eq(view_ids(s, &v),
			 "valve-1 pump-3 pump-2 pump-1 meter-7");
	/* Equal rows keep their arrival order, either way. */
	fleet_view_set_sort(&v, s, FLEET_COL_STATUS, false);
	ck_assert_str_eq(view_ids(s, &v),
			 "pump-3 pump-2 valve-1 pump-1 meter-7");
	fleet_view_set_sort(&v, s, FLEET_COL_STATUS, true);
	ck_assert_str_eq(view_ids(s, &v),
			 "meter-7 pump-1 valve-1 pump-3 pump-2");
	fleet_view_set_sort(&v, s, FLEET_COL_DEVICE, false);
	ck_assert_str_eq(view_ids(s, &v),
			 "valve-1 pump-2 meter-7 pump-1 pump-3");
	fleet_view_set_sort(&v, s, FLEET_COL_HUB, false);
	ck_assert_str_eq(view_ids(s, &v),
			 "valve-1 pump-1 meter-7 pump-3 pump-2");
	fleet_view_set_sort(&v, s, FLEET_COL_ATTESTATION, false);
	ck_assert_str_eq(view_ids(s, &v),
			 "pump-1 meter-7 pump-3 valve-1 pump-2");
	fleet_view_set_sort(&v, s, FLEET_COL_PROVISIONING, false);
	ck_assert_str_eq(view_ids(s, &v),
			 "valve-1 pump-3 pump-1 meter-7 pump-2");
	ck_assert_int_eq(fleet_view_position(&v, 1), 0);
	ck_assert_int_eq(fleet_view_position(&v, 4), 4);
	fleet_view_set_filter(&v, s, "pump-1");
	ck_assert_int_eq(fleet_view_position(&v, 1), -1);
	fleet_view_clear(&v);
	fleet_rows_free(s);
}
END_TEST

START_TEST(pages_merge_into_the_order)
{
	struct fleet_rows *s = fleet_rows_new();
	struct fleet_view v = FLEET_VIEW_INIT;
	fleet_view_set_sort(&v, s, FLEET_COL_ID, true);
	fleet_view_set_filter(&v, s, "dev");
	/* Pages of ids in a scrambled order; the view stays sorted and
	 * filtered after each, as a full rebuild would have it. */
	char id[32];
	for (int page = 0; page < 20; page++) {
		for (int i = 0; i < 50; i++) {
			int n = (page * 50 + i) * 7919 % 1000;
			snprintf(id, sizeof(id), "%s-%03d",
				 n % 10 == 3 ? "other" : "dev", n);
			add(s, id, NULL, "tpm", "enabled");
		}
		fleet_view_update(&v, s);
		struct fleet_view full = FLEET_VIEW_INIT;
		fleet_view_set_sort(&full, s, FLEET_COL_ID, true);
		fleet_view_set_filter(&full, s, "dev");
		ck_assert_uint_eq(v.count, full.count);
		ck_assert_mem_eq(v.idx, full.idx, v.count * sizeof(*v.idx));
		fleet_view_clear(&full);
	}
	ck_assert_uint_eq(v.count, 900);
	ck_assert_str_eq(text(s, v.idx[0], FLEET_COL_ID), "dev-999");
	ck_assert_str_eq(text(s, v.idx[899], FLEET_COL_ID), "dev-000");
	fleet_view_clear(&v);
	fleet_rows_free(s);
}
END_TEST

/* Typing narrows the rows listed, and gives what a full filter gives;
 * a row whose state came after it was left out is judged again. */
START_TEST(typing_narrows_and_stays_right)
{
	struct fleet_rows *s = small_fleet();
	struct fleet_view v = FLEET_VIEW_INIT;
	fleet_view_rebuild(&v, s);
	const char *typed[] = { "p", "pu", "pum", "pump", "pump ", "pump a",
				"pump as", "pump ass" };
	for (size_t i = 0; i < sizeof(typed) / sizeof(*typed); i++) {
		fleet_view_set_filter(&v, s, typed[i]);
		struct fleet_view full = FLEET_VIEW_INIT;
		fleet_view_set_filter(&full, s, typed[i]);
		ck_assert_str_eq(view_ids(s, &v), view_ids(s, &full));
		fleet_view_clear(&full);
	}
	ck_assert_str_eq(view_ids(s, &v), "pump-2 pump-3");
	/* meter-7 has no state yet: "f" leaves it out. */
	fleet_view_set_filter(&v, s, "f");
	ck_assert_str_eq(view_ids(s, &v), "valve-1");
	set_state(s, 3, "{'status':'failed','errorCode':9}", 5);
	fleet_view_set_filter(&v, s, "fa");
	ck_assert_str_eq(view_ids(s, &v), "meter-7 valve-1");
	fleet_view_clear(&v);
	fleet_rows_free(s);
}
END_TEST

/* 100,000 rows with states, texts as long as real ones: well under the
 * 64 MiB the list may use. */
START_TEST(hundred_thousand_rows_fit)
{
	struct fleet_rows *s = fleet_rows_new();
	char id[64], etag[64], when[64];
	cJSON *e = quoted_json("{'registrationId':'','deviceId':'',"
			 "'attestation':{'type':'symmetricKey'},"
			 "'provisioningStatus':'enabled','etag':'',"
			 "'lastUpdatedDateTimeUtc':''}");
	cJSON *st = quoted_json("{'status':'assigned','assignedHub':"
			  "'contoso-hub-west.azure-devices.net',"
			  "'etag':'','lastUpdatedDateTimeUtc':''}");
	for (int i = 0; i < 100000; i++) {
		snprintf(id, sizeof(id), "bench-station-7-device-%06d", i);
		snprintf(etag, sizeof(etag), "\"%08x-0000-0000-0000-%012d\"",
			 (unsigned)i * 2654435761u, i);
		snprintf(when, sizeof(when), "2026-12-01T10:%02d:%02d.%07dZ",
			 i / 60 % 60, i % 60, i);
		cJSON_SetValuestring(cJSON_GetObjectItem(e, "registrationId"),
				     id);
		cJSON_SetValuestring(cJSON_GetObjectItem(e, "deviceId"), id);
		cJSON_SetValuestring(cJSON_GetObjectItem(e, "etag"), etag);
		cJSON_SetValuestring(cJSON_GetObjectItem(
			e, "lastUpdatedDateTimeUtc"), when);
		long at = fleet_rows_add_enrollment(s, e);
		cJSON_SetValuestring(cJSON_GetObjectItem(st, "etag"), etag);
		cJSON_SetValuestring(cJSON_GetObjectItem(
			st, "lastUpdatedDateTimeUtc"), when);
		fleet_rows_set_state(s, (size_t)at, st, 1);
	}
	cJSON_Delete(e);
	cJSON_Delete(st);
	ck_assert_uint_eq(fleet_rows_count(s), 100000);
	ck_assert_int_eq(fleet_rows_find(s, "bench-station-7-device-054321"),
			 54321);
	size_t bytes = fleet_rows_memory(s);
	ck_assert_msg(bytes < 32u << 20, "100,000 rows take %zu bytes", bytes);
	fleet_rows_free(s);
}
END_TEST

Suite *
fleet_suite(void)
{
	Suite *s = suite_create("fleet");
	TCase *tc = tcase_create("rows");
	tcase_add_test(tc, pool_keeps_each_text_once);
	tcase_add_test(tc, row_from_enrollment);
	tcase_add_test(tc, enrollment_without_id_is_refused);
	tcase_add_test(tc, same_id_again_updates_and_keeps_state);
	tcase_add_test(tc, find_by_id_in_any_case);
	tcase_add_test(tc, state_assigned_failed_and_absent);
	tcase_add_test(tc, newer_state_replaces_the_old);
	tcase_add_test(tc, status_names);
	tcase_add_test(tc, hundred_thousand_rows_fit);
	suite_add_tcase(s, tc);
	tc = tcase_create("view");
	tcase_add_test(tc, filter_by_typed_words);
	tcase_add_test(tc, sort_by_each_column);
	tcase_add_test(tc, pages_merge_into_the_order);
	tcase_add_test(tc, typing_narrows_and_stays_right);
	suite_add_tcase(s, tc);
	return s;
}
