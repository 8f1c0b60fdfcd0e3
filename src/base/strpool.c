#include "base/strpool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/* A reference is block << OFFSET_BITS | offset. Block 0 starts with the
 * empty text, so no stored text is 0. A text longer than a block gets a
 * block of its own, at offset 0. */
enum {
	OFFSET_BITS = 20,
	STRPOOL_BLOCK = 1 << OFFSET_BITS,
	MAX_BLOCKS = 1 << (32 - OFFSET_BITS),
};

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
	for (size_t i = 0; i < p->nblocks; i++)
		free(p->blocks[i]);
	free(p->blocks);
	free(p->slots);
	*p = (struct strpool)STRPOOL_INIT;
}

const char *
strpool_get(const struct strpool *p, uint32_t ref)
{
	size_t b = ref >> OFFSET_BITS;
	if (!ref || b >= p->nblocks)
		return "";
	return p->blocks[b] + (ref & (STRPOOL_BLOCK - 1));
}

static size_t
new_block(struct strpool *p, size_t size)
{
	if (p->nblocks >= MAX_BLOCKS) {
		fputs("dpsenroll: too much text in one list\n", stderr);
		abort();
	}
	p->blocks = xreallocarray(p->blocks, p->nblocks + 1,
				  sizeof(*p->blocks));
	p->blocks[p->nblocks] = xmalloc(size);
	p->bytes += size;
	return p->nblocks++;
}

/* A block to fill: twice the pool so far, from 4 KiB to 1 MiB. */
static void
next_fill(struct strpool *p)
{
	size_t size = p->bytes < 4096 ? 4096 : p->bytes;
	if (size > STRPOOL_BLOCK)
		size = STRPOOL_BLOCK;
	p->fill = new_block(p, size);
	p->room = size;
	p->used = 0;
}

static uint32_t
store(struct strpool *p, const char *s, size_t n)
{
	if (!p->nblocks) {
		next_fill(p);
		p->blocks[0][0] = '\0';
		p->used = 1;
	}
	if (n + 1 > STRPOOL_BLOCK / 4) {
		/* A long text gets a block of its own, at offset 0. */
		size_t own = new_block(p, n + 1);
		memcpy(p->blocks[own], s, n + 1);
		return (uint32_t)(own << OFFSET_BITS);
	}
	if (p->used + n + 1 > p->room)
		next_fill(p);
	char *at = p->blocks[p->fill] + p->used;
	memcpy(at, s, n);
	at[n] = '\0';
	uint32_t ref = (uint32_t)(p->fill << OFFSET_BITS | p->used);
	p->used += n + 1;
	return ref;
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
		const char *s = strpool_get(p, ref);
		size_t j = hash_text(s, strlen(s)) & (n - 1);
		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = ref;
	}
	free(p->slots);
	p->slots = slots;
	p->nslots = n;
}

uint32_t
strpool_intern(struct strpool *p, const char *s)
{
	if (!s || !*s)
		return 0;
	/* Kept under 3/4 full so that probes stay short. */
	if ((p->count + 1) * 4 > p->nslots * 3)
		rehash(p);
	size_t n = strlen(s);
	size_t j = hash_text(s, n) & (p->nslots - 1);
	for (; p->slots[j]; j = (j + 1) & (p->nslots - 1)) {
		const char *t = strpool_get(p, p->slots[j]);
		if (strncmp(t, s, n) == 0 && t[n] == '\0')
			return p->slots[j];
	}
	uint32_t ref = store(p, s, n);
	p->slots[j] = ref;
	p->count++;
	return ref;
}

size_t
strpool_memory(const struct strpool *p)
{
	return p->bytes + p->nblocks * sizeof(*p->blocks) +
	       p->nslots * sizeof(*p->slots);
}
