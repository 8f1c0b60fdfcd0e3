/* POST /enrollments (semantics §8): HTTP 200 whatever happens to the
 * items, with one entry in `errors` per item that failed. */

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"
#include "base/xalloc.h"

SHARED_EMU_FIXTURE(NULL)

static cJSON *
item(const char *id, const char *extra)
{
	char *text = enrollment_text(id, extra);
	cJSON *j = cJSON_Parse(text);
	free(text);
	ck_assert_ptr_nonnull(j);
	return j;
}

/* An item whose primary key decodes to 8 bytes, too short for DPS. */
static cJSON *
short_key_item(const char *id)
{
	char *text = xasprintf("{\"registrationId\":\"%s\",\"attestation\":"
			       "{\"type\":\"symmetricKey\",\"symmetricKey\":"
			       "{\"primaryKey\":\"AAECAwQFBgc=\"}}}", id);
	cJSON *j = cJSON_Parse(text);
	free(text);
	ck_assert_ptr_nonnull(j);
	return j;
}

/* The enrollment as GET shows it, etag included. */
static cJSON *
fetched(struct emu_proc *e, const char *id)
{
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(e, "GET", path, NULL);
	EXPECT_JSON(r, 200);
	cJSON *j = r->json;
	r->json = NULL;
	reply_free(r);
	free(path);
	return j;
}

static long
status_of(struct emu_proc *e, const char *id)
{
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(e, "GET", path, NULL);
	long status = r->status;
	reply_free(r);
	free(path);
	return status;
}

/* Sends `items` (consumed) in `mode` to `path`. */
static struct reply *
bulk_at(struct emu_proc *e, const char *path, const char *mode, cJSON *items)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddItemToObject(b, "enrollments", items);
	cJSON_AddStringToObject(b, "mode", mode);
	char *text = cJSON_PrintUnformatted(b);
	struct reply *r = svc(e, "POST", path, text);
	free(text);
	cJSON_Delete(b);
	return r;
}

static struct reply *
bulk(struct emu_proc *e, const char *mode, cJSON *items)
{
	return bulk_at(e, "/enrollments", mode, items);
}

/* An array starting with `first`. */
static cJSON *
items_of(cJSON *first)
{
	cJSON *a = cJSON_CreateArray();
	cJSON_AddItemToArray(a, first);
	return a;
}

static const cJSON *
item_error(const struct reply *r, const char *id)
{
	const cJSON *err;
	cJSON_ArrayForEach(err, jget(r->json, "errors")) {
		const char *rid = jstr(err, "registrationId");
		if (rid && strcmp(rid, id) == 0)
			return err;
	}
	return NULL;
}

static void
expect_item_error(const struct reply *r, const char *id, int code)
{
	const cJSON *err = item_error(r, id);
	ck_assert_msg(err, "%s: no error for %s: %s", r->what, id, r->body);
	const cJSON *ec = jget(err, "errorCode");
	ck_assert_msg(cJSON_IsNumber(ec) && (int)ec->valuedouble == code,
		      "%s: %s: errorCode is not %d: %s", r->what, id, code,
		      r->body);
	ck_assert_msg(jstr(err, "errorStatus"), "%s: %s has no errorStatus",
		      r->what, id);
}

static void
expect_outcome(const struct reply *r, bool successful, int errors)
{
	EXPECT_JSON(r, 200);
	const cJSON *ok = jget(r->json, "isSuccessful");
	ck_assert_msg(cJSON_IsBool(ok) && cJSON_IsTrue(ok) == successful,
		      "%s: isSuccessful is not %s: %s", r->what,
		      successful ? "true" : "false", r->body);
	const cJSON *errs = jget(r->json, "errors");
	ck_assert_msg(cJSON_IsArray(errs) && cJSON_GetArraySize(errs) == errors,
		      "%s: expected %d errors: %s", r->what, errors, r->body);
}

START_TEST(create_succeeds_for_new_ids)
{
	struct emu_proc *e = shared_emu(&shared);
	char *a = unique_id("bulk-new"), *b = unique_id("bulk-new");
	cJSON *items = items_of(item(a, ""));
	cJSON_AddItemToArray(items, item(b, ""));
	struct reply *r = bulk(e, "create", items);
	expect_outcome(r, true, 0);
	reply_free(r);
	ck_assert_int_eq(status_of(e, a), 200);
	ck_assert_int_eq(status_of(e, b), 200);
	char *c = unique_id("bulk-slash");
	r = bulk_at(e, "/enrollments/", "create", items_of(item(c, "")));
	expect_outcome(r, true, 0);
	reply_free(r);
	ck_assert_int_eq(status_of(e, c), 200);
	free(a);
	free(b);
	free(c);
}
END_TEST

