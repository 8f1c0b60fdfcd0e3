/* The form's draft: what is typed survives exactly, privately, and a
 * damaged file is kept aside rather than lost. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"
#include "app/draft.h"
#include "app/draft_store.h"
#include "app/state.h"
#include "base/xalloc.h"
#include "sys/fileio.h"
#include "testcert.h"

static char dir[64];

static void
make_dir(void)
{
	strcpy(dir, "/tmp/dpsenroll-draft-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("XDG_STATE_HOME", dir, 1);
	setenv("DPSENROLL_TIME_NOW", "1714564800", 1);	/* 2024-05-01 12:00 */
}

static void
remove_dir(void)
{
	char *cmd = xasprintf("rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static char *
state_file(const char *name)
{
	return xasprintf("%s/dpsenroll/%s", dir, name);
}

/* The file the round-trip tests write and read. */
static char *
draft_at(void)
{
	return xasprintf("%s/d.json", dir);
}

static bool
save(const struct draft *d, char **why)
{
	char *path = draft_at();
	bool ok = draft_write(path, d, why);
	free(path);
	return ok;
}

static bool
load(struct draft *d, char **why)
{
	char *path = draft_at();
	bool ok = draft_read(path, d, why);
	free(path);
	return ok;
}

static mode_t
mode_of(const char *path)
{
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_mode & 07777;
}

#define KEY "q7G0v4h5JmN3b3kYc2VjcmV0LWtleS1mb3ItdGVzdHM0MjQyNDI0MjQyNDI0Mg=="

/* Texts a form may hold mid-edit: non-ASCII, invalid, not JSON at all. */
static void
fill(struct draft *d)
{
	draft_set_text(d, "registrationId", "gerät-ü-7 (Prüfstand)");
	draft_set_text(d, "initialTwin", "{\"tags\": {\"room\": \"B\",");
	draft_set_text(d, "attestation.symmetricKey.primaryKey", KEY);
	draft_set_text(d, "iotHubs", "hub-a.azure-devices.net\nhub-b\t\"x\"\\");
	draft_set_text(d, "capabilities.iotEdge", "");
	d->registration_id = xstrdup("gerät-ü-7");
	d->etag = xstrdup("\"3a00e9a5-0000-0100-0000-6630a1b20000\"");
	d->base = cJSON_Parse("{\"registrationId\":\"dev-7\",\"etag\":\"e1\","
			      "\"attestation\":{\"type\":\"symmetricKey\"},"
			      "\"futureField\":{\"n\":[1,2]}}");
}

START_TEST(round_trip_keeps_texts_exactly)
{
	struct draft d = { 0 };
	fill(&d);
	char *why = NULL;
	ck_assert_msg(save(&d, &why), "%s", why);

	struct draft back;
	ck_assert(load(&back, &why));
	ck_assert_ptr_null(why);
	ck_assert_str_eq(back.saved_at, "2024-05-01T12:00:00Z");
	ck_assert_str_eq(back.registration_id, "gerät-ü-7");
	ck_assert_str_eq(back.etag, d.etag);
	ck_assert(cJSON_Compare(back.base, d.base, true));
	ck_assert(cJSON_Compare(back.fields, d.fields, true));
	ck_assert_str_eq(draft_text(&back, "initialTwin"),
			 "{\"tags\": {\"room\": \"B\",");
	ck_assert_str_eq(draft_text(&back, "registrationId"),
			 "gerät-ü-7 (Prüfstand)");
	ck_assert_str_eq(draft_text(&back, "iotHubs"),
			 "hub-a.azure-devices.net\nhub-b\t\"x\"\\");
	ck_assert_str_eq(draft_text(&back, "capabilities.iotEdge"), "");
	ck_assert_ptr_null(draft_text(&back, "nothing.here"));
	draft_clear(&back);
	draft_clear(&d);
	ck_assert_ptr_null(d.fields);
	ck_assert_ptr_null(d.etag);
}
END_TEST

START_TEST(new_enrollment_has_no_base_or_etag)
{
	struct draft d = { 0 };
	draft_set_text(&d, "registrationId", "dev-1");
	draft_set_text(&d, "registrationId", "dev-2");
	char *why = NULL;
	ck_assert(save(&d, &why));
	draft_clear(&d);
	ck_assert(load(&d, &why));
	ck_assert_ptr_null(d.base);
	ck_assert_ptr_null(d.etag);
	ck_assert_ptr_null(d.registration_id);
	ck_assert_int_eq(cJSON_GetArraySize(d.fields), 1);
	ck_assert_str_eq(draft_text(&d, "registrationId"), "dev-2");
	draft_clear(&d);
}
END_TEST

START_TEST(private_even_with_umask_0)
{
	umask(0);
	struct draft d = { 0 };
	fill(&d);
	char *why = NULL;
	struct draft_session *s = draft_session_open(&why);
	ck_assert_msg(s, "%s", why);
	ck_assert(draft_session_save(s, &d, &why));
	const char *path = draft_session_path(s);
	ck_assert_int_eq(mode_of(path), 0600);
	char *folder = state_file("");
	ck_assert_int_eq(mode_of(folder), 0700);
	char *drafts = state_file("drafts");
	ck_assert_int_eq(mode_of(drafts), 0700);
	char *lock = xasprintf("%s/%s.lock", drafts, draft_session_name(s));
	ck_assert_int_eq(mode_of(lock), 0600);
	/* Saved again over an existing file: still private. */
	ck_assert(draft_session_save(s, &d, &why));
	ck_assert_int_eq(mode_of(path), 0600);
	draft_session_close(s);
	draft_clear(&d);
	free(lock);
	free(drafts);
	free(folder);
}
END_TEST

START_TEST(open_folder_is_made_private)
{
	umask(0);
	char *folder = state_file("");
	ck_assert_int_eq(mkdir(folder, 0755), 0);
	char *why = NULL;
	struct draft_session *s = draft_session_open(&why);
	ck_assert_msg(s, "%s", why);
	ck_assert_int_eq(mode_of(folder), 0700);
	draft_session_close(s);
	free(folder);
}
END_TEST

START_TEST(absent_draft_is_not_an_error)
{
	struct draft d;
	char *why = (char *)"unchanged";
	ck_assert(!load(&d, &why));
	ck_assert_ptr_null(why);
	ck_assert_ptr_null(d.fields);
}
END_TEST

static void
put_draft_file(const char *text)
{
	char *why = NULL;
	char *path = draft_at();
	ck_assert(file_write_atomic(path, text, strlen(text), 0600, &why));
	free(path);
}

static void
expect_set_aside(const char *text, const char *aside_name, const char *reason)
{
	put_draft_file(text);
	struct draft d;
	char *why = NULL;
	ck_assert(!load(&d, &why));
	ck_assert_ptr_nonnull(why);
	char *aside = xasprintf("%s/%s", dir, aside_name);
	ck_assert_msg(strstr(why, "d.json was damaged"), "%s", why);
	ck_assert_msg(strstr(why, reason), "%s", why);
	ck_assert_msg(strstr(why, aside), "%s", why);
	free(why);
	char *path = draft_at();
	ck_assert_int_ne(access(path, F_OK), 0);
	char *kept = file_read_all(aside, NULL);
	ck_assert_ptr_nonnull(kept);
	ck_assert_str_eq(kept, text);
	free(kept);
	free(path);
	free(aside);
}

START_TEST(damaged_draft_is_moved_aside_and_reported)
{
	expect_set_aside("{\"format\": 1, \"fields\": {\"registrationId\": \"d",
			 "d.json.damaged-2024-05-01T12:00:00Z",
			 "not valid JSON at line 1");
	/* A second one in the same second does not replace the first. */
	expect_set_aside("{\"format\": 1, \"fields\": [\"x\"]}",
			 "d.json.damaged-2024-05-01T12:00:00Z-2",
			 "\"fields\" is not an object of texts");
	expect_set_aside("{\"format\": 1, \"fields\": {\"a\": 5}}",
			 "d.json.damaged-2024-05-01T12:00:00Z-3",
			 "not an object of texts");
	expect_set_aside("{\"format\": 9, \"fields\": {}}",
			 "d.json.damaged-2024-05-01T12:00:00Z-4",
			 "not a draft of this dpsenroll version");
	expect_set_aside("[]", "d.json.damaged-2024-05-01T12:00:00Z-5",
			 "not a JSON object");
	/* Afterwards the next save and load work as usual. */
	struct draft d = { 0 };
	draft_set_text(&d, "registrationId", "dev-1");
	char *why = NULL;
	ck_assert(save(&d, &why));
	draft_clear(&d);
	ck_assert(load(&d, &why));
	draft_clear(&d);
}
END_TEST

START_TEST(discard_removes_the_draft)
{
	char *why = NULL;
	struct draft_session *s = draft_session_open(&why);
	ck_assert_msg(s, "%s", why);
	draft_session_discard(s);	/* none yet: nothing to do */
	struct draft d = { 0 };
	fill(&d);
	ck_assert(draft_session_save(s, &d, &why));
	draft_clear(&d);
	ck_assert_int_eq(access(draft_session_path(s), F_OK), 0);
	draft_session_discard(s);
	ck_assert_int_ne(access(draft_session_path(s), F_OK), 0);
	ck_assert(!draft_read(draft_session_path(s), &d, &why));
	ck_assert_ptr_null(why);
	draft_session_close(s);
}
END_TEST

START_TEST(unwritable_folder_is_reported)
{
	char *file = xasprintf("%s/blocker", dir);
	ck_assert(file_write_atomic(file, "x", 1, 0600, &(char *){ NULL }));
	setenv("XDG_STATE_HOME", file, 1);
	char *why = NULL;
	ck_assert_ptr_null(draft_session_open(&why));
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, "blocker"), "%s", why);
	free(why);
	free(file);
}
END_TEST

