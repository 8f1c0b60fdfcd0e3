#include "base/b64.h"

#include <ctype.h>
#include <string.h>

#include <openssl/evp.h>

#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"

char *
b64_encode(const unsigned char *data, size_t len)
{
	size_t cap = 4 * ((len + 2) / 3) + 1;
	char *out = xmalloc(cap);
	int n = EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	out[n < 0 ? 0 : n] = '\0';
	return out;
}

static bool
is_b64_char(unsigned char c)
{
	return isalnum(c) || c == '+' || c == '/';
}

static enum b64_status
check_shape(const char *text, size_t len, size_t *bad_pos)
{
	if (len == 0)
		return B64_EMPTY;
	size_t pad = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '=') {
			pad++;
			continue;
		}
		if (c > 127 || !is_b64_char(c)) {
			if (bad_pos)
				*bad_pos = i;
			return B64_BAD_CHAR;
		}
		if (pad) {
			if (bad_pos)
				*bad_pos = i - pad;
			return B64_BAD_PADDING;
		}
	}
	if (len % 4) {
		if (bad_pos)
			*bad_pos = len;
		return B64_BAD_LENGTH;
	}
	if (pad > 2) {
		if (bad_pos)
			*bad_pos = len - pad;
		return B64_BAD_PADDING;
	}
	return B64_OK;
}

static enum b64_status
decode_exact(const char *text, size_t len, unsigned char **out,
	     size_t *out_len, size_t *bad_pos)
{
	enum b64_status st = check_shape(text, len, bad_pos);
	if (st != B64_OK)
		return st;
	size_t pad = (text[len - 1] == '=') + (text[len - 2] == '=');
	unsigned char *buf = xmalloc(len / 4 * 3 + 1);
	int n = EVP_DecodeBlock(buf, (const unsigned char *)text, (int)len);
	if (n < 0) {
		secret_free(buf, len / 4 * 3 + 1);
		if (bad_pos)
			*bad_pos = 0;
		return B64_BAD_CHAR;
	}
	*out = buf;
	*out_len = (size_t)n - pad;
	return B64_OK;
}

enum b64_status
b64_decode(const char *text, unsigned char **out, size_t *out_len,
	   size_t *bad_pos)
{
	return decode_exact(text, strlen(text), out, out_len, bad_pos);
}

enum b64_status
b64_decode_loose(const char *text, unsigned char **out, size_t *out_len,
		 size_t *bad_pos)
{
	size_t len = strlen(text);
	char *packed = xmalloc(len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)text[i]))
			packed[n++] = text[i];
	packed[n] = '\0';
	enum b64_status st = decode_exact(packed, n, out, out_len, bad_pos);
	secret_free(packed, len + 1);
	return st;
}

const char *
b64_status_text(enum b64_status st)
{
	switch (st) {
	case B64_OK:
		return _("it is valid base64");
	case B64_EMPTY:
		return _("it is empty");
	case B64_BAD_CHAR:
		return _("it has a character that base64 does not use");
	case B64_BAD_LENGTH:
		return _("its length is not a multiple of 4 (a character is "
			 "missing or extra)");
	case B64_BAD_PADDING:
		return _("its '=' padding is misplaced");
	}
	return _("it is not base64");
}