START_TEST(create_reports_item_errors)
{
	struct emu_proc *e = shared_emu(&shared);
	char *old = unique_id("bulk-old"), *fresh = unique_id("bulk-fresh");
	char *bad = unique_id("bulk-bad");
	cJSON_Delete(create_enrollment(e, old, ""));
	cJSON *items = items_of(item(old, ""));
	cJSON_AddItemToArray(items, item(fresh, ""));
	cJSON_AddItemToArray(items, short_key_item(bad));
	struct reply *r = bulk(e, "create", items);
	expect_outcome(r, false, 2);
	expect_item_error(r, old, 409201);
	expect_item_error(r, bad, 400004);
	ck_assert_ptr_null(item_error(r, fresh));
	reply_free(r);
	ck_assert_int_eq(status_of(e, fresh), 200);
	ck_assert_int_eq(status_of(e, bad), 404);
	free(old);
	free(fresh);
	free(bad);
}
END_TEST

START_TEST(update_needs_an_etag)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("bulk-upd");
	cJSON_Delete(create_enrollment(e, id, ""));
	struct reply *r = bulk(e, "update", items_of(item(id, "")));
	expect_outcome(r, false, 1);
	expect_item_error(r, id, 409201);
	reply_free(r);
	cJSON *current = fetched(e, id);
	char *etag = xstrdup(jstr(current, "etag"));
	cJSON_ReplaceItemInObject(current, "provisioningStatus",
				  cJSON_CreateString("disabled"));
	r = bulk(e, "update", items_of(current));
	expect_outcome(r, true, 0);
	reply_free(r);
	cJSON *after = fetched(e, id);
	ck_assert_str_eq(jstr(after, "provisioningStatus"), "disabled");
	ck_assert_str_ne(jstr(after, "etag"), etag);
	cJSON_Delete(after);
	free(etag);
	free(id);
}
END_TEST

START_TEST(update_if_match_etag_checks_etag)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("bulk-ifm");
	cJSON *created = create_enrollment(e, id, "");
	char *stale = xasprintf(",\"etag\":\"%s\"", jstr(created, "etag"));
	struct reply *r = bulk(e, "updateIfMatchETag", items_of(item(id, stale)));
	expect_outcome(r, true, 0);
	reply_free(r);
	r = bulk(e, "updateIfMatchETag", items_of(item(id, stale)));
	expect_outcome(r, false, 1);
	expect_item_error(r, id, 412001);
	reply_free(r);
	free(stale);
	cJSON_Delete(created);
	free(id);
}
END_TEST

START_TEST(delete_removes_items)
{
	struct emu_proc *e = shared_emu(&shared);
	char *a = unique_id("bulk-del"), *b = unique_id("bulk-del");
	cJSON_Delete(create_enrollment(e, a, ""));
	cJSON_Delete(create_enrollment(e, b, ""));
	cJSON *items = items_of(item(a, ""));
	cJSON_AddItemToArray(items, item(b, ""));
	struct reply *r = bulk(e, "delete", items);
	expect_outcome(r, true, 0);
	reply_free(r);
	ck_assert_int_eq(status_of(e, a), 404);
	ck_assert_int_eq(status_of(e, b), 404);
	free(a);
	free(b);
}
END_TEST

START_TEST(more_than_ten_items_is_400)
{
	struct emu_proc *e = shared_emu(&shared);
	char *ids[11];
	cJSON *items = cJSON_CreateArray();
	for (int i = 0; i < 11; i++) {
		ids[i] = unique_id("bulk-eleven");
		cJSON_AddItemToArray(items, item(ids[i], ""));
	}
	struct reply *r = bulk(e, "create", items);
	EXPECT_ERROR(r, 400, 400004);
	reply_free(r);
	for (int i = 0; i < 11; i++) {
		ck_assert_int_eq(status_of(e, ids[i]), 404);
		free(ids[i]);
	}
}
END_TEST

START_TEST(unknown_mode_is_400)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("bulk-mode");
	struct reply *r = bulk(e, "upsert", items_of(item(id, "")));
	EXPECT_ERROR(r, 400, 400004);
	reply_free(r);
	ck_assert_int_eq(status_of(e, id), 404);
	free(id);
}
END_TEST

Suite *
bulk_suite(void)
{
	Suite *s = suite_create("bulk");
	TCase *tc = itest_tcase("bulk");
	tcase_add_unchecked_fixture(tc, shared_up, shared_down);
	tcase_add_test(tc, create_succeeds_for_new_ids);
	tcase_add_test(tc, create_reports_item_errors);
	tcase_add_test(tc, update_needs_an_etag);
	tcase_add_test(tc, update_if_match_etag_checks_etag);
	tcase_add_test(tc, delete_removes_items);
	tcase_add_test(tc, more_than_ten_items_is_400);
	tcase_add_test(tc, unknown_mode_is_400);
	suite_add_tcase(s, tc);
	return s;
}
