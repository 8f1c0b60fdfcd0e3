#include "base/hash.h"


/* The FNV 64-bit prime. */
static const uint64_t prime = 1099511628211ull;

uint64_t
hash_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * prime;
	return h;
}

uint64_t
hash_str(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * prime;
	return (h ^ 0xff) * prime;
}

uint64_t
hash_u64(uint64_t h, uint64_t v)
{
	return hash_bytes(h, &v, sizeof(v));
}
