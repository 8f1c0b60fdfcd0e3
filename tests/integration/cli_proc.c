#include "cli_proc.h"

#include <check.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/secret.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

extern char **environ;

enum { MAX_ARGS = 32, MAX_ENV = 512 };

static bool
named_in(const char *entry, const char *const *set)
{
	size_t len = strcspn(entry, "=");
	for (int i = 0; set && set[i]; i++)
		if (strncmp(entry, set[i], len) == 0 &&
		    (set[i][len] == '=' || set[i][len] == '\0'))
			return true;
	return false;
}

static int
out_file(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_msg(fd >= 0, "cannot create %s", path);
	free(path);
	return fd;
}

static char *
read_in(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *text = file_read_all(path, NULL);
	ck_assert_msg(text, "cannot read %s", path);
	free(path);
	return text;
}

pid_t
cli_spawn(const char *dir, const char *const *set, const char *const *args)
{
	const char *bin = getenv("DPSENROLL");
	ck_assert_msg(bin && *bin, "DPSENROLL is not set (run through make "
		      "integration)");
	const char *argv[MAX_ARGS] = { bin };
	for (int i = 0; args[i]; i++) {
		ck_assert_int_lt(i + 2, MAX_ARGS);
		argv[i + 1] = args[i];
	}
	const char **envp = xcalloc(MAX_ENV, sizeof(*envp));
	size_t n = 0;
	for (char **e = environ; *e && n < MAX_ENV / 2; e++)
		if (!named_in(*e, set))
			envp[n++] = *e;
	for (int i = 0; set && set[i]; i++) {
		ck_assert_uint_lt(n, MAX_ENV - 1);
		if (strchr(set[i], '='))
			envp[n++] = set[i];
	}
	int out = out_file(dir, "stdout"), err = out_file(dir, "stderr");
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		dup2(in, STDIN_FILENO);
		dup2(out, STDOUT_FILENO);
		dup2(err, STDERR_FILENO);
		if (chdir(dir) != 0)
			_exit(126);
		execve(bin, (char *const *)argv, (char *const *)envp);
		_exit(127);
	}
	close(out);
	close(err);
	free(envp);
	return pid;
}

struct cli_result
cli_finish(const char *dir, pid_t pid)
{
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "dpsenroll ended by signal %d",
		      WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return (struct cli_result){ .status = WEXITSTATUS(status),
				    .out = read_in(dir, "stdout"),
				    .err = read_in(dir, "stderr") };
}

void
cli_result_free(struct cli_result *r)
{
	/* what a command prints may hold keys or tokens */
	secret_str_free(r->out);
	secret_str_free(r->err);
	r->out = r->err = NULL;
}
