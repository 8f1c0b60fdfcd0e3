/* Entra ID access tokens end to end: dpsemu --token-key checks bearer
 * tokens and mints them (POST /admin/token), and dpsenroll sends them
 * from DPS_ACCESS_TOKEN, --access-token-file or a profile's tokenCommand,
 * running the command once per token and again when the token is within
 * five minutes of its exp. The token never shows on standard error, in
 * the journal or in any process's arguments. */

/* nftw */
#define _XOPEN_SOURCE 700

#include <fcntl.h>
#include <poll.h>
#include <ftw.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "cli_proc.h"
#include "harness.h"
#include "suites.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/auth_token.h"
#include "dps/worker.h"
#include "sys/fileio.h"

extern char **environ;

enum { CODE_OK = 0, CODE_REFUSED = 1, CODE_USAGE = 2 };

#define RESOURCE "https://azure-devices-provisioning.net"

static struct emu_proc *emu;
static char *dir;

static char *
write_file(const char *name, const void *data, size_t len, mode_t mode)
{
	char *path = xasprintf("%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_msg(fd >= 0, "cannot create %s", path);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
	return path;
}

static char *
write_text(const char *name, const char *text, mode_t mode)
{
	return write_file(name, text, strlen(text), mode);
}

static void
up(void)
{
	dir = harness_tmpdir("token");
	ck_assert_ptr_nonnull(dir);
	unsigned char key[32];
	ck_assert_int_eq(RAND_bytes(key, sizeof(key)), 1);
	char *key_path = write_file("token-key", key, sizeof(key), 0600);
	const char *args[] = { "--token-key", key_path, NULL };
	emu = emu_start(args);
	free(key_path);
}

static void
down(void)
{
	if (emu && emu->pid > 0)
		emu_kill(emu);
	emu_free(emu);
	emu = NULL;
	free(dir);
	dir = NULL;
}

/* POST /admin/token; the token (secret_str_free it). */
static char *
mint(long lifetime, const char *audience)
{
	char *body = xasprintf("{\"lifetimeSeconds\": %ld, \"audience\": \"%s\"}",
			       lifetime, audience);
	struct reply *r = admin(emu, "POST", "/admin/token", body);
	EXPECT_JSON(r, 200);
	const char *tok = jstr(r->json, "accessToken");
	ck_assert_msg(tok && strchr(tok, '.'), "no token: %s", r->body);
	char *copy = xstrdup(tok);
	reply_free(r);
	free(body);
	return copy;
}

/* ---- running dpsenroll ---- */

/* dpsenroll with `args`, our environment without the connection, the
 * config and state in the test's folder, and `extra` ("NAME=value",
 * NULL-terminated) added. */
static struct cli_result
run_cli(const char *const *extra, const char *const *args)
{
	enum { FIXED = 6, MAX_EXTRA = 8 };
	char *own[] = { xasprintf("XDG_CONFIG_HOME=%s/config", dir),
			xasprintf("XDG_STATE_HOME=%s/state", dir),
			xasprintf("DPSENROLL_CACERT=%s", emu->ca_path) };
	const char *set[FIXED + MAX_EXTRA + 1] = {
		"DPS_CONNECTION_STRING", "DPS_ACCESS_TOKEN", "DPS_HOST",
		own[0], own[1], own[2],
	};
	for (int i = 0; extra && extra[i]; i++) {
		ck_assert_int_lt(i, MAX_EXTRA);
		set[FIXED + i] = extra[i];
	}
	struct cli_result r = cli_finish(dir, cli_spawn(dir, set, args));
	for (int i = 0; i < 3; i++)
		free(own[i]);
	return r;
}

#define RUN(extra, ...) run_cli((extra), (const char *const[]){ __VA_ARGS__, NULL })

static void
expect_exit_at(int line, const struct cli_result *r, int code)
{
	ck_assert_msg(r->status == code, "line %d: exit %d, expected %d; "
		      "stderr: %.800s; stdout: %.300s", line, r->status, code,
		      r->err, r->out);
}

#define EXPECT_EXIT(r, code) expect_exit_at(__LINE__, (r), (code))

static void
expect_err_has(const struct cli_result *r, const char *text)
{
	ck_assert_msg(strstr(r->err, text), "stderr lacks '%s': %s", text, r->err);
}

/* A token's signature alone is enough to use it: neither may show. */
static void
expect_no_token(const char *what, const char *text, const char *token)
{
	const char *sig = strrchr(token, '.') + 1;
	ck_assert_msg(!strstr(text, token) && !strstr(text, sig),
		      "%s shows the access token: %.600s", what, text);
}

/* Every file under the test's state folder (the journal, drafts). */
static const char *token_sought;

static int
file_without_token(const char *path, const struct stat *st, int type,
		   struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	char *text = file_read_all(path, NULL);
	ck_assert_msg(text, "cannot read %s", path);
	expect_no_token(path, text, token_sought);
	free(text);
	return 0;
}

static void
expect_state_without(const char *token)
{
	char *state = xasprintf("%s/state", dir);
	token_sought = token;
	struct stat st;
	if (stat(state, &st) == 0)
		ck_assert_int_eq(nftw(state, file_without_token, 8, FTW_PHYS), 0);
	free(state);
}

static char *
enrollment_file(const char *id)
{
	char *text = enrollment_text(id, "");
	char *name = xasprintf("%s.json", id);
	char *path = write_text(name, text, 0600);
	free(name);
	free(text);
	return path;
}

/* Lines of dpsemu's log for requests to `path_re`, once every request
 * made so far is in it. */
static int
requests_logged(const char *re)
{
	emu_log_barrier(emu);
	return emu_log_wait(emu, re, 0);
}

static int
lines_in(const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *text = file_read_all(path, NULL);
	free(path);
	int n = 0;
	for (const char *p = text; p && *p; p++)
		n += *p == '\n';
	free(text);
	return n;
}

/* ---- the emulator's check ---- */

static void
expect_refused(const char *auth, const char *why)
{
	struct reply *r = svc_auth(emu, "GET", "/enrollments/nobody", auth);
	EXPECT_ERROR(r, 401, 401002);
	ck_assert_msg(strstr(error_message(r), why), "401 for %s says: %s", why,
		      error_message(r));
	reply_free(r);
}

START_TEST(dpsemu_accepts_its_tokens_and_says_why_it_refuses_others)
{
	char *good = mint(3600, RESOURCE);
	char *auth = xasprintf("Bearer %s", good);
	struct reply *r = svc_auth(emu, "GET", "/enrollments/nobody", auth);
	EXPECT_ERROR(r, 404, 404201);	/* past the check */
	reply_free(r);
	free(auth);

	char *old = mint(-600, RESOURCE);
	auth = xasprintf("Bearer %s", old);
	expect_refused(auth, "expired");
	free(auth);
	char *other = mint(3600, "https://management.azure.com");
	auth = xasprintf("Bearer %s", other);
	expect_refused(auth, "audience");
	free(auth);
	/* claims of one token with the signature of another */
	char *longer = mint(7200, RESOURCE);
	char *forged = xasprintf("%.*s%s", (int)(strrchr(good, '.') - good),
				 good, strrchr(longer, '.'));
	secret_str_free(longer);
	auth = xasprintf("Bearer %s", forged);
	expect_refused(auth, "signature");
	free(auth);
	expect_refused("Bearer not-a-token", "malformed");

	struct reply *no_admin = svc_auth(emu, "POST", "/admin/token", AUTH_NONE);
	ck_assert_int_eq(no_admin->status, 401);
	reply_free(no_admin);
	secret_str_free(good);
	secret_str_free(old);
	secret_str_free(other);
	secret_str_free(forged);
}
END_TEST

START_TEST(dpsemu_without_a_token_key_refuses_bearer_tokens)
{
	struct emu_proc *plain = emu_start(NULL);
	struct reply *r = svc_auth(plain, "GET", "/enrollments/x",
				   "Bearer a.b.c");
	EXPECT_ERROR(r, 401, 401002);
	ck_assert_msg(strstr(error_message(r), "--token-key"), "%s",
		      error_message(r));
	reply_free(r);
	r = admin(plain, "POST", "/admin/token", "{}");
	ck_assert_int_eq(r->status, 409);
	reply_free(r);
	emu_free(plain);
}
END_TEST

/* ---- dpsenroll with a fixed token ---- */

START_TEST(a_token_in_the_environment_creates_and_reads_an_enrollment)
{
	char *tok = mint(3600, RESOURCE);
	char *tok_env = xasprintf("DPS_ACCESS_TOKEN=%s", tok);
	char *host_env = xasprintf("DPS_HOST=%s", emu->host_name);
	const char *env[] = { tok_env, host_env, NULL };
	char *id = unique_id("entra-env");
	char *file = enrollment_file(id);
	struct cli_result r = RUN(env, "put", file);
	EXPECT_EXIT(&r, CODE_OK);
	expect_no_token("stderr", r.err, tok);
	cli_result_free(&r);
	/* the service holds it (read with the shared key) */
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *got = svc(emu, "GET", path, NULL);
	EXPECT_JSON(got, 200);
	ck_assert_str_eq(jstr(got->json, "registrationId"), id);
	reply_free(got);
	free(path);
	r = RUN(env, "get", id);
	EXPECT_EXIT(&r, CODE_OK);
	ck_assert_msg(strstr(r.out, id), "get prints: %s", r.out);
	cli_result_free(&r);
	expect_state_without(tok);
	secret_str_free(tok_env);
	secret_str_free(tok);
	free(host_env);
	free(file);
	free(id);
}
END_TEST

START_TEST(a_token_file_with_host_works_and_one_others_can_read_is_refused)
{
	char *tok = mint(3600, RESOURCE);
	char *file = write_text("access-token", tok, 0600);
	char *id = unique_id("entra-file");
	cJSON_Delete(create_enrollment(emu, id, ""));
	struct cli_result r = RUN(NULL, "get", "--access-token-file", file, "--host",
			   emu->host_name, id);
	EXPECT_EXIT(&r, CODE_OK);
	ck_assert_msg(strstr(r.out, id), "get prints: %s", r.out);
	cli_result_free(&r);

	ck_assert_int_eq(chmod(file, 0644), 0);
	char *re = xasprintf("^GET /enrollments/%s ", id);
	int before = requests_logged(re);
	r = RUN(NULL, "get", "--access-token-file", file, "--host",
		emu->host_name, id);
	EXPECT_EXIT(&r, CODE_REFUSED);
	expect_err_has(&r, "readable by others");
	expect_err_has(&r, "chmod 600");
	expect_no_token("stderr", r.err, tok);
	cli_result_free(&r);
	ck_assert_int_eq(requests_logged(re), before);	/* nothing sent */

	/* a token needs a host to go to, and only a token takes --host */
	ck_assert_int_eq(chmod(file, 0600), 0);
	r = RUN(NULL, "get", "--access-token-file", file, id);
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "--host");
	cli_result_free(&r);
	char *cs = xasprintf("DPS_CONNECTION_STRING=HostName=%s;"
			     "SharedAccessKeyName=%s;SharedAccessKey=%s",
			     emu->host_name, emu->policy_name, emu->policy_key);
	const char *env_cs[] = { cs, NULL };
	r = RUN(env_cs, "get", "--host", emu->host_name, id);
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "--host goes with an access token");
	cli_result_free(&r);
	secret_str_free(cs);
	free(re);
	free(id);
	free(file);
	secret_str_free(tok);
}
END_TEST

