/* Atomic private files and the config file's safety rules. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	tcase_add_test(tc, profiles_are_read_from_a_private_config);
	tcase_add_test(tc, config_readable_by_others_is_refused);
	tcase_add_test(tc, config_json_errors_have_a_position);
	suite_add_tcase(s, tc);
	return s;
}
