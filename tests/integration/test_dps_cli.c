/* The network subcommands as a user runs them: the real binary (DPSENROLL)
 * against dpsemu, with the connection in its environment the way the
 * README says, judged by stdout, stderr and the exit code. Every failing
 * run is also checked for the service key and SAS signatures. */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"
#include "base/secret.h"
#include "base/url.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

extern char **environ;

/* The README's exit codes. */
enum {
	CODE_OK = 0,
	CODE_REFUSED = 1,
	CODE_USAGE = 2,
	CODE_NETWORK = 3,
	CODE_CONFLICT = 4,
	CODE_SERVER = 5,
	CODE_UNREADABLE = 6,
	CODE_INCOMPLETE = 7,
};

enum { MAX_ARGS = 24, MAX_ENV = 512 };

static char *dir;		/* this test's files */
static char *conn_string;	/* secret */

static void
connect_test_emu(void)
{
	dir = harness_tmpdir("cli");
	ck_assert_ptr_nonnull(dir);
	conn_string = xasprintf("HostName=%s;SharedAccessKeyName=%s;"
				"SharedAccessKey=%s", test_emu->host_name,
				test_emu->policy_name, test_emu->policy_key);
}

static void
emu_up(void)
{
	test_emu_up();
	connect_test_emu();
}

/* The service's kind of limit (per minute, a budget that refills), made
 * small: 12 a minute, one more every 5 s. */
