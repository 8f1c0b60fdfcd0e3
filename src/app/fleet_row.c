#include "app/fleet_row.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/strpool.h"
#include "base/xalloc.h"
#include "model/json.h"

/* Rows live in chunks that never move: a pointer to a row stays valid
 * while rows are added, and 100,000 rows grow without copying. */
enum { CHUNK_BITS = 12, CHUNK_ROWS = 1 << CHUNK_BITS };

struct fleet_rows {
	struct fleet_row **chunks;
	size_t nchunks;
	size_t count;
	uint64_t changes;
	struct strpool pool;
	uint32_t *ids;		/* open addressing by id: row + 1, 0 free */
	size_t nids;		/* a power of two, or 0 */
};

static struct fleet_row *
row_at(const struct fleet_rows *s, size_t i)
{
	return &s->chunks[i >> CHUNK_BITS][i & (CHUNK_ROWS - 1)];
}

static const char *const status_names[] = {
	[FLEET_STATUS_UNKNOWN] = "unknown",
	[FLEET_STATUS_UNASSIGNED] = "unassigned",
	[FLEET_STATUS_ASSIGNING] = "assigning",
	[FLEET_STATUS_ASSIGNED] = "assigned",
	[FLEET_STATUS_FAILED] = "failed",
	[FLEET_STATUS_DISABLED] = "disabled",
};

const char *
fleet_status_name(enum fleet_status s)
{
	return (size_t)s < sizeof(status_names) / sizeof(*status_names)
		? status_names[s] : "unknown";
}

enum fleet_status
fleet_status_parse(const char *name)
{
	for (size_t i = 1; name && i < sizeof(status_names) / sizeof(*status_names);
	     i++)
		if (strcasecmp(name, status_names[i]) == 0)
			return (enum fleet_status)i;
	return FLEET_STATUS_UNKNOWN;
}

static const struct {
	const char *key;
	const char *title;
} cols[FLEET_COL_COUNT] = {
	[FLEET_COL_ID] = { "registrationId", "REGISTRATION ID" },
	[FLEET_COL_DEVICE] = { "deviceId", "DEVICE ID" },
	[FLEET_COL_ATTESTATION] = { "attestation", "ATTESTATION" },
	[FLEET_COL_PROVISIONING] = { "provisioningStatus", "PROVISIONING" },
	[FLEET_COL_STATUS] = { "registrationStatus", "STATUS" },
	[FLEET_COL_HUB] = { "assignedHub", "HUB" },
	[FLEET_COL_UPDATED] = { "lastUpdated", "LAST UPDATED" },
};

const char *
fleet_col_key(enum fleet_col c)
{
	return (unsigned)c < FLEET_COL_COUNT ? cols[c].key : "";
}

const char *
fleet_col_title(enum fleet_col c)
{
	return (unsigned)c < FLEET_COL_COUNT ? cols[c].title : "";
}

struct fleet_rows *
fleet_rows_new(void)
{
	struct fleet_rows *s = xcalloc(1, sizeof(*s));
	s->pool = (struct strpool)STRPOOL_INIT;
	return s;
}

void
fleet_rows_free(struct fleet_rows *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nchunks; i++)
		free(s->chunks[i]);
	free(s->chunks);
	free(s->ids);
	strpool_clear(&s->pool);
	free(s);
}

size_t
fleet_rows_count(const struct fleet_rows *s)
{
	return s->count;
}

const struct fleet_row *
fleet_rows_at(const struct fleet_rows *s, size_t i)
{
	return i < s->count ? row_at(s, i) : NULL;
}

const char *
fleet_rows_str(const struct fleet_rows *s, fleet_str ref)
{
	return strpool_get(&s->pool, ref);
}

uint64_t
fleet_rows_changes(const struct fleet_rows *s)
{
	return s->changes;
}

size_t
fleet_rows_memory(const struct fleet_rows *s)
{
	return sizeof(*s) + s->nchunks * (CHUNK_ROWS * sizeof(struct fleet_row) +
					  sizeof(*s->chunks)) +
	       s->nids * sizeof(*s->ids) + strpool_memory(&s->pool);
}

