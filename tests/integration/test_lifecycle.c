/* The emulator as a process: what it writes on first start, clean stops,
 * what survives a restart or a kill -9, and a damaged database. Each test
 * has its own emulator and folder. */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "harness.h"
#include "suites.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

static char *
data_file(const struct emu_proc *e, const char *name)
{
	char *path = emu_data_path(e, name);
	char *text = file_read_all(path, NULL);
	ck_assert_msg(text, "cannot read %s", path);
	free(path);
	return text;
}

static struct reply *
get_enrollment(struct emu_proc *e, const char *id)
{
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(e, "GET", path, NULL);
	free(path);
	return r;
}

static void
expect_etag(struct emu_proc *e, const char *id, const char *etag)
{
	struct reply *r = get_enrollment(e, id);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "etag"), etag);
	reply_free(r);
}

START_TEST(first_start_publishes_how_to_connect)
{
	struct emu_proc *e = emu_start(NULL);
	char *expect_host = xasprintf("127.0.0.1:%d", e->port);
	ck_assert_str_eq(e->host_name, expect_host);
	ck_assert_str_eq(e->policy_name, "provisioningserviceowner");
	ck_assert_int_ge(b64_len(e->policy_key), 16);
	ck_assert_uint_gt(strlen(e->id_scope), 0);
	char *cs_path = emu_data_path(e, "connection-string");
	struct stat st;
	ck_assert_int_eq(stat(cs_path, &st), 0);
	ck_assert_msg((st.st_mode & 0777) == 0600, "connection-string mode %o",
		      (unsigned)(st.st_mode & 0777));
	char *ca = data_file(e, "ca.pem");
	ck_assert_ptr_nonnull(strstr(ca, "-----BEGIN CERTIFICATE-----"));
	/* The client trusts only DIR/ca.pem, so this also checks the chain. */
	struct reply *r = get_enrollment(e, "nobody-here");
	EXPECT_ERROR(r, 404, 404201);
	reply_free(r);
	emu_stop(e);
	free(ca);
	free(cs_path);
	free(expect_host);
	emu_free(e);
}
END_TEST

START_TEST(sigint_stops_cleanly)
{
	struct emu_proc *e = emu_start(NULL);
	int status = emu_signal_stop(e, SIGINT);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "wait status %#x after SIGINT", (unsigned)status);
	emu_free(e);
}
END_TEST

START_TEST(state_persists_across_restart)
{
	struct emu_proc *e = emu_start(NULL);
	char *id = unique_id("persist");
	cJSON *c = create_enrollment(e, id, "");
	char *key = xstrdup(e->policy_key), *scope = xstrdup(e->id_scope);
	char *ca = data_file(e, "ca.pem");
	emu_stop(e);
	emu_restart(e);
	ck_assert_msg(strcmp(e->policy_key, key) == 0,
		      "the connection string's key changed on restart");
	ck_assert_str_eq(e->id_scope, scope);
	char *ca_after = data_file(e, "ca.pem");
	ck_assert_msg(strcmp(ca, ca_after) == 0, "ca.pem changed on restart");
	struct reply *r = get_enrollment(e, id);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "etag"), jstr(c, "etag"));
	ck_assert_str_eq(jstr(r->json, "createdDateTimeUtc"),
			 jstr(c, "createdDateTimeUtc"));
	ck_assert_str_eq(jstr(r->json, "registrationId"), id);
	reply_free(r);
	char *mech = xasprintf("/enrollments/%s/attestationmechanism", id);
	r = svc(e, "POST", mech, NULL);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "symmetricKey.primaryKey"),
			 jstr(c, "attestation.symmetricKey.primaryKey"));
	reply_free(r);
	emu_stop(e);
	free(mech);
	free(ca_after);
	free(ca);
	free(scope);
	secret_str_free(key);
	cJSON_Delete(c);
	free(id);
	emu_free(e);
}
END_TEST

