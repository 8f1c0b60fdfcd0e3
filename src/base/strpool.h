#ifndef DPSENROLL_BASE_STRPOOL_H
#define DPSENROLL_BASE_STRPOOL_H

/* Interned texts: each distinct text is stored once and named by a
 * 32-bit reference. Texts live in blocks that never move (4 KiB at
 * first, doubling up to 1 MiB), so a pool of 100,000 rows' texts grows
 * a block at a time, with no copy of everything and at most one block's
 * slack, and a reference stays valid until the pool is cleared. Texts are never removed one by one.
 * For many small records whose texts repeat (the fleet list's rows). */

#include <stddef.h>
#include <stdint.h>

struct strpool {
	char **blocks;		/* at most 1 MiB each, or one long text */
	size_t nblocks;
	size_t fill;		/* the block being filled */
	size_t room;		/* its size */
	size_t used;		/* bytes used in it */
	uint32_t *slots;	/* open addressing: references, 0 for free */
	size_t nslots;		/* a power of two, or 0 */
	size_t count;		/* distinct texts interned */
	size_t bytes;		/* allocated for the blocks */
};

#define STRPOOL_INIT { NULL, 0, 0, 0, 0, NULL, 0, 0, 0 }

void strpool_clear(struct strpool *p);
/* The reference of `s` (borrowed), stored when new. NULL and "" are 0. */
uint32_t strpool_intern(struct strpool *p, const char *s);
/* The text of a reference; "" for 0. */
const char *strpool_get(const struct strpool *p, uint32_t ref);
/* Bytes allocated for the texts and the index. */
size_t strpool_memory(const struct strpool *p);

#endif
