/* dpsenroll import as a user runs it: the real binary (DPSENROLL) against
 * dpsemu, judged by its exit code, its messages, the result file and what
 * the emulator stores. */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_proc.h"
#include "harness.h"
#include "suites.h"
#include "base/secret.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

extern char **environ;


static char *dir;		/* this test's files */
static char *conn_string;	/* secret */

static void
emu_up(void)
{
	test_emu_up();
	dir = harness_tmpdir("import");
	ck_assert_ptr_nonnull(dir);
	conn_string = xasprintf("HostName=%s;SharedAccessKeyName=%s;"
				"SharedAccessKey=%s", test_emu->host_name,
				test_emu->policy_name, test_emu->policy_key);
}

static void
emu_down(void)
{
	test_emu_down();
	free(dir);
	dir = NULL;
	secret_str_free(conn_string);
	conn_string = NULL;
}

static char *
path_in(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static char *
read_in(const char *name)
{
	char *path = path_in(name);
	char *text = file_read_all(path, NULL);
	ck_assert_msg(text, "cannot read %s", path);
	free(path);
	return text;
}

static void
write_in(const char *name, const char *text)
{
	char *path = path_in(name);
	char *why = NULL;
	ck_assert_msg(file_write_atomic(path, text, strlen(text), 0600, &why),
		      "%s", why);
	free(path);
}

/* dpsenroll with `args` (NULL-terminated, without the program name) in
 * the test's folder, the connection in its environment. */
static pid_t
spawn(const char *const *args)
{
	char *set[] = {
		xasprintf("DPS_CONNECTION_STRING=%s", conn_string),
		xasprintf("DPSENROLL_CACERT=%s", test_emu->ca_path),
		xasprintf("XDG_CONFIG_HOME=%s", dir),
		xasprintf("XDG_STATE_HOME=%s", dir),
		NULL,
	};
	pid_t pid = cli_spawn(dir, (const char *const *)set, args);
	for (int i = 0; set[i]; i++)
		secret_str_free(set[i]);
	return pid;
}

static struct cli_result
finish(pid_t pid)
{
	return cli_finish(dir, pid);
}

#define RUN(...) finish(spawn((const char *const[]){ __VA_ARGS__, NULL }))

static void
expect_exit_at(int line, const struct cli_result *r, int code)
{
	ck_assert_msg(r->status == code, "line %d: exit %d, expected %d; "
		      "stderr: %.800s; stdout: %.300s", line, r->status, code,
		      r->err, r->out);
}

#define EXPECT_EXIT(r, code) expect_exit_at(__LINE__, (r), (code))

static void
expect_has(const char *what, const char *text, const char *part)
{
	ck_assert_msg(strstr(text, part), "%s lacks '%s': %s", what, part, text);
}

/* The stored enrollment (GET), or NULL when there is none. */
static cJSON *
stored(const char *id)
{
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(test_emu, "GET", path, NULL);
	cJSON *j = r->status == 200 ? cJSON_Duplicate(r->json, 1) : NULL;
	ck_assert_msg(r->status == 200 || r->status == 404, "GET %s: %ld", id,
		      r->status);
	reply_free(r);
	free(path);
	return j;
}

static void
expect_stored(const char *id, const char *field, const char *want)
{
	cJSON *j = stored(id);
	ck_assert_msg(j, "'%s' is not stored", id);
	const char *v = jstr(j, field);
	ck_assert_msg(v && strcmp(v, want) == 0, "%s of '%s' is %s, not %s",
		      field, id, v ? v : "(absent)", want);
	cJSON_Delete(j);
}

static void
expect_not_stored(const char *id)
{
	cJSON *j = stored(id);
	ck_assert_msg(!j, "'%s' is stored, but nothing should have been sent", id);
}

/* Row N of an import of PREFIX-0, PREFIX-1...: not on the service. */
static void
expect_row_not_stored(const char *prefix, int n)
{
	char *id = xasprintf("%s-%d", prefix, n);
	expect_not_stored(id);
	free(id);
}

/* The result file's line for `id` ("line,id,outcome,..."), asserted to
 * be there exactly once; the caller frees. */
static char *
result_of(const char *results, const char *id)
{
	char *needle = xasprintf(",%s,", id);
	const char *at = strstr(results, needle);
	ck_assert_msg(at, "the results have no line for %s: %s", id, results);
	ck_assert_msg(!strstr(at + 1, needle), "%s is in the results twice", id);
	while (at > results && at[-1] != '\n')
		at--;
	char *line = xstrndup(at, strcspn(at, "\r\n"));
	free(needle);
	return line;
}

static void
expect_outcome(const char *results, const char *id, const char *outcome)
{
	char *line = result_of(results, id);
	char *want = xasprintf(",%s,%s,", id, outcome);
	ck_assert_msg(strstr(line, want), "%s: '%s', expected outcome %s", id,
		      line, outcome);
	free(want);
	free(line);
}

static size_t
count_of(const char *text, const char *part)
{
	size_t n = 0;
	for (const char *p = strstr(text, part); p; p = strstr(p + 1, part))
		n++;
	return n;
}

/* A CSV of `n` devices "PREFIX-I" with a site tag each. */
static char *
devices_csv(const char *prefix, int n)
{
	struct strbuf b = STRBUF_INIT;
	strbuf_add(&b, "registrationId,deviceId,initialTwin.tags.site\n");
	for (int i = 0; i < n; i++)
		strbuf_addf(&b, "%s-%d,device-%d,bench-%d\n", prefix, i, i, i % 3);
	return strbuf_take(&b);
}

static const char TEMPLATE[] =
	"{\"attestation\":{\"type\":\"symmetricKey\"},"
	"\"provisioningStatus\":\"disabled\","
	"\"initialTwin\":{\"tags\":{\"line\":\"A\"}}}";

START_TEST(import_csv_creates_every_row_over_the_template)
{
	char *prefix = unique_id("csv");
	char *csv = devices_csv(prefix, 24);
	/* one row gives its own keys: they stay out of every file kept */
	char *key1 = random_key(32), *key2 = random_key(32);
	char *id_keys = xasprintf("%s-keys", prefix);
	char *keyed = xasprintf("%s\"%s\",,bench-9,%s,%s\n",
				"registrationId,deviceId,initialTwin.tags.site,"
				"attestation.symmetricKey.primaryKey,"
				"attestation.symmetricKey.secondaryKey\n", id_keys,
				key1, key2);
	write_in("devices.csv", csv);
	write_in("keyed.csv", keyed);
	write_in("template.json", TEMPLATE);
	struct cli_result r = RUN("import", "devices.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 0);
	expect_has("stdout", r.out, "24 rows: 24 created, 0 failed");
	char *results = read_in("devices.result.csv");
	ck_assert_msg(strncmp(results, "line,id,outcome,status,errorCode,message",
			      40) == 0, "results: %s", results);
	for (int i = 0; i < 24; i++) {
		char *id = xasprintf("%s-%d", prefix, i);
		expect_outcome(results, id, "created");
		free(id);
	}
	char *id7 = xasprintf("%s-7", prefix);
	expect_stored(id7, "deviceId", "device-7");
	expect_stored(id7, "initialTwin.tags.site", "bench-1");
	expect_stored(id7, "initialTwin.tags.line", "A");
	expect_stored(id7, "provisioningStatus", "disabled");
	cli_result_free(&r);

	r = RUN("import", "keyed.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 0);
	expect_stored(id_keys, "initialTwin.tags.site", "bench-9");
	char *journal = read_in("dpsenroll/journal.jsonl");
	char *state = read_in("keyed.result.csv.state");
	ck_assert_uint_eq(count_of(journal, "\"operation\":\"create\""), 25);
	ck_assert_msg(!strstr(journal, key1) && !strstr(journal, key2),
		      "the journal holds a key");
	ck_assert_msg(!strstr(state, key1) && !strstr(state, key2),
		      "the progress file holds a key");
	struct stat st;
	char *state_path = path_in("keyed.result.csv.state");
	ck_assert_int_eq(stat(state_path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	cli_result_free(&r);
	free(state_path);
	free(state);
	free(journal);
	free(id7);
	free(results);
	free(keyed);
	free(id_keys);
	free(key1);
	free(key2);
	free(csv);
	free(prefix);
}
END_TEST

START_TEST(import_json_lines_merges_each_line_over_the_template)
{
	char *a = unique_id("jl"), *b = unique_id("jl");
	char *text = xasprintf(
		"{\"registrationId\":\"%s\",\"initialTwin\":{\"tags\":{\"site\":\"s1\"}}}\n"
		"\n"
		"{\"registrationId\":\"%s\",\"provisioningStatus\":\"enabled\"}\n",
		a, b);
	write_in("devices.jsonl", text);
	write_in("template.json", TEMPLATE);
	struct cli_result r = RUN("import", "devices.jsonl", "--template", "template.json");
	EXPECT_EXIT(&r, 0);
	char *results = read_in("devices.result.csv");
	expect_outcome(results, a, "created");
	expect_outcome(results, b, "created");
	char *line_b = result_of(results, b);
	ck_assert_msg(strncmp(line_b, "3,", 2) == 0, "'%s' is not line 3", line_b);
	expect_stored(a, "initialTwin.tags.site", "s1");
	expect_stored(a, "initialTwin.tags.line", "A");
	expect_stored(b, "provisioningStatus", "enabled");
	cli_result_free(&r);
	free(line_b);
	free(results);
	free(text);
	free(a);
	free(b);
}
END_TEST

START_TEST(import_with_a_bad_row_names_it_and_sends_nothing)
{
	char *prefix = unique_id("bad");
	char *csv = xasprintf("registrationId,attestation.type,capabilities.iotEdge\n"
			      "%s-0,symmetricKey,false\n"
			      "%s-1,symmetricKey,maybe\n"
			      "%s-2,symmetricKey,true\n", prefix, prefix, prefix);
	write_in("devices.csv", csv);
	struct cli_result r = RUN("import", "devices.csv");
	EXPECT_EXIT(&r, 2);
	expect_has("stderr", r.err, "devices.csv:3: column 3 (capabilities.iotEdge)");
	expect_has("stderr", r.err, "nothing sent: 1 row with errors");
	expect_row_not_stored(prefix, 0);
	cli_result_free(&r);
	free(csv);
	free(prefix);
}
END_TEST

/* A misspelled column: named where it is, then that nothing was sent. */
START_TEST(import_with_a_bad_column_says_nothing_was_sent)
{
	char *prefix = unique_id("badcol");
	char *csv = xasprintf("registrationId,attestation.tpm.endorsementKy\n"
			      "%s-0,abc\n", prefix);
	write_in("devices.csv", csv);
	struct cli_result r = RUN("import", "devices.csv");
	EXPECT_EXIT(&r, 2);
	expect_has("stderr", r.err, "devices.csv:1: column 2 "
		   "(attestation.tpm.endorsementKy): error: not a field");
	expect_has("stderr", r.err, "nothing sent: the first line, which names "
		   "the columns, has errors");
	expect_row_not_stored(prefix, 0);
	cli_result_free(&r);
	free(csv);
	free(prefix);
}
END_TEST

START_TEST(import_refuses_a_private_key_in_a_row)
{
	char *id = unique_id("pk");
	char *csv = xasprintf("registrationId,attestation.type,"
			      "attestation.x509.clientCertificates.primary.certificate\n"
			      "%s,x509,\"-----BEGIN PRIVATE KEY-----\nMIIB\n"
			      "-----END PRIVATE KEY-----\n\"\n", id);
	write_in("devices.csv", csv);
	struct cli_result r = RUN("import", "devices.csv");
	EXPECT_EXIT(&r, 2);
	expect_has("stderr", r.err, "devices.csv:2: column 3 "
		   "(attestation.x509.clientCertificates.primary.certificate)");
	ck_assert_msg(!strstr(r.err, "MIIB"), "stderr quotes the key: %s", r.err);
	expect_not_stored(id);
	cli_result_free(&r);
	free(csv);
	free(id);
}
END_TEST

START_TEST(import_dry_run_checks_and_sends_nothing)
{
	char *prefix = unique_id("dry");
	char *csv = devices_csv(prefix, 12);
	write_in("devices.csv", csv);
	write_in("template.json", TEMPLATE);
	struct cli_result r = RUN("import", "devices.csv", "--template", "template.json",
			   "--dry-run");
	EXPECT_EXIT(&r, 0);
	expect_has("stdout", r.out, "12 rows are valid; nothing was sent");
	expect_row_not_stored(prefix, 0);
	char *results = path_in("devices.result.csv");
	ck_assert_msg(access(results, F_OK) != 0, "--dry-run wrote results");
	cli_result_free(&r);
	free(results);
	free(csv);
	free(prefix);
}
END_TEST

/* Killed while a batch's answer is held back (the batch applied): the
 * run again skips what the first saw done, reads the held batch back
 * and sends the rest. Create refuses an existing id, so a row sent twice
 * would show as failed. */
START_TEST(import_killed_midway_resumes_without_duplicates)
{
	enum { ROWS = 60 };
	char *prefix = unique_id("kill");
	char *csv = devices_csv(prefix, ROWS);
	write_in("devices.csv", csv);
	write_in("template.json", TEMPLATE);
	/* three slow batches (past the progress file's save interval), then
	 * one applied whose answer never comes in time */
	set_fault(test_emu, "delay=600,count=3,method=POST,path=/enrollments");
	set_fault(test_emu, "delay=60000,after,count=1,method=POST,"
		  "path=/enrollments");
	pid_t pid = spawn((const char *const[]){ "import", "devices.csv",
			  "--template", "template.json", NULL });
	wait_faults_used(test_emu, 30000);
	char *last_of_4th = xasprintf("%s-39", prefix);
	cJSON *j = NULL;
	for (double t0 = now_s(); !(j = stored(last_of_4th)) && now_s() - t0 < 20;)
		pause_ms(20);
	ck_assert_msg(j, "the fourth batch was never applied");
	cJSON_Delete(j);
	kill(pid, SIGKILL);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status), "the import ended before the kill");
	char *id_last = xasprintf("%s-%d", prefix, ROWS - 1);
	expect_not_stored(id_last);

	struct cli_result r = RUN("import", "devices.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 0);
	expect_has("stderr", r.err, "were done by an earlier run");
	expect_has("stderr", r.err, "without an answer");
	char *results = read_in("devices.result.csv");
	ck_assert_msg(!strstr(results, ",failed,"), "a row failed (sent "
		      "twice?): %s", results);
	for (int i = 30; i < 40; i++) {
		char *id = xasprintf("%s-%d", prefix, i);
		expect_outcome(results, id, "applied");
		free(id);
	}
	for (int i = 0; i < ROWS; i++) {
		char *id = xasprintf("%s-%d", prefix, i);
		char *line = result_of(results, id);
		ck_assert_msg(strstr(line, ",created,") || strstr(line, ",applied,"),
			      "%s", line);
		char *device = xasprintf("device-%d", i);
		expect_stored(id, "deviceId", device);
		free(device);
		free(line);
		free(id);
	}
	cli_result_free(&r);
	free(results);
	free(id_last);
	free(last_of_4th);
	free(csv);
	free(prefix);
}
END_TEST

/* The first batch is applied and its answer dropped: read back, its rows
 * are "applied", and no row is sent twice. */
START_TEST(import_lost_bulk_answer_is_read_back)
{
	char *prefix = unique_id("drop");
	char *csv = devices_csv(prefix, 20);
	write_in("devices.csv", csv);
	write_in("template.json", TEMPLATE);
	set_fault(test_emu, "drop,after,count=1,method=POST,path=/enrollments");
	struct cli_result r = RUN("import", "devices.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 0);
	char *results = read_in("devices.result.csv");
	for (int i = 0; i < 20; i++) {
		char *id = xasprintf("%s-%d", prefix, i);
		expect_outcome(results, id, i < 10 ? "applied" : "created");
		expect_stored(id, "initialTwin.tags.line", "A");
		free(id);
	}
	cli_result_free(&r);
	free(results);
	free(csv);
	free(prefix);
}
END_TEST

/* The same file imported into another DPS (a staging run, then the real
 * one): the rows done on the first are not taken as done on the second.
 * The import is refused with what to do, nothing is sent; a new result
 * file starts it over there. */
START_TEST(import_into_another_dps_skips_nothing_done_elsewhere)
{
	char *prefix = unique_id("two");
	char *csv = devices_csv(prefix, 12);
	write_in("devices.csv", csv);
	write_in("template.json", TEMPLATE);
	struct cli_result r = RUN("import", "devices.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 0);
	cli_result_free(&r);

	struct emu_proc *first = test_emu, *second = emu_start(NULL);
	char *first_conn = conn_string;
	conn_string = xasprintf("HostName=%s;SharedAccessKeyName=%s;"
				"SharedAccessKey=%s", second->host_name,
				second->policy_name, second->policy_key);
	test_emu = second;
	r = RUN("import", "devices.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 2);
	expect_has("stderr", r.err, "holds an import into");
	expect_has("stderr", r.err, "rows done there are not done here");
	char *id0 = xasprintf("%s-0", prefix);
	expect_not_stored(id0);
	cli_result_free(&r);

	r = RUN("import", "devices.csv", "--template", "template.json",
		"--result", "real.result.csv");
	EXPECT_EXIT(&r, 0);
	expect_has("stdout", r.out, "12 rows: 12 created, 0 failed");
	expect_stored(id0, "initialTwin.tags.line", "A");
	cli_result_free(&r);

	test_emu = first;
	secret_str_free(conn_string);
	conn_string = first_conn;
	emu_free(second);
	free(id0);
	free(csv);
	free(prefix);
}
END_TEST

/* A certificate column names each device's certificate file, relative to
 * the CSV's folder; a key file named there instead is refused, and
 * nothing is sent. */
START_TEST(import_reads_certificate_files_named_in_a_column)
{
	char *id = unique_id("x509");
	char *cmd = xasprintf(
		"cd '%s' && mkdir -p certs && openssl req -x509 -newkey ec "
		"-pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout certs/dev.key "
		"-out certs/dev.pem -days 30 -subj '/CN=%s' 2>/dev/null", dir, id);
	free(run_shell(cmd));
	free(cmd);
	char *csv = xasprintf("registrationId,attestation.type,"
			      "attestation.x509.clientCertificates.primary.certificate\n"
			      "%s,x509,certs/dev.pem\n", id);
	write_in("devices.csv", csv);
	struct cli_result r = RUN("import", "devices.csv");
	EXPECT_EXIT(&r, 0);
	char *results = read_in("devices.result.csv");
	expect_outcome(results, id, "created");
	cJSON *j = stored(id);
	ck_assert_ptr_nonnull(j);
	ck_assert_msg(jstr(j, "attestation.x509.clientCertificates.primary.info."
			  "sha256Thumbprint"), "no certificate stored for %s", id);
	cJSON_Delete(j);
	cli_result_free(&r);

	char *id2 = unique_id("x509");
	char *csv2 = xasprintf("registrationId,attestation.type,"
			       "attestation.x509.clientCertificates.primary.certificate\n"
			       "%s,x509,certs/dev.key\n", id2);
	write_in("keys.csv", csv2);
	r = RUN("import", "keys.csv");
	EXPECT_EXIT(&r, 2);
	expect_has("stderr", r.err, "keys.csv:2: column 3");
	expect_has("stderr", r.err, "holds a private key");
	expect_not_stored(id2);
	cli_result_free(&r);
	free(csv2);
	free(id2);
	free(results);
	free(csv);
	free(id);
}
END_TEST

/* --mode update replaces; a symmetric-key row must carry its keys, or the
 * service would make new ones and lock the device out. */
START_TEST(import_update_needs_the_keys_of_a_symmetric_key_row)
{
	char *id = unique_id("upd");
	char *k1 = random_key(32), *k2 = random_key(32);
	char *create = xasprintf("registrationId,initialTwin.tags.site,"
				 "attestation.symmetricKey.primaryKey,"
				 "attestation.symmetricKey.secondaryKey\n"
				 "%s,first,%s,%s\n", id, k1, k2);
	write_in("template.json", TEMPLATE);
	write_in("create.csv", create);
	struct cli_result r = RUN("import", "create.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 0);
	cli_result_free(&r);

	char *keyless = xasprintf("registrationId,initialTwin.tags.site\n"
				  "%s,second\n", id);
	write_in("keyless.csv", keyless);
	r = RUN("import", "keyless.csv", "--template", "template.json",
		"--mode", "update");
	EXPECT_EXIT(&r, 2);
	expect_has("stderr", r.err, "keyless.csv:2: attestation.symmetricKey: "
		   "error: an update needs both keys");
	expect_stored(id, "initialTwin.tags.site", "first");
	cli_result_free(&r);

	char *update = xasprintf("registrationId,initialTwin.tags.site,"
				 "attestation.symmetricKey.primaryKey,"
				 "attestation.symmetricKey.secondaryKey\n"
				 "%s,second,%s,%s\n", id, k1, k2);
	write_in("update.csv", update);
	r = RUN("import", "update.csv", "--template", "template.json",
		"--mode", "update");
	EXPECT_EXIT(&r, 0);
	char *results = read_in("update.result.csv");
	expect_outcome(results, id, "updated");
	expect_stored(id, "initialTwin.tags.site", "second");
	cli_result_free(&r);
	free(results);
	free(update);
	free(keyless);
	free(create);
	free(k1);
	free(k2);
	free(id);
}
END_TEST

/* Registration ids are compared in any case by the service: the same
 * device written twice in different case is a duplicate, caught before
 * anything is sent, not a 409 halfway through the batch. */
START_TEST(import_refuses_an_id_given_twice_in_another_case)
{
	char *prefix = unique_id("case");
	char *csv = xasprintf("registrationId,deviceId\n"
			      "%s-a,first\n"
			      "%s-b,other\n"
			      "%s-A,second\n", prefix, prefix, prefix);
	write_in("devices.csv", csv);
	write_in("template.json", TEMPLATE);
	struct cli_result r = RUN("import", "devices.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 2);
	expect_has("stderr", r.err, "devices.csv:4: registrationId: error:");
	expect_has("stderr", r.err, "is also on line 2");
	expect_has("stderr", r.err, "nothing sent: 1 row with errors");
	char *id = xasprintf("%s-b", prefix);
	expect_not_stored(id);
	cli_result_free(&r);
	free(id);
	free(csv);
	free(prefix);
}
END_TEST

/* The client paces itself (the rate budget): an import it holds back
 * says so before it starts, with how long it will take, rather than
 * showing a slow bar and "throttled 0s". 100 rows are 10 requests; a
 * budget of 120 a minute holds 6 at once. */
START_TEST(import_held_back_by_the_rate_budget_says_so)
{
	char *prefix = unique_id("paced");
	char *csv = devices_csv(prefix, 100);
	write_in("devices.csv", csv);
	write_in("template.json", TEMPLATE);
	struct cli_result r = RUN("import", "devices.csv", "--template", "template.json",
			   "--ops-per-minute", "120");
	EXPECT_EXIT(&r, 0);
	expect_has("stderr", r.err, "100 rows go in 10 requests of 10; the rate "
		   "budget sends at most 120 requests a minute "
		   "(--ops-per-minute), so this takes about ");
	expect_has("stdout", r.out, "100 rows: 100 created, 0 failed");
	char *id = xasprintf("%s-99", prefix);
	expect_stored(id, "deviceId", "device-99");
	cli_result_free(&r);

	/* a batch the budget sends at once is not announced */
	char *small_prefix = unique_id("small");
	char *small = devices_csv(small_prefix, 3);
	write_in("small.csv", small);
	r = RUN("import", "small.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 0);
	ck_assert_msg(!strstr(r.err, "rate budget"), "stderr: %s", r.err);
	cli_result_free(&r);
	free(small);
	free(small_prefix);
	free(id);
	free(csv);
	free(prefix);
}
END_TEST

/* The station's template serves an import of the same batch: its
 * "station" member is not an enrollment field, so it is not sent (nor
 * warned about on every row), and its id pattern holds for each row. */
START_TEST(import_takes_a_station_template)
{
	char *prefix = unique_id("st");
	write_in("template.json",
		 "{\"attestation\":{\"type\":\"symmetricKey\"},"
		 "\"initialTwin\":{\"tags\":{\"line\":\"A\"}},"
		 "\"station\":{\"idPattern\":\"^st-.*-[0-9]$\","
		 "\"keysFolder\":\"keys\"}}");
	char *bad = xasprintf("registrationId\n%s-1\n%s-x\n", prefix, prefix);
	write_in("bad.csv", bad);
	struct cli_result r = RUN("import", "bad.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 2);
	expect_has("stderr", r.err, "bad.csv:3: registrationId: error:");
	expect_has("stderr", r.err, "^st-.*-[0-9]$");
	char *id1 = xasprintf("%s-1", prefix);
	expect_not_stored(id1);
	cli_result_free(&r);

	char *good = xasprintf("registrationId\n%s-1\n%s-2\n", prefix, prefix);
	write_in("good.csv", good);
	r = RUN("import", "good.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 0);
	ck_assert_msg(!strstr(r.err, "'station' is not a field"),
		      "the station's rules are taken for a field: %s", r.err);
	expect_stored(id1, "initialTwin.tags.line", "A");
	cJSON *j = stored(id1);
	ck_assert_msg(!cJSON_GetObjectItemCaseSensitive(j, "station"),
		      "the station's rules were sent");
	cJSON_Delete(j);
	cli_result_free(&r);
	free(good);
	free(id1);
	free(bad);
	free(prefix);
}
END_TEST

/* A mistake in the template is the template's: said once and named as
 * the template's, not as a problem of every row of the CSV. */
START_TEST(import_names_a_template_mistake_once)
{
	char *prefix = unique_id("tm");
	char *csv = devices_csv(prefix, 20);
	write_in("devices.csv", csv);
	write_in("template.json", "{\"attestation\":{\"type\":\"symmetricKey\"},"
		 "\"provisioningStatus\":\"Enabled\"}");
	struct cli_result r = RUN("import", "devices.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 2);
	ck_assert_msg(count_of(r.err, "provisioningStatus") == 1,
		      "the template's mistake is not said once: %s", r.err);
	expect_has("stderr", r.err, "provisioningStatus (the template's value, "
		   "for every row): error: 'Enabled'");
	expect_has("stderr", r.err, "nothing sent: 20 rows with errors");
	expect_row_not_stored(prefix, 0);
	cli_result_free(&r);
	free(csv);
	free(prefix);
}
END_TEST

/* A template holding a device id and keys would give every row the same
 * ones: a batch of one device to the service, and one key for all. The
 * import refuses it before sending anything, naming what to take out;
 * a registration id in it is no harm (every row gives its own). */
#define KEY_A "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

START_TEST(import_refuses_a_template_with_device_values)
{
	char *prefix = unique_id("pd");
	char *csv = devices_csv(prefix, 2);
	write_in("devices.csv", csv);
	write_in("template.json", "{\"registrationId\":\"any\","
		 "\"deviceId\":\"shared-device\","
		 "\"attestation\":{\"type\":\"symmetricKey\",\"symmetricKey\":"
		 "{\"primaryKey\":\"" KEY_A "\"}}}");
	struct cli_result r = RUN("import", "devices.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 2);
	expect_has("stderr", r.err, "template.json: the template holds deviceId, "
		   "attestation.symmetricKey.primaryKey, which are each device's "
		   "own: every row would share them.");
	char *id = xasprintf("%s-0", prefix);
	expect_not_stored(id);
	cli_result_free(&r);

	write_in("template.json", "{\"registrationId\":\"any\","
		 "\"attestation\":{\"type\":\"symmetricKey\"}}");
	r = RUN("import", "devices.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 0);
	cJSON *j = stored(id);
	ck_assert_ptr_nonnull(j);
	cJSON_Delete(j);
	cli_result_free(&r);
	free(id);
	free(csv);
	free(prefix);
}
END_TEST

/* A row changed after an earlier run created it is refused by the
 * service as existing (a create): the result says why and what to do,
 * not only the service's "Enrollment already exists." */
START_TEST(import_of_a_row_changed_since_says_what_to_do)
{
	char *prefix = unique_id("chg");
	char *csv = devices_csv(prefix, 2);
	write_in("devices.csv", csv);
	write_in("template.json", TEMPLATE);
	struct cli_result r = RUN("import", "devices.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 0);
	cli_result_free(&r);
	char *changed = xasprintf("registrationId,deviceId,initialTwin.tags.site\n"
				  "%s-0,device-0,bench-0\n"
				  "%s-1,device-renamed,bench-1\n", prefix, prefix);
	write_in("devices.csv", changed);
	r = RUN("import", "devices.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 1);
	char *results = read_in("devices.result.csv");
	char *id1 = xasprintf("%s-1", prefix);
	char *line = result_of(results, id1);
	expect_has("the changed row's result", line, "An earlier run of this "
		   "import created it, and the row has changed since.");
	expect_has("the changed row's result", line, "run the import with "
		   "--mode update");
	expect_stored(id1, "deviceId", "device-1");
	cli_result_free(&r);
	free(line);
	free(id1);
	free(results);
	free(changed);
	free(csv);
	free(prefix);
}
END_TEST

/* --result naming the manufacturing file (or the template) would write
 * the results over it: refused, the file kept and nothing sent. */
START_TEST(import_never_writes_results_over_its_input)
{
	char *prefix = unique_id("over");
	char *csv = devices_csv(prefix, 2);
	write_in("devices.csv", csv);
	write_in("template.json", TEMPLATE);
	struct cli_result r = RUN("import", "devices.csv", "--template", "template.json",
			   "--result", "./devices.csv");
	EXPECT_EXIT(&r, 2);
	expect_has("stderr", r.err, "would write the results over the file to "
		   "import");
	char *kept = read_in("devices.csv");
	ck_assert_str_eq(kept, csv);
	expect_row_not_stored(prefix, 0);
	cli_result_free(&r);

	r = RUN("import", "devices.csv", "--template", "template.json",
		"--result", "template.json");
	EXPECT_EXIT(&r, 2);
	expect_has("stderr", r.err, "would write the results over the template");
	char *tmpl = read_in("template.json");
	ck_assert_str_eq(tmpl, TEMPLATE);
	cli_result_free(&r);
	free(tmpl);
	free(kept);
	free(csv);
	free(prefix);
}
END_TEST

/* A file that is not CSV past some line says where, as every other
 * problem is said (FILE:LINE: error: ...), and that nothing was sent. */
START_TEST(import_says_where_the_csv_breaks)
{
	char *prefix = unique_id("q");
	char *csv = xasprintf("registrationId,deviceId\n%s-0,a\n%s-1\n"
			      "%s-2,\"never closed\n", prefix, prefix, prefix);
	write_in("devices.csv", csv);
	write_in("template.json", TEMPLATE);
	struct cli_result r = RUN("import", "devices.csv", "--template", "template.json");
	EXPECT_EXIT(&r, 2);
	expect_has("stderr", r.err, "devices.csv:3: error: 1 value for 2 columns");
	expect_has("stderr", r.err, "devices.csv:4: error: a quoted field is "
		   "never closed");
	expect_has("stderr", r.err, "nothing sent: the file cannot be read as "
		   "CSV; fix it and run it again");
	expect_row_not_stored(prefix, 0);
	cli_result_free(&r);
	free(csv);
	free(prefix);
}
END_TEST

Suite *
import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *t = itest_tcase("import");
	tcase_add_checked_fixture(t, emu_up, emu_down);
	tcase_add_test(t, import_csv_creates_every_row_over_the_template);
	tcase_add_test(t, import_json_lines_merges_each_line_over_the_template);
	tcase_add_test(t, import_with_a_bad_row_names_it_and_sends_nothing);
	tcase_add_test(t, import_with_a_bad_column_says_nothing_was_sent);
	tcase_add_test(t, import_refuses_a_private_key_in_a_row);
	tcase_add_test(t, import_dry_run_checks_and_sends_nothing);
	tcase_add_test(t, import_killed_midway_resumes_without_duplicates);
	tcase_add_test(t, import_lost_bulk_answer_is_read_back);
	tcase_add_test(t, import_into_another_dps_skips_nothing_done_elsewhere);
	tcase_add_test(t, import_reads_certificate_files_named_in_a_column);
	tcase_add_test(t, import_update_needs_the_keys_of_a_symmetric_key_row);
	tcase_add_test(t, import_refuses_an_id_given_twice_in_another_case);
	tcase_add_test(t, import_held_back_by_the_rate_budget_says_so);
	tcase_add_test(t, import_takes_a_station_template);
	tcase_add_test(t, import_names_a_template_mistake_once);
	tcase_add_test(t, import_refuses_a_template_with_device_values);
	tcase_add_test(t, import_of_a_row_changed_since_says_what_to_do);
	tcase_add_test(t, import_never_writes_results_over_its_input);
	tcase_add_test(t, import_says_where_the_csv_breaks);
	suite_add_tcase(s, t);
	return s;
}