START_TEST(an_expired_or_foreign_token_exits_1_saying_what_to_do)
{
	char *id = unique_id("entra-bad");
	char *re = xasprintf("^GET /enrollments/%s ", id);
	char *host_env = xasprintf("DPS_HOST=%s", emu->host_name);

	/* expired: refused before anything is sent */
	char *old = mint(-600, RESOURCE);
	char *old_env = xasprintf("DPS_ACCESS_TOKEN=%s", old);
	const char *env_old[] = { old_env, host_env, NULL };
	struct cli_result r = RUN(env_old, "get", id);
	EXPECT_EXIT(&r, CODE_REFUSED);
	expect_err_has(&r, "DPS_ACCESS_TOKEN expired");
	expect_err_has(&r, "get a new one");
	expect_no_token("stderr", r.err, old);
	cli_result_free(&r);
	ck_assert_int_eq(requests_logged(re), 0);

	/* for another resource: the service says so, dpsenroll what to do */
	char *other = mint(3600, "https://management.azure.com");
	char *other_env = xasprintf("DPS_ACCESS_TOKEN=%s", other);
	const char *env_other[] = { other_env, host_env, NULL };
	r = RUN(env_other, "get", id);
	EXPECT_EXIT(&r, CODE_REFUSED);
	expect_err_has(&r, "HTTP 401 (401002)");
	expect_err_has(&r, "audience");
	expect_err_has(&r, "what to do: check the profile's tokenCommand asks "
		       "for the resource " RESOURCE);
	expect_no_token("stderr", r.err, other);
	cli_result_free(&r);
	ck_assert_int_eq(requests_logged(re), 1);

	secret_str_free(old_env);
	secret_str_free(other_env);
	secret_str_free(old);
	secret_str_free(other);
	free(host_env);
	free(re);
	free(id);
}
END_TEST

