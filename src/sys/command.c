/* pipe2 */
#define _GNU_SOURCE
#include "sys/command.h"

#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/secret.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

extern char **environ;

enum { ERR_MAX = 4096, CHUNK = 4096 };

static long
ms_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - start->tv_sec) * 1000L +
	       (now.tv_nsec - start->tv_nsec) / 1000000L;
}

static bool
is_withheld(const char *entry, const char *const *withheld)
{
	for (; withheld && *withheld; withheld++) {
		size_t n = strlen(*withheld);
		if (strncmp(entry, *withheld, n) == 0 && entry[n] == '=')
			return true;
	}
	return false;
}

/* environ without the withheld names; the strings stay environ's. */
static char **
child_environ(const char *const *withheld)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = xcalloc(n + 1, sizeof(*env));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!is_withheld(environ[i], withheld))
			env[k++] = environ[i];
	return env;
}

static pid_t
spawn_shell(const char *command, const char *const *withheld, int out_w,
	    int err_w, char **why)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
					 O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_w, STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, err_w, STDERR_FILENO);
	/* a group of its own: a timeout kills what the shell started too;
	 * default signal handling, whatever this process blocks */
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
				 POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	char *argv[] = { "sh", "-c", (char *)command, NULL };
	pid_t pid;
	char **env = child_environ(withheld);
	int rc = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, env);
	free(env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		*why = xasprintf("cannot start /bin/sh: %s", strerror(rc));
		return -1;
	}
	return pid;
}

/* Reads what is there straight into `b` (no copy left on the stack);
 * false at end of file or an error. Past `max` bytes, *over is set and
 * the rest is dropped. */
static bool
drain(int fd, struct strbuf *b, size_t max, bool *over)
{
	strbuf_reserve(b, CHUNK);
	ssize_t n = read(fd, b->s + b->len, CHUNK);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	size_t keep = (size_t)n;
	if (b->len + keep > max) {
		*over = true;
		keep = max - b->len;
	}
	explicit_bzero(b->s + b->len + keep, (size_t)n - keep);
	b->len += keep;
	b->s[b->len] = '\0';
	return true;
}

/* Reads both pipes until they close or the time is up. */
static void
collect(int out_r, int err_r, long timeout_ms, size_t max_out,
	struct strbuf *out, struct strbuf *err, struct command_result *r)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct pollfd p[2] = { { .fd = out_r, .events = POLLIN },
			       { .fd = err_r, .events = POLLIN } };
	bool err_over = false;
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		long left = timeout_ms - ms_since(&start);
		if (left <= 0) {
			r->timed_out = true;
			return;
		}
		int n = poll(p, 2, (int)(left > 1000 ? 1000 : left));
		if (n < 0 && errno != EINTR)
			return;
		if (p[0].fd >= 0 && p[0].revents &&
		    !drain(p[0].fd, out, max_out, &r->too_much))
			p[0].fd = -1;
		if (r->too_much)
			return;
		if (p[1].fd >= 0 && p[1].revents &&
		    !drain(p[1].fd, err, ERR_MAX, &err_over))
			p[1].fd = -1;
	}
}

/* Waits for the end, killing the group when it must stop now or when it
 * lingers past the time left after closing its output. */
static void
reap(pid_t pid, bool kill_now, long timeout_ms, struct command_result *r)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (kill_now)
		kill(-pid, SIGKILL);
	int status;
	for (;;) {
		pid_t got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			break;
		if (got < 0 && errno != EINTR)
			return;
		if (ms_since(&start) > timeout_ms) {
			r->timed_out = true;
			kill(-pid, SIGKILL);
		}
		struct timespec step = { 0, 5 * 1000000L };
		nanosleep(&step, NULL);
	}
	r->exited = WIFEXITED(status) && !kill_now;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	r->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

bool
command_run(const char *command, const char *const *withheld,
	    long timeout_ms, size_t max_out, struct command_result *r,
	    char **why)
{
	memset(r, 0, sizeof(*r));
	int out_p[2], err_p[2];
	if (pipe2(out_p, O_CLOEXEC) != 0) {
		*why = xasprintf("cannot make a pipe: %s", strerror(errno));
		return false;
	}
	if (pipe2(err_p, O_CLOEXEC) != 0) {
		*why = xasprintf("cannot make a pipe: %s", strerror(errno));
		close(out_p[0]);
		close(out_p[1]);
		return false;
	}
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	pid_t pid = spawn_shell(command, withheld, out_p[1], err_p[1], why);
	close(out_p[1]);
	close(err_p[1]);
	if (pid < 0) {
		close(out_p[0]);
		close(err_p[0]);
		return false;
	}
	struct strbuf out = STRBUF_SECRET, err = STRBUF_INIT;
	collect(out_p[0], err_p[0], timeout_ms, max_out, &out, &err, r);
	close(out_p[0]);
	close(err_p[0]);
	long left = timeout_ms - ms_since(&start);
	reap(pid, r->timed_out || r->too_much, left > 0 ? left : 0, r);
	r->out_len = out.len;
	r->out = strbuf_take(&out);
	r->err = strbuf_take(&err);
	return true;
}

void
command_result_clear(struct command_result *r)
{
	secret_str_free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}
