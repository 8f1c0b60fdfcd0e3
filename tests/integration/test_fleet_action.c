/* The fleet list's actions against dpsemu, run as the screen runs them
 * (a batch on a worker thread): a disable keeps the symmetric keys,
 * leaves an enrollment changed since the list read it as it is, and
 * journals each enrollment; a delete with a stale etag deletes nothing. */

#include <libgen.h>
#include <locale.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"
#include "app/fleet_action.h"
#include "app/journal.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "dps/worker.h"
#include "sys/fileio.h"

enum { WAIT_MS = 20000 };

static struct dps_worker *
worker(void)
{
	struct dps_conn conn = { .host = test_emu->host_name,
				 .policy = test_emu->policy_name,
				 .key = test_emu->policy_key };
	struct dps_client_opts o = { .cacert = test_emu->ca_path,
				     .backoff_ms = 10, .ops_per_minute = -1 };
	char *why = NULL;
	struct dps_worker *w = dps_worker_new(&conn, &o, &why);
	ck_assert_msg(w, "dps_worker_new: %s", why ? why : "?");
	return w;
}

/* Runs the batch on a worker; the finished job (the caller frees it). */
static struct dps_job *
run(struct fleet_batch *b)
{
	struct dps_worker *w = worker();
	unsigned id = fleet_batch_submit(w, b);
	struct dps_job *j = NULL;
	double until = now_s() + WAIT_MS / 1000.0;
	while (!j && now_s() < until) {
		struct pollfd p = { .fd = dps_worker_fd(w), .events = POLLIN };
		poll(&p, 1, 100);
		j = dps_worker_take(w);
	}
	ck_assert_msg(j && j->id == id, "the batch did not finish");
	dps_worker_free(w);
	return j;
}

/* The journal in a folder of this test's own. */
static char *
fresh_journal(void)
{
	char *dir = harness_tmpdir("state");
	setenv("XDG_STATE_HOME", dir, 1);
	free(dir);
	return journal_path();
}

static char *
stored(const char *id, const char *path)
{
	char *p = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(test_emu, "GET", p, NULL);
	EXPECT_JSON(r, 200);
	const char *v = jstr(r->json, path);
	char *out = v ? xstrdup(v) : NULL;
	reply_free(r);
	free(p);
	return out;
}

static char *
stored_keys(const char *id)
{
	char *p = xasprintf("/enrollments/%s/attestationmechanism", id);
	struct reply *r = svc(test_emu, "POST", p, NULL);
	EXPECT_JSON(r, 200);
	char *keys = xasprintf("%s/%s",
			       jstr(r->json, "symmetricKey.primaryKey"),
			       jstr(r->json, "symmetricKey.secondaryKey"));
	reply_free(r);
	free(p);
	return keys;
}

static size_t
count_lines(const char *text, const char *a, const char *b)
{
	size_t n = 0;
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *l = xstrndup(line, len);
		n += strstr(l, a) && strstr(l, b);
		free(l);
		line = end ? end + 1 : NULL;
	}
	return n;
}

START_TEST(disable_keeps_keys_and_leaves_a_changed_one)
{
	char *journal = fresh_journal();
	char *ids[3], *etags[3], *keys[3];
	for (int i = 0; i < 3; i++) {
		ids[i] = unique_id("fleet-act");
		cJSON *e = create_enrollment(test_emu, ids[i], "");
		etags[i] = xstrdup(jstr(e, "etag"));
		cJSON_Delete(e);
		keys[i] = stored_keys(ids[i]);
	}
	/* someone else changes the second after the list read it */
	char *body = enrollment_text(ids[1], ",\"deviceId\":\"elsewhere\"");
	struct reply *r = put_enrollment(test_emu, ids[1], body, "*");
	EXPECT_JSON(r, 200);
	reply_free(r);
	free(body);
	char *changed_etag = stored(ids[1], "etag");

	struct fleet_batch *b = fleet_batch_new(FLEET_DISABLE);
	for (int i = 0; i < 3; i++)
		fleet_batch_add(b, ids[i], etags[i]);
	struct dps_job *j = run(b);
	b = fleet_batch_of(j);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->targets[0].outcome, FLEET_DONE);
	ck_assert_int_eq(b->targets[1].outcome, FLEET_CHANGED);
	ck_assert_int_eq(b->targets[2].outcome, FLEET_DONE);
	ck_assert_ptr_null(b->journal_problem);

	for (int i = 0; i < 3; i += 2) {
		char *status = stored(ids[i], "provisioningStatus");
		ck_assert_str_eq(status, "disabled");
		char *now = stored_keys(ids[i]);
		ck_assert_msg(!strcmp(now, keys[i]), "%s's keys changed", ids[i]);
		/* the row gets the stored copy, new etag and all */
		char *etag = stored(ids[i], "etag");
		ck_assert_str_eq(jstr(b->targets[i].enrollment, "etag"), etag);
		ck_assert_ptr_null(jget(b->targets[i].enrollment,
					"attestation.symmetricKey.primaryKey"));
		free(etag);
		free(now);
		free(status);
	}
	/* left as the other writer made it */
	char *status = stored(ids[1], "provisioningStatus");
	char *etag = stored(ids[1], "etag");
	ck_assert_msg(!status || !strcmp(status, "enabled"), "%s", status);
	ck_assert_str_eq(etag, changed_etag);

	size_t len;
	char *text = file_read_all(journal, &len);
	ck_assert_msg(text, "no journal at %s", journal);
	ck_assert_uint_eq(count_lines(text, "\"operation\":\"disable\"",
				      "\"outcome\":\"ok\""), 2);
	ck_assert_uint_eq(count_lines(text, ids[1], "\"outcome\":\"failed\""), 1);
	ck_assert_msg(!strstr(text, keys[0]), "the journal holds keys");
	free(text);
	free(status);
	free(etag);
	free(changed_etag);
	dps_job_free(j);
	for (int i = 0; i < 3; i++) {
		free(ids[i]);
		free(etags[i]);
		free(keys[i]);
	}
	free(journal);
}
END_TEST

