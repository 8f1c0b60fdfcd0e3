/* What the model says to a person comes out in French when the person's
 * language is French: certificates, TPM keys, private keys, JSON, CSV,
 * import columns and files; and what a program reads back stays English
 * (the CSV reader's "line N: "). The catalog is the one the build makes
 * (build/locale), the locale fr_FR.UTF-8 that `make deps` makes. */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "suites.h"
#include "french.h"
#include "testcert.h"
#include "paths.h"
#include "base/csv.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "model/findings.h"
#include "model/import_row.h"
#include "model/json.h"
#include "model/keymat.h"
#include "model/tpm.h"
#include "model/x509info.h"
#include "model/x509pem.h"
#include "sys/fileio.h"

#define CERT_PATH "attestation.x509.clientCertificates.primary.certificate"

#if DPSENROLL_NLS

static void
ck_has(const char *text, const char *part)
{
	ck_assert_msg(text && strstr(text, part), "\"%s\" lacks \"%s\"",
		      text ? text : "(null)", part);
}

START_TEST(tpm_key_fault_in_french)
{
	if (!unit_speak_french())
		return;
	struct tpm_key_info info;
	char *why = NULL;
	ck_assert(!tpm_key_parse("AB$CD", &info, &why));
	ck_has(why, "ce n'est pas du base64 : le caractère 3, '$', n'est pas "
	       "un caractère base64 ; DPS attend la clé de type EK du TPM");
	free(why);
	/* A cut key names the part it stops in, in French too. */
	ck_assert(!tpm_key_parse("AAEAAQ==", &info, &why));
	ck_has(why, "au milieu du champ « algorithme de nom »");
	free(why);
}
END_TEST

