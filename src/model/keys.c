#include "model/keys.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "model/b64.h"
#include "model/secret.h"

char *
symkey_generate(size_t nbytes, const char **why)
{
	if (nbytes < SYMKEY_MIN_BYTES || nbytes > SYMKEY_MAX_BYTES) {
		*why = "a key must be 16 to 64 bytes long";
		return NULL;
	}
	unsigned char raw[SYMKEY_MAX_BYTES];
	if (RAND_bytes(raw, (int)nbytes) != 1) {
		*why = "the system's random number generator failed";
		return NULL;
	}
	char *key = b64_encode(raw, nbytes);
	OPENSSL_cleanse(raw, sizeof(raw));
	return key;
}
