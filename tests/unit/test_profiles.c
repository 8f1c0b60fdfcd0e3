/* The profiles a form offers when it switches DPS (names and hosts, never
 * keys), and a pasted connection string saved as a new one. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"
#include "app/config.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

#define KEY "c2VjcmV0LWtleS1mb3ItcHJvZmlsZS10ZXN0cw=="
#define CS(host) "HostName=" host ";SharedAccessKeyName=owner;SharedAccessKey=" KEY

static char dir[64];

static void
make_dir(void)
{
	strcpy(dir, "/tmp/dpsenroll-profiles-XXXXXX");
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

static char *
config_file(void)
{
	return xasprintf("%s/dpsenroll/config.json", dir);
}

static void
write_config(const char *text, mode_t mode)
{
	char *d = xasprintf("%s/dpsenroll", dir);
	char *why = NULL;
	ck_assert(dir_make(d, 0700, &why));
	char *path = config_file();
	ck_assert(file_write_atomic(path, text, strlen(text), mode, &why));
	free(path);
	free(d);
}

START_TEST(profiles_list_names_and_hosts_never_keys)
{
	write_config("{\"defaultProfile\": \"lab\", \"theme\": \"dark\", \"profiles\": {"
		     "\"bench\": {\"connectionString\": \"" CS("bench.example") "\"},"
		     "\"lab\": {\"connectionString\": \"" CS("lab.example:8443") "\","
		     " \"cacert\": \"/ca.pem\"},"
		     "\"cut\": {\"connectionString\": \"HostName=x;SharedAccessKey=" KEY "\"},"
		     "\"empty\": {}}}", 0600);
	struct profile_info *list;
	size_t n;
	char *why = NULL;
	ck_assert_msg(config_profiles(&list, &n, &why), "%s", why);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(list[0].name, "bench");
	ck_assert_str_eq(list[0].host, "bench.example");
	ck_assert(!list[0].is_default);
	ck_assert_str_eq(list[1].name, "lab");
	ck_assert_str_eq(list[1].host, "lab.example:8443");
	ck_assert(list[1].is_default);
	ck_assert_ptr_null(list[2].host);
	ck_assert_msg(strstr(list[2].problem, "no SharedAccessKeyName"), "%s",
		      list[2].problem);
	ck_assert_ptr_null(list[3].host);
	ck_assert_str_eq(list[3].problem, "it has no connectionString");
	for (size_t i = 0; i < n; i++)
		ck_assert(!list[i].problem || !strstr(list[i].problem, KEY));
	profile_infos_free(list, n);
}
END_TEST

START_TEST(no_config_means_no_profiles)
{
	struct profile_info *list;
	size_t n = 9;
	char *why = NULL;
	ck_assert(config_profiles(&list, &n, &why));
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(why);
	profile_infos_free(list, n);
}
END_TEST

START_TEST(unsafe_config_is_not_listed)
{
	write_config("{\"profiles\": {}}", 0644);
	struct profile_info *list;
	size_t n;
	char *why = NULL;
	ck_assert(!config_profiles(&list, &n, &why));
	ck_assert_msg(strstr(why, "readable by others"), "%s", why);
	free(why);
}
END_TEST

START_TEST(saved_profile_is_private_and_keeps_the_rest)
{
	write_config("{\"theme\": \"dark\", \"operator\": \"amy\", \"profiles\": {"
		     "\"bench\": {\"connectionString\": \"" CS("bench.example") "\"}}}",
		     0600);
	char *why = NULL;
	ck_assert_msg(config_save_profile("lab 2", CS("lab.example"), &why), "%s", why);
	char *path = config_file();
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	struct profile p;
	ck_assert_msg(config_profile("lab 2", &p, &why), "%s", why);
	ck_assert_str_eq(p.connection_string, CS("lab.example"));
	profile_clear(&p);
	ck_assert(config_profile("bench", &p, &why));
	profile_clear(&p);
	char *theme = config_setting("theme", &why);
	ck_assert_str_eq(theme, "dark");
	free(theme);
	/* A name that is taken is refused, and the first stays. */
	ck_assert(!config_save_profile("bench", CS("other.example"), &why));
	ck_assert_msg(strstr(why, "has a profile 'bench' already"), "%s", why);
	free(why);
	ck_assert(config_profile("bench", &p, &why));
	ck_assert_str_eq(p.connection_string, CS("bench.example"));
	profile_clear(&p);
	free(path);
}
END_TEST

START_TEST(saving_makes_the_file_and_folder)
{
	umask(0);
	char *why = NULL;
	ck_assert_msg(config_save_profile("bench", CS("bench.example"), &why), "%s", why);
	char *folder = xasprintf("%s/dpsenroll", dir);
	struct stat st;
	ck_assert_int_eq(stat(folder, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0700);
	struct profile_info *list;
	size_t n;
	ck_assert(config_profiles(&list, &n, &why));
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(list[0].host, "bench.example");
	profile_infos_free(list, n);
	free(folder);
}
END_TEST

START_TEST(saving_refuses_what_it_cannot_keep_safe)
{
	char *why = NULL;
	ck_assert(!config_save_profile("", CS("a.example"), &why));
	ck_assert_str_eq(why, "give the profile a name");
	free(why);
	ck_assert(!config_save_profile("a\nb", CS("a.example"), &why));
	free(why);
	write_config("{\"profiles\": {}}", 0644);
	ck_assert(!config_save_profile("bench", CS("a.example"), &why));
	ck_assert_msg(strstr(why, "readable by others"), "%s", why);
	free(why);
	write_config("{\"profiles\": [1]}", 0600);
	ck_assert(!config_save_profile("bench", CS("a.example"), &why));
	ck_assert_msg(strstr(why, "\"profiles\"") && strstr(why, "not an object"),
		      "%s", why);
	free(why);
	write_config("{\"profiles\": {,}}", 0600);
	ck_assert(!config_save_profile("bench", CS("a.example"), &why));
	ck_assert_msg(strstr(why, "not valid JSON"), "%s", why);
	free(why);
	/* The file that was refused is left as it was. */
	char *path = config_file();
	char *text = file_read_all(path, NULL);
	ck_assert_str_eq(text, "{\"profiles\": {,}}");
	free(text);
	free(path);
}
END_TEST

Suite *
profiles_suite(void)
{
	Suite *s = suite_create("profiles");
	TCase *tc = tcase_create("profiles");
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_add_test(tc, profiles_list_names_and_hosts_never_keys);
	tcase_add_test(tc, no_config_means_no_profiles);
	tcase_add_test(tc, unsafe_config_is_not_listed);
	tcase_add_test(tc, saved_profile_is_private_and_keeps_the_rest);
	tcase_add_test(tc, saving_makes_the_file_and_folder);
	tcase_add_test(tc, saving_refuses_what_it_cannot_keep_safe);
	suite_add_tcase(s, tc);
	return s;
}
