/* Following the pages of POST /enrollments/query without keeping them. */

#include "dps/ops.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "dps/said.h"

/* The continuations seen so far, as 64-bit hashes in an open-addressing
 * table: eight to sixteen bytes a page, so a long query stays small while
 * a token that comes back after any number of pages is still caught. */
struct token_set {
	uint64_t *slots;	/* 0: empty */
	size_t cap;		/* a power of two */
	size_t count;
};

static uint64_t
token_hash(const char *token)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)token; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h ? h : 1;
}

static bool
slot_put(uint64_t *slots, size_t cap, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	while (slots[i] && slots[i] != h)
		i = (i + 1) & (cap - 1);
	if (slots[i])
		return false;
	slots[i] = h;
	return true;
}

/* False when `token` was there already. */
static bool
token_set_add(struct token_set *s, const char *token)
{
	if (2 * (s->count + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		uint64_t *slots = xcalloc(cap, sizeof(*slots));
		for (size_t i = 0; i < s->cap; i++)
			if (s->slots[i])
				slot_put(slots, cap, s->slots[i]);
		free(s->slots);
		s->slots = slots;
		s->cap = cap;
	}
	if (!slot_put(s->slots, s->cap, token_hash(token)))
		return false;
	s->count++;
	return true;
}

/* Cuts `items` to `room` enrollments; true when some were cut. */
static bool
cut_page(cJSON *items, long room)
{
	bool cut = false;
	while (cJSON_GetArraySize(items) > room) {
		cJSON_DeleteItemFromArray(items, cJSON_GetArraySize(items) - 1);
		cut = true;
	}
	return cut;
}

/* One page through: the end it brings, or -1 to go on. */
static int
take_page(struct dps_response *r, long max_items, long *seen,
	  struct token_set *tokens, dps_query_page_fn page, void *ctx)
{
	if (r->failure != DPS_ANSWERED || r->status != 200 ||
	    !cJSON_IsArray(r->body))
		return DPS_QUERY_FAILED;
	bool cut = cut_page(r->body, max_items - *seen);
	*seen += cJSON_GetArraySize(r->body);
	if (cJSON_GetArraySize(r->body) > 0 && !page(ctx, r->body))
		return DPS_QUERY_STOPPED;
	if (cut || (r->continuation && *seen >= max_items))
		return DPS_QUERY_OVER_MAX;
	if (!r->continuation)
		return DPS_QUERY_DONE;
	if (!token_set_add(tokens, r->continuation))
		return DPS_QUERY_REPEATED;
	return -1;
}

enum dps_query_end
dps_enrollment_query_each(struct dps_client *c, int page_size, long max_items,
			  dps_query_page_fn page, void *ctx,
			  struct dps_response *out)
{
	struct token_set tokens = { 0 };
	char *next = NULL;
	long seen = 0;
	int attempts = 0, end = -1;
	memset(out, 0, sizeof(*out));
	while (end < 0) {
		attempts = out->attempts;	/* every page's so far */
		dps_response_clear(out);
		dps_enrollment_query_page(c, page_size, next, out);
		out->attempts += attempts;
		free(next);
		next = NULL;
		end = take_page(out, max_items, &seen, &tokens, page, ctx);
		if (end < 0)
			next = xstrdup(out->continuation);
	}
	free(tokens.slots);
	return (enum dps_query_end)end;
}

static bool
gather(void *ctx, const cJSON *items)
{
	cJSON *all = ctx;
	const cJSON *item;
	cJSON_ArrayForEach(item, items)
		cJSON_AddItemToArray(all, cJSON_Duplicate(item, 1));
	return true;
}

static void
fail_as(struct dps_response *out, struct dps_said *words)
{
	int attempts = out->attempts;
	dps_response_clear(out);
	out->failure = DPS_FAIL_BAD_ANSWER;
	dps_response_say(out, words);
	out->attempts = attempts;
}

void
dps_enrollment_query_all(struct dps_client *c, int page_size,
			 struct dps_response *out)
{
	cJSON *all = cJSON_CreateArray();
	struct dps_said words = { 0 };
	switch (dps_enrollment_query_each(c, page_size, DPS_QUERY_MAX_ITEMS,
					  gather, all, out)) {
	case DPS_QUERY_DONE:
		cJSON_Delete(out->body);
		out->body = all;
		return;
	case DPS_QUERY_REPEATED:
		dps_said_printf(&words, N_("the service sent the same "
				"continuation token twice; its pages would never "
				"end"));
		fail_as(out, &words);
		break;
	case DPS_QUERY_OVER_MAX:
		/* TRANSLATORS: a limit of a million, so always plural. */
		dps_said_printf(&words, N_("more than %ld enrollments; stopped "
				"there"), DPS_QUERY_MAX_ITEMS);
		fail_as(out, &words);
		break;
	case DPS_QUERY_FAILED:
	case DPS_QUERY_STOPPED:
		break;
	}
	cJSON_Delete(all);
}
