#include "emu/emu_tls.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "sys/fileio.h"
#include "base/secret.h"
#include "model/x509pem.h"
#include "base/xalloc.h"

enum {
	CA_DAYS = 3650,
	SERVER_DAYS = 825,
	RENEW_BEFORE_DAYS = 30,
};

static bool
add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return false;
	bool ok = X509_add_ext(cert, ext, -1) == 1;
	X509_EXTENSION_free(ext);
	return ok;
}

static X509 *
new_cert(EVP_PKEY *key, const char *cn, int days)
{
	X509 *cert = X509_new();
	unsigned char serial[16];
	if (!cert || RAND_bytes(serial, sizeof(serial)) != 1) {
		X509_free(cert);
		return NULL;
	}
	serial[0] &= 0x7f;	/* keep the serial positive */
	BIGNUM *bn = BN_bin2bn(serial, sizeof(serial), NULL);
	BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
	BN_free(bn);
	X509_set_version(cert, 2);
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), (long)days * 86400);
	X509_set_pubkey(cert, key);
	X509_NAME *name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
				   (const unsigned char *)"dpsemu", -1, -1, 0);
	return cert;
}

static X509 *
make_ca(EVP_PKEY *key)
{
	X509 *ca = new_cert(key, "dpsemu local CA", CA_DAYS);
	if (!ca)
		return NULL;
	X509_set_issuer_name(ca, X509_get_subject_name(ca));
	if (!add_ext(ca, ca, NID_basic_constraints, "critical,CA:TRUE") ||
	    !add_ext(ca, ca, NID_key_usage, "critical,keyCertSign,cRLSign") ||
	    !add_ext(ca, ca, NID_subject_key_identifier, "hash") ||
	    !X509_sign(ca, key, EVP_sha256())) {
		X509_free(ca);
		return NULL;
	}
	return ca;
}

static X509 *
make_server(EVP_PKEY *key, X509 *ca, EVP_PKEY *ca_key)
{
	X509 *c = new_cert(key, "localhost", SERVER_DAYS);
	if (!c)
		return NULL;
	X509_set_issuer_name(c, X509_get_subject_name(ca));
	if (!add_ext(c, ca, NID_basic_constraints, "critical,CA:FALSE") ||
	    !add_ext(c, ca, NID_key_usage, "critical,digitalSignature") ||
	    !add_ext(c, ca, NID_ext_key_usage, "serverAuth") ||
	    !add_ext(c, ca, NID_subject_alt_name,
		     "DNS:localhost,IP:127.0.0.1,IP:::1") ||
	    !add_ext(c, ca, NID_authority_key_identifier, "keyid:always") ||
	    !X509_sign(c, ca_key, EVP_sha256())) {
		X509_free(c);
		return NULL;
	}
	return c;
}

static char *
key_to_pem(EVP_PKEY *key)
{
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL);
	char *data;
	long n = BIO_get_mem_data(b, &data);
	char *out = xstrndup(data, (size_t)n);
	OPENSSL_cleanse(data, (size_t)n);
	BIO_free(b);
	return out;
}

static X509 *
pem_to_cert(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *c = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	return c;
}

static EVP_PKEY *
pem_to_key(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	return k;
}

static bool
expires_soon(X509 *cert)
{
	time_t limit = time(NULL) + (time_t)RENEW_BEFORE_DAYS * 86400;
	return X509_cmp_time(X509_get0_notAfter(cert), &limit) < 0;
}

static char *
load_pem(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	/* a private key loosened by hand is closed again before it is used */
	if (strstr(name, ".key"))
		chmod(path, 0600);
	char *pem = file_read_all(path, NULL);
	free(path);
	return pem;
}

static bool
save_pem(const char *dir, const char *name, const char *pem, mode_t mode,
	 char **why)
{
	char *path = xasprintf("%s/%s", dir, name);
	bool ok = file_write_atomic(path, pem, strlen(pem), mode, why);
	free(path);
	return ok;
}

/* The CA from the folder, or a new one saved there. */
static bool
ensure_ca(const char *dir, X509 **ca, EVP_PKEY **ca_key, char **why)
{
	char *cert_pem = load_pem(dir, "ca.pem");
	char *key_pem = load_pem(dir, "ca.key");
	if (cert_pem && key_pem) {
		*ca = pem_to_cert(cert_pem);
		*ca_key = pem_to_key(key_pem);
	}
	free(cert_pem);
	if (key_pem)
		OPENSSL_cleanse(key_pem, strlen(key_pem));
	free(key_pem);
	if (*ca && *ca_key)
		return true;
	if (*ca || *ca_key) {
		*why = xasprintf("%s/ca.pem or ca.key is damaged; move both away "
				 "to make a new CA (clients must then trust the new "
				 "ca.pem)", dir);
		return false;
	}
	*ca_key = EVP_EC_gen("P-256");
	*ca = *ca_key ? make_ca(*ca_key) : NULL;
	if (!*ca) {
		*why = xstrdup("cannot make the emulator's CA certificate");
		return false;
	}
	char *kp = key_to_pem(*ca_key), *cp = cert_pem_of(*ca);
	bool ok = save_pem(dir, "ca.key", kp, 0600, why) &&
		  save_pem(dir, "ca.pem", cp, 0644, why);
	OPENSSL_cleanse(kp, strlen(kp));
	free(kp);
	free(cp);
	return ok;
}

static bool
server_usable(const char *dir, char **cert_pem, char **key_pem)
{
	*cert_pem = load_pem(dir, "server.pem");
	*key_pem = load_pem(dir, "server.key");
	X509 *c = *cert_pem ? pem_to_cert(*cert_pem) : NULL;
	EVP_PKEY *k = *key_pem ? pem_to_key(*key_pem) : NULL;
	bool ok = c && k && !expires_soon(c) && X509_check_private_key(c, k);
	X509_free(c);
	EVP_PKEY_free(k);
	return ok;
}

static bool
make_server_files(const char *dir, X509 *ca, EVP_PKEY *ca_key,
		  char **cert_pem, char **key_pem, char **why)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *cert = key ? make_server(key, ca, ca_key) : NULL;
	if (!cert) {
		EVP_PKEY_free(key);
		*why = xstrdup("cannot make the emulator's server certificate");
		return false;
	}
	*key_pem = key_to_pem(key);
	*cert_pem = cert_pem_of(cert);
	X509_free(cert);
	EVP_PKEY_free(key);
	return save_pem(dir, "server.key", *key_pem, 0600, why) &&
	       save_pem(dir, "server.pem", *cert_pem, 0644, why);
}

bool
emu_tls_material(const char *dir, char **ca_pem, char **cert_pem,
		 char **key_pem, char **why)
{
	X509 *ca = NULL;
	EVP_PKEY *ca_key = NULL;
	*ca_pem = *cert_pem = *key_pem = NULL;
	bool ok = ensure_ca(dir, &ca, &ca_key, why);
	if (ok && !server_usable(dir, cert_pem, key_pem)) {
		free(*cert_pem);
		secret_str_free(*key_pem);
		ok = make_server_files(dir, ca, ca_key, cert_pem, key_pem, why);
	}
	if (ok)
		*ca_pem = cert_pem_of(ca);
	X509_free(ca);
	EVP_PKEY_free(ca_key);
	return ok;
}
