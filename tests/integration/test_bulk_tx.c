/* A bulk request is written in one SQLite transaction, read from the
 * write-ahead log on disk, while its items still succeed or fail on their
 * own (semantics §8). */

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"
#include "base/xalloc.h"

enum { TEN = 10 };

static char *
items_text(char *const *ids, int n, int short_key_at)
{
	char *text = xstrdup("");
	for (int i = 0; i < n; i++) {
		char *one = i == short_key_at
			? xasprintf("{\"registrationId\":\"%s\",\"attestation\":"
				    "{\"type\":\"symmetricKey\",\"symmetricKey\":"
				    "{\"primaryKey\":\"AAECAwQFBgc=\"}}}", ids[i])
			: enrollment_text(ids[i], "");
		char *both = xasprintf("%s%s%s", text, i ? "," : "", one);
		free(one);
		free(text);
		text = both;
	}
	return text;
}

static struct reply *
bulk(struct emu_proc *e, const char *mode, const char *items)
{
	char *body = xasprintf("{\"mode\":\"%s\",\"enrollments\":[%s]}", mode,
			       items);
	struct reply *r = svc(e, "POST", "/enrollments", body);
	free(body);
	return r;
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

static void
make_ids(char **ids, const char *prefix)
{
	for (int i = 0; i < TEN; i++)
		ids[i] = unique_id(prefix);
}

static void
free_ids(char **ids)
{
	for (int i = 0; i < TEN; i++)
		free(ids[i]);
}

START_TEST(ten_creates_and_ten_deletes_are_one_commit_each)
{
	struct emu_proc *e = emu_start(NULL);
	char *ids[TEN];
	make_ids(ids, "tx");
	char *items = items_text(ids, TEN, -1);
	int before = emu_wal_commits(e);
	struct reply *r = bulk(e, "create", items);
	EXPECT_JSON(r, 200);
	ck_assert_msg(cJSON_IsTrue(jget(r->json, "isSuccessful")), "%s", r->body);
	reply_free(r);
	ck_assert_int_eq(emu_wal_commits(e) - before, 1);
	for (int i = 0; i < TEN; i++)
		ck_assert_int_eq(status_of(e, ids[i]), 200);

	before = emu_wal_commits(e);
	r = bulk(e, "delete", items);
	EXPECT_JSON(r, 200);
	ck_assert_msg(cJSON_IsTrue(jget(r->json, "isSuccessful")), "%s", r->body);
	reply_free(r);
	ck_assert_int_eq(emu_wal_commits(e) - before, 1);
	for (int i = 0; i < TEN; i++)
		ck_assert_int_eq(status_of(e, ids[i]), 404);
	free(items);
	free_ids(ids);
	emu_stop(e);
	emu_free(e);
}
END_TEST

/* Item 4 is refused by validation and item 7 exists already: both are
 * reported, and the eight others are stored in the same one commit. */
START_TEST(failed_items_leave_the_others_written)
{
	struct emu_proc *e = emu_start(NULL);
	char *ids[TEN];
	make_ids(ids, "tx-mixed");
	cJSON *old = create_enrollment(e, ids[7], "");
	char *items = items_text(ids, TEN, 4);
	int before = emu_wal_commits(e);
	struct reply *r = bulk(e, "create", items);
	EXPECT_JSON(r, 200);
	ck_assert_msg(cJSON_IsFalse(jget(r->json, "isSuccessful")), "%s", r->body);
	const cJSON *errors = jget(r->json, "errors");
	ck_assert_int_eq(cJSON_GetArraySize(errors), 2);
	ck_assert_str_eq(jstr(cJSON_GetArrayItem(errors, 0), "registrationId"),
			 ids[4]);
	ck_assert_str_eq(jstr(cJSON_GetArrayItem(errors, 1), "registrationId"),
			 ids[7]);
	reply_free(r);
	ck_assert_int_eq(emu_wal_commits(e) - before, 1);
	for (int i = 0; i < TEN; i++)
		ck_assert_int_eq(status_of(e, ids[i]), i == 4 ? 404 : 200);
	char *path = xasprintf("/enrollments/%s", ids[7]);
	r = svc(e, "GET", path, NULL);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "etag"), jstr(old, "etag"));
	reply_free(r);
	free(path);
	cJSON_Delete(old);
	free(items);
	free_ids(ids);
	emu_stop(e);
	emu_free(e);
}
END_TEST

Suite *
bulk_tx_suite(void)
{
	Suite *s = suite_create("bulk_tx");
	TCase *tc = itest_tcase("bulk transaction");
	tcase_add_test(tc, ten_creates_and_ten_deletes_are_one_commit_each);
	tcase_add_test(tc, failed_items_leave_the_others_written);
	suite_add_tcase(s, tc);
	return s;
}
