/* The journal of submissions: one whole line per submission, read back
 * past damage, never a key; and `dpsenroll journal` as a user runs it. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "suites.h"
#include "app/journal.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

static char dir[64];

static void
make_dir(void)
{
	strcpy(dir, "/tmp/dpsenroll-journal-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("XDG_STATE_HOME", dir, 1);
	/* No config file there: the operator comes from $USER. */
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("USER", "tech1", 1);
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
journal_text(void)
{
	char *path = journal_path();
	char *text = file_read_all(path, NULL);
	free(path);
	return text;
}

static void
append_ok(const struct journal_entry *e)
{
	char *why = NULL;
	ck_assert_msg(journal_append(e, &why), "%s", why);
}

struct collected {
	cJSON *entries;		/* array of copies */
	size_t damaged_lines[8];
	char damaged_whys[8][64];
	size_t ndamaged;
};

static void
collect_entry(const cJSON *obj, const char *line, void *ctx)
{
	struct collected *c = ctx;
	ck_assert_ptr_null(strchr(line, '\n'));
	cJSON_AddItemToArray(c->entries, cJSON_Duplicate(obj, true));
}

static void
collect_damaged(size_t lineno, const char *why, void *ctx)
{
	struct collected *c = ctx;
	ck_assert_uint_lt(c->ndamaged, 8);
	ck_assert_msg(why && *why, "line %zu damaged for no reason", lineno);
	snprintf(c->damaged_whys[c->ndamaged], sizeof(c->damaged_whys[0]),
		 "%s", why);
	c->damaged_lines[c->ndamaged++] = lineno;
}

static struct collected
read_all(size_t *damaged)
{
	struct collected c = { .entries = cJSON_CreateArray() };
	struct journal_reader r = {
		.entry = collect_entry, .damaged = collect_damaged, .ctx = &c,
	};
	char *why = NULL;
	ck_assert_msg(journal_read(&r, damaged, &why), "%s", why);
	return c;
}

static const char *
text_of(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	ck_assert_msg(v, "no member %s", name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool
is_null(const cJSON *o, const char *name)
{
	return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, name));
}

static double
number_of(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	ck_assert_msg(cJSON_IsNumber(v), "%s is not a number", name);
	return v->valuedouble;
}

START_TEST(append_and_read_back_every_field)
{
	umask(0);
	append_ok(&(struct journal_entry){
		.registration_id = "dev-7", .operation = "update",
		.outcome = JOURNAL_OK, .status = 200,
		.etag = "\"e2\"", .operator = "amy",
	});
	append_ok(&(struct journal_entry){
		.registration_id = "dev-8", .operation = "create",
		.outcome = JOURNAL_FAILED, .status = 409, .error_code = 409201,
		.tracking_id = "t-123", .message = "already exists",
		.time = 1700000000,
	});
	append_ok(&(struct journal_entry){
		.registration_id = "dev-9", .operation = "delete",
		.outcome = JOURNAL_CANCELLED,
	});
	char *path = journal_path();
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	free(path);

	size_t damaged = 99;
	struct collected c = read_all(&damaged);
	ck_assert_uint_eq(damaged, 0);
	ck_assert_int_eq(cJSON_GetArraySize(c.entries), 3);
	const cJSON *a = cJSON_GetArrayItem(c.entries, 0);
	ck_assert_str_eq(text_of(a, "time"), "2024-05-01T12:00:00Z");
	ck_assert_str_eq(text_of(a, "operator"), "amy");
	ck_assert_str_eq(text_of(a, "registrationId"), "dev-7");
	ck_assert_str_eq(text_of(a, "operation"), "update");
	ck_assert_str_eq(text_of(a, "outcome"), "ok");
	ck_assert(number_of(a, "status") == 200);
	ck_assert(is_null(a, "errorCode"));
	ck_assert_str_eq(text_of(a, "etag"), "\"e2\"");
	ck_assert(is_null(a, "trackingId"));
	ck_assert(is_null(a, "message"));

	const cJSON *b = cJSON_GetArrayItem(c.entries, 1);
	ck_assert_str_eq(text_of(b, "time"), "2023-11-14T22:13:20Z");
	ck_assert_str_eq(text_of(b, "operator"), "tech1");
	ck_assert_str_eq(text_of(b, "outcome"), "failed");
	ck_assert(number_of(b, "status") == 409);
	ck_assert(number_of(b, "errorCode") == 409201);
	ck_assert_str_eq(text_of(b, "trackingId"), "t-123");
	ck_assert_str_eq(text_of(b, "message"), "already exists");
	ck_assert(is_null(b, "etag"));

	const cJSON *d = cJSON_GetArrayItem(c.entries, 2);
	ck_assert_str_eq(text_of(d, "outcome"), "cancelled");
	ck_assert(is_null(d, "status"));
	/* Exactly the documented members, nothing else. */
	ck_assert_int_eq(cJSON_GetArraySize(d), 10);
	cJSON_Delete(c.entries);
}
END_TEST

