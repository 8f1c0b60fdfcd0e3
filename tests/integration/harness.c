/* The emulator as a child process: started on a free port with a data
 * folder of its own, watched through its stdout, stopped the way an
 * operator or a crash would stop it. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/secret.h"
#include "base/xalloc.h"
#include "harness.h"
#include "sys/fileio.h"

enum { READY_MS = 10000, STOP_MS = 10000, POLL_MS = 5 };

static char *run_root;

void
pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			char *child = xasprintf("%s/%s", path, de->d_name);
			remove_tree(child);
			free(child);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* An emulator whose test died is killed with it (PR_SET_PDEATHSIG) and
 * then belongs to the runner, not to init, so the runner can reap it:
 * init in a container often reaps nothing. */
void
harness_init(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	char tmpl[] = "/tmp/dpsemu-itest-XXXXXX";
	if (mkdtemp(tmpl))
		run_root = xstrdup(tmpl);
}

void
harness_cleanup(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (run_root)
		remove_tree(run_root);
	free(run_root);
	run_root = NULL;
}

char *
harness_tmpdir(const char *label)
{
	char *path = xasprintf("%s/%s-XXXXXX", run_root ? run_root : "/tmp",
			       label);
	if (!mkdtemp(path)) {
		free(path);
		return NULL;
	}
	return path;
}

char *
emu_data_path(const struct emu_proc *e, const char *name)
{
	return xasprintf("%s/%s", e->data_dir, name);
}

/* Polls for the child's end for up to `ms`; true with *status when it
 * ended. */
static bool
wait_exit(pid_t pid, long ms, int *status)
{
	long until = now_ms() + ms;
	do {
		pid_t got = waitpid(pid, status, WNOHANG);
		if (got == pid)
			return true;
		if (got < 0 && errno != EINTR)
			return false;
		pause_ms(POLL_MS);
	} while (now_ms() < until);
	return false;
}

/* No rate limit unless a test asks for one: tests send far more than
 * Azure's 1,000 a minute. A test's own --throttle comes later and wins. */
static char **
build_argv(const struct emu_proc *e, const char *bin, char **extra)
{
	static const char *const fixed[] = { "--listen", "127.0.0.1:0",
					     "--throttle", "0" };
	size_t fixed_n = sizeof(fixed) / sizeof(fixed[0]);
	if (e->default_limits)
		fixed_n -= 2;
	size_t n = 0;
	while (extra && extra[n])
		n++;
	char **argv = xcalloc(n + fixed_n + 4, sizeof(*argv));
	argv[0] = (char *)bin;
	argv[1] = "--data";
	argv[2] = e->data_dir;
	for (size_t i = 0; i < fixed_n; i++)
		argv[3 + i] = (char *)fixed[i];
	for (size_t i = 0; i < n; i++)
		argv[3 + fixed_n + i] = extra[i];
	return argv;
}

/* In the child: dies with the test process (a libcheck timeout kills
 * the test with SIGKILL, which no cleanup code would survive). */
static void
exec_emulator(pid_t parent, int out, int err, char **argv)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	execv(argv[0], argv);
	fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static bool
spawn(struct emu_proc *e, char **extra, char **why)
{
	const char *bin = getenv("DPSEMU");
	if (!bin || !*bin) {
		*why = xstrdup("DPSEMU is not set (run through make integration)");
		return false;
	}
	int out = open(e->out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		       0600);
	int err = open(e->err_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		       0600);
	if (out < 0 || err < 0) {
		*why = xasprintf("cannot create %s: %s", e->root, strerror(errno));
		return false;
	}
	char **argv = build_argv(e, bin, extra);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0)
		exec_emulator(parent, out, err, argv);
	free(argv);
	close(out);
	close(err);
	if (pid < 0) {
		*why = xasprintf("fork: %s", strerror(errno));
		return false;
	}
	e->pid = pid;
	e->owner = parent;
	return true;
}