static void
throttled_emu_up(void)
{
	static const char *const args[] = { "--throttle", "12", NULL };
	test_emu = emu_start(args);
	connect_test_emu();
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

/* What the child's environment carries of the connection. NULL leaves a
 * variable out; XDG_CONFIG_HOME and XDG_STATE_HOME always point into the
 * test's folder so the user's own profiles and journal never take part. */
struct cli_env {
	const char *cs;
	const char *cacert;
	const char *xdg;
};

struct run {
	int status;
	char *out;
	char *err;
};

/* The README's way: both in the environment. */
static const struct cli_env *
usual_env(void)
{
	static struct cli_env env;
	env = (struct cli_env){ .cs = conn_string, .cacert = test_emu->ca_path };
	return &env;
}

static bool
env_controlled(const char *entry)
{
	static const char *const names[] = { "DPS_CONNECTION_STRING=",
					     "DPSENROLL_CACERT=",
					     "XDG_CONFIG_HOME=",
					     "XDG_STATE_HOME=", NULL };
	for (int i = 0; names[i]; i++)
		if (strncmp(entry, names[i], strlen(names[i])) == 0)
			return true;
	return false;
}

/* The child's environment: ours minus the controlled names, plus `env`.
 * The strings are owned by *owned (freed after the run). */
static char **
child_env(const struct cli_env *env, char **owned)
{
	char **envp = xcalloc(MAX_ENV, sizeof(*envp));
	size_t n = 0;
	for (char **e = environ; *e && n < MAX_ENV - 5; e++)
		if (!env_controlled(*e))
			envp[n++] = *e;
	owned[0] = env->cs ? xasprintf("DPS_CONNECTION_STRING=%s", env->cs)
			   : NULL;
	owned[1] = env->cacert ? xasprintf("DPSENROLL_CACERT=%s", env->cacert)
			       : NULL;
	owned[2] = xasprintf("XDG_CONFIG_HOME=%s", env->xdg ? env->xdg : dir);
	/* the journal of put and delete goes to the test's folder too */
	owned[3] = xasprintf("XDG_STATE_HOME=%s", dir);
	for (int i = 0; i < 4; i++)
		if (owned[i])
			envp[n++] = owned[i];
	return envp;
}

static int
out_file(const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_msg(fd >= 0, "cannot create %s", path);
	free(path);
	return fd;
}

static char *
read_back(const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *text = file_read_all(path, NULL);
	ck_assert_msg(text, "cannot read %s", path);
	free(path);
	return text;
}

static void
exec_cli(const char *bin, const char *const *argv, char **envp, int out,
	 int err)
{
	int in = open("/dev/null", O_RDONLY);
	dup2(in, STDIN_FILENO);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	execve(bin, (char *const *)argv, envp);
	_exit(127);
}

/* Starts dpsenroll with `args` (NULL-terminated, without the program
 * name), its output going to the test folder's stdout and stderr. */
static pid_t
spawn_env(const struct cli_env *env, const char *const *args)
{
	const char *bin = getenv("DPSENROLL");
	ck_assert_msg(bin && *bin, "DPSENROLL is not set (run through make "
		      "integration)");
	const char *argv[MAX_ARGS] = { bin };
	for (int i = 0; args[i]; i++) {
		ck_assert_int_lt(i + 2, MAX_ARGS);
		argv[i + 1] = args[i];
	}
	char *owned[4];
	char **envp = child_env(env, owned);
	int out = out_file("stdout"), err = out_file("stderr");
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		exec_cli(bin, argv, envp, out, err);
	close(out);
	close(err);
	for (int i = 0; i < 4; i++)
		secret_str_free(owned[i]);
	free(envp);
	return pid;
}

/* Runs dpsenroll with `args` (NULL-terminated, without the program name). */
static struct run
run_env(const struct cli_env *env, const char *const *args)
{
	pid_t pid = spawn_env(env, args);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "dpsenroll %s ended by signal %d",
		      args[0], WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	struct run r = { .status = WEXITSTATUS(status),
			 .out = read_back("stdout"), .err = read_back("stderr") };
	return r;
}

static void
run_free(struct run *r)
{
	secret_str_free(r->out);
	free(r->err);
}

#define RUN_ENV(env, ...) \
	run_env((env), (const char *const[]){ __VA_ARGS__, NULL })
#define RUN(...) RUN_ENV(usual_env(), __VA_ARGS__)

/* Neither the policy key (raw or URL-encoded) nor a token may show. */
static void
expect_no_secret_in(const char *what, const char *text)
{
	char *enc = url_encode(test_emu->policy_key);
	ck_assert_msg(!strstr(text, test_emu->policy_key) && !strstr(text, enc),
		      "%s shows the service key: %s", what, text);
	ck_assert_msg(!strstr(text, "sig=") &&
		      !strstr(text, "SharedAccessSignature"),
		      "%s shows a SAS token: %s", what, text);
	free(enc);
}

static void
expect_exit_at(const char *file, int line, const struct run *r, int code)
{
	ck_assert_msg(r->status == code, "%s:%d: exit %d, expected %d; "
		      "stderr: %.600s; stdout: %.300s", file, line, r->status,
		      code, r->err, r->out);
	if (code != CODE_OK) {
		expect_no_secret_in("stderr", r->err);
		expect_no_secret_in("stdout", r->out);
	}
}

#define EXPECT_EXIT(r, code) expect_exit_at(__FILE__, __LINE__, (r), (code))

static void
expect_err_has(const struct run *r, const char *text)
{
	ck_assert_msg(strstr(r->err, text), "stderr lacks '%s': %s", text,
		      r->err);
}

static cJSON *
stdout_json(const struct run *r)
{
	cJSON *j = cJSON_Parse(r->out);
	ck_assert_msg(j, "stdout is not JSON: %.400s", r->out);
	return j;
}

/* DIR/name holding `text`; the caller frees the path. */
static char *
write_file(const char *name, const char *text, mode_t mode)
{
	char *path = xasprintf("%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_msg(fd >= 0, "cannot create %s", path);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
	return path;
}

static char *
enrollment_file(const char *id, const char *extra)
{
	char *text = enrollment_text(id, extra);
	char *name = xasprintf("%s.json", id);
	char *path = write_file(name, text, 0600);
	free(name);
	free(text);
	return path;
}

/* `dpsenroll put` of a new keyless enrollment, asserting exit 0. */
static void
cli_create(const char *id, const char *extra)
{
	char *path = enrollment_file(id, extra);
	struct run r = RUN("put", path);
	EXPECT_EXIT(&r, CODE_OK);
	run_free(&r);
	free(path);
}

/* `dpsenroll keys ID`'s primary and secondary key, "P S". */
static char *
keys_of(const char *id)
{
	struct run r = RUN("keys", id);
	EXPECT_EXIT(&r, CODE_OK);
	cJSON *j = stdout_json(&r);
	const char *p = jstr(j, "symmetricKey.primaryKey");
	const char *s = jstr(j, "symmetricKey.secondaryKey");
	ck_assert_msg(p && s, "keys prints no keys: %s", r.out);
	char *both = xasprintf("%s %s", p, s);
	cJSON_Delete(j);
	run_free(&r);
	return both;
}

/* ---- each subcommand ---- */

START_TEST(put_prints_the_created_enrollment)
{
	char *id = unique_id("cli-put");
	char *path = enrollment_file(id, "");
	struct run r = RUN("put", path);
	EXPECT_EXIT(&r, CODE_OK);
	cJSON *j = stdout_json(&r);
	ck_assert_str_eq(jstr(j, "registrationId"), id);
	ck_assert_int_eq(b64_len(jstr(j, "attestation.symmetricKey.primaryKey")),
			 64);
	ck_assert(is_etag(jstr(j, "etag")));
	expect_err_has(&r, "store them now");
	cJSON_Delete(j);
	run_free(&r);
	free(path);
	free(id);
}
END_TEST

START_TEST(get_prints_the_enrollment_without_keys)
{
	char *id = unique_id("cli-get");
	cli_create(id, ",\"deviceId\":\"cli-dev\"");
	struct run r = RUN("get", id);
	EXPECT_EXIT(&r, CODE_OK);
	cJSON *j = stdout_json(&r);
	ck_assert_str_eq(jstr(j, "registrationId"), id);
	ck_assert_str_eq(jstr(j, "deviceId"), "cli-dev");
	ck_assert_ptr_null(jget(j, "attestation.symmetricKey.primaryKey"));
	cJSON_Delete(j);
	run_free(&r);

	r = RUN("get", id, "--show-keys");
	EXPECT_EXIT(&r, CODE_OK);
	j = stdout_json(&r);
	ck_assert_int_eq(b64_len(jstr(j, "attestation.symmetricKey.primaryKey")),
			 64);
	cJSON_Delete(j);
	run_free(&r);
	free(id);
}
END_TEST

START_TEST(get_of_a_missing_id_exits_1)
{
	struct run r = RUN("get", "cli-nobody");
	EXPECT_EXIT(&r, CODE_REFUSED);
	ck_assert_str_eq(r.out, "");
	expect_err_has(&r, "404");
	run_free(&r);
}
END_TEST

START_TEST(keys_prints_the_attestation_with_keys)
{
	char *id = unique_id("cli-keys");
	cli_create(id, "");
	struct run r = RUN("keys", id);
	EXPECT_EXIT(&r, CODE_OK);
	cJSON *j = stdout_json(&r);
	ck_assert_str_eq(jstr(j, "type"), "symmetricKey");
	ck_assert_int_eq(b64_len(jstr(j, "symmetricKey.primaryKey")), 64);
	ck_assert_int_eq(b64_len(jstr(j, "symmetricKey.secondaryKey")), 64);
	cJSON_Delete(j);
	run_free(&r);
	free(id);
}
END_TEST

START_TEST(delete_removes_and_checks_if_match)
{
	char *id = unique_id("cli-del");
	cli_create(id, "");
	struct run r = RUN("delete", id, "--if-match", "InN0YWxlIg==");
	EXPECT_EXIT(&r, CODE_CONFLICT);
	run_free(&r);
	r = RUN("delete", id);
	EXPECT_EXIT(&r, CODE_OK);
	ck_assert_str_eq(r.out, "");
	run_free(&r);
	r = RUN("get", id);
	EXPECT_EXIT(&r, CODE_REFUSED);
	run_free(&r);
	r = RUN("delete", id);
	EXPECT_EXIT(&r, CODE_REFUSED);
	run_free(&r);
	free(id);
}
END_TEST

START_TEST(regstate_and_regstate_delete)
{
	char *id = unique_id("cli-reg");
	cli_create(id, "");
	struct run r = RUN("regstate", id);
	EXPECT_EXIT(&r, CODE_REFUSED);
	run_free(&r);
	simulate_registration(test_emu, id);
	r = RUN("regstate", id);
	EXPECT_EXIT(&r, CODE_OK);
	cJSON *j = stdout_json(&r);
	ck_assert_str_eq(jstr(j, "registrationId"), id);
	ck_assert_str_eq(jstr(j, "status"), "assigned");
	cJSON_Delete(j);
	run_free(&r);
	r = RUN("regstate-delete", id);
	EXPECT_EXIT(&r, CODE_OK);
	ck_assert_str_eq(r.out, "");
	run_free(&r);
	r = RUN("regstate", id);
	EXPECT_EXIT(&r, CODE_REFUSED);
	run_free(&r);
	free(id);
}
END_TEST

START_TEST(query_prints_every_enrollment)
{
	char *ids[5];
	for (int i = 0; i < 5; i++) {
		ids[i] = unique_id("cli-q");
		cli_create(ids[i], "");
	}
	struct run r = RUN("query", "--page-size", "2");
	EXPECT_EXIT(&r, CODE_OK);
	cJSON *j = stdout_json(&r);
	ck_assert(cJSON_IsArray(j));
	ck_assert_int_eq(cJSON_GetArraySize(j), 5);
	for (int i = 0; i < 5; i++) {
		bool seen = false;
		const cJSON *e;
		cJSON_ArrayForEach(e, j)
			seen = seen ||
			       strcmp(jstr(e, "registrationId"), ids[i]) == 0;
		ck_assert_msg(seen, "query lacks %s", ids[i]);
		free(ids[i]);
	}
	cJSON_Delete(j);
	run_free(&r);
}
END_TEST

/* Standard output as exactly one JSON array, nothing after it. */
static cJSON *
stdout_array(const struct run *r)
{
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithOpts(r->out, &end, false);
	ck_assert_msg(j && cJSON_IsArray(j), "stdout is not a JSON array: %.400s",
		      r->out);
	ck_assert_msg(strspn(end, " \t\r\n") == strlen(end),
		      "stdout holds more after its JSON array: %.200s", end);
	return j;
}

START_TEST(query_stops_when_a_continuation_repeats)
{
	set_fault(test_emu, "continuation-loop,path=/enrollments/query");
	struct run r = RUN("query");
	EXPECT_EXIT(&r, CODE_INCOMPLETE);
	expect_err_has(&r, "continuation token it had sent before");
	cJSON *j = stdout_array(&r);
	ck_assert_int_ge(cJSON_GetArraySize(j), 1);
	ck_assert_str_eq(jstr(cJSON_GetArrayItem(j, 0), "registrationId"),
			 "injected-page-0");
	cJSON_Delete(j);
	run_free(&r);
}
END_TEST

/* The first page is on standard output while the second is still on its
 * way, held back by the emulator for a minute. */
START_TEST(query_prints_a_page_before_the_next_arrives)
{
	set_fault(test_emu, "continuation-endless,path=/enrollments/query,count=1");
	set_fault(test_emu, "delay=60000,path=/enrollments/query");
	pid_t pid = spawn_env(usual_env(),
			      (const char *const[]){ "query", NULL });
	char *out = NULL;
	double until = now_s() + 20;
	while (now_s() < until) {
		free(out);
		out = read_back("stdout");
		if (strstr(out, "injected-page-0"))
			break;
		pause_ms(50);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);
	kill(pid, SIGTERM);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(strstr(out, "injected-page-0"), "the first page was not "
		      "printed while the second was awaited: '%s'", out);
	free(out);
}
END_TEST

START_TEST(query_stops_at_max_items)
{
	for (int i = 0; i < 5; i++) {
		char *id = unique_id("cli-max");
		cli_create(id, "");
		free(id);
	}
	struct run r = RUN("query", "--page-size", "2", "--max-items", "3");
	EXPECT_EXIT(&r, CODE_INCOMPLETE);
	expect_err_has(&r, "--max-items 3");
	cJSON *j = stdout_array(&r);
	ck_assert_int_eq(cJSON_GetArraySize(j), 3);
	cJSON_Delete(j);
	run_free(&r);

	r = RUN("query", "--page-size", "2", "--max-items", "5");
	EXPECT_EXIT(&r, CODE_OK);
	j = stdout_array(&r);
	ck_assert_int_eq(cJSON_GetArraySize(j), 5);
	cJSON_Delete(j);
	run_free(&r);
}
END_TEST

START_TEST(query_against_endless_pages_stops_at_max_items)
{
	set_fault(test_emu, "continuation-endless,path=/enrollments/query");
	struct run r = RUN("query", "--max-items", "40", "--json");
	EXPECT_EXIT(&r, CODE_INCOMPLETE);
	cJSON *j = stdout_array(&r);
	ck_assert_int_eq(cJSON_GetArraySize(j), 40);
	ck_assert_str_eq(jstr(cJSON_GetArrayItem(j, 39), "registrationId"),
			 "injected-page-39");
	cJSON_Delete(j);
	cJSON *e = cJSON_Parse(r.err);
	ck_assert_msg(e, "--json: stderr is not JSON: %s", r.err);
	ck_assert_str_eq(jstr(e, "stopped"), "max items");
	ck_assert_int_eq(jget(e, "printed")->valueint, 40);
	cJSON_Delete(e);
	run_free(&r);
}
END_TEST

START_TEST(query_failing_midway_keeps_stdout_valid_json)
{
	set_fault(test_emu, "continuation-endless,path=/enrollments/query,count=2");
	set_fault(test_emu, "status=503,path=/enrollments/query");
	struct run r = RUN("query", "--retries", "0", "--json");
	EXPECT_EXIT(&r, CODE_SERVER);
	cJSON *j = stdout_array(&r);
	ck_assert_int_eq(cJSON_GetArraySize(j), 2);
	cJSON_Delete(j);
	/* one request a page, the failed third included */
	cJSON *e = cJSON_Parse(r.err);
	ck_assert_msg(e, "--json: stderr is not JSON: %s", r.err);
	ck_assert_int_eq(jget(e, "status")->valueint, 503);
	ck_assert_int_eq(jget(e, "attempts")->valueint, 3);
	cJSON_Delete(e);
	run_free(&r);
}
END_TEST

START_TEST(query_jsonl_prints_one_enrollment_a_line)
{
	char *ids[3];
	for (int i = 0; i < 3; i++) {
		ids[i] = unique_id("cli-jsonl");
		cli_create(ids[i], "");
	}
	struct run r = RUN("query", "--jsonl", "--page-size", "2");
	EXPECT_EXIT(&r, CODE_OK);
	int lines = 0;
	bool seen[3] = { false };
	char *save = NULL;
	for (char *line = strtok_r(r.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lines++) {
		cJSON *e = cJSON_ParseWithOpts(line, NULL, true);
		ck_assert_msg(cJSON_IsObject(e), "line %d is not one JSON object: "
			      "%s", lines + 1, line);
		for (int i = 0; i < 3; i++)
			seen[i] = seen[i] || strcmp(jstr(e, "registrationId"),
						    ids[i]) == 0;
		cJSON_Delete(e);
	}
	ck_assert_int_eq(lines, 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_msg(seen[i], "--jsonl lacks %s", ids[i]);
		free(ids[i]);
	}
	run_free(&r);
}
END_TEST

static char *
bulk_file(const char *prefix, int n)
{
	cJSON *list = cJSON_CreateArray();
	for (int i = 0; i < n; i++) {
		char *id = xasprintf("%s-%02d", prefix, i);
		char *text = enrollment_text(id, "");
		cJSON_AddItemToArray(list, cJSON_Parse(text));
		free(text);
		free(id);
	}
	char *text = cJSON_PrintUnformatted(list);
	char *name = xasprintf("%s.json", prefix);
	char *path = write_file(name, text, 0600);
	free(name);
	free(text);
	cJSON_Delete(list);
	return path;
}

START_TEST(bulk_sends_a_long_list_and_exits_1_on_item_errors)
{
	char *path = bulk_file("cli-bulk", 14);
	struct run r = RUN("bulk", "create", path);
	EXPECT_EXIT(&r, CODE_OK);
	cJSON *j = stdout_json(&r);
	ck_assert(cJSON_IsTrue(jget(j, "isSuccessful")));
	cJSON_Delete(j);
	run_free(&r);

	r = RUN("query");
	EXPECT_EXIT(&r, CODE_OK);
	j = stdout_json(&r);
	ck_assert_int_eq(cJSON_GetArraySize(j), 14);
	cJSON_Delete(j);
	run_free(&r);

	r = RUN("bulk", "create", path);
	EXPECT_EXIT(&r, CODE_REFUSED);
	j = stdout_json(&r);
	ck_assert(cJSON_IsFalse(jget(j, "isSuccessful")));
	ck_assert_int_eq(cJSON_GetArraySize(jget(j, "errors")), 14);
	cJSON_Delete(j);
	run_free(&r);

	r = RUN("bulk", "nonsense", path);
	EXPECT_EXIT(&r, CODE_USAGE);
	run_free(&r);
	free(path);
}
END_TEST

/* ---- put: conflicts, updates, keys, validation ---- */

START_TEST(put_of_an_existing_id_says_if_match_or_force)
{
	char *id = unique_id("cli-409");
	cli_create(id, "");
	char *path = enrollment_file(id, ",\"provisioningStatus\":\"disabled\"");
	struct run r = RUN("put", path);
	EXPECT_EXIT(&r, CODE_CONFLICT);
	expect_err_has(&r, "409");
	expect_err_has(&r, "--if-match");
	expect_err_has(&r, "--force");
	run_free(&r);
	free(path);
	free(id);
}
END_TEST

START_TEST(put_force_replaces_what_is_there)
{
	char *id = unique_id("cli-force");
	cli_create(id, "");
	char *path = enrollment_file(id, ",\"provisioningStatus\":\"disabled\"");
	struct run r = RUN("put", path, "--force");
	EXPECT_EXIT(&r, CODE_OK);
	run_free(&r);
	r = RUN("get", id);
	EXPECT_EXIT(&r, CODE_OK);
	cJSON *j = stdout_json(&r);
	ck_assert_str_eq(jstr(j, "provisioningStatus"), "disabled");
	cJSON_Delete(j);
	run_free(&r);
	free(path);
	free(id);
}
END_TEST

START_TEST(put_with_a_stale_if_match_exits_4)
{
	char *id = unique_id("cli-412");
	cli_create(id, "");
	char *path = enrollment_file(id, "");
	struct run r = RUN("put", path, "--if-match", "InN0YWxlIg==");
	EXPECT_EXIT(&r, CODE_CONFLICT);
	expect_err_has(&r, "412");
	run_free(&r);
	free(path);
	free(id);
}
END_TEST

START_TEST(put_of_get_output_keeps_the_keys)
{
	char *id = unique_id("cli-roundtrip");
	cli_create(id, "");
	char *before = keys_of(id);
	struct run r = RUN("get", id);
	EXPECT_EXIT(&r, CODE_OK);
	cJSON *j = stdout_json(&r);
	cJSON_ReplaceItemInObjectCaseSensitive(j, "provisioningStatus",
					       cJSON_CreateString("disabled"));
	char *text = cJSON_Print(j);
	char *path = write_file("roundtrip.json", text, 0600);
	free(text);
	cJSON_Delete(j);
	run_free(&r);

	r = RUN("put", path);
	EXPECT_EXIT(&r, CODE_OK);
	j = stdout_json(&r);
	ck_assert_str_eq(jstr(j, "provisioningStatus"), "disabled");
	cJSON_Delete(j);
	ck_assert_msg(strstr(r.err, "sending the enrollment's existing keys"),
		      "put did not say it resent the keys: %s", r.err);
	/* they are the device's own: nothing new to store */
	ck_assert_msg(!strstr(r.err, "generated"),
		      "put says the service generated keys: %s", r.err);
	run_free(&r);
	char *after = keys_of(id);
	ck_assert_msg(strcmp(before, after) == 0,
		      "the update replaced the device's keys");
	secret_str_free(after);
	secret_str_free(before);
	free(path);
	free(id);
}
END_TEST

/* `get ID` output with provisioningStatus disabled, in a file: an update
 * from a file without keys. The caller frees the path. */
static char *
get_output_disabled(const char *id)
{
	struct run r = RUN("get", id);
	EXPECT_EXIT(&r, CODE_OK);
	cJSON *j = stdout_json(&r);
	cJSON_ReplaceItemInObjectCaseSensitive(j, "provisioningStatus",
					       cJSON_CreateString("disabled"));
	char *text = cJSON_Print(j);
	char *name = xasprintf("%s-get.json", id);
	char *path = write_file(name, text, 0600);
	free(name);
	free(text);
	cJSON_Delete(j);
	run_free(&r);
	return path;
}

/* The update of GET output while the attestation mechanism call (the read
 * of the keys) meets `fault`: nothing may be sent, the exit code says the
 * read failed, and the enrollment keeps its keys and its status. */
static void
expect_put_fails_closed(const char *fault, int code)
{
	char *id = unique_id("cli-nokeys");
	cli_create(id, "");
	char *before = keys_of(id);
	char *path = get_output_disabled(id);
	char *spec = xasprintf("%s,method=POST,path=/enrollments/%s/"
			       "attestationmechanism", fault, id);
	set_fault(test_emu, spec);

	struct run r = RUN("put", path, "--retries", "0");
	EXPECT_EXIT(&r, code);
	expect_err_has(&r, "keys could not be read");
	expect_err_has(&r, "nothing was sent");
	expect_err_has(&r, "Run the command again");
	ck_assert_str_eq(r.out, "");
	run_free(&r);
	struct reply *clear = admin(test_emu, "DELETE", "/admin/faults", NULL);
	EXPECT_STATUS(clear, 204);
	reply_free(clear);

	char *after = keys_of(id);
	ck_assert_msg(strcmp(before, after) == 0, "the device's keys changed "
		      "after the keys could not be read (%s)", fault);
	r = RUN("get", id);
	EXPECT_EXIT(&r, CODE_OK);
	cJSON *j = stdout_json(&r);
	ck_assert_str_eq(jstr(j, "provisioningStatus"), "enabled");
	cJSON_Delete(j);
	run_free(&r);
	/* only the create: read after the other commands, so a PUT that
	 * went out has long been logged */
	char *re = xasprintf("^PUT /enrollments/%s ", id);
	ck_assert_msg(emu_log_wait(test_emu, re, 0) == 1, "a PUT was sent "
		      "after the keys could not be read (%s)", fault);
	secret_str_free(after);
	secret_str_free(before);
	free(re);
	free(spec);
	free(path);
	free(id);
}

START_TEST(put_sends_nothing_when_the_keys_read_answers_500)
{
	expect_put_fails_closed("status=500", CODE_SERVER);
}
END_TEST

START_TEST(put_sends_nothing_when_the_keys_read_answers_404)
{
	expect_put_fails_closed("status=404", CODE_REFUSED);
}
END_TEST

START_TEST(put_sends_nothing_when_the_keys_answer_is_malformed)
{
	expect_put_fails_closed("malformed", CODE_UNREADABLE);
}
END_TEST

START_TEST(put_sends_nothing_when_the_keys_read_is_dropped)
{
	expect_put_fails_closed("drop", CODE_NETWORK);
}
END_TEST

START_TEST(put_of_an_invalid_enrollment_exits_2_unsent)
{
	char *id = unique_id("cli-invalid");
	char *path = enrollment_file(id, ",\"provisioningStatus\":\"on\"");
	struct run r = RUN("put", path);
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "provisioningStatus");
	expect_err_has(&r, "not sent");
	ck_assert_str_eq(r.out, "");
	run_free(&r);
	char *re = xasprintf("/enrollments/%s ", id);
	ck_assert_int_eq(emu_log_wait(test_emu, re, 200), 0);
	free(re);
	free(path);
	free(id);
}
END_TEST

#define CERT_FIELD "attestation.x509.clientCertificates.primary.certificate"

/* An x509 enrollment file whose certificate field holds `text`. */
static char *
x509_file(const char *id, const char *text)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "registrationId", id);
	cJSON *att = cJSON_AddObjectToObject(b, "attestation");
	cJSON_AddStringToObject(att, "type", "x509");
	cJSON *primary = cJSON_AddObjectToObject(cJSON_AddObjectToObject(
		cJSON_AddObjectToObject(att, "x509"), "clientCertificates"),
		"primary");
	cJSON_AddStringToObject(primary, "certificate", text);
	char *json = cJSON_Print(b);
	cJSON_Delete(b);
	char *name = xasprintf("%s.json", id);
	char *path = write_file(name, json, 0600);
	free(name);
	free(json);
	return path;
}