START_TEST(state_dir_follows_xdg_then_home)
{
	char *p = state_dir();
	char *want = xasprintf("%s/dpsenroll", dir);
	ck_assert_str_eq(p, want);
	free(want);
	free(p);
	setenv("XDG_STATE_HOME", "relative/ignored", 1);
	setenv("HOME", "/home/tech", 1);
	p = state_dir();
	ck_assert_str_eq(p, "/home/tech/.local/state/dpsenroll");
	free(p);
	unsetenv("XDG_STATE_HOME");
	p = draft_store_dir();
	ck_assert_str_eq(p, "/home/tech/.local/state/dpsenroll/drafts");
	free(p);
}
END_TEST

/* A paste still open in its editor when the draft is saved:
 * `cat device.key device.pem`. */
#define KEY_BLOCK "-----BEGIN EC PRIVATE KEY-----\n" \
	"MHcCAQEEIDRAFTKEYBODYDRAFTKEYBODYDRAFTKEYBODYDRAFTKEYBODYoAoGCCqG\n" \
	"-----END EC PRIVATE KEY-----\n"
#define CERT_BLOCK "-----BEGIN CERTIFICATE-----\nMIIB\n" \
	"-----END CERTIFICATE-----\n"
#define CERT_FIELD "attestation.x509.clientCertificates.primary.certificate"