/* ---- a profile's tokenCommand ---- */

/* The command prints DIR/token, counts its runs in DIR/runs and writes
 * the arguments of itself, its parent (the sh -c that dpsenroll started)
 * and its grandparent (dpsenroll) to DIR/cmdlines. */
static char *
token_command(void)
{
	char *script = xasprintf(
		"echo run >> %s/runs\n"
		"gp=$(cut -d' ' -f4 /proc/$PPID/stat)\n"
		"for p in $$ $PPID $gp; do tr '\\000' ' ' < /proc/$p/cmdline; "
		"echo; done >> %s/cmdlines\n"
		"cat %s/token\n", dir, dir, dir);
	char *path = write_text("mint.sh", script, 0700);
	char *cmd = xasprintf("sh %s", path);
	free(script);
	free(path);
	return cmd;
}

static void
write_profile(const char *command)
{
	char *config = xasprintf("%s/config/dpsenroll", dir);
	char *why = NULL;
	ck_assert_msg(dir_make(config, 0700, &why), "%s", why);
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "defaultProfile", "entra");
	cJSON *p = cJSON_AddObjectToObject(
		cJSON_AddObjectToObject(root, "profiles"), "entra");
	cJSON_AddStringToObject(p, "auth", "token");
	cJSON_AddStringToObject(p, "hostName", emu->host_name);
	cJSON_AddStringToObject(p, "tokenCommand", command);
	char *text = cJSON_Print(root);
	char *path = xasprintf("%s/config.json", config);
	ck_assert_msg(file_write_atomic(path, text, strlen(text), 0600, &why),
		      "%s", why);
	free(path);
	free(text);
	cJSON_Delete(root);
	free(config);
}

