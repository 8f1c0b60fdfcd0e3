/* POST /enrollments/query (semantics §9). Each test has an emulator of
 * its own, since a query sees every enrollment in the store. */

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"
#include "base/xalloc.h"

static const char query_body[] = "{\"query\":\"SELECT * FROM enrollments\"}";

/* One page; `continuation` is NULL for the first. */
static struct reply *
query_page(struct emu_proc *e, const char *page_size, const char *continuation)
{
	char *size = page_size ? xasprintf("x-ms-max-item-count: %s", page_size)
			       : NULL;
	char *cont = continuation
		? xasprintf("x-ms-continuation: %s", continuation) : NULL;
	const char *headers[3] = { NULL };
	size_t n = 0;
	if (size)
		headers[n++] = size;
	if (cont)
		headers[n++] = cont;
	struct reply *r = svc_h(e, "POST", "/enrollments/query", headers,
				query_body);
	free(size);
	free(cont);
	return r;
}

static void
expect_page(const struct reply *r)
{
	EXPECT_JSON(r, 200);
	ck_assert_msg(cJSON_IsArray(r->json), "%s: not an array: %s", r->what,
		      r->body);
	ck_assert_msg(r->item_type && strcmp(r->item_type, "Enrollment") == 0,
		      "x-ms-item-type is %s", r->item_type ? r->item_type
							   : "absent");
	const cJSON *it;
	cJSON_ArrayForEach(it, r->json) {
		ck_assert_msg(!jget(it, "attestation.symmetricKey"),
			      "a query shows keys: %s", r->body);
		ck_assert_str_eq(jstr(it, "attestation.type"), "symmetricKey");
	}
}

static char **
create_five(struct emu_proc *e)
{
	char **ids = xcalloc(5, sizeof(*ids));
	for (int i = 0; i < 5; i++) {
		ids[i] = unique_id("query");
		cJSON_Delete(create_enrollment(e, ids[i], ""));
	}
	return ids;
}

/* Marks the ids of `page` in `seen`, asserting each is one of `ids` and
 * new. */
static void
tick_ids(const cJSON *page, char **ids, bool seen[5])
{
	const cJSON *it;
	cJSON_ArrayForEach(it, page) {
		const char *id = jstr(it, "registrationId");
		int found = -1;
		for (int i = 0; i < 5 && id; i++)
			if (strcmp(ids[i], id) == 0)
				found = i;
		ck_assert_msg(found >= 0, "unexpected item %s", id ? id : "?");
		ck_assert_msg(!seen[found], "%s came twice", id);
		seen[found] = true;
	}
}

START_TEST(pages_of_two_then_one)
{
	struct emu_proc *e = emu_start(NULL);
	char **ids = create_five(e);
	bool seen[5] = { false };
	static const int sizes[] = { 2, 2, 1 };
	char *cont = NULL;
	for (int page = 0; page < 3; page++) {
		struct reply *r = query_page(e, "2", cont);
		expect_page(r);
		ck_assert_msg(cJSON_GetArraySize(r->json) == sizes[page],
			      "page %d holds %d items, expected %d", page + 1,
			      cJSON_GetArraySize(r->json), sizes[page]);
		bool last = page == 2;
		ck_assert_msg(last == !r->continuation,
			      "page %d: x-ms-continuation %s", page + 1,
			      r->continuation ? "present on the last page"
					      : "missing while more remain");
		tick_ids(r->json, ids, seen);
		free(cont);
		cont = r->continuation ? xstrdup(r->continuation) : NULL;
		reply_free(r);
	}
	for (int i = 0; i < 5; i++) {
		ck_assert_msg(seen[i], "%s never came", ids[i]);
		free(ids[i]);
	}
	free(ids);
	emu_stop(e);
	emu_free(e);
}
END_TEST

START_TEST(without_page_size_all_come_at_once)
{
	struct emu_proc *e = emu_start(NULL);
	struct reply *r = query_page(e, NULL, NULL);
	expect_page(r);
	ck_assert_int_eq(cJSON_GetArraySize(r->json), 0);
	ck_assert_ptr_null(r->continuation);
	reply_free(r);
	char **ids = create_five(e);
	bool seen[5] = { false };
	r = query_page(e, NULL, NULL);
	expect_page(r);
	ck_assert_int_eq(cJSON_GetArraySize(r->json), 5);
	ck_assert_ptr_null(r->continuation);
	tick_ids(r->json, ids, seen);
	reply_free(r);
	for (int i = 0; i < 5; i++)
		free(ids[i]);
	free(ids);
	emu_stop(e);
	emu_free(e);
}
END_TEST

/* Azure leaves registrationState out of query results while a GET of the
 * same enrollment carries it (semantics §9): a client reading assignments
 * from a query must fail here as it would there. */
START_TEST(results_leave_out_registration_state)
{
	static const char *const args[] = { "--linked-hubs",
					    "hub-q.azure-devices.net", NULL };
	struct emu_proc *e = emu_start(args);
	char *id = unique_id("query-state");
	cJSON_Delete(create_enrollment(e, id, ""));
	simulate_registration(e, id);
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(e, "GET", path, NULL);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "registrationState.status"), "assigned");
	reply_free(r);
	r = query_page(e, NULL, NULL);
	expect_page(r);
	ck_assert_int_eq(cJSON_GetArraySize(r->json), 1);
	const cJSON *item = cJSON_GetArrayItem(r->json, 0);
	ck_assert_str_eq(jstr(item, "registrationId"), id);
	ck_assert_msg(!jget(item, "registrationState"),
		      "a query result carries registrationState: %s", r->body);
	ck_assert_msg(jstr(item, "etag") && jstr(item, "provisioningStatus"),
		      "a query result lost other members: %s", r->body);
	reply_free(r);
	free(path);
	free(id);
	emu_stop(e);
	emu_free(e);
}
END_TEST

Suite *
query_suite(void)
{
	Suite *s = suite_create("query");
	TCase *tc = itest_tcase("query");
	tcase_add_test(tc, pages_of_two_then_one);
	tcase_add_test(tc, without_page_size_all_come_at_once);
	tcase_add_test(tc, results_leave_out_registration_state);
	suite_add_tcase(s, tc);
	return s;
}
