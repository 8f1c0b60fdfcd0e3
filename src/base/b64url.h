#ifndef DPSENROLL_BASE_B64URL_H
#define DPSENROLL_BASE_B64URL_H

/* Base64url without padding (RFC 4648 section 5), the alphabet of JSON
 * Web Tokens: the standard codec of b64.h with '-' and '_' for '+' and
 * '/', and the '=' padding left off. */

#include <stdbool.h>
#include <stddef.h>

/* NUL-terminated; the caller frees. */
char *b64url_encode(const unsigned char *data, size_t len);

/* Decodes `len` characters of `text` (no padding, no white space). False
 * on anything else; on success *out (NUL-terminated beyond *out_len, for
 * text) is the caller's to free, wiped first when secret. */
bool b64url_decode(const char *text, size_t len, unsigned char **out,
		   size_t *out_len);

#endif
