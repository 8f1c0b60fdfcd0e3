/* What a certificate is for a device: certificates made by the openssl
 * command lines a technician types, read back and classified. The
 * default `openssl req -x509` certificate carries CA:TRUE and must come
 * out as a self-signed device certificate (a note), while a certificate
 * that issues others is still a CA (a warning). */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "findings_assert.h"
#include "model/checks.h"
#include "model/x509info.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

#define CLIENT "attestation.x509.clientCertificates.primary.certificate"
#define EC_KEY "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"

static char dir[] = "/tmp/dpscertrole.XXXXXX";
static bool made;

static void
setup(void)
{
	findings_fixture_setup();
	strcpy(dir, "/tmp/dpscertrole.XXXXXX");
	made = mkdtemp(dir) != NULL;
	ck_assert(made);
}

static void
teardown(void)
{
	findings_fixture_teardown();
	if (made) {
		char *cmd = xasprintf("rm -rf '%s'", dir);
		ck_assert_int_eq(system(cmd), 0);
		free(cmd);
	}
}

/* Runs `openssl ARGS` in the test's folder. */
static void __attribute__((format(printf, 1, 2)))
openssl(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *args = xvasprintf(fmt, ap);
	va_end(ap);
	char *cmd = xasprintf("cd '%s' && openssl %s >openssl.out 2>&1", dir,
			      args);
	int rc = system(cmd);
	char *out_path = xasprintf("%s/openssl.out", dir);
	char *out = file_read_all(out_path, NULL);
	ck_assert_msg(rc == 0, "openssl %s failed:\n%s", args, out ? out : "");
	free(out);
	free(out_path);
	free(cmd);
	free(args);
}

static char *
read_pem(const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *pem = file_read_all(path, NULL);
	ck_assert_msg(pem, "no %s", path);
	free(path);
	return pem;
}

static void
read_info(const char *name, struct cert_info *info)
{
	char *pem = read_pem(name);
	char *why = NULL;
	ck_assert_msg(cert_info_read((const unsigned char *)pem, strlen(pem),
				     info, &why), "%s", why ? why : "");
	free(pem);
}

static enum cert_role
role_of(const char *name)
{
	struct cert_info info;
	read_info(name, &info);
	enum cert_role r = cert_info_role(&info);
	cert_info_clear(&info);
	return r;
}

static void
check_file(const char *name)
{
	char *pem = read_pem(name);
	findings_check(check_certificate, CLIENT, pem);
	free(pem);
}

/* A bench CA (keyCertSign) and a leaf it signs with `ext` lines. */
static void
make_ca(void)
{
	openssl("req -x509 " EC_KEY " -keyout ca.key -out ca.pem -days 30 "
		"-subj /CN=Bench-CA "
		"-addext keyUsage=critical,keyCertSign,cRLSign");
}

static void
sign_with_ca(const char *cn, const char *ext)
{
	FILE *f;
	char *path = xasprintf("%s/%s.ext", dir, cn);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(ext, f);
	fclose(f);
	free(path);
	openssl("req -new " EC_KEY " -keyout %s.key -out %s.csr -subj /CN=%s",
		cn, cn, cn);
	openssl("x509 -req -in %s.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
		"-days 30 -sha256 -extfile %s.ext -out %s.pem", cn, cn, cn);
}

/* The command a technician finds first, with no extension options. */
START_TEST(default_req_x509_is_a_self_signed_device_certificate)
{
	openssl("req -x509 " EC_KEY " -keyout dev.key -out dev.pem -days 30 "
		"-subj /CN=bench-dev-01");
	struct cert_info info;
	read_info("dev.pem", &info);
	ck_assert(info.self_signed);
	ck_assert(!info.key_cert_sign);
	ck_assert_int_eq(cert_info_role(&info), CERT_ROLE_SELF_SIGNED);
	ck_assert_msg(info.is_ca, "openssl req -x509 no longer adds CA:TRUE "
		      "by default; the note about it may be out of date");
	cert_info_clear(&info);
	check_file("dev.pem");
	ck_total(1);
	ck_found(SEV_NOTE, CLIENT, "fine for a device certificate");
}
END_TEST