/* The port from "listening on https://127.0.0.1:PORT\n", or 0 while the
 * line is not complete. */
static int
listening_port(const struct emu_proc *e)
{
	char *out = file_read_all(e->out_path, NULL);
	if (!out)
		return 0;
	int port = 0;
	char *line = strstr(out, "listening on https://");
	char *nl = line ? strchr(line, '\n') : NULL;
	if (nl) {
		*nl = '\0';
		char *colon = strrchr(line, ':');
		port = colon ? atoi(colon + 1) : 0;
	}
	free(out);
	return port;
}

static char *
tail_of_log(const struct emu_proc *e)
{
	char *log = file_read_all(e->err_path, NULL);
	if (!log)
		return xstrdup("(no stderr)");
	size_t n = strlen(log);
	char *tail = xstrdup(n > 600 ? log + n - 600 : log);
	free(log);
	return tail;
}

static bool
wait_ready(struct emu_proc *e, char **why)
{
	long until = now_ms() + READY_MS;
	int status;
	while (now_ms() < until) {
		if ((e->port = listening_port(e)) > 0)
			return true;
		if (waitpid(e->pid, &status, WNOHANG) == e->pid) {
			e->pid = 0;
			char *tail = tail_of_log(e);
			*why = xasprintf("dpsemu ended before listening "
					 "(status %d): %s", status, tail);
			free(tail);
			return false;
		}
		pause_ms(POLL_MS);
	}
	*why = xasprintf("dpsemu did not print 'listening on' within %d ms",
			 READY_MS);
	kill(e->pid, SIGKILL);
	waitpid(e->pid, &status, 0);
	e->pid = 0;
	return false;
}

/* Keys end in '=' padding, so each part splits at its first '='. */
static char *
cs_value(const char *cs, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = cs; p && *p; p = strchr(p, ';') ? strchr(p, ';') + 1
							  : NULL) {
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			const char *v = p + n + 1;
			return xstrndup(v, strcspn(v, ";\r\n"));
		}
	}
	return NULL;
}

static void
forget_connection(struct emu_proc *e)
{
	free(e->base_url);
	free(e->host_name);
	free(e->policy_name);
	secret_str_free(e->policy_key);
	free(e->id_scope);
	secret_str_free(e->admin_token);
	e->base_url = e->host_name = e->policy_name = e->policy_key = NULL;
	e->id_scope = e->admin_token = NULL;
}

static bool
load_connection(struct emu_proc *e, char **why)
{
	char *path = emu_data_path(e, "connection-string");
	char *cs = file_read_all(path, NULL);
	free(path);
	path = emu_data_path(e, "id-scope");
	char *scope = file_read_all(path, NULL);
	free(path);
	path = emu_data_path(e, "admin-token");
	char *token = file_read_all(path, NULL);
	free(path);
	forget_connection(e);
	if (token)
		e->admin_token = xstrndup(token, strcspn(token, "\r\n"));
	secret_str_free(token);
	if (cs && scope) {
		e->host_name = cs_value(cs, "HostName");
		e->policy_name = cs_value(cs, "SharedAccessKeyName");
		e->policy_key = cs_value(cs, "SharedAccessKey");
		e->id_scope = xstrndup(scope, strcspn(scope, "\r\n"));
	}
	secret_str_free(cs);
	free(scope);
	e->base_url = xasprintf("https://127.0.0.1:%d", e->port);
	if (e->host_name && e->policy_name && e->policy_key && e->id_scope &&
	    e->admin_token)
		return true;
	*why = xstrdup("connection-string, id-scope or admin-token is missing, "
		       "or it lacks HostName, SharedAccessKeyName or "
		       "SharedAccessKey");
	return false;
}

static bool
launch(struct emu_proc *e, char **why)
{
	return spawn(e, e->args, why) && wait_ready(e, why) &&
	       load_connection(e, why);
}

