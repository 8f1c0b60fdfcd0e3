#include "base/b64url.h"

#include <string.h>

#include "base/b64.h"
#include "base/secret.h"
#include "base/xalloc.h"

char *
b64url_encode(const unsigned char *data, size_t len)
{
	char *s = b64_encode(data, len);
	size_t n = strlen(s);
	while (n && s[n - 1] == '=')
		s[--n] = '\0';
	for (char *p = s; *p; p++)
		*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
	return s;
}

bool
b64url_decode(const char *text, size_t len, unsigned char **out,
	      size_t *out_len)
{
	/* a remainder of 1 character cannot come from any byte string */
	if (len == 0 || len % 4 == 1)
		return false;
	size_t padded = (len + 3) / 4 * 4;
	char *std = xmalloc(padded + 1);
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '+' || c == '/' || c == '=')
			c = '!';	/* not in the url alphabet: refused below */
		std[i] = c == '-' ? '+' : c == '_' ? '/' : c;
	}
	memset(std + len, '=', padded - len);
	std[padded] = '\0';
	unsigned char *raw = NULL;
	size_t n = 0;
	bool ok = b64_decode(std, &raw, &n, NULL) == B64_OK;
	secret_free(std, padded + 1);
	if (!ok)
		return false;
	/* room for a NUL, so a decoded JSON text can be parsed in place */
	unsigned char *copy = xmalloc(n + 1);
	memcpy(copy, raw, n);
	copy[n] = '\0';
	secret_free(raw, n);
	*out = copy;
	*out_len = n;
	return true;
}
