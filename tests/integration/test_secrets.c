/* The secrets a running program holds stay in it: neither dpsemu nor
 * dpsenroll can leave a core dump or be read by another process of the
 * same user, and SSLKEYLOGFILE writes the TLS session keys out only when
 * --insecure-keylog asks for it. Judged from outside, on the real
 * binaries: /proc, the files left, standard error. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

enum { WATCH_MS = 10000, POLL_MS = 5, NOBODY = 65534 };

static char *dir;

static void
dir_up(void)
{
	dir = harness_tmpdir("secrets");
	ck_assert_ptr_nonnull(dir);
}

static void
dir_down(void)
{
	free(dir);
	dir = NULL;
}

static const char *
binary(const char *var)
{
	const char *bin = getenv(var);
	ck_assert_msg(bin && *bin, "%s is not set (run through make "
		      "integration)", var);
	return bin;
}

/* In the child: core dumps allowed as far as the system lets us, so the
 * program itself must turn them off; run as root, another group, so the
 * owner of its /proc folder tells whether it is dumpable. */
static void
exec_child(const char *const *argv, const char *const *env, int in, int out)
{
	struct rlimit core;
	if (getrlimit(RLIMIT_CORE, &core) == 0) {
		core.rlim_cur = core.rlim_max;
		setrlimit(RLIMIT_CORE, &core);
	}
	if (geteuid() == 0 && setgid(NOBODY) != 0)
		_exit(126);
	for (const char *const *e = env; e && *e; e += 2)
		setenv(e[0], e[1], 1);
	dup2(in, STDIN_FILENO);
	dup2(out, STDOUT_FILENO);
	dup2(out, STDERR_FILENO);
	execv(argv[0], (char *const *)argv);
	_exit(127);
}

/* Starts argv with the NAME, VALUE pairs of `env` added; stdin from
 * `in`, both outputs to DIR/out. */
static pid_t
start(const char *const *argv, const char *const *env, int in)
{
	char *path = xasprintf("%s/out", dir);
	int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_msg(out >= 0, "cannot create %s", path);
	free(path);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		exec_child(argv, env, in, out);
	close(out);
	return pid;
}

static char *
output(void)
{
	char *path = xasprintf("%s/out", dir);
	char *text = file_read_all(path, NULL);
	ck_assert_msg(text, "cannot read %s", path);
	free(path);
	return text;
}

/* The first number after `label` in /proc/PID/status, or -1. */
static long
status_field(pid_t pid, const char *label)
{
	char *path = xasprintf("/proc/%ld/status", (long)pid);
	char *text = file_read_all(path, NULL);
	free(path);
	const char *at = text ? strstr(text, label) : NULL;
	long v = at ? strtol(at + strlen(label), NULL, 10) : -1;
	free(text);
	return v;
}

/* The kernel gives the files under /proc/PID of a process that is not
 * dumpable to root, whatever user and group the process runs as; a
 * dumpable one keeps its own. So a process running as another user or
 * group whose status file is root's is not dumpable. */
static bool
not_dumpable(pid_t pid)
{
	long uid = status_field(pid, "\nUid:");
	long gid = status_field(pid, "\nGid:");
	char *path = xasprintf("/proc/%ld/status", (long)pid);
	struct stat st;
	bool root_owned = stat(path, &st) == 0 && st.st_uid == 0 &&
			  st.st_gid == 0;
	free(path);
	return root_owned && uid >= 0 && gid >= 0 && (uid != 0 || gid != 0);
}

/* Both core size limits in /proc/PID/limits are 0. */
static bool
no_core_limit(pid_t pid)
{
	char *path = xasprintf("/proc/%ld/limits", (long)pid);
	char *text = file_read_all(path, NULL);
	free(path);
	const char *line = text ? strstr(text, "Max core file size") : NULL;
	bool zero = false;
	if (line) {
		const char *p = line + strlen("Max core file size");
		char *end;
		unsigned long soft = strtoul(p, &end, 10);
		bool soft_ok = end != p && soft == 0;
		p = end;
		unsigned long hard = strtoul(p, &end, 10);
		zero = soft_ok && end != p && hard == 0;
	}
	free(text);
	return zero;
}

/* Watches the running process until it has made itself private, for up
 * to WATCH_MS; then says what is missing. */
static void
expect_private(const char *what, pid_t pid)
{
	for (int waited = 0; waited < WATCH_MS; waited += POLL_MS) {
		if (not_dumpable(pid) && no_core_limit(pid))
			return;
		ck_assert_msg(waitpid(pid, NULL, WNOHANG) == 0,
			      "%s ended early: %s", what, output());
		pause_ms(POLL_MS);
	}
	ck_assert_msg(not_dumpable(pid), "%s stays dumpable: a crash leaves a "
		      "core with its keys, another process can read its memory",
		      what);
	ck_assert_msg(no_core_limit(pid), "%s keeps a core size limit above 0",
		      what);
}