START_TEST(operator_from_config_then_user)
{
	char *cfg = xasprintf("%s/dpsenroll", dir);
	char *why = NULL;
	ck_assert(dir_make(cfg, 0700, &why));
	char *file = xasprintf("%s/config.json", cfg);
	const char *text = "{\"operator\": \"Amélie B.\"}";
	ck_assert(file_write_atomic(file, text, strlen(text), 0600, &why));
	char *op = journal_operator();
	ck_assert_str_eq(op, "Amélie B.");
	free(op);
	unlink(file);
	op = journal_operator();
	ck_assert_str_eq(op, "tech1");
	free(op);
	unsetenv("USER");
	op = journal_operator();
	ck_assert_str_eq(op, "unknown");
	free(op);
	free(file);
	free(cfg);
}
END_TEST

#define PRIMARY "UHJpbWFyeUtleUZvclRoZUpvdXJuYWxUZXN0MDEyMzQ1Njc4OWFiY2RlZg=="
#define SECONDARY "U2Vjb25kYXJ5S2V5Rm9yVGhlSm91cm5hbFRlc3Q5ODc2NTQzMjEwZmVkY2Jh"

/* A PUT answer as the service sends it for a symmetric-key enrollment:
 * the keys are in the body and in the raw text. */
static void
answer_with_keys(struct dps_response *r, long status)
{
	memset(r, 0, sizeof(*r));
	r->failure = DPS_ANSWERED;
	r->status = status;
	r->raw = xstrdup("{\"registrationId\":\"dev-k\",\"etag\":\"\\\"e9\\\"\","
			 "\"attestation\":{\"type\":\"symmetricKey\","
			 "\"symmetricKey\":{\"primaryKey\":\"" PRIMARY "\","
			 "\"secondaryKey\":\"" SECONDARY "\"}}}");
	r->body = cJSON_Parse(r->raw);
	ck_assert_ptr_nonnull(r->body);
}

START_TEST(no_key_material_reaches_the_journal)
{
	struct dps_response r;
	answer_with_keys(&r, 200);
	struct journal_entry e = { .registration_id = "dev-k", .operation = "create" };
	journal_entry_from_response(&e, &r);
	ck_assert_int_eq(e.outcome, JOURNAL_OK);
	append_ok(&e);
	dps_response_clear(&r);

	/* A refusal whose answer still carries keys. */
	answer_with_keys(&r, 400);
	r.error.error_code = 400004;
	r.error.message = xstrdup("bad attestation");
	r.error.tracking_id = xstrdup("trk-1");
	e = (struct journal_entry){ .registration_id = "dev-k", .operation = "update" };
	journal_entry_from_response(&e, &r);
	append_ok(&e);
	dps_response_clear(&r);

	char *text = journal_text();
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_null(strstr(text, PRIMARY));
	ck_assert_ptr_null(strstr(text, SECONDARY));
	ck_assert_ptr_null(strstr(text, "symmetricKey"));
	ck_assert_ptr_null(strstr(text, "Key"));
	ck_assert(strstr(text, "\"etag\":\"\\\"e9\\\"\""));
	ck_assert(strstr(text, "\"errorCode\":400004"));
	ck_assert(strstr(text, "\"trackingId\":\"trk-1\""));
	ck_assert(strstr(text, "\"message\":\"bad attestation\""));
	free(text);
}
END_TEST