static char **
copy_args(const char *const *args)
{
	size_t n = 0;
	while (args && args[n])
		n++;
	char **copy = xcalloc(n + 1, sizeof(*copy));
	for (size_t i = 0; i < n; i++)
		copy[i] = xstrdup(args[i]);
	return copy;
}

struct emu_proc *
emu_prepare(const char *const *args, char **why)
{
	char *root = harness_tmpdir("emu");
	if (!root) {
		*why = xasprintf("mkdtemp: %s", strerror(errno));
		return NULL;
	}
	struct emu_proc *e = xcalloc(1, sizeof(*e));
	e->root = root;
	e->data_dir = xasprintf("%s/data", root);
	e->out_path = xasprintf("%s/stdout", root);
	e->err_path = xasprintf("%s/stderr", root);
	e->ca_path = xasprintf("%s/data/ca.pem", root);
	e->args = copy_args(args);
	return e;
}

struct emu_proc *
emu_try_start(const char *const *args, char **why)
{
	struct emu_proc *e = emu_prepare(args, why);
	if (e && !launch(e, why)) {
		emu_free(e);
		return NULL;
	}
	return e;
}

struct emu_proc *
emu_start(const char *const *args)
{
	char *why = NULL;
	struct emu_proc *e = emu_try_start(args, &why);
	ck_assert_msg(e, "%s", why ? why : "dpsemu did not start");
	return e;
}

struct emu_proc *
emu_try_start_default_limits(const char *const *args, char **why)
{
	struct emu_proc *e = emu_prepare(args, why);
	if (!e)
		return NULL;
	e->default_limits = true;
	if (!launch(e, why)) {
		emu_free(e);
		return NULL;
	}
	return e;
}

struct emu_proc *
emu_start_default_limits(const char *const *args)
{
	char *why = NULL;
	struct emu_proc *e = emu_try_start_default_limits(args, &why);
	ck_assert_msg(e, "%s", why ? why : "dpsemu did not start");
	return e;
}

void
emu_restart(struct emu_proc *e)
{
	ck_assert_msg(e->pid == 0, "dpsemu is still running");
	char *why = NULL;
	ck_assert_msg(launch(e, &why), "restart on %s: %s", e->data_dir, why);
}

int
emu_signal_stop(struct emu_proc *e, int sig)
{
	ck_assert_msg(e->pid > 0, "dpsemu is not running");
	ck_assert_msg(e->owner == getpid(), "only the test that started "
		      "dpsemu may stop it");
	int status = -1;
	kill(e->pid, sig);
	bool ended = wait_exit(e->pid, STOP_MS, &status);
	if (!ended) {
		kill(e->pid, SIGKILL);
		waitpid(e->pid, &status, 0);
	}
	e->pid = 0;
	ck_assert_msg(ended, "dpsemu did not stop within %d ms of signal %d",
		      STOP_MS, sig);
	return status;
}

void
emu_stop(struct emu_proc *e)
{
	int status = emu_signal_stop(e, SIGTERM);
	char *tail = tail_of_log(e);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "dpsemu did not stop cleanly on SIGTERM (wait status "
		      "%#x): %s", (unsigned)status, tail);
	free(tail);
}

void
emu_kill(struct emu_proc *e)
{
	ck_assert_msg(e->pid > 0, "dpsemu is not running");
	int status;
	kill(e->pid, SIGKILL);
	waitpid(e->pid, &status, 0);
	e->pid = 0;
}

static void
free_args(char **args)
{
	for (char **a = args; a && *a; a++)
		free(*a);
	free(args);
}

