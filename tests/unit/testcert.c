#include "testcert.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/b64.h"

#define DAY 86400

EVP_PKEY *
testcert_new_key(enum testcert_key kind)
{
	EVP_PKEY *k = kind == TESTCERT_RSA ? EVP_RSA_gen(2048)
					   : EVP_EC_gen("prime256v1");
	ck_assert_ptr_nonnull(k);
	return k;
}

static void
add_rdn(X509_NAME *n, const char *field, const char *value)
{
	ck_assert(X509_NAME_add_entry_by_txt(n, field, MBSTRING_UTF8,
					     (const unsigned char *)value, -1,
					     -1, 0));
}

static void
add_extension(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	ck_assert_ptr_nonnull(ext);
	ck_assert(X509_add_ext(x, ext, -1));
	X509_EXTENSION_free(ext);
}

static void
set_serial(X509 *x, const char *hex)
{
	BIGNUM *bn = NULL;
	ck_assert(BN_hex2bn(&bn, hex ? hex : "1234"));
	ck_assert_ptr_nonnull(BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)));
	BN_free(bn);
}

static void
set_validity(X509 *x, const struct testcert_spec *s)
{
	time_t now = time(NULL);
	ck_assert_ptr_nonnull(ASN1_TIME_set(X509_getm_notBefore(x),
		s->not_before ? s->not_before : now - DAY));
	ck_assert_ptr_nonnull(ASN1_TIME_set(X509_getm_notAfter(x),
		s->not_after ? s->not_after : now + 365 * DAY));
}

struct testcert
testcert_make(const struct testcert_spec *s)
{
	struct testcert c = { X509_new(), testcert_new_key(s->key) };
	ck_assert_ptr_nonnull(c.x509);
	ck_assert(X509_set_version(c.x509, X509_VERSION_3));
	set_serial(c.x509, s->serial);
	set_validity(c.x509, s);
	X509_NAME *name = X509_get_subject_name(c.x509);
	add_rdn(name, "C", "US");
	add_rdn(name, "O", "Contoso");
	if (s->cn)
		add_rdn(name, "CN", s->cn);
	ck_assert(X509_set_issuer_name(c.x509, s->issuer
				       ? X509_get_subject_name(s->issuer->x509)
				       : name));
	ck_assert(X509_set_pubkey(c.x509, c.key));
	if (s->ca)
		add_extension(c.x509, NID_basic_constraints, "critical,CA:TRUE");
	if (s->key_usage)
		add_extension(c.x509, NID_key_usage, s->key_usage);
	ck_assert(X509_sign(c.x509, s->issuer ? s->issuer->key : c.key,
			    EVP_sha256()) > 0);
	return c;
}

void
testcert_free(struct testcert *c)
{
	X509_free(c->x509);
	EVP_PKEY_free(c->key);
	c->x509 = NULL;
	c->key = NULL;
}

/* Copies out what was written to a memory BIO, then frees the BIO, so
 * the text outlives OpenSSL's buffer. */
static char *
bio_text(BIO *bio)
{
	char *mem;
	long n = BIO_get_mem_data(bio, &mem);
	char *s = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, mem, (size_t)n);
	s[n] = '\0';
	BIO_free(bio);
	return s;
}

static BIO *
new_mem_bio(void)
{
	BIO *bio = BIO_new(BIO_s_mem());
	ck_assert_ptr_nonnull(bio);
	return bio;
}

char *
testcert_pem(const struct testcert *c)
{
	BIO *bio = new_mem_bio();
	ck_assert(PEM_write_bio_X509(bio, c->x509));
	return bio_text(bio);
}

unsigned char *
testcert_der(const struct testcert *c, size_t *len)
{
	unsigned char *der = NULL;
	int n = i2d_X509(c->x509, &der);
	ck_assert_int_gt(n, 0);
	/* OpenSSL's buffer must go back through OPENSSL_free; the copy lets
	 * callers use plain free() like everything else here. */
	unsigned char *copy = malloc((size_t)n);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, der, (size_t)n);
	OPENSSL_free(der);
	*len = (size_t)n;
	return copy;
}

char *
testcert_make_pem(const struct testcert_spec *s)
{
	struct testcert c = testcert_make(s);
	char *pem = testcert_pem(&c);
	testcert_free(&c);
	return pem;
}

unsigned char *
testcert_make_der(const struct testcert_spec *s, size_t *len)
{
	struct testcert c = testcert_make(s);
	unsigned char *der = testcert_der(&c, len);
	testcert_free(&c);
	return der;
}

char *
testcert_expired_pem(const char *cn, time_t *not_after)
{
	time_t now = time(NULL);
	if (not_after)
		*not_after = now - DAY;
	return testcert_make_pem(&(struct testcert_spec){
		.cn = cn, .not_before = now - 30 * DAY,
		.not_after = now - DAY });
}

char *
testcert_key_pem(EVP_PKEY *key, bool private_key)
{
	BIO *bio = new_mem_bio();
	if (private_key)
		ck_assert(PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0,
						   NULL, NULL));
	else
		ck_assert(PEM_write_bio_PUBKEY(bio, key));
	return bio_text(bio);
}

char *
testcert_key_bare_b64(EVP_PKEY *key)
{
	unsigned char *der = NULL;
	int n = i2d_PrivateKey(key, &der);
	ck_assert_int_gt(n, 0);
	char *b64 = b64_encode(der, (size_t)n);
	OPENSSL_clear_free(der, (size_t)n);
	return b64;
}

char *
testcert_csr_pem(EVP_PKEY *key)
{
	X509_REQ *req = X509_REQ_new();
	ck_assert_ptr_nonnull(req);
	ck_assert(X509_REQ_set_pubkey(req, key));
	ck_assert(X509_REQ_sign(req, key, EVP_sha256()) > 0);
	BIO *bio = new_mem_bio();
	ck_assert(PEM_write_bio_X509_REQ(bio, req));
	X509_REQ_free(req);
	return bio_text(bio);
}
