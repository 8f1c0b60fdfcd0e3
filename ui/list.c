/* The fleet list's life: opening and loading it page by page, reading
 * the registration states of the rows on screen first, and handing the
 * finished jobs of its thread to the rows. Keys are in list_keys.c,
 * actions in list_actions.c, drawing in list_draw.c. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/fleet_fetch.h"
#include "ui/app.h"
#include "ui/list_internal.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "dps/budget.h"

/* The first page is small so the first screen comes quickly; the rest
 * come in the largest pages the service gives. */
enum { FIRST_PAGE = 100, NEXT_PAGES = 1000, SPIN_MS = 100 };

int64_t
list_now_ms(void)
{
	return fleet_now_ms();	/* the rows' clock */
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

int
list_state_fd(const struct app *a)
{
	return a->list.fetcher ? fleet_fetcher_fd(a->list.fetcher) : -1;
}

/* ---- rows and the view ---- */

static void
forget_rows(struct list_screen *l)
{
	if (l->worker && l->page_job)
		dps_worker_cancel(l->worker, l->page_job);
	if (l->fetcher)
		fleet_fetcher_want(l->fetcher, NULL, 0);
	l->page_job = 0;
	l->want_sig = 0;
	fleet_rows_free(l->rows);
	l->rows = NULL;
	/* a new view for the next store, with the same filter and order */
	char *filter = l->view.filter ? xstrdup(l->view.filter) : NULL;
	enum fleet_col sort = l->view.sort;
	bool descending = l->view.descending;
	fleet_view_clear(&l->view);
	l->view.filter = filter;
	l->view.sort = sort;
	l->view.descending = descending;
	free(l->marks);
	l->marks = NULL;
	l->marks_cap = l->marked = l->gone = 0;
	free(l->refresh);
	l->refresh = NULL;
	l->refresh_count = l->refresh_cap = 0;
	free(l->last_continuation);
	l->last_continuation = NULL;
	free(l->load_problem);
	l->load_problem = NULL;
	l->pages = l->scan = l->scan_all = l->states_known = 0;
	l->loaded = false;
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
	l->load_started_ms = list_now_ms();
	l->first_page_ms = 0;
	if (!l->worker) {
		l->load_problem = xasprintf(_("no DPS to list: %s (in the form, "
					      "F12 connects to one)"),
					    a->conn_problem);
		return;
	}
	l->page_job = fleet_page_submit(l->worker, NULL, FIRST_PAGE);
}

static void
stop_threads(struct list_screen *l)
{
	fleet_fetcher_free(l->fetcher);
	l->fetcher = NULL;
	dps_worker_free(l->worker);
	l->worker = NULL;
	l->action_job = 0;
	l->action_batch = NULL;
}

static void
start_threads(struct list_screen *l)
{
	if (l->worker || !l->conn.host)
		return;
	char *why = NULL;
	l->worker = dps_worker_new(&l->conn, &l->opts, &why);
	free(why);
	why = NULL;
	if (!l->worker)
		return;
	/* reading states is background work: it leaves the budget's
	 * reserve to what the technician asks for */
	struct dps_client_opts bg = l->opts;
	bg.background = true;
	l->fetcher = fleet_fetcher_new(&l->conn, &bg, &why);
	free(why);
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
	start_threads(l);
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
	stop_threads(l);
	dps_conn_clear(&l->conn);
	dps_opts_release(&l->held);
	if (!conn)
		return;
	dps_conn_copy(&l->conn, conn);
	l->opts = *opts;
	dps_opts_hold(&l->opts, &l->held);
}

void
list_free(struct app *a)
{
	struct list_screen *l = &a->list;
	forget_rows(l);
	stop_threads(l);
	dps_conn_clear(&l->conn);
	dps_opts_release(&l->held);
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
		char *why = dps_response_describe_local(r);
		l->load_problem = xasprintf(_("the list stopped after %zu "
					      "enrollments: %s (F5 tries again)"),
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
		l->load_problem = xasprintf(_("the service sent the same "
					      "continuation twice; the list stops "
					      "at %zu enrollments"),
					    fleet_rows_count(l->rows));
	} else if (next) {
		free(l->last_continuation);
		l->last_continuation = xstrdup(next);
		l->page_job = fleet_page_submit(l->worker, next, NEXT_PAGES);
	} else {
		l->loaded = true;
	}
}

/* An answer of the states' thread: its row (found again by id: a reload
 * may have come between) takes it. */
static void
take_state(struct list_screen *l, struct fleet_state_answer *ans)
{
	if (ans->resp.failure == DPS_FAIL_CANCELLED)
		return;
	long row = fleet_rows_find(l->rows, ans->id);
	if (row < 0)
		return;
	if (fleet_rows_at(l->rows, (size_t)row)->fetched_ms == 0)
		l->states_known++;
	l->marks[row] &= (uint8_t)~LIST_REFRESH;
	fleet_rows_apply_answer(l->rows, (size_t)row, &ans->resp, ans->at_ms);
}

void
list_take_states(struct app *a)
{
	struct list_screen *l = &a->list;
	struct fleet_state_answer *ans;
	while (l->fetcher && (ans = fleet_fetcher_take(l->fetcher))) {
		if (l->rows)
			take_state(l, ans);
		fleet_state_answer_free(ans);
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
		else if (j->id == l->action_job)
			list_took_action(a, j);
		dps_job_free(j);
	}
}

/* ---- registration states ---- */

/* Rows a want names beyond those on screen: enough to keep the thread
 * busy between two frames, few enough to copy at every scroll. */
enum { WANT_AHEAD = 100 };

static bool
needs_state(const struct list_screen *l, size_t row)
{
	return fleet_rows_at(l->rows, row)->fetched_ms == 0 &&
	       !(l->marks[row] & LIST_GONE);
}

void
list_refresh_rows(struct list_screen *l, const uint32_t *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (l->marks[rows[i]] & LIST_REFRESH)
			continue;
		/* array_grow makes room for one more at a time */
		l->refresh = array_grow(l->refresh, l->refresh_count,
					&l->refresh_cap, sizeof(*l->refresh));
		l->marks[rows[i]] |= LIST_REFRESH;
		l->refresh[l->refresh_count++] = rows[i];
	}
	l->want_sig = 0;
}