/* What the command prints from now on; the token (secret_str_free). */
static char *
set_command_token(long lifetime)
{
	char *tok = mint(lifetime, RESOURCE);
	free(write_text("token", tok, 0600));
	return tok;
}

static void
expect_cmdlines(const char *command, const char *token)
{
	char *path = xasprintf("%s/cmdlines", dir);
	char *text = file_read_all(path, NULL);
	ck_assert_msg(text, "the command never ran");
	expect_no_token("a process's arguments", text, token);
	/* the shell dpsenroll started has the configured command alone */
	char *shell = xasprintf("\nsh -c %s \n", command);
	ck_assert_msg(strstr(text, shell), "no '%s' in: %s", shell, text);
	const char *bin = getenv("DPSENROLL");
	char *cli = xasprintf("\n%s query --page-size 1 \n", bin);
	ck_assert_msg(strstr(text, cli), "no '%s' in: %s", cli, text);
	free(cli);
	free(shell);
	free(text);
	free(path);
}

START_TEST(a_token_command_runs_once_for_many_requests_then_near_expiry)
{
	for (int i = 0; i < 3; i++) {
		char *id = unique_id("entra-cmd");
		cJSON_Delete(create_enrollment(emu, id, ""));
		free(id);
	}
	char *command = token_command();
	write_profile(command);
	const char *re = "^POST /enrollments/query ";

	char *long_lived = set_command_token(3600);
	int before = requests_logged(re);
	struct cli_result r = RUN(NULL, "query", "--page-size", "1");
	EXPECT_EXIT(&r, CODE_OK);
	int sent = requests_logged(re) - before;
	ck_assert_msg(sent >= 3, "query sent %d requests", sent);
	ck_assert_int_eq(lines_in("runs"), 1);
	expect_no_token("stderr", r.err, long_lived);
	cli_result_free(&r);

	/* a token within five minutes of its exp is obtained again for
	 * every request */
	char *short_lived = set_command_token(200);
	before = requests_logged(re);
	r = RUN(NULL, "query", "--page-size", "1");
	EXPECT_EXIT(&r, CODE_OK);
	sent = requests_logged(re) - before;
	ck_assert_msg(sent >= 3, "query sent %d requests", sent);
	ck_assert_int_eq(lines_in("runs"), 1 + sent);
	expect_no_token("stderr", r.err, short_lived);
	cli_result_free(&r);
	expect_cmdlines(command, long_lived);
	expect_cmdlines(command, short_lived);
	secret_str_free(long_lived);
	secret_str_free(short_lived);
	free(command);
}
END_TEST