START_TEST(private_key_as_certificate_in_french)
{
	if (!unit_speak_french())
		return;
	EVP_PKEY *key = testcert_new_key(TESTCERT_EC);
	char *pem = testcert_key_pem(key, true);
	struct cert_info info;
	char *why = NULL;
	ck_assert(!cert_info_read((const unsigned char *)pem, strlen(pem),
				  &info, &why));
	ck_has(why, "c'est une clé privée PEM, pas un certificat ; donnez le "
	       "certificat de l'appareil");
	free(why);
	char *msg = keymat_message(CERT_PATH, pem);
	ck_has(msg, "c'est une clé privée (-----BEGIN PRIVATE KEY-----) ; "
	       "elle reste sur l'appareil");
	free(msg);
	free(pem);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(certificate_days_in_french)
{
	if (!unit_speak_french())
		return;
	time_t now = time(NULL);
	struct cert_info info = { .not_before = now - 10 * 86400,
				  .not_after = now - 3 * 86400 - 60 };
	char *text = cert_validity_text(&info, now);
	ck_assert_str_eq(text, "EXPIRÉ depuis 3 jours");
	free(text);
	info.not_after = now + 86400 + 60;
	text = cert_validity_text(&info, now);
	ck_assert_str_eq(text, "expire bientôt, 1 jour restant");
	free(text);
}
END_TEST

START_TEST(certificate_text_in_french)
{
	if (!unit_speak_french())
		return;
	char *pem = testcert_make_pem(&(struct testcert_spec){
		.cn = "dev-01" });
	struct cert_info info;
	char *why = NULL;
	ck_assert_msg(cert_info_read((const unsigned char *)pem, strlen(pem),
				     &info, &why), "%s", why ? why : "");
	char *text = cert_info_to_text(&info);
	/* The labels are French, the values still line up in one column. */
	ck_has(text, "Objet :             CN=dev-01, O=Contoso, C=US\n");
	ck_has(text, "Nom commun :        dev-01\n");
	ck_has(text, "Autorité (CA) :     non\n");
	ck_has(text, "Auto-signé :        oui\n");
	free(text);
	cert_info_clear(&info);
	free(pem);
}
END_TEST

START_TEST(dropped_blocks_listed_in_french)
{
	if (!unit_speak_french())
		return;
	struct testcert ca = testcert_make(&(struct testcert_spec){
		.cn = "ca", .ca = true, .key_usage = "critical,keyCertSign" });
	char *leaf = testcert_make_pem(&(struct testcert_spec){
		.cn = "dev-01", .issuer = &ca });
	char *ca_pem = testcert_pem(&ca);
	char *chain = xasprintf("%s%s", leaf, ca_pem);
	struct cert_pick pick;
	char *why = NULL;
	char *kept = cert_leaf_pick((const unsigned char *)chain,
				    strlen(chain), &pick, &why);
	ck_assert_msg(kept, "%s", why ? why : "");
	char *note = cert_pick_note(&pick);
	ck_assert_str_eq(note, "certificat de l'appareil gardé ; retiré : 1 "
			 "certificat d'autorité");
	free(note);
	cert_pick_clear(&pick);
	free(kept);
	free(chain);
	free(ca_pem);
	free(leaf);
	testcert_free(&ca);
}
END_TEST

START_TEST(json_fault_in_french)
{
	if (!unit_speak_french())
		return;
	struct json_error err;
	ck_assert(!json_parse_located("{\"a\": 1", 7, &err));
	ck_assert_str_eq(err.message, "le texte s'arrête trop tôt : il manque "
			 "un }, ] ou \" fermant");
}
END_TEST

/* The sentence is French; "line N: " before it stays as the import reads
 * it back to say FILE:N. */
START_TEST(csv_fault_in_french_with_its_line_for_the_program)
{
	if (!unit_speak_french())
		return;
	static const char text[] = "a,b\n1,\"2\n";
	struct csv_reader r;
	struct csv_record rec = { 0 };
	char *why = NULL;
	csv_reader_init(&r, text, strlen(text));
	ck_assert_int_eq(csv_next(&r, &rec, &why), CSV_RECORD);
	ck_assert_int_eq(csv_next(&r, &rec, &why), CSV_ERROR);
	ck_assert_str_eq(why, "line 2: un champ entre guillemets n'est jamais "
			 "fermé (il manque un \")");
	free(why);
	csv_record_clear(&rec);
}
END_TEST

START_TEST(import_column_fault_in_french)
{
	if (!unit_speak_french())
		return;
	char *names[] = { "registrationId", "attestation" };
	struct import_columns cols = { 0 };
	struct findings fs;
	findings_init(&fs);
	ck_assert(!import_columns_read(names, 2, &cols, &fs));
	ck_assert_int_eq(fs.count, 1);
	ck_assert_str_eq(fs.items[0].message, "c'est un groupe de champs ; "
			 "donnez à chaque champ sa propre colonne "
			 "(attestation.NOM)");
	findings_clear(&fs);
	import_columns_clear(&cols);
}
END_TEST

START_TEST(folder_fault_in_french)
{
	if (!unit_speak_french())
		return;
	char dir[] = "/tmp/dpsfrXXXXXX";
	ck_assert(mkdtemp(dir));
	char *file = xasprintf("%s/plain", dir);
	char *why = NULL;
	ck_assert(file_write_atomic(file, "x", 1, 0600, &why));
	ck_assert(!dir_make(file, 0700, &why));
	char *want = xasprintf("%s n'est pas un dossier", file);
	ck_assert_str_eq(why, want);
	free(want);
	free(why);
	remove(file);
	rmdir(dir);
	free(file);
}
END_TEST

#endif

Suite *
french_model_suite(void)
{
	Suite *s = suite_create("french_model");
	TCase *tc = tcase_create("messages");
#if DPSENROLL_NLS
	tcase_add_test(tc, tpm_key_fault_in_french);
	tcase_add_test(tc, private_key_as_certificate_in_french);
	tcase_add_test(tc, certificate_days_in_french);
	tcase_add_test(tc, certificate_text_in_french);
	tcase_add_test(tc, dropped_blocks_listed_in_french);
	tcase_add_test(tc, json_fault_in_french);
	tcase_add_test(tc, csv_fault_in_french_with_its_line_for_the_program);
	tcase_add_test(tc, import_column_fault_in_french);
	tcase_add_test(tc, folder_fault_in_french);
#endif
	suite_add_tcase(s, tc);
	return s;
}
