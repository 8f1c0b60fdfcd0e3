/* The service client's messages come out in French for a French reader
 * (a connection string without HostName, an access token file others can
 * read), while the journal keeps the same failure in English. Nothing
 * here reaches a service: each is refused before a request is sent. */

#include <fcntl.h>
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_proc.h"
#include "harness.h"
#include "suites.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

enum { CODE_REFUSED = 1, CODE_USAGE = 2 };

static char *dir;

static void
up(void)
{
	dir = harness_tmpdir("dps-french");
	ck_assert_ptr_nonnull(dir);
}

static void
down(void)
{
	free(dir);
	dir = NULL;
}

/* Whether dpsenroll can speak French here: built with its catalog, and
 * the locale installed (CI must have it). */
static bool
french_here(void)
{
#if DPSENROLL_NLS
	bool ok = setlocale(LC_ALL, "fr_FR.UTF-8") != NULL;
	setlocale(LC_ALL, "C");
	ck_assert_msg(ok || !getenv("CI"), "the fr_FR.UTF-8 locale is not "
		      "installed, and CI must run this test");
	return ok;
#else
	return false;
#endif
}

/* dpsenroll in French with `args`, our environment without any
 * connection, the config and state in the test's folder, and `extra`
 * ("NAME=value" or NULL) added. */
static struct cli_result
run_french(const char *extra, const char *const *args)
{
	char *config = xasprintf("XDG_CONFIG_HOME=%s/config", dir);
	char *state = xasprintf("XDG_STATE_HOME=%s/state", dir);
	const char *set[] = {
		"DPS_CONNECTION_STRING", "DPS_ACCESS_TOKEN", "DPS_HOST",
		"LC_ALL", "LC_MESSAGES", "LANG=fr_FR.UTF-8", "LANGUAGE=fr",
		config, state, extra, NULL,
	};
	struct cli_result r = cli_finish(dir, cli_spawn(dir, set, args));
	free(config);
	free(state);
	return r;
}

#define RUN_FR(extra, ...) \
	run_french((extra), (const char *const[]){ __VA_ARGS__, NULL })

static void
expect_exit(const struct cli_result *r, int code)
{
	ck_assert_msg(r->status == code, "exit %d, expected %d; stderr: %.800s",
		      r->status, code, r->err);
}

static void
expect_err_has(const struct cli_result *r, const char *text)
{
	ck_assert_msg(strstr(r->err, text), "stderr lacks \"%s\": %.800s", text,
		      r->err);
}

/* An access token file others can read, as dir/access-token. */
static char *
token_file_others_can_read(void)
{
	char *path = xasprintf("%s/access-token", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_msg(fd >= 0, "cannot create %s", path);
	ck_assert_int_eq(write(fd, "not-a-real-token\n", 17), 17);
	close(fd);
	ck_assert_int_eq(chmod(path, 0644), 0);
	return path;
}

START_TEST(a_connection_string_without_hostname_is_refused_in_french)
{
	if (!french_here())
		return;
	struct cli_result r = RUN_FR("DPS_CONNECTION_STRING=SharedAccessKeyName="
				     "p;SharedAccessKey=a2V5a2V5a2V5a2V5",
				     "get", "x");
	expect_exit(&r, CODE_USAGE);
	expect_err_has(&r, "la chaîne de connexion n'a pas de HostName ; "
		       "copiez toute la chaîne d'une stratégie d'accès partagé "
		       "du DPS (HostName=...;SharedAccessKeyName=...;"
		       "SharedAccessKey=...)");
	cli_result_free(&r);

	r = RUN_FR("DPS_CONNECTION_STRING=HostName=h.example;SharedAccessKeyName",
		   "get", "x");
	expect_exit(&r, CODE_USAGE);
	expect_err_has(&r, "la partie 2 de la chaîne de connexion n'a pas de "
		       "'=' ;");
	cli_result_free(&r);
}
END_TEST

START_TEST(a_token_file_others_can_read_is_refused_in_french)
{
	if (!french_here())
		return;
	char *file = token_file_others_can_read();
	struct cli_result r = RUN_FR(NULL, "get", "--access-token-file", file,
				     "--host", "mydps.example", "x");
	expect_exit(&r, CODE_REFUSED);
	char *want = xasprintf("le fichier de jeton d'accès %s est lisible par "
			       "d'autres (mode 0644) ; lancez : chmod 600 %s",
			       file, file);
	expect_err_has(&r, want);
	ck_assert_msg(!strstr(r.err, "readable by others"), "%s", r.err);
	cli_result_free(&r);
	free(want);
	free(file);
}
END_TEST

/* The same failure: French on standard error, English in the journal. */
START_TEST(a_journaled_failure_stays_english_in_the_journal)
{
	if (!french_here())
		return;
	char *file = token_file_others_can_read();
	struct cli_result r = RUN_FR(NULL, "delete", "--access-token-file",
				     file, "--host", "mydps.example",
				     "fr-journal-1");
	expect_exit(&r, CODE_REFUSED);
	expect_err_has(&r, "est lisible par d'autres (mode 0644) ; lancez : "
		       "chmod 600");
	cli_result_free(&r);

	char *path = xasprintf("%s/state/dpsenroll/journal.jsonl", dir);
	size_t len;
	char *journal = file_read_all(path, &len);
	ck_assert_msg(journal, "no journal at %s", path);
	char *want = xasprintf("\"registrationId\":\"fr-journal-1\","
			       "\"operation\":\"delete\",\"outcome\":\"failed\"");
	ck_assert_msg(strstr(journal, want), "journal: %s", journal);
	free(want);
	want = xasprintf("\"message\":\"the access token file %s is readable "
			 "by others (mode 0644); run: chmod 600 %s\"", file,
			 file);
	ck_assert_msg(strstr(journal, want), "journal: %s", journal);
	ck_assert_msg(!strstr(journal, "lisible"), "journal: %s", journal);
	free(want);
	free(journal);
	free(path);
	free(file);
}
END_TEST

Suite *
dps_french_suite(void)
{
	Suite *s = suite_create("dps_french");
	TCase *tc = tcase_create("dps_french");
	tcase_add_checked_fixture(tc, up, down);
	tcase_add_test(tc, a_connection_string_without_hostname_is_refused_in_french);
	tcase_add_test(tc, a_token_file_others_can_read_is_refused_in_french);
	tcase_add_test(tc, a_journaled_failure_stays_english_in_the_journal);
	suite_add_tcase(s, tc);
	return s;
}