START_TEST(outcomes_from_failures)
{
	struct dps_response r = { .failure = DPS_FAIL_CONNECT,
				  .failure_text = (char *)"connection refused" };
	struct journal_entry e = { 0 };
	journal_entry_from_response(&e, &r);
	ck_assert_int_eq(e.outcome, JOURNAL_FAILED);
	ck_assert_int_eq(e.status, 0);
	ck_assert_str_eq(e.message, "connection refused");
	r = (struct dps_response){ .failure = DPS_FAIL_CANCELLED };
	journal_entry_from_response(&e, &r);
	ck_assert_int_eq(e.outcome, JOURNAL_CANCELLED);
	r = (struct dps_response){ .failure = DPS_ANSWERED, .status = 204 };
	journal_entry_from_response(&e, &r);
	ck_assert_int_eq(e.outcome, JOURNAL_OK);
	ck_assert_int_eq(e.status, 204);
	ck_assert_ptr_null(e.etag);
	ck_assert_str_eq(journal_outcome_name(JOURNAL_FAILED), "failed");
}
END_TEST

START_TEST(long_message_is_cut_on_a_character)
{
	/* "é" is 2 bytes: 199 ASCII bytes then é would straddle byte 200. */
	char *head = repeat_text("a", 199);
	char *msg = xasprintf("%s%s", head, "ééééé");
	free(head);
	append_ok(&(struct journal_entry){ .registration_id = "d", .operation = "x",
					   .message = msg });
	struct collected c = read_all(NULL);
	const char *back = text_of(cJSON_GetArrayItem(c.entries, 0), "message");
	ck_assert_uint_eq(strlen(back), 199);
	cJSON_Delete(c.entries);
	free(msg);
}
END_TEST

static void
put_journal_n(const char *text, size_t len)
{
	char *why = NULL;
	char *folder = xasprintf("%s/dpsenroll", dir);
	ck_assert(dir_make(folder, 0700, &why));
	char *path = journal_path();
	ck_assert(file_write_atomic(path, text, len, 0600, &why));
	free(path);
	free(folder);
}

static void
put_journal(const char *text)
{
	put_journal_n(text, strlen(text));
}

#define GOOD "{\"time\":\"t\",\"registrationId\":\"a\",\"outcome\":\"ok\"}"

START_TEST(damaged_lines_are_skipped_and_counted)
{
	/* Line 5 has text after its object; line 7 is a write cut short by
	 * a crash. */
	put_journal(GOOD "\n" "garbage\n" "[1,2]\n" "\n" GOOD " x\n"
		    GOOD "\r\n" "{\"time\":\"2024-");
	size_t damaged;
	struct collected c = read_all(&damaged);
	ck_assert_int_eq(cJSON_GetArraySize(c.entries), 2);
	ck_assert_uint_eq(damaged, 4);
	ck_assert_uint_eq(c.ndamaged, 4);
	ck_assert_uint_eq(c.damaged_lines[0], 2);
	ck_assert_uint_eq(c.damaged_lines[1], 3);
	ck_assert_uint_eq(c.damaged_lines[2], 5);
	ck_assert_uint_eq(c.damaged_lines[3], 7);
	cJSON_Delete(c.entries);

	/* The next entry starts on a line of its own, not glued to the tail. */
	append_ok(&(struct journal_entry){ .registration_id = "after",
					   .operation = "create" });
	c = read_all(&damaged);
	ck_assert_int_eq(cJSON_GetArraySize(c.entries), 3);
	ck_assert_uint_eq(damaged, 4);
	ck_assert_str_eq(text_of(cJSON_GetArrayItem(c.entries, 2),
				 "registrationId"), "after");
	cJSON_Delete(c.entries);
}
END_TEST

/* What a crash, a disk or a hand can leave: each is reported, with what
 * is wrong, and none is passed over as if it were blank. */
static const char damage[] =
	GOOD "\n"
	"\0\0\0\0\0\0\0\0\n"			/* 2: a line never written */
	"\0\0" GOOD "\n"				/* 3 */
	GOOD "\0\n"					/* 4 */
	"{\"time\":\"t\",\"outcome\":\"ok\",\"message\":\"\xff\xfe\"}\n" /* 5 */
	"{\"time\":\"2024-05-01T12:00:00Z\",\"operat\n"	/* 6: cut short */
	"{}\n"						/* 7 */
	"{\"time\":\"t\",\"outcome\":\"ok\",\"status\":\"200\"}\n"	/* 8 */
	GOOD "\n";

