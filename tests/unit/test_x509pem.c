/* The one encoding sent for a device certificate: the leaf's PEM, from
 * whatever form the technician had. */

#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "testcert.h"
#include "base/b64.h"
#include "model/x509info.h"
#include "model/x509pem.h"
#include "base/xalloc.h"

static char *
leaf_cn(const char *pem)
{
	struct cert_info info;
	char *why = NULL;
	ck_assert_msg(cert_info_read((const unsigned char *)pem, strlen(pem), &info,
				     &why), "%s", why);
	char *cn = xstrdup(info.common_name);
	cert_info_clear(&info);
	return cn;
}

static void
expect_leaf(const void *data, size_t len, const char *want_cn)
{
	char *why = NULL;
	char *pem = cert_leaf_pem(data, len, &why);
	ck_assert_msg(pem, "%s", why);
	ck_assert(strncmp(pem, "-----BEGIN CERTIFICATE-----", 27) == 0);
	ck_assert(strstr(pem, "-----END CERTIFICATE-----"));
	/* one certificate only */
	ck_assert_ptr_null(strstr(pem + 27, "-----BEGIN CERTIFICATE-----"));
	char *cn = leaf_cn(pem);
	ck_assert_str_eq(cn, want_cn);
	free(cn);
	free(pem);
}

START_TEST(chain_gives_its_leaf_in_either_order)
{
	struct testcert ca = testcert_make(&(struct testcert_spec){
		.cn = "Bench CA", .ca = true });
	struct testcert leaf = testcert_make(&(struct testcert_spec){
		.cn = "bench-dev-3", .issuer = &ca });
	char *ca_pem = testcert_pem(&ca), *leaf_pem = testcert_pem(&leaf);
	char *ca_first = xasprintf("%s%s", ca_pem, leaf_pem);
	char *leaf_first = xasprintf("%s%s", leaf_pem, ca_pem);
	expect_leaf(ca_first, strlen(ca_first), "bench-dev-3");
	expect_leaf(leaf_first, strlen(leaf_first), "bench-dev-3");
	free(ca_first);
	free(leaf_first);
	free(ca_pem);
	free(leaf_pem);
	testcert_free(&leaf);
	testcert_free(&ca);
}
END_TEST

START_TEST(der_and_base64_der_become_pem)
{
	size_t len;
	unsigned char *der = testcert_make_der(&(struct testcert_spec){
		.cn = "bench-dev-4" }, &len);
	expect_leaf(der, len, "bench-dev-4");
	char *b64 = b64_encode(der, len);
	expect_leaf(b64, strlen(b64), "bench-dev-4");
	free(b64);
	free(der);
}
END_TEST

START_TEST(not_a_certificate_says_why)
{
	char *why = NULL;
	const char *junk = "hello, this is not a certificate";
	ck_assert_ptr_null(cert_leaf_pem((const unsigned char *)junk,
					 strlen(junk), &why));
	ck_assert_ptr_nonnull(why);
	ck_assert(strlen(why) > 10);
	free(why);
}
END_TEST

Suite *
x509pem_suite(void)
{
	Suite *s = suite_create("x509pem");
	TCase *tc = tcase_create("x509pem");
	tcase_add_test(tc, chain_gives_its_leaf_in_either_order);
	tcase_add_test(tc, der_and_base64_der_become_pem);
	tcase_add_test(tc, not_a_certificate_says_why);
	suite_add_tcase(s, tc);
	return s;
}
