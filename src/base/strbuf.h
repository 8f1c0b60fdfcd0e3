#ifndef DPSENROLL_BASE_STRBUF_H
#define DPSENROLL_BASE_STRBUF_H

/* A growable string, for text built piece by piece (joined lists,
 * messages, bodies read in chunks) without copying it whole at each step.
 * Start from STRBUF_INIT or STRBUF_SECRET; the text is NUL-terminated
 * once anything was added (an empty add counts). */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *s;	/* the text; NULL until the first add */
	size_t len;	/* bytes in s, without the NUL */
	size_t cap;	/* bytes s has room for, with the NUL */
	bool secret;	/* wipe every block let go: the text may hold a key */
};

#define STRBUF_INIT { NULL, 0, 0, false }
#define STRBUF_SECRET { NULL, 0, 0, true }

/* Room for `more` bytes past len, and the NUL after them. */
void strbuf_reserve(struct strbuf *b, size_t more);
void strbuf_add(struct strbuf *b, const char *s);
/* `n` bytes of `data`, which may hold NULs. */
void strbuf_add_n(struct strbuf *b, const void *data, size_t n);
void strbuf_addf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* `sep` first unless the text is empty, then `s`: for "a, b, c". */
void strbuf_add_sep(struct strbuf *b, const char *sep, const char *s);

/* The text, owned by the caller ("" when nothing was added; free it with
 * secret_str_free when the buffer is secret); the buffer is empty again. */
char *strbuf_take(struct strbuf *b);
/* Frees the text (wiped when secret); the buffer is empty again. */
void strbuf_free(struct strbuf *b);

#endif
