/* The fleet list's life: opening and loading it page by page, reading
 * the registration states of the rows on screen first, and handing the
 * finished jobs of its thread to the rows. Keys are in list_keys.c,
 * actions in list_actions.c, drawing in list_draw.c. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/app.h"
#include "ui/list_internal.h"
#include "base/xalloc.h"

/* The first page is small so the first screen comes quickly; the rest
 * come in the largest pages the service gives. */
enum { FIRST_PAGE = 100, NEXT_PAGES = 1000, SPIN_MS = 100 };

int64_t
list_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool
list_showing(const struct app *a)
{
	return a->list.open;
}

int
list_fd(const struct app *a)
{
	return a->list.worker ? dps_worker_fd(a->list.worker) : -1;
}

/* ---- rows and the view ---- */

static void
forget_rows(struct list_screen *l)
{
	if (l->worker) {
		if (l->page_job)
			dps_worker_cancel(l->worker, l->page_job);
		if (l->state_job)
			dps_worker_cancel(l->worker, l->state_job);
	}
	l->page_job = l->state_job = 0;
	fleet_rows_free(l->rows);
	l->rows = NULL;
	l->view.count = l->view.seen = 0;
	free(l->marks);
	l->marks = NULL;
	l->marks_cap = l->marked = 0;
	free(l->refresh);
	l->refresh = NULL;
	l->refresh_count = l->refresh_cap = 0;
	free(l->last_continuation);
	l->last_continuation = NULL;
	free(l->load_problem);
	l->load_problem = NULL;
	l->pages = l->scan = l->states_read = l->states_known = 0;
	l->loaded = l->held_back = false;
	l->cursor = l->top = 0;
}

/* Marks (and the gone bit) for every row of the store. */
static void
grow_marks(struct list_screen *l)
{
	size_t n = fleet_rows_count(l->rows);
	if (n <= l->marks_cap)
		return;
	size_t cap = l->marks_cap ? l->marks_cap : 1024;
	while (cap < n)
		cap *= 2;
	l->marks = xreallocarray(l->marks, cap, 1);
	memset(l->marks + l->marks_cap, 0, cap - l->marks_cap);
	l->marks_cap = cap;
}

/* Deleted rows stay in the store (row numbers never move); the view
 * leaves them out. */
void
list_drop_gone(struct list_screen *l)
{
	size_t k = 0;
	for (size_t i = 0; i < l->view.count; i++)
		if (!(l->marks[l->view.idx[i]] & LIST_GONE))
			l->view.idx[k++] = l->view.idx[i];
	l->view.count = k;
}

long
list_cursor_row(const struct list_screen *l)
{
	return l->rows && l->cursor < l->view.count
	       ? (long)l->view.idx[l->cursor] : -1;
}

/* After the view was rebuilt: the cursor stays on its row when the row
 * is still shown, else at the same place. */
void
list_keep_row(struct list_screen *l, long row)
{
	list_drop_gone(l);
	long pos = row >= 0 ? fleet_view_position(&l->view, (size_t)row) : -1;
	if (pos >= 0)
		l->cursor = (size_t)pos;
	if (l->cursor >= l->view.count)
		l->cursor = l->view.count ? l->view.count - 1 : 0;
	l->scan = 0;
	list_scroll_to_cursor(l);
}

void
list_scroll_to_cursor(struct list_screen *l)
{
	size_t rows = (size_t)list_table_rows();
	if (l->cursor < l->top)
		l->top = l->cursor;
	if (l->cursor >= l->top + rows)
		l->top = l->cursor - rows + 1;
	if (l->top + rows > l->view.count)
		l->top = l->view.count > rows ? l->view.count - rows : 0;
}

/* ---- loading ---- */

static void
start_load(struct app *a)
{
	struct list_screen *l = &a->list;
	l->rows = fleet_rows_new();
	l->view.count = l->view.seen = 0;
	l->load_started_ms = list_now_ms();
	l->first_page_ms = 0;
	if (!l->worker) {
		l->load_problem = xasprintf("no DPS to list: %s (in the form, F12 "
					    "connects to one)", a->conn_problem);
		return;
	}
	l->page_job = fleet_page_submit(l->worker, NULL, FIRST_PAGE);
}

void
list_reload(struct app *a)
{
	struct list_screen *l = &a->list;
	forget_rows(l);
	start_load(a);
	list_invalidate(a);
}

void
list_open(struct app *a)
{
	struct list_screen *l = &a->list;
	l->open = true;
	if (!l->rows)
		start_load(a);
	list_invalidate(a);
}

void
list_connect(struct app *a, const struct dps_conn *conn,
	     const struct dps_client_opts *opts)
{
	struct list_screen *l = &a->list;
	forget_rows(l);
	dps_worker_free(l->worker);
	l->worker = NULL;
	l->action_job = 0;
	char *why = NULL;
	if (conn)
		l->worker = dps_worker_new(conn, opts, &why);
	free(why);
	if (l->open)
		start_load(a);
}

void
list_free(struct app *a)
{
	struct list_screen *l = &a->list;
	forget_rows(l);
	dps_worker_free(l->worker);
	l->worker = NULL;
	fleet_view_clear(&l->view);
	if (l->filtering)
		textedit_free(&l->filter);
	free(l->memo);
	l->memo = NULL;
}

