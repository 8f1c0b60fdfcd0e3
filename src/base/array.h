#ifndef DPSENROLL_BASE_ARRAY_H
#define DPSENROLL_BASE_ARRAY_H

/* Growable arrays. An array is three members of the caller's own struct:
 * the items, their count and the room there is (cap); all three start at
 * zero. To append:
 *
 *	l->items = array_grow(l->items, l->count, &l->cap, sizeof(*l->items));
 *	l->items[l->count++] = item;
 */

#include <stddef.h>

/* `items` with room for at least `count` + 1 items of `size` bytes: when
 * `count` has reached *cap, the items move to a block twice as large (8
 * items at first). Returns the block to keep; the caller frees it. */
void *array_grow(void *items, size_t count, size_t *cap, size_t size);

#endif
