#ifndef DPSENROLL_BASE_STRPOOL_H
#define DPSENROLL_BASE_STRPOOL_H

/* Interned texts: each distinct text is stored once in one growing block
 * and named by its offset there, a 32-bit number that stays valid while
 * the block moves. For many small records whose texts repeat (the fleet
 * list's rows). Texts are never removed one by one. */

#include <stddef.h>
#include <stdint.h>

struct strpool {
	char *text;		/* NUL-terminated texts one after the other */
	size_t len;
	size_t cap;
	uint32_t *slots;	/* open addressing: offsets, 0 for free */
	size_t nslots;		/* a power of two, or 0 */
	size_t used;		/* distinct texts stored */
};

#define STRPOOL_INIT { NULL, 0, 0, NULL, 0, 0 }

void strpool_clear(struct strpool *p);
/* The reference of `s` (borrowed), stored when new. NULL and "" are 0. */
uint32_t strpool_intern(struct strpool *p, const char *s);
/* The text of a reference strpool_intern returned; "" for 0. Valid until
 * the next strpool_intern. */
const char *strpool_get(const struct strpool *p, uint32_t ref);
/* Bytes allocated for the texts and the slots. */
size_t strpool_memory(const struct strpool *p);

#endif
