#include "base/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "base/xalloc.h"

enum { STRBUF_FIRST = 64 };

void
strbuf_reserve(struct strbuf *b, size_t more)
{
	if (more >= SIZE_MAX - b->len)
		xreallocarray(NULL, SIZE_MAX, 2);	/* stops: out of memory */
	size_t need = b->len + more + 1;
	if (b->s && need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : STRBUF_FIRST;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (b->secret) {
		/* realloc could leave a copy of a key behind in freed memory */
		b->s = secret_grow(b->s, b->s ? b->len + 1 : 0, cap);
	} else {
		b->s = xreallocarray(b->s, cap, 1);
	}
	if (b->len == 0)
		b->s[0] = '\0';
	b->cap = cap;
}

void
strbuf_add_n(struct strbuf *b, const void *data, size_t n)
{
	strbuf_reserve(b, n);
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
strbuf_add(struct strbuf *b, const char *s)
{
	strbuf_add_n(b, s, strlen(s));
}

void
strbuf_addf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap, copy;
	va_start(ap, fmt);
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n > 0) {
		strbuf_reserve(b, (size_t)n);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
		b->len += (size_t)n;
	} else {
		strbuf_reserve(b, 0);
	}
	va_end(ap);
}

void
strbuf_add_sep(struct strbuf *b, const char *sep, const char *s)
{
	if (b->len)
		strbuf_add(b, sep);
	strbuf_add(b, s);
}

char *
strbuf_take(struct strbuf *b)
{
	strbuf_reserve(b, 0);
	char *s = b->s;
	*b = (struct strbuf){ .secret = b->secret };
	return s;
}

void
strbuf_free(struct strbuf *b)
{
	if (b->secret)
		secret_free(b->s, b->cap);
	else
		free(b->s);
	*b = (struct strbuf){ .secret = b->secret };
}