/* A device certificate and the CA that issued it, PEM. */
struct chain {
	char *key, *leaf, *ca;
};

static struct chain
chain_make(const char *cn)
{
	char *cmd = xasprintf(
		"cd '%s' && openssl req -x509 -newkey ec -pkeyopt "
		"ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem "
		"-days 30 -subj '/CN=Bench CA' 2>/dev/null && openssl req -new "
		"-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "
		"device.key -out device.csr -subj '/CN=%s' 2>/dev/null && "
		"openssl x509 -req -in device.csr -CA ca.pem -CAkey ca.key "
		"-CAcreateserial -days 30 -out device.pem 2>/dev/null", dir, cn);
	free(run_shell(cmd));
	free(cmd);
	struct chain c = { .key = read_back("device.key"),
			   .leaf = read_back("device.pem"),
			   .ca = read_back("ca.pem") };
	return c;
}

static void
chain_free(struct chain *c)
{
	free(c->key);
	free(c->leaf);
	free(c->ca);
}

/* The second line of a PEM block: base64 of its body, found only where
 * the block itself went. */
static char *
body_line(const char *pem)
{
	const char *nl = strchr(pem, '\n');
	ck_assert_ptr_nonnull(nl);
	return xstrndup(nl + 1, 64);
}

START_TEST(put_of_a_private_key_exits_2_unsent)
{
	char *id = unique_id("cli-key");
	struct chain c = chain_make(id);
	/* `cat device.key device.pem ca.pem` pasted into the file */
	char *cat = xasprintf("%s%s%s", c.key, c.leaf, c.ca);
	char *path = x509_file(id, cat);
	char *key_line = body_line(c.key);
	for (int no_validate = 0; no_validate < 2; no_validate++) {
		struct run r = no_validate ? RUN("put", path, "--no-validate")
					   : RUN("put", path);
		EXPECT_EXIT(&r, CODE_USAGE);
		expect_err_has(&r, CERT_FIELD ": error: a private key "
			       "(-----BEGIN PRIVATE KEY-----) is here with the "
			       "certificate");
		expect_err_has(&r, "not sent");
		ck_assert_msg(!strstr(r.err, key_line), "stderr quotes the key");
		ck_assert_str_eq(r.out, "");
		run_free(&r);
	}
	char *re = xasprintf("/enrollments/%s ", id);
	ck_assert_int_eq(emu_log_wait(test_emu, re, 200), 0);
	ck_assert(!emu_files_hold(test_emu, key_line));
	free(re);
	free(key_line);
	free(path);
	free(cat);
	chain_free(&c);
	free(id);
}
END_TEST