START_TEST(every_kind_of_damaged_line_is_reported)
{
	put_journal_n(damage, sizeof(damage) - 1);
	size_t damaged;
	struct collected c = read_all(&damaged);
	ck_assert_int_eq(cJSON_GetArraySize(c.entries), 2);
	ck_assert_uint_eq(damaged, 7);
	static const struct {
		size_t line;
		const char *why;
	} want[] = {
		{ 2, "holds NUL bytes" }, { 3, "holds NUL bytes" },
		{ 4, "holds NUL bytes" }, { 5, "not valid UTF-8" },
		{ 6, "not valid JSON" }, { 7, "not a journal entry" },
		{ 8, "not a journal entry" },
	};
	for (size_t i = 0; i < 7; i++) {
		ck_assert_uint_eq(c.damaged_lines[i], want[i].line);
		ck_assert_msg(strstr(c.damaged_whys[i], want[i].why),
			      "line %zu: '%s', expected '%s'", want[i].line,
			      c.damaged_whys[i], want[i].why);
	}
	cJSON_Delete(c.entries);
}
END_TEST

START_TEST(absent_journal_reads_empty)
{
	size_t damaged = 99;
	struct collected c = read_all(&damaged);
	ck_assert_int_eq(cJSON_GetArraySize(c.entries), 0);
	ck_assert_uint_eq(damaged, 0);
	cJSON_Delete(c.entries);
}
END_TEST

/* The real binary, with this test's XDG_STATE_HOME. */
struct run {
	int status;
	char *out;
	char *err;
};

static struct run
run_journal(const char *args)
{
	const char *bin = getenv("DPSENROLL");
	ck_assert_msg(bin, "DPSENROLL is not set (run through make unit)");
	char *err_path = xasprintf("%s/stderr", dir);
	char *cmd = xasprintf("'%s' journal %s 2>'%s'", bin, args, err_path);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char *out = fd_read_all(fileno(p), 0, NULL);
	ck_assert_ptr_nonnull(out);
	int status = pclose(p);
	ck_assert(WIFEXITED(status));
	struct run r = { .status = WEXITSTATUS(status), .out = out,
			 .err = file_read_all(err_path, NULL) };
	ck_assert_ptr_nonnull(r.err);
	free(cmd);
	free(err_path);
	return r;
}

static void
run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#define CSV_HEADER "time,operator,registrationId,operation,outcome,status," \
		   "errorCode,etag,trackingId,message\r\n"

START_TEST(command_with_no_journal)
{
	struct run r = run_journal("");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "");
	run_free(&r);
	r = run_journal("--csv");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, CSV_HEADER);
	run_free(&r);
}
END_TEST

START_TEST(command_prints_lines_as_stored_and_csv)
{
	append_ok(&(struct journal_entry){
		.registration_id = "dev-1", .operation = "create",
		.outcome = JOURNAL_OK, .status = 200, .etag = "\"e1\"",
	});
	append_ok(&(struct journal_entry){
		.registration_id = "dev-2", .operation = "update",
		.outcome = JOURNAL_FAILED, .status = 412, .error_code = 412001,
		.tracking_id = "trk,9",
		.message = "precondition failed, \"etag\" differs\nretry",
		.operator = "Zoë",
	});
	char *stored = journal_text();
	struct run r = run_journal("");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, stored);
	run_free(&r);
	free(stored);

	r = run_journal("--csv");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	ck_assert_str_eq(r.out,
		CSV_HEADER
		"2024-05-01T12:00:00Z,tech1,dev-1,create,ok,200,,\"\"\"e1\"\"\",,\r\n"
		"2024-05-01T12:00:00Z,Zoë,dev-2,update,failed,412,412001,,"
		"\"trk,9\",\"precondition failed, \"\"etag\"\" differs\nretry\"\r\n");
	run_free(&r);
}
END_TEST

/* A batch's record: only the entries from --since on (UTC, or a time
 * ago from now, pinned by DPSENROLL_TIME_NOW at 2024-05-01 12:00). */
START_TEST(command_since_keeps_the_batch)
{
	const time_t noon = 1714564800;
	const char *ids[] = { "dev-10h", "dev-12h", "dev-14h" };
	for (int i = 0; i < 3; i++)
		append_ok(&(struct journal_entry){
			.time = noon + (i - 1) * 7200, .registration_id = ids[i],
			.operation = "create", .outcome = JOURNAL_OK, .status = 200,
		});
	struct run r = run_journal("--since 2024-05-01T12:00 --csv");
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(!strstr(r.out, "dev-10h") && strstr(r.out, "dev-12h") &&
		      strstr(r.out, "dev-14h"), "%s", r.out);
	ck_assert_msg(strncmp(r.out, CSV_HEADER, strlen(CSV_HEADER)) == 0, "%s",
		      r.out);
	run_free(&r);
	r = run_journal("--since 1h");
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(!strstr(r.out, "dev-10h") && strstr(r.out, "dev-12h"),
		      "%s", r.out);
	run_free(&r);
	r = run_journal("--since 2024-05-01");
	ck_assert_msg(strstr(r.out, "dev-10h"), "%s", r.out);
	run_free(&r);
	r = run_journal("--since yesterday");
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.err, "--since takes a UTC time"), "%s", r.err);
	run_free(&r);
}
END_TEST

