#include "model/keys.h"

#include <stdio.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "base/b64.h"
#include "base/i18n.h"
#include "base/secret.h"

char *
symkey_generate(size_t nbytes, const char **why)
{
	if (nbytes < SYMKEY_MIN_BYTES || nbytes > SYMKEY_MAX_BYTES) {
		*why = _("a key must be 16 to 64 bytes long");
		return NULL;
	}
	unsigned char raw[SYMKEY_MAX_BYTES];
	if (RAND_bytes(raw, (int)nbytes) != 1) {
		*why = _("the system's random number generator failed");
		return NULL;
	}
	char *key = b64_encode(raw, nbytes);
	OPENSSL_cleanse(raw, sizeof(raw));
	return key;
}

/* 48 bits of a hash tell nothing useful about a key of 128 bits or more,
 * yet a misread character changes them all. */
bool
symkey_fingerprint(const char *key_b64, char out[20])
{
	out[0] = '\0';
	unsigned char *key = NULL;
	size_t len = 0;
	if (b64_decode(key_b64, &key, &len, NULL) != B64_OK)
		return false;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	bool ok = EVP_Digest(key, len, md, &n, EVP_sha256(), NULL) && n >= 6;
	secret_free(key, len);
	if (ok)
		snprintf(out, 20, "%02X%02X-%02X%02X-%02X%02X", md[0], md[1],
			 md[2], md[3], md[4], md[5]);
	OPENSSL_cleanse(md, sizeof(md));
	return ok;
}
