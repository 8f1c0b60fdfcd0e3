/* A French technician running dpsenroll reads the checks of what was
 * given in French (a TPM key, a certificate, the columns and quoting of
 * an import file), while --json keeps them English for the scripts that
 * read them, and an import's CSV fault still points at FILE:LINE. */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_proc.h"
#include "harness.h"
#include "suites.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

#if DPSENROLL_NLS

static char *dir;

static void
dir_up(void)
{
	dir = harness_tmpdir("french");
	ck_assert_ptr_nonnull(dir);
}

static void
dir_down(void)
{
	free(dir);
	dir = NULL;
}

/* False, the test skipped, when the locale is missing outside CI; in CI
 * (CI set) a missing locale fails, as the e2e tests' need_locale does. */
static bool
have_french(void)
{
	char *was = xstrdup(setlocale(LC_ALL, NULL));
	bool ok = setlocale(LC_ALL, "fr_FR.UTF-8") != NULL;
	setlocale(LC_ALL, was);
	free(was);
	if (!ok) {
		ck_assert_msg(!getenv("CI"), "the fr_FR.UTF-8 locale is not "
			      "installed, and CI must run this test (make "
			      "deps as root makes it)");
		fprintf(stderr, "skipped: the fr_FR.UTF-8 locale is not "
			"installed (make deps as root makes it)\n");
	}
	return ok;
}

static char *
write_in(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *why = NULL;
	ck_assert_msg(file_write_atomic(path, text, strlen(text), 0600, &why),
		      "%s", why);
	return path;
}

/* dpsenroll `args` (NULL-terminated) in French, with no connection. */
static struct cli_result
run_french(const char *const *args)
{
	const char *set[] = {
		"LANG=fr_FR.UTF-8", "LC_ALL", "LC_MESSAGES", "LANGUAGE=fr",
		"DPS_CONNECTION_STRING", NULL,
	};
	return cli_finish(dir, cli_spawn(dir, set, args));
}

static void
ck_has(const char *text, const char *part)
{
	ck_assert_msg(strstr(text, part), "\"%s\" lacks \"%s\"", text, part);
}

#define ENROLLMENT(att) "{\"registrationId\":\"dev-01\",\"attestation\":" att "}"

START_TEST(validate_says_what_is_wrong_in_french)
{
	if (!have_french())
		return;
	char *tpm = write_in("tpm.json", ENROLLMENT(
		"{\"type\":\"tpm\",\"tpm\":{\"endorsementKey\":\"AB$CD\"}}"));
	char *pem = write_in("pem.json", ENROLLMENT(
		"{\"type\":\"x509\",\"x509\":{\"clientCertificates\":"
		"{\"primary\":{\"certificate\":\"-----BEGIN PUBLIC KEY-----\\n"
		"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n"
		"-----END PUBLIC KEY-----\\n\"}}}}"));
	struct cli_result r = run_french(
		(const char *const[]){ "validate", tpm, NULL });
	const char *both = *r.out ? r.out : r.err;
	ck_has(both, "ce n'est pas du base64 : le caractère 3, '$', n'est "
	       "pas un caractère base64 ; DPS attend la clé de type EK du TPM");
	cli_result_free(&r);

	r = run_french((const char *const[]){ "validate", pem, NULL });
	both = *r.out ? r.out : r.err;
	ck_has(both, "c'est une clé publique PEM, pas un certificat ; donnez "
	       "le certificat de l'appareil (-----BEGIN CERTIFICATE-----)");
	cli_result_free(&r);

	/* What a script reads is the same whatever the language. */
	r = run_french((const char *const[]){ "validate", "--json", tpm, NULL });
	ck_has(r.out, "this is not base64: character 3, '$', is not a base64 "
	       "character; DPS expects the TPM's endorsement key");
	cli_result_free(&r);
	free(pem);
	free(tpm);
}
END_TEST

START_TEST(import_says_what_is_wrong_in_french)
{
	if (!have_french())
		return;
	char *header = write_in("group.csv", "registrationId,attestation\n"
				"dev-01,x\n");
	char *quote = write_in("quote.csv", "registrationId\n\"dev-01\n");
	struct cli_result r = run_french(
		(const char *const[]){ "import", "--dry-run", header, NULL });
	ck_has(r.err, "c'est un groupe de champs ; donnez à chaque champ sa "
	       "propre colonne (attestation.NOM)");
	cli_result_free(&r);

	r = run_french((const char *const[]){ "import", "--dry-run", quote,
					      NULL });
	char *want = xasprintf("%s:2: ", quote);
	ck_has(r.err, want);
	ck_has(r.err, "un champ entre guillemets n'est jamais fermé (il "
	       "manque un \")");
	free(want);
	cli_result_free(&r);
	free(quote);
	free(header);
}
END_TEST

#endif

Suite *
french_model_suite(void)
{
	Suite *s = suite_create("french_model");
	TCase *tc = tcase_create("messages");
#if DPSENROLL_NLS
	tcase_add_checked_fixture(tc, dir_up, dir_down);
	tcase_add_test(tc, validate_says_what_is_wrong_in_french);
	tcase_add_test(tc, import_says_what_is_wrong_in_french);
#endif
	suite_add_tcase(s, tc);
	return s;
}
