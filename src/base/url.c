#include "base/url.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "base/secret.h"
#include "base/xalloc.h"

static bool
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = xmalloc(strlen(s) * 3 + 1);
	char *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (is_unreserved(*p)) {
			*o++ = (char)*p;
			continue;
		}
		*o++ = '%';
		*o++ = hex[*p >> 4];
		*o++ = hex[*p & 0xf];
	}
	*o = '\0';
	return out;
}

char *
url_decode(const char *s)
{
	size_t len = strlen(s);
	char *out = xmalloc(len + 1);
	size_t n = 0;
	bool nul = false;
	for (size_t i = 0; i < len; n++) {
		int hi = s[i] == '%' ? hex_value((unsigned char)s[i + 1]) : -1;
		int lo = hi >= 0 ? hex_value((unsigned char)s[i + 2]) : -1;
		if (lo >= 0) {
			out[n] = (char)(hi << 4 | lo);
			i += 3;
		} else {
			out[n] = s[i++];
		}
		nul |= out[n] == '\0';
	}
	out[n] = '\0';
	if (nul) {
		/* what was decoded may be a signature */
		OPENSSL_cleanse(out, n);
		free(out);
		return NULL;
	}
	return out;
}

static const struct url_splitter *splitter;

void
url_splitter_install(const struct url_splitter *s)
{
	splitter = s;
}

enum url_problem
url_split(const char *url, enum url_split_mode mode, struct url_parts *out,
	  const char **why)
{
	memset(out, 0, sizeof(*out));
	if (!splitter) {
		*why = "this program has no URL parser";
		return URL_UNCHECKED;
	}
	return splitter->split(url, mode, out, why);
}

void
url_parts_clear(struct url_parts *p)
{
	free(p->scheme);
	free(p->host);
	free(p->port);
	free(p->user);
	secret_str_free(p->password);
	free(p->fragment);
	memset(p, 0, sizeof(*p));
}