static void
stop(pid_t pid)
{
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
}

START_TEST(dpsemu_cannot_dump_its_keys)
{
	char *data = xasprintf("%s/data", dir);
	const char *argv[] = { binary("DPSEMU"), "--data", data, "--listen",
			       "127.0.0.1:0", NULL };
	int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pid_t pid = start(argv, NULL, in);
	close(in);
	expect_private("dpsemu", pid);
	stop(pid);
	free(data);
}
END_TEST

START_TEST(dpsenroll_cannot_dump_its_keys)
{
	/* validate waits for its standard input, which stays open. */
	const char *argv[] = { binary("DPSENROLL"), "validate", "-", NULL };
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t pid = start(argv, NULL, fds[0]);
	close(fds[0]);
	expect_private("dpsenroll", pid);
	close(fds[1]);
	stop(pid);
}
END_TEST

/* ---- SSLKEYLOGFILE ---- */

/* `dpsenroll get ID` (one more argument when not NULL) against the test's
 * emulator with SSLKEYLOGFILE set to `keylog`; its output, the caller
 * frees. */
static char *
get_with_keylog(const char *keylog, const char *extra, int *status)
{
	char *cs = xasprintf("HostName=%s;SharedAccessKeyName=%s;"
			     "SharedAccessKey=%s", test_emu->host_name,
			     test_emu->policy_name, test_emu->policy_key);
	const char *env[] = { "DPS_CONNECTION_STRING", cs,
			      "DPSENROLL_CACERT", test_emu->ca_path,
			      "XDG_CONFIG_HOME", dir, "XDG_STATE_HOME", dir,
			      "SSLKEYLOGFILE", keylog, NULL };
	const char *argv[] = { binary("DPSENROLL"), "get", "keylog-nobody",
			       extra, NULL };
	int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pid_t pid = start(argv, env, in);
	close(in);
	secret_str_free(cs);
	ck_assert_int_eq(waitpid(pid, status, 0), pid);
	return output();
}

START_TEST(sslkeylogfile_is_ignored)
{
	char *keylog = xasprintf("%s/keys.log", dir);
	int status;
	char *out = get_with_keylog(keylog, NULL, &status);
	/* 1: the service answered (404): the TLS session did happen */
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1,
		      "get did not reach the service: %s", out);
	ck_assert_msg(access(keylog, F_OK) != 0, "the TLS session keys were "
		      "written to %s", keylog);
	free(out);
	free(keylog);
}
END_TEST

START_TEST(insecure_keylog_writes_the_keys_and_warns)
{
	char *keylog = xasprintf("%s/keys.log", dir);
	int status;
	char *out = get_with_keylog(keylog, "--insecure-keylog", &status);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1,
		      "get did not reach the service: %s", out);
	ck_assert_msg(strstr(out, "warning: --insecure-keylog") &&
		      strstr(out, keylog), "no warning naming the file: %s",
		      out);
	char *keys = file_read_all(keylog, NULL);
	ck_assert_msg(keys && strstr(keys, "TRAFFIC_SECRET"),
		      "%s holds no session keys", keylog);
	free(keys);
	free(out);
	free(keylog);
}
END_TEST

START_TEST(dpsemu_ignores_sslkeylogfile)
{
	char *keylog = xasprintf("%s/emu-keys.log", dir);
	setenv("SSLKEYLOGFILE", keylog, 1);
	struct emu_proc *e = emu_start(NULL);
	unsetenv("SSLKEYLOGFILE");
	struct reply *r = svc(e, "GET", "/enrollments/keylog-nobody", NULL);
	EXPECT_STATUS(r, 404);
	ck_assert_msg(access(keylog, F_OK) != 0, "dpsemu wrote its TLS "
		      "session keys to %s", keylog);
	reply_free(r);
	emu_free(e);
	free(keylog);
}
END_TEST

Suite *
secrets_suite(void)
{
	Suite *s = suite_create("secrets");
	TCase *proc = itest_tcase("processes");
	tcase_add_checked_fixture(proc, dir_up, dir_down);
	tcase_add_test(proc, dpsemu_cannot_dump_its_keys);
	tcase_add_test(proc, dpsenroll_cannot_dump_its_keys);
	suite_add_tcase(s, proc);
	TCase *keylog = itest_tcase("keylog");
	tcase_add_checked_fixture(keylog, test_emu_up, test_emu_down);
	tcase_add_checked_fixture(keylog, dir_up, dir_down);
	tcase_add_test(keylog, sslkeylogfile_is_ignored);
	tcase_add_test(keylog, insecure_keylog_writes_the_keys_and_warns);
	tcase_add_test(keylog, dpsemu_ignores_sslkeylogfile);
	suite_add_tcase(s, keylog);
	return s;
}