START_TEST(registration_state_persists_across_restart)
{
	struct emu_proc *e = emu_start(NULL);
	char *id = unique_id("persist-reg");
	cJSON_Delete(create_enrollment(e, id, ""));
	char *sim = xasprintf("/admin/registrations/%s", id);
	struct reply *r = admin(e, "POST", sim, NULL);
	ck_assert_msg(r->status >= 200 && r->status < 300, "%s: %ld %s",
		      r->what, r->status, r->body ? r->body : "");
	reply_free(r);
	emu_stop(e);
	emu_restart(e);
	char *path = xasprintf("/registrations/%s", id);
	r = svc(e, "GET", path, NULL);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "status"), "assigned");
	reply_free(r);
	emu_stop(e);
	free(path);
	free(sim);
	free(id);
	emu_free(e);
}
END_TEST

enum { DURABLE_COUNT = 20 };

/* Each write answered 200 or 204 is on disk by then, so SIGKILL straight
 * after the answer loses nothing. */
START_TEST(acknowledged_writes_survive_kill_9)
{
	struct emu_proc *e = emu_start(NULL);
	char *ids[DURABLE_COUNT], *etags[DURABLE_COUNT];
	for (int i = 0; i < DURABLE_COUNT; i++) {
		ids[i] = unique_id("durable");
		cJSON *c = create_enrollment(e, ids[i], "");
		etags[i] = xstrdup(jstr(c, "etag"));
		cJSON_Delete(c);
	}
	char *gone = xasprintf("/enrollments/%s", ids[0]);
	struct reply *r = svc(e, "DELETE", gone, NULL);
	EXPECT_STATUS(r, 204);
	reply_free(r);
	char *last = unique_id("durable-last");
	cJSON *c = create_enrollment(e, last, "");
	emu_kill(e);
	emu_restart(e);
	expect_etag(e, last, jstr(c, "etag"));
	r = svc(e, "GET", gone, NULL);
	EXPECT_ERROR(r, 404, 404201);
	reply_free(r);
	for (int i = 1; i < DURABLE_COUNT; i++)
		expect_etag(e, ids[i], etags[i]);
	for (int i = 0; i < DURABLE_COUNT; i++) {
		free(ids[i]);
		free(etags[i]);
	}
	emu_stop(e);
	cJSON_Delete(c);
	free(last);
	free(gone);
	emu_free(e);
}
END_TEST

static char *
garbage(size_t n)
{
	static const char unit[] = "this is not a database, it is garbage. ";
	char *g = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		g[i] = unit[i % (sizeof(unit) - 1)];
	g[n] = '\0';
	return g;
}

START_TEST(damaged_database_is_refused_and_kept)
{
	struct emu_proc *e = emu_start(NULL);
	char *id = unique_id("damaged");
	cJSON_Delete(create_enrollment(e, id, ""));
	emu_stop(e);
	char *db = emu_data_path(e, "dpsemu.db");
	char *junk = garbage(16384);
	char *why = NULL;
	ck_assert_msg(file_write_atomic(db, junk, 16384, 0600, &why), "%s", why);
	char *before = emu_log(e);
	size_t offset = strlen(before);
	int status = emu_run_to_exit(e, NULL);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) != 0,
		      "dpsemu on a damaged database: wait status %#x",
		      (unsigned)status);
	char *log = emu_log(e);
	ck_assert_msg(strstr(log + offset, "dpsemu.db"),
		      "the message does not name the file: %s", log + offset);
	size_t len = 0;
	char *after = file_read_all(db, &len);
	ck_assert_msg(after && len == 16384 && memcmp(after, junk, len) == 0,
		      "the damaged file was changed");
	free(after);
	free(log);
	free(before);
	free(junk);
	free(db);
	free(id);
	emu_free(e);
}
END_TEST

/* Big-endian stores into the database image. */
static void
be16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
be32(unsigned char *p, unsigned long v)
{
	be16(p, (unsigned)(v >> 16));
	be16(p + 2, (unsigned)(v & 0xFFFF));
}

enum { PAGE = 512, FOREIGN_SIZE = 2 * PAGE };

/* A valid SQLite database of some other program: one empty table
 * "photos" on page 2, described on page 1 (the SQLite file format,
 * written out so the test needs no SQLite of its own). */
