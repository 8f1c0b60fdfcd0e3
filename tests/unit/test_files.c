/* Atomic private files and the config file's safety rules. */

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "suites.h"
#include "app/config.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

static char dir[64];

static void
make_dir(void)
{
	strcpy(dir, "/tmp/dpsenroll-files-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("XDG_CONFIG_HOME", dir, 1);
}

static void
remove_dir(void)
{
	char *cmd = xasprintf("rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

START_TEST(atomic_write_sets_mode_and_replaces)
{
	char *path = xasprintf("%s/a/b/secret", dir);
	char *why = NULL;
	char *parent = xasprintf("%s/a/b", dir);
	ck_assert(dir_make(parent, 0700, &why));
	ck_assert(file_write_atomic(path, "one", 3, 0600, &why));
	ck_assert(file_write_atomic(path, "second", 6, 0600, &why));
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	size_t len;
	char *back = file_read_all(path, &len);
	ck_assert_str_eq(back, "second");
	ck_assert_uint_eq(len, 6);
	free(back);
	char *bad = xasprintf("%s/missing/x", dir);
	ck_assert(!file_write_atomic(bad, "x", 1, 0600, &why));
	ck_assert(strstr(why, "cannot write"));
	free(why);
	free(bad);
	free(parent);
	free(path);
}
END_TEST

/* The folder's entries other than "." and "..", space-separated. */
static char *
entries_of(const char *path)
{
	char *list = xstrdup("");
	DIR *d = opendir(path);
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *more = xasprintf("%s%s%s", list, *list ? " " : "", e->d_name);
		free(list);
		list = more;
	}
	closedir(d);
	return list;
}

/* A process killed (SIGKILL: no cleanup runs) after writing a secret
 * and before the file got its name leaves no copy behind, neither while
 * it writes nor after. */
START_TEST(atomic_write_killed_before_its_name_leaves_nothing)
{
	char *path = xasprintf("%s/draft.json", dir);
	int ready[2];
	ck_assert_int_eq(pipe(ready), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *why = NULL;
		struct atomic_file *f = atomic_file_open(path, 0600, &why);
		if (!f || !atomic_file_write(f, "primaryKey", 10, &why))
			_exit(1);
		if (write(ready[1], "w", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	char c;
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	char *seen = entries_of(dir);
	ck_assert_msg(strcmp(seen, "") == 0, "while it writes: %s", seen);
	free(seen);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	seen = entries_of(dir);
	ck_assert_msg(strcmp(seen, "") == 0, "after the kill: %s", seen);
	free(seen);
	close(ready[0]);

	/* The same steps to the end: the file, and nothing else. */
	char *why = NULL;
	struct atomic_file *f = atomic_file_open(path, 0600, &why);
	ck_assert_msg(f, "%s", why);
	ck_assert(atomic_file_write(f, "primary", 7, &why));
	ck_assert(atomic_file_write(f, "Key", 3, &why));
	ck_assert_msg(atomic_file_commit(f, &why), "%s", why);
	seen = entries_of(dir);
	ck_assert_str_eq(seen, "draft.json");
	free(seen);
	char *back = file_read_all(path, NULL);
	ck_assert_str_eq(back, "primaryKey");
	free(back);
	f = atomic_file_open(path, 0600, &why);
	ck_assert(atomic_file_write(f, "gone", 4, &why));
	atomic_file_abort(f);
	seen = entries_of(dir);
	ck_assert_str_eq(seen, "draft.json");
	free(seen);
	free(path);
}
END_TEST

START_TEST(atomic_temp_names)
{
	ck_assert(file_is_atomic_temp("a.json.Ab12cZ", "a.json"));
	ck_assert(!file_is_atomic_temp("a.json.Ab12c", "a.json"));
	ck_assert(!file_is_atomic_temp("a.json.Ab12c-", "a.json"));
	ck_assert(!file_is_atomic_temp("a.json.damaged-2024", "a.json"));
	ck_assert(!file_is_atomic_temp("b.json.Ab12cZ", "a.json"));
}
END_TEST

static void
write_config(const char *text, mode_t mode)
{
	char *d = xasprintf("%s/dpsenroll", dir);
	char *why = NULL;
	ck_assert(dir_make(d, 0700, &why));
	char *path = xasprintf("%s/config.json", d);
	ck_assert(file_write_atomic(path, text, strlen(text), mode, &why));
	free(path);
	free(d);
}

START_TEST(profiles_are_read_from_a_private_config)
{
	write_config("{\"defaultProfile\":\"bench\",\"profiles\":{\"bench\":"
		     "{\"connectionString\":\"HostName=a\",\"cacert\":\"/c.pem\"},"
		     "\"lab\":{\"connectionString\":\"HostName=b\"}}}", 0600);
	struct profile p;
	char *why = NULL;
	ck_assert(config_profile(NULL, &p, &why));
	ck_assert_str_eq(p.connection_string, "HostName=a");
	ck_assert_str_eq(p.cacert, "/c.pem");
	profile_clear(&p);
	ck_assert(config_profile("lab", &p, &why));
	ck_assert_str_eq(p.connection_string, "HostName=b");
	profile_clear(&p);
	ck_assert(!config_profile("nope", &p, &why));
	ck_assert(strstr(why, "no profile 'nope'"));
	free(why);
}
END_TEST

START_TEST(config_readable_by_others_is_refused)
{
	write_config("{\"profiles\":{}}", 0644);
	struct profile p;
	char *why = NULL;
	ck_assert(!config_profile("x", &p, &why));
	ck_assert(strstr(why, "readable by others"));
	ck_assert(strstr(why, "chmod 600"));
	free(why);
}
END_TEST

START_TEST(config_json_errors_have_a_position)
{
	write_config("{\n \"profiles\": {,}\n}", 0600);
	struct profile p;
	char *why = NULL;
	ck_assert(!config_profile("x", &p, &why));
	ck_assert(strstr(why, "config.json:2:"));
	free(why);
}
END_TEST

Suite *
files_suite(void)
{
	Suite *s = suite_create("files");
	TCase *tc = tcase_create("files");
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_add_test(tc, atomic_write_sets_mode_and_replaces);
	tcase_add_test(tc, atomic_write_killed_before_its_name_leaves_nothing);
	tcase_add_test(tc, atomic_temp_names);
	tcase_add_test(tc, profiles_are_read_from_a_private_config);
	tcase_add_test(tc, config_readable_by_others_is_refused);
	tcase_add_test(tc, config_json_errors_have_a_position);
	suite_add_tcase(s, tc);
	return s;
}