/* SIGTERM without asserting; true when it exited with status 0. */
static bool
terminate(struct emu_proc *e)
{
	int status = -1;
	kill(e->pid, SIGTERM);
	bool ended = wait_exit(e->pid, STOP_MS, &status);
	if (!ended) {
		kill(e->pid, SIGKILL);
		waitpid(e->pid, &status, 0);
	}
	e->pid = 0;
	return ended && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void
emu_free(struct emu_proc *e)
{
	if (!e)
		return;
	if (e->pid > 0 && e->owner == getpid())
		terminate(e);
	if (e->curl && e->curl_owner == getpid())
		curl_easy_cleanup(e->curl);
	if (e->owner == getpid() || e->owner == 0)
		remove_tree(e->root);
	forget_connection(e);
	free_args(e->args);
	free(e->root);
	free(e->data_dir);
	free(e->out_path);
	free(e->err_path);
	free(e->ca_path);
	free(e);
}

int
emu_run_to_exit(struct emu_proc *e, const char *const *args)
{
	char **extra = copy_args(args);
	char *why = NULL;
	bool spawned = spawn(e, extra, &why);
	free_args(extra);
	ck_assert_msg(spawned, "%s", why);
	int status = -1;
	bool ended = wait_exit(e->pid, READY_MS, &status);
	if (!ended) {
		kill(e->pid, SIGKILL);
		waitpid(e->pid, &status, 0);
	}
	e->pid = 0;
	ck_assert_msg(ended, "dpsemu kept running for %d ms", READY_MS);
	ck_assert_msg(listening_port(e) == 0, "dpsemu listened before ending");
	return status;
}

char *
emu_log(const struct emu_proc *e)
{
	char *log = file_read_all(e->err_path, NULL);
	return log ? log : xstrdup("");
}

static int
count_matches(const char *text, const regex_t *re)
{
	int n = 0;
	regmatch_t m;
	for (const char *p = text; *p;) {
		if (regexec(re, p, 1, &m, p == text ? 0 : REG_NOTBOL) != 0)
			break;
		n++;
		p += m.rm_eo > 0 ? m.rm_eo : 1;
	}
	return n;
}

/* dpsemu writes a request's line before libmicrohttpd sends the answer;
 * a request the client gave up on (a timeout against a delay) is logged
 * only once the delay is over, so a test may wait for it. */
int
emu_log_wait(const struct emu_proc *e, const char *re, int ms)
{
	regex_t rx;
	ck_assert_msg(regcomp(&rx, re, REG_EXTENDED | REG_NEWLINE) == 0,
		      "bad regex %s", re);
	long until = now_ms() + ms;
	int n;
	do {
		char *log = emu_log(e);
		n = count_matches(log, &rx);
		free(log);
		if (n > 0)
			break;
		pause_ms(10);
	} while (now_ms() < until);
	regfree(&rx);
	return n;
}

void
shared_emu_up(struct shared_emu *s)
{
	free(s->why);
	s->why = NULL;
	s->emu = emu_try_start(s->args, &s->why);
}

/* A teardown cannot fail a test, so an unclean stop is only reported;
 * the lifecycle suite asserts clean stops. */
void
shared_emu_down(struct shared_emu *s)
{
	if (s->emu && s->emu->pid > 0 && !terminate(s->emu)) {
		char *tail = tail_of_log(s->emu);
		fprintf(stderr, "warning: a shared dpsemu did not stop cleanly "
			"on SIGTERM: %s\n", tail);
		free(tail);
	}
	emu_free(s->emu);
	s->emu = NULL;
	free(s->why);
	s->why = NULL;
}

struct emu_proc *
shared_emu(struct shared_emu *s)
{
	ck_assert_msg(s->emu, "dpsemu did not start: %s",
		      s->why ? s->why : "(no reason given)");
	return s->emu;
}

struct emu_proc *test_emu;

void
test_emu_up(void)
{
	test_emu = emu_start(NULL);
}

/* A kill, not a stop: an emulator thread may still sit in a delay fault,
 * and how the emulator stops is not what these tests judge. */
void
test_emu_down(void)
{
	if (test_emu && test_emu->pid > 0)
		emu_kill(test_emu);
	emu_free(test_emu);
	test_emu = NULL;
}