START_TEST(private_key_is_never_written)
{
	struct draft d = { 0 };
	draft_set_text(&d, CERT_FIELD, KEY_BLOCK CERT_BLOCK);
	draft_set_text(&d, "initialTwin", "{\"k\": \"" KEY_BLOCK "\"}");
	d.base = cJSON_Parse("{\"registrationId\":\"dev-7\"}");
	cJSON_AddStringToObject(d.base, "note", KEY_BLOCK);
	char *why = NULL;
	ck_assert_msg(save(&d, &why), "%s", why);
	char *path = draft_at();
	char *text = file_read_all(path, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(!strstr(text, "PRIVATE KEY") && !strstr(text, "DRAFTKEYBODY"),
		      "the draft holds the key: %s", text);
	draft_clear(&d);
	ck_assert(load(&d, &why));
	ck_assert_str_eq(draft_text(&d, CERT_FIELD), CERT_BLOCK);
	ck_assert_uint_eq(d.keys_dropped, 0);
	draft_clear(&d);
	free(text);
	free(path);
}
END_TEST

/* A key given bare (base64 of its DER) in a field, as some tools print
 * it: never written, and taken out of a draft that holds one. */
START_TEST(bare_private_key_is_never_written)
{
	EVP_PKEY *k = testcert_new_key(TESTCERT_RSA);
	char *bare = testcert_key_bare_b64(k);
	struct draft d = { 0 };
	draft_set_text(&d, CERT_FIELD, bare);
	draft_set_text(&d, "deviceId", "dev-7");
	char *why = NULL;
	ck_assert_msg(save(&d, &why), "%s", why);
	char *path = draft_at();
	char *text = file_read_all(path, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(!strstr(text, bare), "the draft holds the bare key");
	ck_assert_ptr_nonnull(strstr(text, "dev-7"));
	draft_clear(&d);
	free(text);

	/* One written by hand (or by an older version): read without it. */
	char *json = xasprintf("{\"format\":1,\"fields\":{\"%s\":\"%s\"}}",
			       CERT_FIELD, bare);
	put_draft_file(json);
	ck_assert_msg(load(&d, &why), "%s", why);
	ck_assert_uint_eq(d.keys_dropped, 1);
	ck_assert_str_eq(draft_text(&d, CERT_FIELD), "");
	draft_clear(&d);
	free(json);
	free(path);
	free(bare);
	EVP_PKEY_free(k);
}
END_TEST

/* A draft written before keys were kept out is read without them. */
START_TEST(private_key_is_never_restored)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "format", 1);
	cJSON *fields = cJSON_AddObjectToObject(o, "fields");
	cJSON_AddStringToObject(fields, CERT_FIELD, KEY_BLOCK CERT_BLOCK);
	cJSON_AddStringToObject(fields, "deviceId", KEY_BLOCK);
	char *text = cJSON_Print(o);
	put_draft_file(text);
	struct draft d;
	char *why = NULL;
	ck_assert_msg(load(&d, &why), "%s", why);
	ck_assert_uint_eq(d.keys_dropped, 2);
	ck_assert_str_eq(draft_text(&d, CERT_FIELD), CERT_BLOCK);
	ck_assert_str_eq(draft_text(&d, "deviceId"), "");
	draft_clear(&d);
	free(text);
	cJSON_Delete(o);
}
END_TEST

