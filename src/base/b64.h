#ifndef DPSENROLL_BASE_B64_H
#define DPSENROLL_BASE_B64_H

/* Base64 (standard alphabet, padded), through OpenSSL's EVP encoder. */

#include <stdbool.h>
#include <stddef.h>

enum b64_status {
	B64_OK,
	B64_EMPTY,		/* nothing to decode */
	B64_BAD_CHAR,		/* a character outside A-Z a-z 0-9 + / = */
	B64_BAD_LENGTH,		/* length is not a multiple of 4 */
	B64_BAD_PADDING,	/* '=' somewhere other than the last two places */
};

/* Returns a NUL-terminated encoding; the caller frees it. */
char *b64_encode(const unsigned char *data, size_t len);

/* Strict decode of `text` (no white space allowed). On B64_OK *out holds
 * *out_len bytes that the caller frees (wipe first when secret). On error
 * *bad_pos, when not NULL, is the offending character's index. */
enum b64_status b64_decode(const char *text, unsigned char **out,
			   size_t *out_len, size_t *bad_pos);

/* Like b64_decode but skips ASCII white space first (PEM bodies, pasted
 * text that wrapped across lines). */
enum b64_status b64_decode_loose(const char *text, unsigned char **out,
				 size_t *out_len, size_t *bad_pos);

/* A sentence fragment for messages, e.g. "its length is not a multiple of 4". */
const char *b64_status_text(enum b64_status st);

#endif
