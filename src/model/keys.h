#ifndef DPSENROLL_MODEL_KEYS_H
#define DPSENROLL_MODEL_KEYS_H

/* Symmetric keys for symmetricKey attestation. */

#include <stdbool.h>
#include <stddef.h>

enum {
	SYMKEY_MIN_BYTES = 16,
	SYMKEY_MAX_BYTES = 64,
	SYMKEY_DEFAULT_BYTES = 64,	/* what the portal and the service make */
};

/* A fresh key of `nbytes` random bytes (OpenSSL's CSPRNG), base64. The
 * caller frees it with secret_str_free. Returns NULL when nbytes is out of
 * range or the RNG fails; *why (static text) says which. */
char *symkey_generate(size_t nbytes, const char **why);

/* "AB12-CD34-EF56": the first 6 bytes of the SHA-256 of the decoded key,
 * for reading a key back against the device without showing it. False,
 * with out empty, when key_b64 is not strict base64. */
bool symkey_fingerprint(const char *key_b64, char out[20]);

#endif