START_TEST(bulk_of_a_private_key_exits_2_unsent)
{
	char *id = unique_id("cli-bulkkey");
	struct chain c = chain_make(id);
	cJSON *list = cJSON_CreateArray();
	cJSON *item = cJSON_CreateObject();
	cJSON_AddStringToObject(item, "registrationId", id);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(item, "attestation"),
				"type", "symmetricKey");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(
		item, "initialTwin"), "tags"), "site", c.key);
	cJSON_AddItemToArray(list, item);
	char *json = cJSON_Print(list);
	char *path = write_file("bulk-key.json", json, 0600);
	struct run r = RUN("bulk", "create", path, "--no-validate");
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "[0].initialTwin.tags.site: error: this holds a "
		       "private key");
	expect_err_has(&r, "not sent");
	run_free(&r);
	ck_assert_int_eq(emu_log_wait(test_emu, "POST /enrollments ", 200), 0);
	free(path);
	free(json);
	cJSON_Delete(list);
	chain_free(&c);
	free(id);
}
END_TEST

/* An item the checks refuse: each finding is said with its item, then
 * that nothing was sent and how many items are wrong; dpsemu gets no
 * request. */
START_TEST(bulk_of_an_invalid_item_says_nothing_was_sent)
{
	char *path = write_file("bulk-invalid.json",
		"[{\"registrationId\":\"x y\",\"attestation\":{\"type\":"
		"\"tpm\"}},{\"registrationId\":\"cli-bulk-fine\","
		"\"attestation\":{\"type\":\"symmetricKey\"}}]", 0600);
	int posts = emu_log_wait(test_emu, "POST /enrollments ", 0);
	struct run r = RUN("bulk", "create", path);
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "item 1: registrationId: error: ");
	expect_err_has(&r, "dpsenroll bulk: nothing was sent: 1 item of 2 has "
		       "errors");
	run_free(&r);
	ck_assert_int_eq(emu_log_wait(test_emu, "POST /enrollments ", 0), posts);
	free(path);
}
END_TEST