START_TEST(a_failing_token_command_exits_1_with_its_error)
{
	write_profile("echo 'ERROR: Please run az login to setup account.' >&2; "
		      "exit 1");
	struct cli_result r = RUN(NULL, "get", "someone");
	EXPECT_EXIT(&r, CODE_REFUSED);
	expect_err_has(&r, "tokenCommand failed (exit status 1): ERROR: Please "
		       "run az login");
	cli_result_free(&r);
	ck_assert_int_eq(requests_logged("^GET /enrollments/someone "), 0);
}
END_TEST

/* ---- the form's worker ---- */

static struct dps_job *
take_within(struct dps_worker *w, int ms)
{
	double until = now_s() + ms / 1000.0;
	struct dps_job *j;
	while (!(j = dps_worker_take(w))) {
		int left = (int)((until - now_s()) * 1000);
		ck_assert_msg(left > 0, "no job finished within %d ms", ms);
		struct pollfd p = { .fd = dps_worker_fd(w), .events = POLLIN };
		poll(&p, 1, left);
	}
	return j;
}

static void
expect_404(struct dps_job *j)
{
	char *d = dps_response_describe(&j->resp);
	ck_assert_msg(j->resp.failure == DPS_ANSWERED && j->resp.status == 404,
		      "expected 404 (the token passed), got %s", d);
	free(d);
	dps_job_free(j);
}

START_TEST(the_worker_obtains_tokens_on_its_own_thread)
{
	char *tok = mint(3600, RESOURCE);
	free(write_text("token", tok, 0600));
	/* the command holds on until this thread makes DIR/go (at most
	 * 10 s), and fails without it: run on this thread, it never could */
	char *script = xasprintf("echo run >> %s/runs\n"
				 "i=0; while [ ! -e %s/go ] && [ $i -lt 1000 ]; "
				 "do sleep 0.01; i=$((i+1)); done\n"
				 "[ -e %s/go ] || { echo no go >&2; exit 1; }\n"
				 "cat %s/token\n", dir, dir, dir, dir);
	char *path = write_text("slow.sh", script, 0700);
	char *cmd = xasprintf("sh %s", path);
	struct dps_conn conn;
	char *why = NULL;
	ck_assert(dps_conn_with_token(emu->host_name, dps_token_command(cmd),
				      &conn, &why));
	struct dps_client_opts opts = { .cacert = emu->ca_path,
					.timeout_ms = 10000 };
	struct dps_worker *w = dps_worker_new(&conn, &opts, &why);
	ck_assert_msg(w, "%s", why ? why : "?");
	dps_conn_clear(&conn);
	dps_worker_submit(w, DPS_OP_GET, "nobody", NULL, NULL);
	/* the command runs, and this thread goes on meanwhile */
	double until = now_s() + 10;
	while (lines_in("runs") < 1 && now_s() < until)
		pause_ms(5);
	ck_assert_int_eq(lines_in("runs"), 1);
	struct dps_job *early = dps_worker_take(w);
	ck_assert_msg(!early, "the job finished before its token was printed");
	free(write_text("go", "", 0600));
	expect_404(take_within(w, 10000));
	/* the next request reuses the token */
	dps_worker_submit(w, DPS_OP_GET, "nobody", NULL, NULL);
	expect_404(take_within(w, 10000));
	ck_assert_int_eq(lines_in("runs"), 1);
	dps_worker_free(w);
	free(cmd);
	free(path);
	free(script);
	secret_str_free(tok);
}
END_TEST

Suite *
token_suite(void)
{
	Suite *s = suite_create("token");
	TCase *emu_tc = itest_tcase("dpsemu");
	tcase_add_checked_fixture(emu_tc, up, down);
	tcase_add_test(emu_tc, dpsemu_accepts_its_tokens_and_says_why_it_refuses_others);
	tcase_add_test(emu_tc, dpsemu_without_a_token_key_refuses_bearer_tokens);
	suite_add_tcase(s, emu_tc);

	TCase *cli = itest_tcase("dpsenroll");
	tcase_add_checked_fixture(cli, up, down);
	tcase_add_test(cli, a_token_in_the_environment_creates_and_reads_an_enrollment);
	tcase_add_test(cli, a_token_file_with_host_works_and_one_others_can_read_is_refused);
	tcase_add_test(cli, an_expired_or_foreign_token_exits_1_saying_what_to_do);
	tcase_add_test(cli, a_token_command_runs_once_for_many_requests_then_near_expiry);
	tcase_add_test(cli, a_failing_token_command_exits_1_with_its_error);
	tcase_add_test(cli, the_worker_obtains_tokens_on_its_own_thread);
	suite_add_tcase(s, cli);
	return s;
}
