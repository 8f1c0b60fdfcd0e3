#ifndef DPSENROLL_BASE_HASH_H
#define DPSENROLL_BASE_HASH_H

/* FNV-1a, 64 bits: a cheap fingerprint to notice that something changed
 * (never for anything an attacker chooses to collide). Start from
 * HASH_START and fold values in:
 *
 *	uint64_t h = hash_str(HASH_START, name);
 *	h = hash_u64(h, count);
 */

#include <stddef.h>
#include <stdint.h>

#define HASH_START 1469598103934665603ull

uint64_t hash_bytes(uint64_t h, const void *data, size_t len);
/* The text and its end, so "ab","c" and "a","bc" differ; NULL as "". */
uint64_t hash_str(uint64_t h, const char *s);
uint64_t hash_u64(uint64_t h, uint64_t v);

#endif