START_TEST(a_delete_with_a_stale_etag_deletes_nothing)
{
	free(fresh_journal());
	char *id = unique_id("fleet-del");
	cJSON *e = create_enrollment(test_emu, id, "");
	char *old = xstrdup(jstr(e, "etag"));
	cJSON_Delete(e);
	char *body = enrollment_text(id, ",\"deviceId\":\"moved\"");
	struct reply *r = put_enrollment(test_emu, id, body, "*");
	EXPECT_JSON(r, 200);
	reply_free(r);
	free(body);

	struct fleet_batch *b = fleet_batch_new(FLEET_DELETE);
	fleet_batch_add(b, id, old);
	fleet_batch_add(b, "fleet-del-nobody", NULL);
	struct dps_job *j = run(b);
	b = fleet_batch_of(j);
	ck_assert_int_eq(b->targets[0].outcome, FLEET_CHANGED);
	ck_assert_int_eq(b->targets[1].outcome, FLEET_GONE);
	char *device = stored(id, "deviceId");
	ck_assert_str_eq(device, "moved");
	free(device);
	dps_job_free(j);
	free(old);
	free(id);
}
END_TEST

/* French from the catalog built beside the program (DPSENROLL); false
 * (the test passes over) where the locale is not installed, except in
 * CI. */
static bool
speak_french(void)
{
#if DPSENROLL_NLS
	const char *bin = getenv("DPSENROLL");
	ck_assert_msg(bin && *bin, "DPSENROLL is not set (run through make "
		      "integration)");
	if (!setlocale(LC_ALL, "fr_FR.UTF-8")) {
		ck_assert_msg(!getenv("CI"), "the fr_FR.UTF-8 locale is not "
			      "installed, and CI must run this test");
		return false;
	}
	setenv("LANGUAGE", "fr", 1);
	char *copy = xstrdup(bin);
	char *locale = xasprintf("%s/locale", dirname(copy));
	bindtextdomain(I18N_DOMAIN, locale);
	textdomain(I18N_DOMAIN);
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	free(locale);
	free(copy);
	return true;
#else
	return false;
#endif
}

/* The list shows why in French; the journal keeps it in English. */
START_TEST(outcome_in_french_journal_in_english)
{
	if (!speak_french())
		return;
	char *journal = fresh_journal();
	char *id = unique_id("fleet-fr");
	cJSON *e = create_enrollment(test_emu, id, "");
	char *old = xstrdup(jstr(e, "etag"));
	cJSON_Delete(e);
	char *body = enrollment_text(id, ",\"deviceId\":\"elsewhere\"");
	struct reply *r = put_enrollment(test_emu, id, body, "*");
	EXPECT_JSON(r, 200);
	reply_free(r);
	free(body);

	struct fleet_batch *b = fleet_batch_new(FLEET_DISABLE);
	fleet_batch_add(b, id, old);
	struct dps_job *j = run(b);
	b = fleet_batch_of(j);
	ck_assert_int_eq(b->targets[0].outcome, FLEET_CHANGED);
	ck_assert_str_eq(b->targets[0].message, "modifiée sur le service "
			 "depuis que la liste l'a lue : laissée telle quelle "
			 "(rechargez la liste pour la voir)");
	size_t len;
	char *text = file_read_all(journal, &len);
	ck_assert_msg(text, "no journal at %s", journal);
	ck_assert_uint_eq(count_lines(text, id, "\"message\":\"changed on the "
				      "service since the list read it: left as "
				      "it is (reload the list to see it)\""), 1);
	free(text);
	dps_job_free(j);
	setlocale(LC_ALL, "C");
	unsetenv("LANGUAGE");
	free(old);
	free(id);
	free(journal);
}
END_TEST

Suite *
fleet_action_suite(void)
{
	Suite *s = suite_create("fleet_action");
	TCase *tc = itest_tcase("fleet_action");
	tcase_add_checked_fixture(tc, test_emu_up, test_emu_down);
	tcase_add_test(tc, disable_keeps_keys_and_leaves_a_changed_one);
	tcase_add_test(tc, a_delete_with_a_stale_etag_deletes_nothing);
	tcase_add_test(tc, outcome_in_french_journal_in_english);
	suite_add_tcase(s, tc);
	return s;
}