static unsigned char *
foreign_database(void)
{
	unsigned char *db = xcalloc(1, FOREIGN_SIZE);
	memcpy(db, "SQLite format 3", 16);
	be16(db + 16, PAGE);
	db[18] = db[19] = 1;		/* rollback journal */
	db[21] = 64;
	db[22] = db[23] = 32;
	be32(db + 24, 1);		/* change counter */
	be32(db + 28, 2);		/* pages */
	be32(db + 40, 1);		/* schema cookie */
	be32(db + 44, 4);		/* schema format */
	be32(db + 56, 1);		/* UTF-8 */
	be32(db + 92, 1);		/* the change counter above is valid */
	be32(db + 96, 3037002);		/* the SQLite that wrote it */
	/* sqlite_master's row: type, name, tbl_name, rootpage, sql */
	static const char *const cols[] = { "table", "photos", "photos", NULL,
					    "CREATE TABLE photos(x)" };
	unsigned char rec[64];
	size_t n = 6;
	rec[0] = 6;			/* the header: its size, five types */
	for (size_t i = 0; i < 5; i++) {
		if (!cols[i]) {		/* rootpage 2, a one-byte integer */
			rec[1 + i] = 1;
			rec[n++] = 2;
			continue;
		}
		size_t len = strlen(cols[i]);
		rec[1 + i] = (unsigned char)(13 + 2 * len);	/* text */
		memcpy(rec + n, cols[i], len);
		n += len;
	}
	size_t cell = PAGE - (n + 2);
	db[cell] = (unsigned char)n;	/* payload size */
	db[cell + 1] = 1;		/* rowid */
	memcpy(db + cell + 2, rec, n);
	db[100] = 0x0D;			/* a table leaf */
	be16(db + 103, 1);		/* one cell */
	be16(db + 105, (unsigned)cell);
	be16(db + 108, (unsigned)cell);
	db[PAGE] = 0x0D;		/* page 2: an empty table leaf */
	be16(db + PAGE + 5, PAGE);
	return db;
}

/* A dpsemu.db that is another program's is not ours to add tables to:
 * the emulator refuses it, says which file and why, and leaves it as it
 * was. */
START_TEST(foreign_database_is_refused_and_kept)
{
	char *why = NULL;
	struct emu_proc *e = emu_prepare(NULL, &why);
	ck_assert_msg(e, "%s", why);
	ck_assert_int_eq(mkdir(e->data_dir, 0700), 0);
	char *db = emu_data_path(e, "dpsemu.db");
	unsigned char *image = foreign_database();
	ck_assert_msg(file_write_atomic(db, image, FOREIGN_SIZE, 0600, &why),
		      "%s", why);
	int status = emu_run_to_exit(e, NULL);
	char *log = emu_log(e);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) != 0,
		      "dpsemu on another program's database: wait status %#x: "
		      "%s", (unsigned)status, log);
	ck_assert_msg(strstr(log, db) && strstr(log, "photos"),
		      "the message does not name %s and its table: %s", db,
		      log);
	size_t len = 0;
	char *after = file_read_all(db, &len);
	ck_assert_msg(after && len == FOREIGN_SIZE &&
		      memcmp(after, image, len) == 0,
		      "the foreign database was changed");
	free(after);
	free(log);
	free(image);
	free(db);
	emu_free(e);
}
END_TEST

Suite *
lifecycle_suite(void)
{
	Suite *s = suite_create("lifecycle");
	TCase *tc = itest_tcase("lifecycle");
	tcase_add_test(tc, first_start_publishes_how_to_connect);
	tcase_add_test(tc, sigint_stops_cleanly);
	tcase_add_test(tc, state_persists_across_restart);
	tcase_add_test(tc, registration_state_persists_across_restart);
	tcase_add_test(tc, acknowledged_writes_survive_kill_9);
	tcase_add_test(tc, damaged_database_is_refused_and_kept);
	tcase_add_test(tc, foreign_database_is_refused_and_kept);
	suite_add_tcase(s, tc);
	return s;
}
