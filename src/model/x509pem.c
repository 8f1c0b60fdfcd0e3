#include "model/x509pem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "model/b64.h"
#include "model/x509info.h"
#include "model/xalloc.h"

static bool
has_thumbprint(X509 *x, const char *sha256)
{
	unsigned char md[32];
	unsigned int n = 0;
	char hex[65] = "";
	if (!X509_digest(x, EVP_sha256(), md, &n) || n != 32)
		return false;
	for (unsigned i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02X", md[i]);
	return strcmp(hex, sha256) == 0;
}

/* cert_info_read chose the leaf; find that certificate again, by its
 * thumbprint, among the ones in the input. */
static X509 *
pem_leaf(const unsigned char *data, size_t len, const char *sha256)
{
	BIO *b = BIO_new_mem_buf(data, (int)len);
	X509 *x, *found = NULL;
	while (!found && (x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
		if (has_thumbprint(x, sha256))
			found = x;
		else
			X509_free(x);
	}
	BIO_free(b);
	return found;
}

static X509 *
der_leaf(const unsigned char *data, size_t len, const char *sha256)
{
	const unsigned char *p = data, *end = data + len;
	X509 *x, *found = NULL;
	while (!found && p < end && (x = d2i_X509(NULL, &p, (long)(end - p)))) {
		if (has_thumbprint(x, sha256))
			found = x;
		else
			X509_free(x);
	}
	return found;
}

static X509 *
base64_leaf(const unsigned char *data, size_t len, const char *sha256)
{
	char *text = xstrndup((const char *)data, len);
	unsigned char *der;
	size_t der_len;
	X509 *x = NULL;
	if (b64_decode_loose(text, &der, &der_len, NULL) == B64_OK) {
		x = der_leaf(der, der_len, sha256);
		free(der);
	}
	free(text);
	return x;
}

char *
cert_pem_of(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(b, x);
	char *mem;
	long n = BIO_get_mem_data(b, &mem);
	char *out = xstrndup(mem, (size_t)n);
	BIO_free(b);
	return out;
}

char *
cert_leaf_pem(const unsigned char *data, size_t len, char **why)
{
	struct cert_info info;
	if (!cert_info_read(data, len, &info, why))
		return NULL;
	X509 *x = info.format == CERT_FORMAT_PEM ? pem_leaf(data, len, info.sha256)
		: info.format == CERT_FORMAT_DER ? der_leaf(data, len, info.sha256)
		: base64_leaf(data, len, info.sha256);
	cert_info_clear(&info);
	if (!x) {
		*why = xstrdup("the certificate was read but could not be re-encoded");
		return NULL;
	}
	char *pem = cert_pem_of(x);
	X509_free(x);
	return pem;
}
