#ifndef DPSENROLL_TESTS_TESTCERT_H
#define DPSENROLL_TESTS_TESTCERT_H

/* X.509 certificates made on the spot with OpenSSL, so that tests never
 * depend on stored certificates that expire. Every function asserts with
 * libcheck instead of returning errors, so call them from inside a test.
 *
 * Ownership: a struct testcert owns its certificate and key; release both
 * with testcert_free. Every char * or unsigned char * returned is a new
 * malloc'd copy that the caller frees with free(); it stays valid after the
 * testcert it came from is freed. An EVP_PKEY * returned is the caller's,
 * to release with EVP_PKEY_free. Arguments are only borrowed. */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

enum testcert_key { TESTCERT_EC, TESTCERT_RSA };

struct testcert {
	X509 *x509;
	EVP_PKEY *key;
};

/* The subject is C=US, O=Contoso and then CN=cn. Zeroed fields take the
 * defaults below, so a compound literal names only what a test cares
 * about. */
struct testcert_spec {
	const char *cn;		/* NULL: no CN in the subject */
	enum testcert_key key;	/* TESTCERT_EC: P-256; TESTCERT_RSA: 2048 bits */
	bool ca;		/* adds critical basicConstraints CA:TRUE */
	const char *key_usage;	/* keyUsage as openssl.cnf writes it
				 * ("critical,keyCertSign"); NULL: none */
	time_t not_before;	/* 0: a day ago */
	time_t not_after;	/* 0: a year from now */
	const char *serial;	/* hex; NULL: 1234 */
	const struct testcert *issuer;	/* NULL: self-signed; borrowed */
};

struct testcert testcert_make(const struct testcert_spec *s);
void testcert_free(struct testcert *c);

char *testcert_pem(const struct testcert *c);
unsigned char *testcert_der(const struct testcert *c, size_t *len);
/* The PEM or the DER of a certificate made by `s` and freed at once, for
 * a test that needs only the encoding. */
char *testcert_make_pem(const struct testcert_spec *s);
unsigned char *testcert_make_der(const struct testcert_spec *s, size_t *len);
/* The PEM of a certificate for `cn` that expired a day ago by the real
 * clock; its notAfter goes to *not_after unless that is NULL. */
char *testcert_expired_pem(const char *cn, time_t *not_after);

/* Keys and requests, for input that looks like a certificate but is not. */
EVP_PKEY *testcert_new_key(enum testcert_key kind);
char *testcert_key_pem(EVP_PKEY *key, bool private_key);
char *testcert_csr_pem(EVP_PKEY *key);
/* A private key given bare, as some tools print it: the base64 of its
 * DER (PKCS#8), no PEM lines. */
char *testcert_key_bare_b64(EVP_PKEY *key);

#endif