START_TEST(command_reports_damaged_lines_and_exits_0)
{
	put_journal(GOOD "\n" "not json\n" GOOD "\n");
	struct run r = run_journal("");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, GOOD "\n" GOOD "\n");
	ck_assert_msg(strstr(r.err, "journal.jsonl:2: damaged line, not shown: "
			     "not valid JSON"), "%s", r.err);
	ck_assert_msg(strstr(r.err, "1 damaged line in "), "%s", r.err);
	run_free(&r);
	r = run_journal("--csv");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, CSV_HEADER "t,,a,,ok,,,,,\r\nt,,a,,ok,,,,,\r\n");
	ck_assert(strstr(r.err, "journal.jsonl:2: damaged line, not shown"));
	run_free(&r);
}
END_TEST

/* A line of NUL bytes (a crash after the file grew, before its bytes
 * were written) was taken for a blank line and passed over silently. */
START_TEST(command_reports_nul_and_broken_lines)
{
	put_journal_n(damage, sizeof(damage) - 1);
	const char *const args[] = { "", "--csv" };
	for (size_t a = 0; a < 2; a++) {
		struct run r = run_journal(args[a]);
		ck_assert_int_eq(r.status, 0);
		for (int line = 2; line <= 8; line++) {
			char *want = xasprintf("journal.jsonl:%d: damaged line, "
					       "not shown: ", line);
			ck_assert_msg(strstr(r.err, want), "'%s' lacks %s",
				      r.err, want);
			free(want);
		}
		ck_assert_msg(strstr(r.err, "journal.jsonl:2: damaged line, not "
				     "shown: holds NUL bytes"), "%s", r.err);
		ck_assert_msg(strstr(r.err, "7 damaged lines in "), "%s", r.err);
		ck_assert_str_eq(r.out, a ? CSV_HEADER "t,,a,,ok,,,,,\r\n"
					    "t,,a,,ok,,,,,\r\n"
				   : GOOD "\n" GOOD "\n");
		run_free(&r);
	}
}
END_TEST

START_TEST(command_usage_errors)
{
	struct run r = run_journal("--tsv");
	ck_assert_int_eq(r.status, 2);
	ck_assert(strstr(r.err, "unknown option '--tsv'"));
	run_free(&r);
	r = run_journal("extra");
	ck_assert_int_eq(r.status, 2);
	run_free(&r);
	r = run_journal("--help");
	ck_assert_int_eq(r.status, 0);
	ck_assert(strstr(r.out, "Usage: dpsenroll journal [--since TIME] [--csv]"));
	run_free(&r);
}
END_TEST

Suite *
journal_suite(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("journal");
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_add_test(tc, append_and_read_back_every_field);
	tcase_add_test(tc, operator_from_config_then_user);
	tcase_add_test(tc, no_key_material_reaches_the_journal);
	tcase_add_test(tc, outcomes_from_failures);
	tcase_add_test(tc, long_message_is_cut_on_a_character);
	tcase_add_test(tc, damaged_lines_are_skipped_and_counted);
	tcase_add_test(tc, every_kind_of_damaged_line_is_reported);
	tcase_add_test(tc, absent_journal_reads_empty);
	suite_add_tcase(s, tc);
	TCase *cmd = tcase_create("command");
	tcase_add_checked_fixture(cmd, make_dir, remove_dir);
	tcase_add_test(cmd, command_with_no_journal);
	tcase_add_test(cmd, command_prints_lines_as_stored_and_csv);
	tcase_add_test(cmd, command_reports_damaged_lines_and_exits_0);
	tcase_add_test(cmd, command_reports_nul_and_broken_lines);
	tcase_add_test(cmd, command_usage_errors);
	tcase_add_test(cmd, command_since_keeps_the_batch);
	suite_add_tcase(s, cmd);
	return s;
}
