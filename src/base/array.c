#include "base/array.h"

#include <stdint.h>

#include "base/xalloc.h"

enum { ARRAY_FIRST = 8 };

void *
array_grow(void *items, size_t count, size_t *cap, size_t size)
{
	if (items && count < *cap)
		return items;
	size_t more = *cap ? *cap : ARRAY_FIRST;
	*cap = more > SIZE_MAX - *cap ? SIZE_MAX : *cap + more;
	return xreallocarray(items, *cap, size);
}