START_TEST(rsa_default_req_x509_is_self_signed_too)
{
	openssl("req -x509 -newkey rsa:2048 -nodes -keyout dev.key -out dev.pem "
		"-subj /CN=bench-dev-02");
	ck_assert_int_eq(role_of("dev.pem"), CERT_ROLE_SELF_SIGNED);
	check_file("dev.pem");
	ck_count(SEV_WARNING, 0);
}
END_TEST

/* keyUsage without keyCertSign: still one device's own certificate. */
START_TEST(self_signed_with_device_key_usage)
{
	openssl("req -x509 " EC_KEY " -keyout dev.key -out dev.pem -days 30 "
		"-subj /CN=bench-dev-03 "
		"-addext keyUsage=critical,digitalSignature");
	ck_assert_int_eq(role_of("dev.pem"), CERT_ROLE_SELF_SIGNED);
	check_file("dev.pem");
	ck_count(SEV_WARNING, 0);
}
END_TEST

START_TEST(root_with_key_cert_sign_is_a_ca)
{
	make_ca();
	struct cert_info info;
	read_info("ca.pem", &info);
	ck_assert(info.self_signed);
	ck_assert(info.key_cert_sign);
	ck_assert_int_eq(cert_info_role(&info), CERT_ROLE_ISSUING_CA);
	cert_info_clear(&info);
	check_file("ca.pem");
	ck_total(1);
	ck_found(SEV_WARNING, CLIENT, "CA certificate");
	ck_found(SEV_WARNING, CLIENT, "enrollment group");
}
END_TEST

/* CA:TRUE and issued by another CA: an intermediate, even without a
 * keyUsage extension. */
START_TEST(intermediate_is_a_ca)
{
	make_ca();
	sign_with_ca("Bench-Intermediate", "basicConstraints=critical,CA:TRUE\n");
	struct cert_info info;
	read_info("Bench-Intermediate.pem", &info);
	ck_assert(!info.self_signed);
	ck_assert(!info.key_cert_sign);
	ck_assert_int_eq(cert_info_role(&info), CERT_ROLE_ISSUING_CA);
	cert_info_clear(&info);
	check_file("Bench-Intermediate.pem");
	ck_found(SEV_WARNING, CLIENT, "CA:TRUE, issued by another CA");
}
END_TEST

START_TEST(leaf_signed_by_a_ca)
{
	make_ca();
	sign_with_ca("bench-dev-04", "basicConstraints=critical,CA:FALSE\n"
		     "keyUsage=critical,digitalSignature\n"
		     "extendedKeyUsage=clientAuth\n");
	ck_assert_int_eq(role_of("bench-dev-04.pem"), CERT_ROLE_LEAF);
	check_file("bench-dev-04.pem");
	ck_nothing();
}
END_TEST

/* keyCertSign alone, without CA:TRUE, still says it signs others. */
START_TEST(key_cert_sign_without_ca_flag)
{
	make_ca();
	sign_with_ca("odd-signer", "basicConstraints=critical,CA:FALSE\n"
		     "keyUsage=critical,keyCertSign\n");
	ck_assert_int_eq(role_of("odd-signer.pem"), CERT_ROLE_ISSUING_CA);
}
END_TEST

Suite *
certrole_suite(void)
{
	Suite *s = suite_create("certrole");
	TCase *tc = tcase_create("openssl command lines");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, default_req_x509_is_a_self_signed_device_certificate);
	tcase_add_test(tc, rsa_default_req_x509_is_self_signed_too);
	tcase_add_test(tc, self_signed_with_device_key_usage);
	tcase_add_test(tc, root_with_key_cert_sign_is_a_ca);
	tcase_add_test(tc, intermediate_is_a_ca);
	tcase_add_test(tc, leaf_signed_by_a_ca);
	tcase_add_test(tc, key_cert_sign_without_ca_flag);
	suite_add_tcase(s, tc);
	return s;
}