struct want {
	const char **ids;
	size_t n, cap;
};

static void
want_row(struct list_screen *l, struct want *w, size_t row)
{
	w->ids = array_grow(w->ids, w->n + 1, &w->cap, sizeof(*w->ids));
	w->ids[w->n++] = fleet_rows_str(l->rows, fleet_rows_at(l->rows, row)->id);
}

/* The rows asked for again whose answer has not come, in their order. */
static void
want_refreshed(struct list_screen *l, struct want *w)
{
	size_t k = 0;
	for (size_t i = 0; i < l->refresh_count; i++) {
		uint32_t row = l->refresh[i];
		if (!(l->marks[row] & LIST_REFRESH) || (l->marks[row] & LIST_GONE))
			continue;
		l->refresh[k++] = row;
		if (w->n < WANT_AHEAD)
			want_row(l, w, row);
	}
	l->refresh_count = k;
}

static void
want_states(struct list_screen *l)
{
	struct want w = { 0 };
	size_t end = l->top + (size_t)list_table_rows();
	for (size_t p = l->top; p < end && p < l->view.count; p++)
		if (needs_state(l, l->view.idx[p]) ||
		    (l->marks[l->view.idx[p]] & LIST_REFRESH))
			want_row(l, &w, l->view.idx[p]);
	want_refreshed(l, &w);
	while (l->scan < l->view.count && !needs_state(l, l->view.idx[l->scan]))
		l->scan++;
	size_t ahead = 0;
	for (size_t p = l->scan; p < l->view.count && ahead < WANT_AHEAD; p++)
		if (needs_state(l, l->view.idx[p]) && (p < l->top || p >= end)) {
			want_row(l, &w, l->view.idx[p]);
			ahead++;
		}
	/* then the rows the filter hides, so that a new filter finds them
	 * read */
	size_t count = fleet_rows_count(l->rows);
	while (l->scan_all < count && !needs_state(l, l->scan_all))
		l->scan_all++;
	for (size_t r = l->scan_all; r < count && ahead < WANT_AHEAD; r++)
		if (needs_state(l, r) && l->view.filter &&
		    !fleet_row_matches(l->rows, fleet_rows_at(l->rows, r),
				       l->view.filter)) {
			want_row(l, &w, r);
			ahead++;
		}
	fleet_fetcher_want(l->fetcher, w.ids, w.n);
	free(w.ids);
}

/* What the screen shows, to tell the thread again only when it changed
 * (or when it has done all it was told): a want sent at every answer
 * would send the row in flight again. */
static uint64_t
want_signature(const struct list_screen *l)
{
	uint64_t h = 14695981039346656037ULL;
	size_t parts[] = { l->top, l->view.count, l->refresh_count,
			   (size_t)l->view.sort, l->view.descending,
			   l->view.count ? l->view.idx[0] : 0 };
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		h = (h ^ parts[i]) * 1099511628211ULL;
	return h ? h : 1;
}

void
list_tick(struct app *a)
{
	struct list_screen *l = &a->list;
	if (!l->fetcher || !l->rows || !l->open)
		return;
	list_scroll_to_cursor(l);
	uint64_t sig = want_signature(l);
	if (sig == l->want_sig && fleet_fetcher_pending(l->fetcher))
		return;
	if (sig == l->want_sig && l->states_known >= fleet_rows_count(l->rows))
		return;
	l->want_sig = sig;
	want_states(l);
}

bool
list_states_held_back(const struct app *a, long *eta_ms)
{
	const struct list_screen *l = &a->list;
	struct dps_budget_stats st;
	*eta_ms = 0;
	if (!a->budget || !l->fetcher || !l->rows)
		return false;
	dps_budget_stats(a->budget, &st);
	size_t left = fleet_rows_count(l->rows) - l->states_known;
	if (!st.waiting || !left)
		return false;
	*eta_ms = dps_budget_eta_ms(a->budget, DPS_BUDGET_BACKGROUND, left);
	return true;
}

int
list_wait_ms(const struct app *a)
{
	const struct list_screen *l = &a->list;
	long eta;
	if (l->page_job || l->action_job)
		return SPIN_MS;
	/* the countdown of states held back moves each second */
	if (l->open && list_states_held_back(a, &eta))
		return 1000;
	return -1;
}
