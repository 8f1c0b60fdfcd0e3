/* The fleet list's view: row numbers filtered and sorted over the store.
 * Rows are ordered by one column, then by arrival, so every order is a
 * total one and a page that arrives merges in without a full sort. */

#include "app/fleet_row.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"

struct order {
	const struct fleet_rows *s;
	enum fleet_col col;
	bool descending;
};

static int
compare_rows(const struct order *o, uint32_t a, uint32_t b)
{
	if (o->col == FLEET_COL_COUNT)
		return a < b ? -1 : a > b;
	const struct fleet_row *ra = fleet_rows_at(o->s, a);
	const struct fleet_row *rb = fleet_rows_at(o->s, b);
	int c = strcasecmp(fleet_row_text(o->s, ra, o->col),
			   fleet_row_text(o->s, rb, o->col));
	if (c)
		return o->descending ? -c : c;
	return a < b ? -1 : a > b;
}

/* Merges the sorted runs a[0..na) and b[0..nb) into out. */
static void
merge(const struct order *o, const uint32_t *a, size_t na, const uint32_t *b,
      size_t nb, uint32_t *out)
{
	size_t i = 0, j = 0, k = 0;
	while (i < na && j < nb)
		out[k++] = compare_rows(o, a[i], b[j]) <= 0 ? a[i++] : b[j++];
	memcpy(out + k, a + i, (na - i) * sizeof(*a));
	k += na - i;
	memcpy(out + k, b + j, (nb - j) * sizeof(*b));
}

/* Bottom-up merge sort of idx[0..n): qsort has no context argument. */
static void
sort_rows(const struct order *o, uint32_t *idx, size_t n)
{
	if (n < 2)
		return;
	uint32_t *tmp = xreallocarray(NULL, n, sizeof(*tmp));
	uint32_t *src = idx, *dst = tmp;
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			merge(o, src + lo, mid - lo, src + mid, hi - mid,
			      dst + lo);
		}
		uint32_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != idx)
		memcpy(idx, src, n * sizeof(*idx));
	free(tmp);
}

static struct order
order_of(const struct fleet_view *v, const struct fleet_rows *s)
{
	return (struct order){ s, v->sort, v->descending };
}

static void
reserve(struct fleet_view *v, size_t n)
{
	if (n <= v->cap)
		return;
	v->cap = n > v->cap * 2 ? n : v->cap * 2;
	v->idx = xreallocarray(v->idx, v->cap, sizeof(*v->idx));
}

void
fleet_view_clear(struct fleet_view *v)
{
	free(v->idx);
	free(v->filter);
	*v = (struct fleet_view)FLEET_VIEW_INIT;
}

void
fleet_view_update(struct fleet_view *v, const struct fleet_rows *s)
{
	size_t total = fleet_rows_count(s);
	if (v->seen >= total)
		return;
	/* The new rows go after the listed ones, are sorted there, and the
	 * two runs are merged. */
	reserve(v, v->count + (total - v->seen));
	size_t old = v->count;
	for (size_t i = v->seen; i < total; i++)
		if (fleet_row_matches(s, fleet_rows_at(s, i), v->filter))
			v->idx[v->count++] = (uint32_t)i;
	v->seen = total;
	size_t added = v->count - old;
	if (!added)
		return;
	struct order o = order_of(v, s);
	sort_rows(&o, v->idx + old, added);
	if (!old || compare_rows(&o, v->idx[old - 1], v->idx[old]) < 0)
		return;
	uint32_t *out = xreallocarray(NULL, v->count, sizeof(*out));
	merge(&o, v->idx, old, v->idx + old, added, out);
	free(v->idx);
	v->idx = out;
	v->cap = v->count;
}

void
fleet_view_rebuild(struct fleet_view *v, const struct fleet_rows *s)
{
	v->count = 0;
	v->seen = 0;
	v->judged = fleet_rows_changes(s);
	fleet_view_update(v, s);
}

/* Typing one more letter only narrows: a row that matches the longer
 * filter matches the shorter one too (its words match, or extend a word
 * that did), so only the rows listed need looking at, in their order. */
static bool
narrows(const char *old, const char *filter)
{
	return old && filter && strncmp(filter, old, strlen(old)) == 0;
}

static void
narrow(struct fleet_view *v, const struct fleet_rows *s)
{
	size_t n = 0;
	for (size_t i = 0; i < v->count; i++)
		if (fleet_row_matches(s, fleet_rows_at(s, v->idx[i]),
				      v->filter))
			v->idx[n++] = v->idx[i];
	v->count = n;
	fleet_view_update(v, s);
}

void
fleet_view_set_filter(struct fleet_view *v, const struct fleet_rows *s,
		      const char *filter)
{
	if (filter && !*filter)
		filter = NULL;
	bool in_place = narrows(v->filter, filter) &&
			v->judged == fleet_rows_changes(s);
	free(v->filter);
	v->filter = filter ? xstrdup(filter) : NULL;
	if (in_place)
		narrow(v, s);
	else
		fleet_view_rebuild(v, s);
}

void
fleet_view_set_sort(struct fleet_view *v, const struct fleet_rows *s,
		    enum fleet_col col, bool descending)
{
	v->sort = col;
	v->descending = descending;
	struct order o = order_of(v, s);
	sort_rows(&o, v->idx, v->count);
}

long
fleet_view_position(const struct fleet_view *v, size_t row)
{
	for (size_t i = 0; i < v->count; i++)
		if (v->idx[i] == row)
			return (long)i;
	return -1;
}