/* What the form does with the same text: the leaf alone is sent, and
 * stderr says what was left out. */
START_TEST(put_of_a_chain_sends_the_leaf_alone)
{
	char *id = unique_id("cli-chain");
	struct chain c = chain_make(id);
	char *both = xasprintf("%s%s", c.leaf, c.ca);
	char *path = x509_file(id, both);
	struct run r = RUN("put", path);
	EXPECT_EXIT(&r, CODE_OK);
	expect_err_has(&r, "dpsenroll put: " CERT_FIELD ": kept the device "
		       "certificate; dropped 1 CA certificate");
	run_free(&r);
	char *leaf_line = body_line(c.leaf), *ca_line = body_line(c.ca);
	ck_assert_msg(emu_files_hold(test_emu, leaf_line),
		      "the leaf is not in the store");
	ck_assert_msg(!emu_files_hold(test_emu, ca_line),
		      "the CA certificate was stored");
	free(leaf_line);
	free(ca_line);
	free(path);
	free(both);
	chain_free(&c);
	free(id);
}
END_TEST

/* ---- errors and exit codes ---- */

START_TEST(json_flag_puts_an_error_object_on_stderr)
{
	struct run r = RUN("get", "cli-nobody", "--json");
	EXPECT_EXIT(&r, CODE_REFUSED);
	cJSON *j = cJSON_Parse(r.err);
	ck_assert_msg(j, "stderr is not JSON: %s", r.err);
	ck_assert_int_eq((int)cJSON_GetNumberValue(jget(j, "status")), 404);
	ck_assert_int_eq((int)cJSON_GetNumberValue(jget(j, "errorCode")), 404201);
	ck_assert_ptr_nonnull(jstr(j, "message"));
	ck_assert_ptr_nonnull(jstr(j, "trackingId"));
	ck_assert_int_eq((int)cJSON_GetNumberValue(jget(j, "attempts")), 1);
	cJSON_Delete(j);
	run_free(&r);

	struct cli_env env = { .cs = conn_string };
	r = RUN_ENV(&env, "get", "cli-nobody", "--json");
	EXPECT_EXIT(&r, CODE_NETWORK);
	j = cJSON_Parse(r.err);
	ck_assert_msg(j, "stderr is not JSON: %s", r.err);
	ck_assert_ptr_nonnull(jstr(j, "failure"));
	ck_assert_msg(jstr(j, "hint") && strstr(jstr(j, "hint"), "--cacert"),
		      "%s", r.err);
	cJSON_Delete(j);
	run_free(&r);
}
END_TEST

START_TEST(wrong_key_exits_1)
{
	char *key = random_key(32);
	char *cs = xasprintf("HostName=%s;SharedAccessKeyName=%s;"
			     "SharedAccessKey=%s", test_emu->host_name,
			     test_emu->policy_name, key);
	struct cli_env env = { .cs = cs, .cacert = test_emu->ca_path };
	struct run r = RUN_ENV(&env, "get", "cli-any");
	EXPECT_EXIT(&r, CODE_REFUSED);
	expect_err_has(&r, "401");
	/* what is wrong and what to do, not a bare Unauthorized */
	expect_err_has(&r, "shared access key");
	expect_err_has(&r, "what to do: check the profile's connection string");
	ck_assert_msg(!strstr(r.err, key), "stderr shows the key: %s", r.err);
	run_free(&r);
	secret_str_free(cs);
	secret_str_free(key);
}
END_TEST

START_TEST(server_errors_after_retries_exit_5)
{
	set_fault(test_emu, "status=503,path=/enrollments/cli-503");
	struct run r = RUN("get", "cli-503", "--retries", "2");
	EXPECT_EXIT(&r, CODE_SERVER);
	expect_err_has(&r, "503");
	expect_err_has(&r, "after 3 attempts");
	run_free(&r);
}
END_TEST

START_TEST(a_throttled_command_says_it_waits)
{
	set_fault(test_emu, "status=429,retry-after=1,count=1,"
		  "path=/enrollments/cli-429");
	struct run r = RUN("get", "cli-429");
	EXPECT_EXIT(&r, CODE_REFUSED);
	expect_err_has(&r, "dpsenroll get: 429 throttled by the service; "
		       "retrying in 1 s (2 of 4)\n");
	expect_err_has(&r, "404");
	run_free(&r);

	/* with --json, standard error stays one JSON object */
	set_fault(test_emu, "status=429,retry-after=1,count=1,"
		  "path=/enrollments/cli-429j");
	r = RUN("get", "cli-429j", "--json");
	EXPECT_EXIT(&r, CODE_REFUSED);
	cJSON *j = cJSON_Parse(r.err);
	ck_assert_msg(j, "stderr is not JSON: %s", r.err);
	ck_assert_int_eq((int)cJSON_GetNumberValue(jget(j, "attempts")), 2);
	cJSON_Delete(j);
	run_free(&r);
}
END_TEST