START_TEST(timer_waits_for_a_pause)
{
	struct quiet_timer t = DRAFT_TIMER_INIT;
	ck_assert(!quiet_timer_due(&t, 0));
	ck_assert_int_eq(quiet_timer_wait_ms(&t, 0), -1);
	quiet_timer_touch(&t, 1000);
	ck_assert(!quiet_timer_due(&t, 1000));
	ck_assert(!quiet_timer_due(&t, 1499));
	ck_assert_int_eq(quiet_timer_wait_ms(&t, 1200), 300);
	ck_assert(quiet_timer_due(&t, 1500));
	/* Another change pushes the save back. */
	quiet_timer_touch(&t, 1400);
	ck_assert(!quiet_timer_due(&t, 1500));
	ck_assert(quiet_timer_due(&t, 1900));
	quiet_timer_done(&t);
	ck_assert(!quiet_timer_due(&t, 5000));
	ck_assert_int_eq(quiet_timer_wait_ms(&t, 5000), -1);
}
END_TEST

START_TEST(timer_saves_steady_typing_every_2s)
{
	struct quiet_timer t = DRAFT_TIMER_INIT;
	int64_t saved_at = -1;
	/* A key every 100 ms never leaves a 500 ms pause. */
	for (int64_t now = 0; now <= 2500; now += 100) {
		if (quiet_timer_due(&t, now) && saved_at < 0) {
			saved_at = now;
			quiet_timer_done(&t);
		}
		quiet_timer_touch(&t, now);
	}
	ck_assert_int_eq(saved_at, 2000);
	/* The next window starts at the first change after that save. */
	ck_assert_int_eq(t.first_ms, 2000);
	ck_assert_int_eq(quiet_timer_wait_ms(&t, 2500), 500);
	ck_assert(quiet_timer_due(&t, 3000));
}
END_TEST

Suite *
draft_suite(void)
{
	Suite *s = suite_create("draft");
	TCase *tc = tcase_create("draft");
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_add_test(tc, round_trip_keeps_texts_exactly);
	tcase_add_test(tc, new_enrollment_has_no_base_or_etag);
	tcase_add_test(tc, private_even_with_umask_0);
	tcase_add_test(tc, open_folder_is_made_private);
	tcase_add_test(tc, absent_draft_is_not_an_error);
	tcase_add_test(tc, damaged_draft_is_moved_aside_and_reported);
	tcase_add_test(tc, discard_removes_the_draft);
	tcase_add_test(tc, unwritable_folder_is_reported);
	tcase_add_test(tc, state_dir_follows_xdg_then_home);
	tcase_add_test(tc, private_key_is_never_written);
	tcase_add_test(tc, bare_private_key_is_never_written);
	tcase_add_test(tc, private_key_is_never_restored);
	suite_add_tcase(s, tc);
	TCase *timer = tcase_create("timer");
	tcase_add_test(timer, timer_waits_for_a_pause);
	tcase_add_test(timer, timer_saves_steady_typing_every_2s);
	suite_add_tcase(s, timer);
	return s;
}
