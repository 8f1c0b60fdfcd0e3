#include "base/strpool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static uint32_t
hash_text(const char *s, size_t n)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

void
strpool_clear(struct strpool *p)
{
	free(p->text);
	free(p->slots);
	*p = (struct strpool)STRPOOL_INIT;
}

static void
rehash(struct strpool *p)
{
	size_t n = p->nslots ? p->nslots * 2 : 1024;
	uint32_t *slots = xcalloc(n, sizeof(*slots));
	for (size_t i = 0; i < p->nslots; i++) {
		uint32_t ref = p->slots[i];
		if (!ref)
			continue;
		const char *s = p->text + ref;
		size_t j = hash_text(s, strlen(s)) & (n - 1);
		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = ref;
	}
	free(p->slots);
	p->slots = slots;
	p->nslots = n;
}

static uint32_t
append_text(struct strpool *p, const char *s, size_t n)
{
	if (!p->text) {
		/* Offset 0 is the empty text, so no stored text is 0. */
		p->cap = 4096;
		p->text = xmalloc(p->cap);
		p->text[0] = '\0';
		p->len = 1;
	}
	if (p->len + n + 1 > UINT32_MAX) {
		fputs("dpsenroll: too much text in one list\n", stderr);
		abort();
	}
	if (p->len + n + 1 > p->cap) {
		while (p->len + n + 1 > p->cap)
			p->cap *= 2;
		p->text = xreallocarray(p->text, p->cap, 1);
	}
	uint32_t ref = (uint32_t)p->len;
	memcpy(p->text + ref, s, n);
	p->text[ref + n] = '\0';
	p->len += n + 1;
	return ref;
}

uint32_t
strpool_intern(struct strpool *p, const char *s)
{
	if (!s || !*s)
		return 0;
	/* Kept under 3/4 full so that probes stay short. */
	if ((p->used + 1) * 4 > p->nslots * 3)
		rehash(p);
	size_t n = strlen(s);
	size_t j = hash_text(s, n) & (p->nslots - 1);
	for (; p->slots[j]; j = (j + 1) & (p->nslots - 1)) {
		const char *t = p->text + p->slots[j];
		if (strncmp(t, s, n) == 0 && t[n] == '\0')
			return p->slots[j];
	}
	uint32_t ref = append_text(p, s, n);
	p->slots[j] = ref;
	p->used++;
	return ref;
}

const char *
strpool_get(const struct strpool *p, uint32_t ref)
{
	return ref && ref < p->len ? p->text + ref : "";
}

size_t
strpool_memory(const struct strpool *p)
{
	return p->cap + p->nslots * sizeof(*p->slots);
}