START_TEST(timeout_exits_3)
{
	set_fault(test_emu, "delay=3000,path=/enrollments/cli-slow");
	struct run r = RUN("get", "cli-slow", "--timeout", "0.5");
	EXPECT_EXIT(&r, CODE_NETWORK);
	expect_err_has(&r, "--timeout");
	run_free(&r);
}
END_TEST

START_TEST(unknown_ca_exits_3_naming_cacert)
{
	struct cli_env env = { .cs = conn_string };
	struct run r = RUN_ENV(&env, "get", "cli-any");
	EXPECT_EXIT(&r, CODE_NETWORK);
	expect_err_has(&r, "--cacert");
	run_free(&r);

	r = RUN_ENV(&env, "get", "cli-any", "--cacert", test_emu->ca_path);
	EXPECT_EXIT(&r, CODE_REFUSED);
	run_free(&r);
}
END_TEST

/* An answer that cannot be read is its own reason, not a server error. */
/* A Retry-After that would end past --deadline is not waited for. */
START_TEST(a_throttled_command_never_waits_past_its_deadline)
{
	set_fault(test_emu, "status=429,retry-after=600,"
		  "path=/enrollments/cli-429d");
	struct run r = RUN("get", "cli-429d", "--deadline", "5");
	EXPECT_EXIT(&r, CODE_SERVER);
	expect_err_has(&r, "HTTP 429");
	expect_err_has(&r, "not retried: the next attempt was due after the "
		       "--deadline");
	ck_assert_msg(!strstr(r.err, "retrying in"), "it waited: %s", r.err);
	run_free(&r);
}
END_TEST

/* dpsemu's own rate limit, not an injected 429: the command waits for
 * the Retry-After it is given and then gets its answer. */
START_TEST(a_command_over_the_rate_limit_waits_and_succeeds)
{
	cJSON_Delete(create_enrollment(test_emu, "cli-limited", ""));
	struct reply *last = NULL;
	for (int i = 0; i < 20; i++) {
		reply_free(last);
		last = svc(test_emu, "GET", "/enrollments/cli-limited", NULL);
		if (last->status == 429)
			break;
	}
	EXPECT_ERROR(last, 429, 429001);
	ck_assert_ptr_nonnull(last->retry_after);
	reply_free(last);
	static const char ok[] = "^GET /enrollments/cli-limited 200 ";
	static const char refused[] = "^GET /enrollments/cli-limited 429 ";
	int ok_before = emu_log_wait(test_emu, ok, 0);
	int refused_before = emu_log_wait(test_emu, refused, 0);
	struct run r = RUN("get", "cli-limited");
	EXPECT_EXIT(&r, CODE_OK);
	expect_err_has(&r, "dpsenroll get: 429 throttled by the service; "
		       "retrying in ");
	cJSON *j = cJSON_Parse(r.out);
	ck_assert_msg(j, "stdout is not JSON: %s", r.out);
	ck_assert_str_eq(jstr(j, "registrationId"), "cli-limited");
	cJSON_Delete(j);
	run_free(&r);
	/* one refused attempt, then the answer */
	ck_assert_int_eq(emu_log_wait(test_emu, refused, 0), refused_before + 1);
	ck_assert_int_eq(emu_log_wait(test_emu, ok, 0), ok_before + 1);
}
END_TEST

START_TEST(malformed_answer_exits_6)
{
	set_fault(test_emu, "malformed,path=/enrollments/cli-bad");
	struct run r = RUN("get", "cli-bad");
	EXPECT_EXIT(&r, CODE_UNREADABLE);
	expect_err_has(&r, "dpsenroll get: the service's answer could not be "
		       "read: it is not valid JSON");
	run_free(&r);
}
END_TEST

START_TEST(oversized_answer_exits_6)
{
	set_fault(test_emu, "oversized,path=/enrollments/cli-big");
	struct run r = RUN("get", "cli-big");
	EXPECT_EXIT(&r, CODE_UNREADABLE);
	expect_err_has(&r, "dpsenroll get: the service's answer could not be "
		       "read: it is larger than any DPS answer");
	run_free(&r);
}
END_TEST

/* ---- where the connection comes from ---- */

static char *
config_home(const char *cacert, mode_t mode)
{
	char *home = harness_tmpdir("xdg");
	ck_assert_ptr_nonnull(home);
	char *sub = xasprintf("%s/dpsenroll", home);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	char *text = xasprintf("{\"profiles\":{\"bench\":{\"connectionString\":"
			       "\"%s\",\"cacert\":\"%s\"}},\"defaultProfile\":"
			       "\"bench\"}", conn_string, cacert);
	char *path = xasprintf("%s/config.json", sub);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
	secret_str_free(text);
	free(path);
	free(sub);
	return home;
}

START_TEST(profile_from_a_private_config_works)
{
	char *home = config_home(test_emu->ca_path, 0600);
	struct cli_env env = { .xdg = home };
	struct run r = RUN_ENV(&env, "get", "cli-any");
	EXPECT_EXIT(&r, CODE_REFUSED);
	expect_err_has(&r, "404");
	run_free(&r);
	r = RUN_ENV(&env, "get", "cli-any", "--profile", "bench");
	EXPECT_EXIT(&r, CODE_REFUSED);
	run_free(&r);
	r = RUN_ENV(&env, "get", "cli-any", "--profile", "nosuch");
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "nosuch");
	run_free(&r);
	free(home);
}
END_TEST

START_TEST(profile_readable_by_others_is_refused)
{
	char *home = config_home(test_emu->ca_path, 0644);
	struct cli_env env = { .xdg = home };
	struct run r = RUN_ENV(&env, "get", "cli-any");
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "chmod 600");
	run_free(&r);
	free(home);
}
END_TEST

START_TEST(connection_string_without_key_names_the_part)
{
	char *cs = xasprintf("HostName=%s;SharedAccessKeyName=%s",
			     test_emu->host_name, test_emu->policy_name);
	struct cli_env env = { .cs = cs, .cacert = test_emu->ca_path };
	struct run r = RUN_ENV(&env, "get", "cli-any");
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "SharedAccessKey");
	run_free(&r);
	free(cs);

	/* a key cut short when copied: named, not shown */
	char *cut = xstrndup(test_emu->policy_key, 13);
	cs = xasprintf("HostName=%s;SharedAccessKeyName=%s;SharedAccessKey=%s",
		       test_emu->host_name, test_emu->policy_name, cut);
	env.cs = cs;
	r = RUN_ENV(&env, "get", "cli-any");
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "SharedAccessKey");
	ck_assert_msg(!strstr(r.err, cut), "stderr shows the key: %s", r.err);
	run_free(&r);
	secret_str_free(cs);
	secret_str_free(cut);
}
END_TEST

/* The option beats the environment. The one on the command line carries
 * a wrong key (a live key never goes into process arguments): the 401
 * shows it was the one used, while the environment's would have worked. */
START_TEST(connection_string_option_wins)
{
	struct cli_env env = { .cs = conn_string, .cacert = test_emu->ca_path };
	char *wrong = xasprintf("HostName=%s;SharedAccessKeyName=%s;"
				"SharedAccessKey=d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZw==",
				test_emu->host_name, test_emu->policy_name);
	struct run r = RUN_ENV(&env, "get", "cli-any", "--connection-string",
			       wrong);
	EXPECT_EXIT(&r, CODE_REFUSED);
	expect_err_has(&r, "401");
	run_free(&r);
	free(wrong);
}
END_TEST

START_TEST(no_connection_at_all_exits_2)
{
	struct cli_env env = { 0 };
	struct run r = RUN_ENV(&env, "get", "cli-any");
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "DPS_CONNECTION_STRING");
	run_free(&r);
}
END_TEST