/* Registration ids are case-insensitive: the index hashes them folded. */
static uint32_t
hash_id(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)tolower((unsigned char)*s)) * 16777619u;
	return h;
}

static size_t
id_slot(const struct fleet_rows *s, const char *id)
{
	size_t mask = s->nids - 1;
	size_t j = hash_id(id) & mask;
	for (; s->ids[j]; j = (j + 1) & mask) {
		const char *t = strpool_get(&s->pool,
					    row_at(s, s->ids[j] - 1)->id);
		if (strcasecmp(t, id) == 0)
			break;
	}
	return j;
}

static void
grow_ids(struct fleet_rows *s)
{
	free(s->ids);
	s->nids = s->nids ? s->nids * 2 : 1024;
	s->ids = xcalloc(s->nids, sizeof(*s->ids));
	for (size_t i = 0; i < s->count; i++) {
		const char *id = strpool_get(&s->pool, row_at(s, i)->id);
		s->ids[id_slot(s, id)] = (uint32_t)i + 1;
	}
}

long
fleet_rows_find(const struct fleet_rows *s, const char *id)
{
	if (!s->nids || !id)
		return -1;
	uint32_t v = s->ids[id_slot(s, id)];
	return v ? (long)v - 1 : -1;
}

static fleet_str
intern_member(struct fleet_rows *s, const cJSON *obj, const char *path)
{
	const cJSON *v = json_path_get(obj, path);
	return strpool_intern(&s->pool, cJSON_IsString(v) ? v->valuestring
							  : NULL);
}

long
fleet_rows_add_enrollment(struct fleet_rows *s, const cJSON *enrollment)
{
	const cJSON *idv = cJSON_GetObjectItemCaseSensitive(enrollment,
							   "registrationId");
	if (!cJSON_IsString(idv) || !*idv->valuestring)
		return -1;
	long at = fleet_rows_find(s, idv->valuestring);
	if (at < 0) {
		if ((s->count + 1) * 4 > s->nids * 3)
			grow_ids(s);
		if (s->count == s->nchunks * CHUNK_ROWS) {
			s->chunks = xreallocarray(s->chunks, s->nchunks + 1,
						  sizeof(*s->chunks));
			s->chunks[s->nchunks++] = xmalloc(
				CHUNK_ROWS * sizeof(struct fleet_row));
		}
		at = (long)s->count;
		*row_at(s, (size_t)at) = (struct fleet_row){
			.id = strpool_intern(&s->pool, idv->valuestring),
		};
		s->ids[id_slot(s, idv->valuestring)] = (uint32_t)at + 1;
		s->count++;
	} else {
		s->changes++;
	}
	struct fleet_row *r = row_at(s, (size_t)at);
	r->device_id = intern_member(s, enrollment, "deviceId");
	r->attestation = intern_member(s, enrollment, "attestation.type");
	r->provisioning = intern_member(s, enrollment, "provisioningStatus");
	r->updated = intern_member(s, enrollment, "lastUpdatedDateTimeUtc");
	r->etag = intern_member(s, enrollment, "etag");
	return at;
}

size_t
fleet_rows_add_page(struct fleet_rows *s, const cJSON *items)
{
	size_t n = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, items)
		if (fleet_rows_add_enrollment(s, e) >= 0)
			n++;
	return n;
}

static void
reset_state(struct fleet_rows *s, struct fleet_row *r)
{
	s->changes++;
	r->hub = r->state_updated = r->state_etag = r->error_message = 0;
	r->error_code = 0;
	r->status = FLEET_STATUS_UNKNOWN;
	r->flags = 0;
	r->fetched_ms = 0;
}

void
fleet_rows_set_state(struct fleet_rows *s, size_t i, const cJSON *state,
		     int64_t now_ms)
{
	if (i >= s->count)
		return;
	struct fleet_row *r = row_at(s, i);
	reset_state(s, r);
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(state, "status");
	r->status = fleet_status_parse(cJSON_IsString(st) ? st->valuestring
							  : NULL);
	r->hub = intern_member(s, state, "assignedHub");
	r->state_updated = intern_member(s, state, "lastUpdatedDateTimeUtc");
	r->state_etag = intern_member(s, state, "etag");
	r->error_message = intern_member(s, state, "errorMessage");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(state,
							     "errorCode");
	if (cJSON_IsNumber(code))
		r->error_code = (int32_t)code->valuedouble;
	r->flags = FLEET_ROW_STATE_FETCHED;
	r->fetched_ms = now_ms;
}

