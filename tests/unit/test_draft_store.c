/* Drafts of several forms at once: each keeps its own, a running form's
 * draft is never offered to another, a crashed one's is, and a second
 * window on the same enrollment can be told about the first. */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "suites.h"
#include "app/draft_store.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

static char dir[64];

static void
make_dir(void)
{
	strcpy(dir, "/tmp/dpsenroll-drafts-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("XDG_STATE_HOME", dir, 1);
	unsetenv("DPSENROLL_TIME_NOW");
}

static void
remove_dir(void)
{
	char *cmd = xasprintf("rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static struct draft_session *
open_session(void)
{
	char *why = NULL;
	struct draft_session *s = draft_session_open(&why);
	ck_assert_msg(s, "%s", why);
	return s;
}

/* A form that has typed `id` with attestation `type`. */
static void
save_typed(struct draft_session *s, const char *id, const char *type)
{
	struct draft d = { 0 };
	draft_set_text(&d, "registrationId", id);
	if (type)
		draft_set_text(&d, "attestation.type", type);
	d.registration_id = xstrdup(id);
	char *why = NULL;
	ck_assert_msg(draft_session_save(s, &d, &why), "%s", why);
	draft_clear(&d);
}

static char *
typed_id(const char *path)
{
	struct draft d;
	char *why = NULL;
	ck_assert_msg(draft_read(path, &d, &why), "%s", why ? why : "no draft");
	char *id = xstrdup(draft_text(&d, "registrationId"));
	draft_clear(&d);
	return id;
}

static size_t
unclaimed(struct draft_summary **list)
{
	size_t n;
	char *problems = NULL;
	*list = draft_list_unclaimed(&n, &problems);
	ck_assert_msg(!problems, "%s", problems);
	return n;
}

static bool
file_exists(const char *name)
{
	char *path = xasprintf("%s/dpsenroll/drafts/%s", dir, name);
	bool there = access(path, F_OK) == 0;
	free(path);
	return there;
}

START_TEST(two_forms_keep_two_drafts)
{
	struct draft_session *a = open_session(), *b = open_session();
	ck_assert_str_ne(draft_session_name(a), draft_session_name(b));
	save_typed(a, "bench-a", "tpm");
	save_typed(b, "bench-b", "x509");
	save_typed(a, "bench-a2", "tpm");
	char *ia = typed_id(draft_session_path(a));
	char *ib = typed_id(draft_session_path(b));
	ck_assert_str_eq(ia, "bench-a2");
	ck_assert_str_eq(ib, "bench-b");
	free(ia);
	free(ib);
	/* Both are running: neither draft is anyone else's to take. */
	struct draft_summary *list;
	ck_assert_uint_eq(unclaimed(&list), 0);
	draft_summaries_free(list, 0);
	draft_session_close(a);
	draft_session_close(b);
}
END_TEST

START_TEST(running_form_keeps_its_draft_to_itself)
{
	struct draft_session *a = open_session(), *b = open_session();
	save_typed(a, "bench-a", NULL);
	struct draft d;
	char *why = NULL;
	ck_assert(!draft_session_adopt(b, draft_session_name(a), &d, &why));
	ck_assert_msg(strstr(why, "another dpsenroll window has it open"), "%s", why);
	free(why);
	ck_assert(!draft_delete_unclaimed(draft_session_name(a), &why));
	ck_assert_msg(strstr(why, "another dpsenroll window has it open"), "%s", why);
	free(why);
	char *id = typed_id(draft_session_path(a));
	ck_assert_str_eq(id, "bench-a");
	free(id);
	/* b still saves to its own file. */
	save_typed(b, "bench-b", NULL);
	id = typed_id(draft_session_path(b));
	ck_assert_str_eq(id, "bench-b");
	free(id);
	draft_session_close(a);
	draft_session_close(b);
}
END_TEST

START_TEST(closed_form_draft_is_offered_and_taken_over)
{
	struct draft_session *a = open_session();
	save_typed(a, "bench-a", "symmetricKey");
	char *name = xstrdup(draft_session_name(a));
	draft_session_close(a);

	struct draft_session *b = open_session();
	char *own = xstrdup(draft_session_name(b));
	struct draft_summary *list;
	ck_assert_uint_eq(unclaimed(&list), 1);
	ck_assert_str_eq(list[0].name, name);
	ck_assert_str_eq(list[0].registration_id, "bench-a");
	ck_assert_str_eq(list[0].attestation_type, "symmetricKey");
	ck_assert_ptr_nonnull(list[0].saved_at);
	draft_summaries_free(list, 1);

	struct draft d;
	char *why = NULL;
	ck_assert_msg(draft_session_adopt(b, name, &d, &why), "%s", why);
	ck_assert_str_eq(draft_text(&d, "registrationId"), "bench-a");
	draft_clear(&d);
	ck_assert_str_eq(draft_session_name(b), name);
	/* b's own, empty name is given up; its saves go to the taken draft. */
	char *own_lock = xasprintf("%s.lock", own);
	ck_assert(!file_exists(own_lock));
	save_typed(b, "bench-a-more", NULL);
	char *id = typed_id(draft_session_path(b));
	ck_assert_str_eq(id, "bench-a-more");
	free(id);
	ck_assert_uint_eq(unclaimed(&list), 0);
	draft_summaries_free(list, 0);
	/* A third form cannot take it from b. */
	struct draft_session *c = open_session();
	ck_assert(!draft_session_adopt(c, name, &d, &why));
	free(why);
	draft_session_close(c);
	draft_session_close(b);
	free(own_lock);
	free(own);
	free(name);
}
END_TEST

/* A form killed outright: nothing of it runs to let the lock go, the
 * kernel does. */
START_TEST(crashed_form_lock_is_released)
{
	struct draft_session *live = open_session();
	save_typed(live, "bench-live", "tpm");
	draft_session_note(live, "bench-live");
	pid_t child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		char *why = NULL;
		struct draft_session *s = draft_session_open(&why);
		if (!s)
			_exit(2);
		save_typed(s, "bench-crashed", "x509");
		draft_session_note(s, "bench-crashed");
		raise(SIGKILL);
		_exit(3);
	}
	int status;
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	struct draft_summary *list;
	ck_assert_uint_eq(unclaimed(&list), 1);
	ck_assert_str_eq(list[0].registration_id, "bench-crashed");
	ck_assert_str_eq(list[0].attestation_type, "x509");
	draft_summaries_free(list, 1);
	/* The dead form's note no longer counts; the live one's does. */
	struct draft_session *other = open_session();
	struct draft_editor who;
	ck_assert(!draft_find_editor(other, "bench-crashed", &who));
	ck_assert(draft_find_editor(other, "bench-live", &who));
	ck_assert_int_eq(who.pid, getpid());
	draft_session_close(other);
	draft_session_close(live);
}
END_TEST

START_TEST(second_window_finds_the_first)
{
	struct draft_session *a = open_session(), *b = open_session();
	struct draft_editor who;
	ck_assert(!draft_find_editor(b, "dev-7", &who));
	draft_session_note(a, "dev-7");
	memset(&who, 0, sizeof(who));
	/* Registration ids are case-insensitive. */
	ck_assert(draft_find_editor(b, "DEV-7", &who));
	ck_assert_int_eq(who.pid, getpid());
	ck_assert_int_eq(strlen(who.since), STATE_TIME_SIZE - 1);
	/* A window is not warned about itself. */
	ck_assert(!draft_find_editor(a, "dev-7", &who));
	ck_assert(!draft_find_editor(b, "dev-8", &who));
	ck_assert(!draft_find_editor(b, "", &who));
	ck_assert(!draft_find_editor(b, "not an id!", &who));
	draft_session_note(a, "dev-8");
	ck_assert(!draft_find_editor(b, "dev-7", &who));
	ck_assert(draft_find_editor(b, "dev-8", &who));
	draft_session_close(a);
	ck_assert(!draft_find_editor(b, "dev-8", &who));
	draft_session_close(b);
}
END_TEST

START_TEST(listing_is_newest_first_and_deleting_works)
{
	const char *ids[] = { "old", "newest", "middle" };
	const char *times[] = { "1714564800", "1714564900", "1714564850" };
	char *names[3];
	for (int i = 0; i < 3; i++) {
		setenv("DPSENROLL_TIME_NOW", times[i], 1);
		struct draft_session *s = open_session();
		save_typed(s, ids[i], NULL);
		names[i] = xstrdup(draft_session_name(s));
		draft_session_close(s);
	}
	struct draft_summary *list;
	ck_assert_uint_eq(unclaimed(&list), 3);
	ck_assert_str_eq(list[0].registration_id, "newest");
	ck_assert_str_eq(list[1].registration_id, "middle");
	ck_assert_str_eq(list[2].registration_id, "old");
	draft_summaries_free(list, 3);
	char *why = NULL;
	ck_assert_msg(draft_delete_unclaimed(names[2], &why), "%s", why);
	ck_assert_uint_eq(unclaimed(&list), 2);
	ck_assert_str_eq(list[0].registration_id, "newest");
	ck_assert_str_eq(list[1].registration_id, "old");
	draft_summaries_free(list, 2);
	ck_assert(!draft_delete_unclaimed("../escape", &why));
	free(why);
	for (int i = 0; i < 3; i++)
		free(names[i]);
}
END_TEST

START_TEST(nothing_is_left_behind)
{
	/* A form that saved nothing leaves no file; one that submitted
	 * (discard) neither. */
	struct draft_session *a = open_session();
	char *lock = xasprintf("%s.lock", draft_session_name(a));
	ck_assert(file_exists(lock));
	draft_session_close(a);
	ck_assert(!file_exists(lock));
	free(lock);
	struct draft_session *b = open_session();
	save_typed(b, "bench-b", NULL);
	draft_session_discard(b);
	lock = xasprintf("%s.lock", draft_session_name(b));
	draft_session_close(b);
	ck_assert(!file_exists(lock));
	free(lock);
	/* A crashed form's lock file with no draft is swept by the next
	 * listing. */
	char *orphan = xasprintf("%s/dpsenroll/drafts/20240101T000000Z-1.lock", dir);
	ck_assert(file_write_atomic(orphan, "x", 1, 0600, &(char *){ NULL }));
	struct draft_summary *list;
	ck_assert_uint_eq(unclaimed(&list), 0);
	draft_summaries_free(list, 0);
	ck_assert_int_ne(access(orphan, F_OK), 0);
	free(orphan);
}
END_TEST

/* Upgrading from the single draft.json loses nothing. */
START_TEST(earlier_single_draft_is_moved_in)
{
	char *state = xasprintf("%s/dpsenroll", dir);
	ck_assert(dir_make(state, 0700, &(char *){ NULL }));
	char *old = xasprintf("%s/draft.json", state);
	const char *text = "{\"format\": 1, \"savedAt\": \"2024-05-01T12:00:00Z\", "
			   "\"registrationId\": \"bench-old\", \"fields\": "
			   "{\"registrationId\": \"bench-old\", "
			   "\"attestation.type\": \"tpm\"}}";
	ck_assert(file_write_atomic(old, text, strlen(text), 0600, &(char *){ NULL }));
	struct draft_session *s = open_session();
	struct draft_summary *list;
	ck_assert_uint_eq(unclaimed(&list), 1);
	ck_assert_int_ne(access(old, F_OK), 0);
	ck_assert_str_eq(list[0].registration_id, "bench-old");
	ck_assert_str_eq(list[0].attestation_type, "tpm");
	ck_assert_str_eq(list[0].saved_at, "2024-05-01T12:00:00Z");
	struct draft d;
	char *why = NULL;
	ck_assert_msg(draft_session_adopt(s, list[0].name, &d, &why), "%s", why);
	ck_assert_str_eq(draft_text(&d, "attestation.type"), "tpm");
	draft_clear(&d);
	draft_summaries_free(list, 1);
	draft_session_close(s);
	free(old);
	free(state);
}
END_TEST

START_TEST(damaged_draft_is_set_aside_and_named)
{
	struct draft_session *a = open_session();
	save_typed(a, "bench-a", NULL);
	char *path = xstrdup(draft_session_path(a));
	draft_session_close(a);
	ck_assert(file_write_atomic(path, "{\"format\": 1, \"fie", 18, 0600,
				    &(char *){ NULL }));
	size_t n;
	char *problems = NULL;
	struct draft_summary *list = draft_list_unclaimed(&n, &problems);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(problems);
	ck_assert_msg(strstr(problems, "was damaged"), "%s", problems);
	ck_assert_msg(strstr(problems, ".damaged-"), "%s", problems);
	ck_assert_int_ne(access(path, F_OK), 0);
	free(problems);
	draft_summaries_free(list, n);
	free(path);
}
END_TEST

static void
put_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/dpsenroll/drafts/%s", dir, name);
	char *why = NULL;
	ck_assert_msg(file_write_atomic(path, text, strlen(text), 0600, &why),
		      "%s", why);
	free(path);
}

static bool
draft_file_exists(const char *name)
{
	char *path = xasprintf("%s/dpsenroll/drafts/%s", dir, name);
	bool there = access(path, F_OK) == 0;
	free(path);
	return there;
}

/* What a form killed mid-save leaves where files cannot be written
 * without a name: NAME.json.XXXXXX, holding its keys. The next form
 * removes it at start, unless that form is still running; a draft and a
 * damaged draft set aside are kept. */
START_TEST(stale_temporaries_are_removed_at_start)
{
	struct draft_session *running = open_session();
	save_typed(running, "dev-running", NULL);
	char *running_temp = xasprintf("%s.json.Zz09Aa",
				       draft_session_name(running));
	put_file(running_temp, "{\"primaryKey\":\"k\"}");
	put_file("gone.json", "{}");
	put_file("gone.json.Ab12Cd", "{\"primaryKey\":\"k\"}");
	put_file("gone.json.damaged-2024-05-01T12:00:00Z", "{");
	put_file("gone.json.Ab12Cd.json.Ab12Cd", "{}");

	struct draft_session *next = open_session();
	ck_assert(!draft_file_exists("gone.json.Ab12Cd"));
	ck_assert(draft_file_exists("gone.json"));
	ck_assert(draft_file_exists("gone.json.damaged-2024-05-01T12:00:00Z"));
	ck_assert(draft_file_exists("gone.json.Ab12Cd.json.Ab12Cd"));
	ck_assert_msg(draft_file_exists(running_temp),
		      "the temporary file of a running form was removed");
	draft_session_close(next);
	draft_session_close(running);
	free(running_temp);
}
END_TEST

Suite *
draft_store_suite(void)
{
	Suite *s = suite_create("draft_store");
	TCase *tc = tcase_create("draft_store");
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_add_test(tc, two_forms_keep_two_drafts);
	tcase_add_test(tc, running_form_keeps_its_draft_to_itself);
	tcase_add_test(tc, closed_form_draft_is_offered_and_taken_over);
	tcase_add_test(tc, crashed_form_lock_is_released);
	tcase_add_test(tc, second_window_finds_the_first);
	tcase_add_test(tc, listing_is_newest_first_and_deleting_works);
	tcase_add_test(tc, nothing_is_left_behind);
	tcase_add_test(tc, earlier_single_draft_is_moved_in);
	tcase_add_test(tc, damaged_draft_is_set_aside_and_named);
	tcase_add_test(tc, stale_temporaries_are_removed_at_start);
	suite_add_tcase(s, tc);
	return s;
}