/* ---- writes whose answer was lost: read back and compared ---- */

/* A field of `dpsenroll get ID`'s output (owned), or NULL when it fails. */
static char *
stored_field(const char *id, const char *field)
{
	struct run r = RUN("get", id);
	char *v = NULL;
	if (r.status == CODE_OK) {
		cJSON *j = stdout_json(&r);
		v = jstr(j, field) ? xstrdup(jstr(j, field)) : NULL;
		cJSON_Delete(j);
	}
	run_free(&r);
	return v;
}

static void
expect_stored(const char *id, const char *field, const char *want)
{
	char *v = stored_field(id, field);
	ck_assert_msg(v && strcmp(v, want) == 0, "%s of '%s' is %s, not %s",
		      field, id, v ? v : "(not stored)", want);
	free(v);
}

static void
expect_not_stored(const char *id)
{
	struct run r = RUN("get", id);
	EXPECT_EXIT(&r, CODE_REFUSED);
	run_free(&r);
}

static void
fault_on(const char *spec, const char *path)
{
	char *f = xasprintf("%s,path=%s", spec, path);
	set_fault(test_emu, f);
	free(f);
}

static void
fault_on_id(const char *spec, const char *id)
{
	char *path = xasprintf("/enrollments/%s", id);
	fault_on(spec, path);
	free(path);
}

#define MAY_HAVE "the answer was lost, so it may have been applied; "

/* A create whose answer is lost and whose resend meets "already exists":
 * read back, it is there as sent. The note about the keys the service
 * made says they are "shown above": they are, although GET hides them. */
START_TEST(put_lost_answer_read_back_applied)
{
	char *id = unique_id("rb-put-ok");
	char *path = enrollment_file(id, ",\"deviceId\":\"ours\"");
	fault_on_id("drop,after,count=1,method=PUT", id);
	struct run r = RUN("put", path);
	EXPECT_EXIT(&r, CODE_OK);
	expect_err_has(&r, "dpsenroll put: " MAY_HAVE "read back: applied");
	expect_err_has(&r, "generated the keys shown above");
	cJSON *j = stdout_json(&r);
	ck_assert_str_eq(jstr(j, "deviceId"), "ours");
	char *keys = keys_of(id);
	const char *p = jstr(j, "attestation.symmetricKey.primaryKey");
	ck_assert_msg(p && strncmp(keys, p, strlen(p)) == 0, "the keys "
		      "\"shown above\" are not shown: %s", r.out);
	secret_str_free(keys);
	cJSON_Delete(j);
	run_free(&r);
	expect_stored(id, "deviceId", "ours");
	free(path);
	free(id);
}
END_TEST

/* An update's answer late past --timeout: applied, read back. */
START_TEST(put_update_past_timeout_read_back_applied)
{
	char *id = unique_id("rb-put-late");
	cli_create(id, ",\"deviceId\":\"before\"");
	char *etag = stored_field(id, "etag");
	char *extra = xasprintf(",\"deviceId\":\"after\",\"etag\":\"%s\"", etag);
	char *path = enrollment_file(id, extra);
	fault_on_id("delay=3000,after,count=1,method=PUT", id);
	struct run r = RUN("put", path, "--timeout", "1", "--retries", "0");
	EXPECT_EXIT(&r, CODE_OK);
	expect_err_has(&r, MAY_HAVE "read back: applied");
	run_free(&r);
	expect_stored(id, "deviceId", "after");
	free(path);
	free(extra);
	free(etag);
	free(id);
}
END_TEST

START_TEST(put_lost_request_read_back_not_applied)
{
	char *id = unique_id("rb-put-not");
	char *path = enrollment_file(id, "");
	fault_on_id("drop,count=1,method=PUT", id);
	struct run r = RUN("put", path, "--retries", "0");
	EXPECT_EXIT(&r, CODE_NETWORK);
	expect_err_has(&r, MAY_HAVE "read back: not applied");
	expect_err_has(&r, "sending it again is safe");
	run_free(&r);
	expect_not_stored(id);
	/* an answer that cannot be read: the same rule */
	fault_on_id("malformed,count=1,method=PUT", id);
	r = RUN("put", path);
	EXPECT_EXIT(&r, CODE_UNREADABLE);
	expect_err_has(&r, "the service's answer could not be read");
	expect_err_has(&r, MAY_HAVE "read back: not applied");
	run_free(&r);
	expect_not_stored(id);
	free(path);
	free(id);
}
END_TEST

/* Someone else's update of `id` (deviceId "theirs"), replacing whatever
 * is there, as a second technician would. */
static void
change_elsewhere(const char *id)
{
	char *theirs = enrollment_file(id, ",\"deviceId\":\"theirs\"");
	struct run r = RUN("put", theirs, "--force");
	EXPECT_EXIT(&r, CODE_OK);
	run_free(&r);
	free(theirs);
}

/* Someone else updated it meanwhile: the lost update is neither there
 * nor is the version it was based on. */
START_TEST(put_lost_update_read_back_changed_by_someone_else)
{
	char *id = unique_id("rb-put-other");
	cli_create(id, ",\"deviceId\":\"first\"");
	char *etag = stored_field(id, "etag");
	change_elsewhere(id);
	struct run r;
	char *extra = xasprintf(",\"deviceId\":\"ours\",\"etag\":\"%s\"", etag);
	char *ours = enrollment_file(id, extra);
	fault_on_id("drop,count=1,method=PUT", id);
	r = RUN("put", ours, "--retries", "0");
	EXPECT_EXIT(&r, CODE_CONFLICT);
	expect_err_has(&r, MAY_HAVE "read back: changed by someone else");
	run_free(&r);
	expect_stored(id, "deviceId", "theirs");
	free(ours);
	free(extra);
	free(etag);
	free(id);
}
END_TEST

/* The resend of a delete that was done meets 404: read back, gone. */
START_TEST(delete_lost_answer_read_back_applied)
{
	char *id = unique_id("rb-del-ok");
	cli_create(id, "");
	fault_on_id("drop,after,count=1,method=DELETE", id);
	struct run r = RUN("delete", id);
	EXPECT_EXIT(&r, CODE_OK);
	expect_err_has(&r, "dpsenroll delete: " MAY_HAVE "read back: applied");
	run_free(&r);
	expect_not_stored(id);
	free(id);
}
END_TEST

START_TEST(delete_lost_request_read_back_not_applied)
{
	char *id = unique_id("rb-del-not");
	cli_create(id, ",\"deviceId\":\"kept\"");
	fault_on_id("drop,count=1,method=DELETE", id);
	struct run r = RUN("delete", id, "--retries", "0");
	EXPECT_EXIT(&r, CODE_NETWORK);
	expect_err_has(&r, MAY_HAVE "read back: not applied");
	run_free(&r);
	expect_stored(id, "deviceId", "kept");
	free(id);
}
END_TEST

START_TEST(delete_lost_read_back_changed_by_someone_else)
{
	char *id = unique_id("rb-del-other");
	cli_create(id, "");
	char *etag = stored_field(id, "etag");
	change_elsewhere(id);
	struct run r;
	fault_on_id("delay=3000,count=1,method=DELETE", id);
	r = RUN("delete", id, "--if-match", etag, "--timeout", "1",
		"--retries", "0");
	EXPECT_EXIT(&r, CODE_CONFLICT);
	expect_err_has(&r, MAY_HAVE "read back: changed by someone else");
	run_free(&r);
	expect_stored(id, "deviceId", "theirs");
	free(etag);
	free(id);
}
END_TEST

/* The batch's answer is lost after the service handled it: each item is
 * read back, one of them taken by someone else beforehand. */