static void
take_page(struct app *a, struct dps_job *j)
{
	struct list_screen *l = &a->list;
	l->page_job = 0;
	const struct dps_response *r = &j->resp;
	if (r->failure != DPS_ANSWERED || r->status != 200 ||
	    !cJSON_IsArray(r->body)) {
		char *why = dps_response_describe(r);
		l->load_problem = xasprintf("the list stopped after %zu "
					    "enrollments: %s (F5 tries again)",
					    fleet_rows_count(l->rows), why);
		free(why);
		return;
	}
	long row = list_cursor_row(l);
	fleet_rows_add_page(l->rows, r->body);
	grow_marks(l);
	fleet_view_update(&l->view, l->rows);
	list_keep_row(l, row);
	if (l->pages++ == 0)
		l->first_page_ms = list_now_ms();
	const char *next = r->continuation;
	if (next && l->last_continuation && !strcmp(next, l->last_continuation)) {
		l->load_problem = xasprintf("the service sent the same "
					    "continuation twice; the list stops "
					    "at %zu enrollments",
					    fleet_rows_count(l->rows));
	} else if (next) {
		free(l->last_continuation);
		l->last_continuation = xstrdup(next);
		l->page_job = fleet_page_submit(l->worker, next, NEXT_PAGES);
	} else {
		l->loaded = true;
	}
}

static void
take_state(struct app *a, struct dps_job *j)
{
	struct list_screen *l = &a->list;
	l->state_job = 0;
	const struct dps_response *r = &j->resp;
	size_t row = l->state_row;
	int64_t now = list_now_ms();
	if (r->failure == DPS_FAIL_CANCELLED)
		return;
	l->states_read++;
	if (fleet_rows_at(l->rows, row)->fetched_ms == 0)
		l->states_known++;
	if (r->failure == DPS_ANSWERED && r->status == 200 &&
	    cJSON_IsObject(r->body)) {
		fleet_rows_set_state(l->rows, row, r->body, now);
	} else if (r->failure == DPS_ANSWERED && r->status == 404) {
		fleet_rows_set_no_state(l->rows, row, now);
	} else {
		char *why = dps_response_describe(r);
		fleet_rows_set_fetch_failed(l->rows, row, why, now);
		free(why);
	}
}

void
list_take_results(struct app *a)
{
	struct list_screen *l = &a->list;
	struct dps_job *j;
	while (l->worker && (j = dps_worker_take(l->worker))) {
		if (l->rows && j->id == l->page_job)
			take_page(a, j);
		else if (l->rows && j->id == l->state_job)
			take_state(a, j);
		else if (j->id == l->action_job)
			list_took_action(a, j);
		dps_job_free(j);
	}
}

/* ---- registration states, within the budget ---- */

static bool
needs_state(const struct list_screen *l, size_t row)
{
	const struct fleet_row *r = fleet_rows_at(l->rows, row);
	return r->fetched_ms == 0 && !(l->marks[row] & LIST_GONE);
}

/* The next row whose state to read: one asked for again, else one on
 * screen, else the next in the list's order. -1: none. */
static long
next_state_row(struct list_screen *l)
{
	while (l->refresh_count) {
		size_t row = l->refresh[0];
		memmove(l->refresh, l->refresh + 1,
			--l->refresh_count * sizeof(*l->refresh));
		if (row < fleet_rows_count(l->rows) && !(l->marks[row] & LIST_GONE))
			return (long)row;
	}
	size_t end = l->top + (size_t)list_table_rows();
	for (size_t p = l->top; p < end && p < l->view.count; p++)
		if (needs_state(l, l->view.idx[p]))
			return l->view.idx[p];
	for (; l->scan < l->view.count; l->scan++)
		if (needs_state(l, l->view.idx[l->scan]))
			return l->view.idx[l->scan];
	return -1;
}

void
list_refresh_rows(struct list_screen *l, const uint32_t *rows, size_t n)
{
	l->refresh = array_grow(l->refresh, l->refresh_count + n,
				&l->refresh_cap, sizeof(*l->refresh));
	memcpy(l->refresh + l->refresh_count, rows, n * sizeof(*rows));
	l->refresh_count += n;
}

static void
pump_states(struct app *a)
{
	struct list_screen *l = &a->list;
	if (!l->worker || !l->rows || l->state_job)
		return;
	size_t keep_scan = l->scan;
	size_t keep_refresh = l->refresh_count;
	long row = next_state_row(l);
	if (row < 0) {
		l->held_back = false;
		return;
	}
	int64_t wait = 0;
	if (!list_budget_take(a, &wait)) {
		/* not now: the same row is first next time */
		l->scan = keep_scan;
		if (keep_refresh != l->refresh_count) {
			uint32_t r = (uint32_t)row;
			l->refresh = array_grow(l->refresh, l->refresh_count + 1,
						&l->refresh_cap, sizeof(*l->refresh));
			memmove(l->refresh + 1, l->refresh,
				l->refresh_count * sizeof(*l->refresh));
			l->refresh[0] = r;
			l->refresh_count++;
		}
		l->held_back = true;
		l->budget_wait_ms = list_now_ms() + wait;
		return;
	}
	l->held_back = false;
	const struct fleet_row *r = fleet_rows_at(l->rows, (size_t)row);
	l->state_row = (size_t)row;
	l->state_job = dps_worker_submit(l->worker, DPS_OP_REGSTATE,
					 fleet_rows_str(l->rows, r->id), NULL, NULL);
}

void
list_tick(struct app *a)
{
	if (a->list.rows)
		pump_states(a);
}

int
list_wait_ms(const struct app *a)
{
	const struct list_screen *l = &a->list;
	int wait = -1;
	if (l->page_job || l->action_job)
		wait = SPIN_MS;
	if (l->held_back) {
		int64_t left = l->budget_wait_ms - list_now_ms();
		int w = left < 10 ? 10 : left > 1000 ? 1000 : (int)left;
		if (wait < 0 || w < wait)
			wait = w;
	}
	return wait;
}
