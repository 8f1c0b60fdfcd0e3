/* The file browser's logic: which files a field takes, typed paths, Tab
 * completion, folder listings and the folder kept for the next run. */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"
#include "app/filepick.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

static char dir[64];
static char *saved_home;

static void
touch(const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_msg(fd >= 0, "cannot make %s", path);
	close(fd);
	free(path);
}

static void
folder(const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	free(path);
}

/* A bench folder: certificates, keys, notes, a hidden file, folders. */
static void
setup(void)
{
	strcpy(dir, "/tmp/dpsenroll-files-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	const char *home = getenv("HOME");
	saved_home = home ? xstrdup(home) : NULL;
	setenv("HOME", dir, 1);
	setenv("XDG_STATE_HOME", dir, 1);
	touch("device-01.pem");
	touch("device-02.PEM");
	touch("gateway.crt");
	touch("ek.pub");
	touch("notes.txt");
	touch(".hidden.pem");
	folder("devkit");
	folder("certs");
	touch("certs/only-one.der");
}

static void
teardown(void)
{
	char *cmd = xasprintf("rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	if (saved_home)
		setenv("HOME", saved_home, 1);
	free(saved_home);
	unsetenv("XDG_STATE_HOME");
}

/* The listing as one line: "../ certs/ devkit/ device-01.pem". */
static char *
listing(const char *where, const char *prefix, enum file_kind k, bool all,
	size_t *others)
{
	struct dir_list l;
	char *why = NULL;
	ck_assert_msg(dir_list_read(where, prefix, k, all, &l, &why), "%s", why);
	struct strbuf out = STRBUF_INIT;
	for (size_t i = 0; i < l.count; i++)
		strbuf_addf(&out, "%s%s%s", i ? " " : "", l.items[i].name,
			    l.items[i].dir ? "/" : "");
	if (others)
		*others = l.others;
	dir_list_clear(&l);
	return strbuf_take(&out);
}

#define ck_listing(where, prefix, kind, all, want) do { \
	char *got_ = listing(where, prefix, kind, all, NULL); \
	ck_assert_str_eq(got_, want); \
	free(got_); \
} while (0)

static void
ck_complete(const char *typed, enum file_kind k, bool all, const char *want)
{
	char *got = path_complete(typed, dir, k, all);
	ck_assert_msg(strcmp(got, want) == 0, "'%s' completed to '%s', not '%s'",
		      typed, got, want);
	free(got);
}

static void
ck_resolve(const char *typed, const char *base, const char *want)
{
	char *got = path_resolve(typed, base);
	ck_assert_msg(strcmp(got, want) == 0, "'%s' from %s is '%s', not '%s'",
		      typed, base, got, want);
	free(got);
}

START_TEST(kinds_take_their_extensions)
{
	const char *certs[] = { "a.pem", "B.CRT", "c.cer", "d.der", "x.y.Pem" };
	for (size_t i = 0; i < sizeof(certs) / sizeof(certs[0]); i++)
		ck_assert_msg(file_kind_takes(FILES_CERTIFICATE, certs[i]), "%s",
			      certs[i]);
	const char *not_certs[] = { "a.key", "notes.txt", "pem", ".pem", "a.pem~",
				    "ek.pub" };
	for (size_t i = 0; i < sizeof(not_certs) / sizeof(not_certs[0]); i++)
		ck_assert_msg(!file_kind_takes(FILES_CERTIFICATE, not_certs[i]),
			      "%s", not_certs[i]);
	const char *tpm[] = { "ek.pub", "ek.TSS", "ek.pem", "ek.bin" };
	for (size_t i = 0; i < sizeof(tpm) / sizeof(tpm[0]); i++)
		ck_assert_msg(file_kind_takes(FILES_TPM_KEY, tpm[i]), "%s", tpm[i]);
	ck_assert(!file_kind_takes(FILES_TPM_KEY, "device.crt"));
	ck_assert(!file_kind_takes(FILES_TPM_KEY, "device.der"));
	ck_assert(file_kind_takes(FILES_ANY, "notes.txt"));
	ck_assert_str_eq(file_kind_text(FILES_CERTIFICATE),
			 "certificates (.pem .crt .cer .der)");
	ck_assert_str_eq(file_kind_text(FILES_TPM_KEY),
			 "TPM keys (.pub .tss .pem .bin)");
}
END_TEST

START_TEST(typed_paths_resolve)
{
	ck_resolve("x.pem", "/bench", "/bench/x.pem");
	ck_resolve("../x.pem", "/bench/sub", "/bench/x.pem");
	ck_resolve("/a/b/../c/./d//e/", "/bench", "/a/c/d/e");
	ck_resolve("/..", "/bench", "/");
	ck_resolve("/", "/bench", "/");
	ck_resolve(".", "/bench", "/bench");
	ck_resolve("", "/bench", "/bench");
	ck_resolve("certs/", "/bench", "/bench/certs");
	setenv("HOME", "/home/tech", 1);
	ck_resolve("~", "/bench", "/home/tech");
	ck_resolve("~/", "/bench", "/home/tech");
	ck_resolve("~/keys/k.json", "/bench", "/home/tech/keys/k.json");
	/* ~name is not expanded: it is a name like any other. */
	ck_resolve("~tech", "/bench", "/bench/~tech");
}
END_TEST

START_TEST(typed_text_splits_into_folder_and_name)
{
	char *where;
	const char *prefix;
	path_split("dev", "/bench", &where, &prefix);
	ck_assert_str_eq(where, "/bench");
	ck_assert_str_eq(prefix, "dev");
	free(where);
	path_split("certs/de", "/bench", &where, &prefix);
	ck_assert_str_eq(where, "/bench/certs");
	ck_assert_str_eq(prefix, "de");
	free(where);
	path_split("/", "/bench", &where, &prefix);
	ck_assert_str_eq(where, "/");
	ck_assert_str_eq(prefix, "");
	free(where);
	path_split("/etc/ss", "/bench", &where, &prefix);
	ck_assert_str_eq(where, "/etc");
	ck_assert_str_eq(prefix, "ss");
	free(where);
	setenv("HOME", "/home/tech", 1);
	path_split("~", "/bench", &where, &prefix);
	ck_assert_str_eq(where, "/home/tech");
	ck_assert_str_eq(prefix, "");
	free(where);
	path_split("~/c", "/bench", &where, &prefix);
	ck_assert_str_eq(where, "/home/tech");
	ck_assert_str_eq(prefix, "c");
	free(where);
}
END_TEST

START_TEST(listing_filters_by_kind)
{
	size_t others;
	char *got = listing(dir, "", FILES_CERTIFICATE, false, &others);
	ck_assert_str_eq(got, "../ certs/ devkit/ device-01.pem device-02.PEM "
			 "gateway.crt");
	ck_assert_uint_eq(others, 2);	/* ek.pub, notes.txt */
	free(got);
	got = listing(dir, "", FILES_TPM_KEY, false, &others);
	ck_assert_str_eq(got, "../ certs/ devkit/ device-01.pem device-02.PEM "
			 "ek.pub");
	ck_assert_uint_eq(others, 2);	/* gateway.crt, notes.txt */
	free(got);
	got = listing(dir, "", FILES_CERTIFICATE, true, &others);
	ck_assert_str_eq(got, "../ certs/ devkit/ device-01.pem device-02.PEM "
			 "ek.pub gateway.crt notes.txt");
	ck_assert_uint_eq(others, 0);
	free(got);
}
END_TEST

START_TEST(listing_by_name_start)
{
	ck_listing(dir, "dev", FILES_CERTIFICATE, false,
		   "devkit/ device-01.pem device-02.PEM");
	ck_listing(dir, "device-0", FILES_CERTIFICATE, false,
		   "device-01.pem device-02.PEM");
	ck_listing(dir, "no", FILES_CERTIFICATE, false, "");
	ck_listing(dir, "no", FILES_CERTIFICATE, true, "notes.txt");
	/* hidden names wait for a '.' */
	ck_listing(dir, ".", FILES_CERTIFICATE, false, "../ .hidden.pem");
	char *sub = xasprintf("%s/certs", dir);
	ck_listing(sub, "", FILES_CERTIFICATE, false, "../ only-one.der");
	free(sub);
}
END_TEST

START_TEST(listing_a_missing_folder_says_why)
{
	struct dir_list l;
	char *why = NULL;
	char *missing = xasprintf("%s/gone", dir);
	ck_assert(!dir_list_read(missing, "", FILES_ANY, true, &l, &why));
	ck_assert_ptr_nonnull(strstr(why, missing));
	ck_assert_ptr_nonnull(strstr(why, "No such file"));
	free(why);
	free(missing);
}
END_TEST

START_TEST(tab_completes)
{
	ck_complete("dev", FILES_CERTIFICATE, false, "dev");
	ck_complete("devi", FILES_CERTIFICATE, false, "device-0");
	ck_complete("device-01", FILES_CERTIFICATE, false, "device-01.pem");
	ck_complete("devk", FILES_CERTIFICATE, false, "devkit/");
	ck_complete("ga", FILES_CERTIFICATE, false, "gateway.crt");
	ck_complete("certs/", FILES_CERTIFICATE, false, "certs/only-one.der");
	ck_complete("cer", FILES_CERTIFICATE, false, "certs/");
	/* a file the field does not take completes only when all are shown */
	ck_complete("no", FILES_CERTIFICATE, false, "no");
	ck_complete("no", FILES_CERTIFICATE, true, "notes.txt");
	ck_complete("zz", FILES_ANY, true, "zz");
	char *abs = xasprintf("%s/gat", dir);
	char *want = xasprintf("%s/gateway.crt", dir);
	ck_complete(abs, FILES_CERTIFICATE, false, want);
	free(abs);
	free(want);
	/* HOME is the test folder */
	ck_complete("~/ga", FILES_CERTIFICATE, false, "~/gateway.crt");
}
END_TEST

START_TEST(last_folder_is_kept_privately)
{
	ck_assert_ptr_null(last_folder_load());
	char *certs = xasprintf("%s/certs", dir);
	char *why = NULL;
	ck_assert_msg(last_folder_save(certs, &why), "%s", why);
	char *back = last_folder_load();
	ck_assert_ptr_nonnull(back);
	ck_assert_str_eq(back, certs);
	free(back);
	char *file = xasprintf("%s/dpsenroll/last-folder", dir);
	struct stat st;
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	free(file);
	/* a folder that went away is forgotten */
	char *cmd = xasprintf("rm -rf %s", certs);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	ck_assert_ptr_null(last_folder_load());
	free(certs);
}
END_TEST

Suite *
filepick_suite(void)
{
	Suite *s = suite_create("filepick");
	TCase *tc = tcase_create("filepick");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, kinds_take_their_extensions);
	tcase_add_test(tc, typed_paths_resolve);
	tcase_add_test(tc, typed_text_splits_into_folder_and_name);
	tcase_add_test(tc, listing_filters_by_kind);
	tcase_add_test(tc, listing_by_name_start);
	tcase_add_test(tc, listing_a_missing_folder_says_why);
	tcase_add_test(tc, tab_completes);
	tcase_add_test(tc, last_folder_is_kept_privately);
	suite_add_tcase(s, tc);
	return s;
}