void
fleet_rows_set_no_state(struct fleet_rows *s, size_t i, int64_t now_ms)
{
	if (i >= s->count)
		return;
	struct fleet_row *r = row_at(s, i);
	reset_state(s, r);
	r->status = FLEET_STATUS_UNASSIGNED;
	r->flags = FLEET_ROW_STATE_FETCHED | FLEET_ROW_STATE_ABSENT;
	r->fetched_ms = now_ms;
}

void
fleet_rows_set_fetch_failed(struct fleet_rows *s, size_t i, const char *why,
			    int64_t now_ms)
{
	if (i >= s->count)
		return;
	struct fleet_row *r = row_at(s, i);
	reset_state(s, r);
	r->error_message = strpool_intern(&s->pool, why);
	r->flags = FLEET_ROW_FETCH_FAILED;
	r->fetched_ms = now_ms;
}

void
fleet_rows_forget_state(struct fleet_rows *s, size_t i)
{
	if (i < s->count)
		reset_state(s, row_at(s, i));
}

int64_t
fleet_row_age_ms(const struct fleet_row *r, int64_t now_ms)
{
	if (!r->fetched_ms)
		return -1;
	return now_ms > r->fetched_ms ? now_ms - r->fetched_ms : 0;
}

const char *
fleet_row_text(const struct fleet_rows *s, const struct fleet_row *r,
	       enum fleet_col c)
{
	switch (c) {
	case FLEET_COL_ID: return strpool_get(&s->pool, r->id);
	case FLEET_COL_DEVICE: return strpool_get(&s->pool, r->device_id);
	case FLEET_COL_ATTESTATION:
		return strpool_get(&s->pool, r->attestation);
	case FLEET_COL_PROVISIONING:
		return strpool_get(&s->pool, r->provisioning);
	case FLEET_COL_STATUS: return fleet_status_name(r->status);
	case FLEET_COL_HUB: return strpool_get(&s->pool, r->hub);
	case FLEET_COL_UPDATED: return strpool_get(&s->pool, r->updated);
	case FLEET_COL_COUNT: break;
	}
	return "";
}

/* ASCII case-insensitive search for `n` bytes of `word` in `text`. */
static bool
contains_word(const char *text, const char *word, size_t n)
{
	/* The first letter is looked for first: most places fail there. */
	int first = tolower((unsigned char)*word);
	for (; *text; text++)
		if (tolower((unsigned char)*text) == first &&
		    strncasecmp(text + 1, word + 1, n - 1) == 0)
			return true;
	return false;
}

/* Ids, device ids and hubs match anywhere; the words of a status or an
 * attestation type from their start, so that "assigned" does not match
 * "unassigned". */
static bool
row_has_word(const struct fleet_rows *s, const struct fleet_row *r,
	     const char *word, size_t n)
{
	static const enum fleet_col anywhere[] = {
		FLEET_COL_ID, FLEET_COL_DEVICE, FLEET_COL_HUB,
	};
	static const enum fleet_col from_start[] = {
		FLEET_COL_STATUS, FLEET_COL_PROVISIONING,
		FLEET_COL_ATTESTATION,
	};
	for (size_t i = 0; i < sizeof(anywhere) / sizeof(*anywhere); i++)
		if (contains_word(fleet_row_text(s, r, anywhere[i]), word, n))
			return true;
	for (size_t i = 0; i < sizeof(from_start) / sizeof(*from_start); i++)
		if (strncasecmp(fleet_row_text(s, r, from_start[i]), word,
				n) == 0)
			return true;
	return false;
}

bool
fleet_row_matches(const struct fleet_rows *s, const struct fleet_row *r,
		  const char *filter)
{
	if (!filter)
		return true;
	for (const char *p = filter;;) {
		p += strspn(p, " \t");
		size_t n = strcspn(p, " \t");
		if (!n)
			return true;
		if (!row_has_word(s, r, p, n))
			return false;
		p += n;
	}
}