START_TEST(bulk_lost_answer_read_back_per_item)
{
	char *prefix = unique_id("rb-bulk");
	char *ids[3];
	cJSON *list = cJSON_CreateArray();
	for (int i = 0; i < 3; i++) {
		ids[i] = xasprintf("%s-%02d", prefix, i);
		char *text = enrollment_text(ids[i], ",\"deviceId\":\"ours\"");
		cJSON_AddItemToArray(list, cJSON_Parse(text));
		free(text);
	}
	char *json = cJSON_PrintUnformatted(list);
	char *path = write_file("rb-bulk.json", json, 0600);
	free(json);
	cJSON_Delete(list);
	cli_create(ids[1], ",\"deviceId\":\"theirs\"");
	fault_on("drop,after,count=1,method=POST", "/enrollments");
	struct run r = RUN("bulk", "create", path);
	EXPECT_EXIT(&r, CODE_REFUSED);
	const char *want[] = { "applied", "changed by someone else", "applied" };
	const char *names[] = { "applied", "changedBySomeoneElse", "applied" };
	cJSON *j = stdout_json(&r);
	ck_assert(cJSON_IsFalse(jget(j, "isSuccessful")));
	for (int i = 0; i < 3; i++) {
		char *line = xasprintf("dpsenroll bulk: %s: " MAY_HAVE
				       "read back: %s", ids[i], want[i]);
		expect_err_has(&r, line);
		free(line);
		const cJSON *e = cJSON_GetArrayItem(jget(j, "readBack"), i);
		ck_assert_str_eq(jstr(e, "registrationId"), ids[i]);
		ck_assert_str_eq(jstr(e, "outcome"), names[i]);
	}
	cJSON_Delete(j);
	run_free(&r);
	expect_stored(ids[0], "registrationId", ids[0]);
	expect_stored(ids[1], "deviceId", "theirs");
	for (int i = 0; i < 3; i++)
		free(ids[i]);
	free(path);
	free(prefix);
}
END_TEST

START_TEST(bulk_lost_request_read_back_not_applied)
{
	char *prefix = unique_id("rb-bulk-not");
	char *path = bulk_file(prefix, 2);
	fault_on("drop,count=1,method=POST", "/enrollments");
	struct run r = RUN("bulk", "create", path);
	EXPECT_EXIT(&r, CODE_REFUSED);
	for (int i = 0; i < 2; i++) {
		char *id = xasprintf("%s-%02d", prefix, i);
		char *line = xasprintf("dpsenroll bulk: %s: " MAY_HAVE
				       "read back: not applied", id);
		expect_err_has(&r, line);
		expect_not_stored(id);
		free(line);
		free(id);
	}
	run_free(&r);
	free(path);
	free(prefix);
}
END_TEST

Suite *
dps_cli_suite(void)
{
	Suite *s = suite_create("dps_cli");
	TCase *cmds = itest_tcase("commands");
	tcase_add_checked_fixture(cmds, emu_up, emu_down);
	tcase_add_test(cmds, put_prints_the_created_enrollment);
	tcase_add_test(cmds, get_prints_the_enrollment_without_keys);
	tcase_add_test(cmds, get_of_a_missing_id_exits_1);
	tcase_add_test(cmds, keys_prints_the_attestation_with_keys);
	tcase_add_test(cmds, delete_removes_and_checks_if_match);
	tcase_add_test(cmds, regstate_and_regstate_delete);
	tcase_add_test(cmds, query_prints_every_enrollment);
	tcase_add_test(cmds, bulk_sends_a_long_list_and_exits_1_on_item_errors);
	suite_add_tcase(s, cmds);

	TCase *rb = itest_tcase("read back");
	tcase_add_checked_fixture(rb, emu_up, emu_down);
	tcase_add_test(rb, put_lost_answer_read_back_applied);
	tcase_add_test(rb, put_update_past_timeout_read_back_applied);
	tcase_add_test(rb, put_lost_request_read_back_not_applied);
	tcase_add_test(rb, put_lost_update_read_back_changed_by_someone_else);
	tcase_add_test(rb, delete_lost_answer_read_back_applied);
	tcase_add_test(rb, delete_lost_request_read_back_not_applied);
	tcase_add_test(rb, delete_lost_read_back_changed_by_someone_else);
	tcase_add_test(rb, bulk_lost_answer_read_back_per_item);
	tcase_add_test(rb, bulk_lost_request_read_back_not_applied);
	suite_add_tcase(s, rb);

	TCase *query = itest_tcase("query");
	tcase_add_checked_fixture(query, emu_up, emu_down);
	tcase_add_test(query, query_stops_when_a_continuation_repeats);
	tcase_add_test(query, query_stops_at_max_items);
	tcase_add_test(query, query_prints_a_page_before_the_next_arrives);
	tcase_add_test(query, query_against_endless_pages_stops_at_max_items);
	tcase_add_test(query, query_failing_midway_keeps_stdout_valid_json);
	tcase_add_test(query, query_jsonl_prints_one_enrollment_a_line);
	suite_add_tcase(s, query);

	TCase *put = itest_tcase("put");
	tcase_add_checked_fixture(put, emu_up, emu_down);
	tcase_add_test(put, put_of_an_existing_id_says_if_match_or_force);
	tcase_add_test(put, put_force_replaces_what_is_there);
	tcase_add_test(put, put_with_a_stale_if_match_exits_4);
	tcase_add_test(put, put_of_get_output_keeps_the_keys);
	tcase_add_test(put, put_sends_nothing_when_the_keys_read_answers_500);
	tcase_add_test(put, put_sends_nothing_when_the_keys_read_answers_404);
	tcase_add_test(put, put_sends_nothing_when_the_keys_answer_is_malformed);
	tcase_add_test(put, put_sends_nothing_when_the_keys_read_is_dropped);
	tcase_add_test(put, put_of_an_invalid_enrollment_exits_2_unsent);
	tcase_add_test(put, put_of_a_private_key_exits_2_unsent);
	tcase_add_test(put, put_of_a_chain_sends_the_leaf_alone);
	tcase_add_test(put, bulk_of_a_private_key_exits_2_unsent);
	tcase_add_test(put, bulk_of_an_invalid_item_says_nothing_was_sent);
	suite_add_tcase(s, put);

	TCase *errs = itest_tcase("errors");
	tcase_add_checked_fixture(errs, emu_up, emu_down);
	tcase_add_test(errs, json_flag_puts_an_error_object_on_stderr);
	tcase_add_test(errs, wrong_key_exits_1);
	tcase_add_test(errs, server_errors_after_retries_exit_5);
	tcase_add_test(errs, a_throttled_command_says_it_waits);
	tcase_add_test(errs, timeout_exits_3);
	tcase_add_test(errs, unknown_ca_exits_3_naming_cacert);
	tcase_add_test(errs, malformed_answer_exits_6);
	tcase_add_test(errs, a_throttled_command_never_waits_past_its_deadline);
	tcase_add_test(errs, oversized_answer_exits_6);
	suite_add_tcase(s, errs);

	TCase *limited = itest_tcase("rate limit");
	tcase_add_checked_fixture(limited, throttled_emu_up, emu_down);
	tcase_add_test(limited, a_command_over_the_rate_limit_waits_and_succeeds);
	suite_add_tcase(s, limited);

	TCase *conn = itest_tcase("connection");
	tcase_add_checked_fixture(conn, emu_up, emu_down);
	tcase_add_test(conn, profile_from_a_private_config_works);
	tcase_add_test(conn, profile_readable_by_others_is_refused);
	tcase_add_test(conn, connection_string_without_key_names_the_part);
	tcase_add_test(conn, connection_string_option_wins);
	tcase_add_test(conn, no_connection_at_all_exits_2);
	suite_add_tcase(s, conn);
	return s;
}
