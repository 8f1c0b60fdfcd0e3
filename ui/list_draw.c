/* Drawing the fleet list. Each line of the screen is drawn only when
 * what it shows differs from the last frame (a signature of its texts
 * and roles), so a key that moves the cursor repaints two rows and the
 * footer, not the screen: no erase, and curses sends only what changed.
 *
 * Columns that do not fit are dropped in one stated order (README):
 * last updated, device id, attestation, provisioning, hub; the
 * registration id and the registration status always stay. The title
 * says which are hidden. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/curses.h"
#include "ui/list_internal.h"
#include "ui/textclip.h"
#include "ui/theme_curses.h"
#include "base/hash.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "dps/budget.h"

enum { TITLE_ROW = 0, HEAD_ROW = 1, TABLE_TOP = LIST_TABLE_TOP, MARK_COLS = 3 };

static const char *const col_names[FLEET_COL_COUNT] = {
	[FLEET_COL_ID] = N_("Registration ID"),
	[FLEET_COL_DEVICE] = N_("Device ID"),
	[FLEET_COL_ATTESTATION] = N_("Attestation"),
	[FLEET_COL_PROVISIONING] = N_("Provisioning"),
	[FLEET_COL_STATUS] = N_("Registration"),
	[FLEET_COL_HUB] = N_("Assigned hub"),
	[FLEET_COL_UPDATED] = N_("Last updated"),
};

/* Narrowest widths; what is left over goes to the ids and the hub. */
static const int min_width[FLEET_COL_COUNT] = {
	[FLEET_COL_ID] = 18,
	[FLEET_COL_DEVICE] = 16,
	[FLEET_COL_ATTESTATION] = 12,
	[FLEET_COL_PROVISIONING] = 14,
	[FLEET_COL_STATUS] = 14,
	[FLEET_COL_HUB] = 28,
	[FLEET_COL_UPDATED] = 16,
};

static const enum fleet_col drop_order[] = {
	FLEET_COL_UPDATED, FLEET_COL_DEVICE, FLEET_COL_ATTESTATION,
	FLEET_COL_PROVISIONING, FLEET_COL_HUB,
};
enum { DROPPABLE = sizeof(drop_order) / sizeof(drop_order[0]) };

const char *
list_column_name(enum fleet_col c)
{
	return (unsigned)c < FLEET_COL_COUNT ? _(col_names[c]) : "";
}

int
list_table_rows(void)
{
	/* title, headings; detail, status and key bar */
	int n = LINES - TABLE_TOP - 3;
	return n > 1 ? n : 1;
}

struct columns {
	bool shown[FLEET_COL_COUNT];
	int x[FLEET_COL_COUNT];
	int width[FLEET_COL_COUNT];
	int dropped;		/* the first `dropped` of drop_order */
};

static int
needed(const struct columns *c)
{
	int need = MARK_COLS - 1;
	for (int i = 0; i < FLEET_COL_COUNT; i++)
		if (c->shown[i])
			need += c->width[i] + 1;
	return need;
}

static void
grow(struct columns *c, enum fleet_col col, int *extra, int upto)
{
	if (!c->shown[col] || *extra <= 0)
		return;
	int add = upto - c->width[col];
	if (add > *extra)
		add = *extra;
	if (add > 0) {
		c->width[col] += add;
		*extra -= add;
	}
}

static void
lay_out(struct columns *c, int cols)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < FLEET_COL_COUNT; i++) {
		c->shown[i] = true;
		c->width[i] = min_width[i];
	}
	while (needed(c) > cols && c->dropped < DROPPABLE)
		c->shown[drop_order[c->dropped++]] = false;
	int extra = cols - needed(c);
	grow(c, FLEET_COL_ID, &extra, 30);
	grow(c, FLEET_COL_HUB, &extra, 40);
	grow(c, FLEET_COL_DEVICE, &extra, 30);
	grow(c, FLEET_COL_ID, &extra, 64);
	int x = MARK_COLS;
	for (int i = 0; i < FLEET_COL_COUNT; i++) {
		if (!c->shown[i])
			continue;
		c->x[i] = x;
		x += c->width[i] + 1;
	}
}

/* ---- signatures ----
 *
 * A line's signature is made from what its text is made of (numbers,
 * the store's interned text references, flags), not from the text:
 * formatting every line of every frame to compare it cost more than
 * drawing the two lines a Down key changes. */

static uint64_t
sig_str(uint64_t h, const char *s)
{
	return hash_str(h, s);
}

/* One multiply a value: enough to notice a change, cheap enough to
 * take every visible row on every frame. */
static uint64_t
sig_int(uint64_t h, long v)
{
	return (h ^ (uint64_t)v) * 0x100000001b3ull;
}

static struct list_line_memo *
memo_at(struct list_screen *l, int y)
{
	return y >= 0 && y < l->memo_lines ? &l->memo[y] : NULL;
}

/* Whether line `y` must be drawn for signature `sig`; remembers it. */
static bool
changed(struct list_screen *l, int y, uint64_t sig)
{
	struct list_line_memo *m = memo_at(l, y);
	if (!sig)
		sig = 1;
	if (!m)
		return true;
	if (m->sig == sig)
		return false;
	m->sig = sig;
	return true;
}

void
list_invalidate(struct app *a)
{
	struct list_screen *l = &a->list;
	for (int y = 0; y < l->memo_lines; y++)
		l->memo[y].sig = 0;
	l->memo_top_known = false;
}

/* ---- cells ---- */

static void
pad_to(int y, int x_end)
{
	int cy, cx;
	getyx(stdscr, cy, cx);
	if (cy == y && cx < x_end)
		hline(' ', x_end - cx);
}

static void
cell(int y, int x, int width, const char *text, int role)
{
	attrset(theme_attr(role));
	move(y, x);
	draw_clipped(text, width);
	pad_to(y, x + width);
}

static void
whole_line(int y, const char *text, int role)
{
	cell(y, 0, COLS, text, role);
	attrset(A_NORMAL);
}

/* ---- texts ---- */

/* "2026-12-04 19:57" from an ISO time; owned. */
static char *
short_time(const char *iso)
{
	if (strlen(iso) < 16)
		return xstrdup(iso);
	char *s = xstrndup(iso, 16);
	s[10] = ' ';
	return s;
}

enum age_unit { AGE_NONE, AGE_S, AGE_MIN, AGE_H };

/* The state's age in the unit it is shown in. */
static enum age_unit
age_in_units(const struct fleet_row *r, long long *n)
{
	int64_t age = fleet_row_age_ms(r, list_now_ms());
	*n = 0;
	if (age < 0)
		return AGE_NONE;
	age /= 1000;
	if (age < 60)
		return *n = age, AGE_S;
	if (age < 3600)
		return *n = age / 60, AGE_MIN;
	return *n = age / 3600, AGE_H;
}

char *
list_age_text(const struct fleet_row *r)
{
	long long n;
	switch (age_in_units(r, &n)) {
	case AGE_S: return xasprintf(_("%lld s ago"), n);
	case AGE_MIN: return xasprintf(_("%lld min ago"), n);
	case AGE_H: return xasprintf(_("%lld h ago"), n);
	case AGE_NONE: break;
	}
	return xstrdup(_("not read yet"));
}

static const char *
status_text(const struct app *a, const struct fleet_row *r)
{
	if (r->status != FLEET_STATUS_UNKNOWN)
		return fleet_status_name((enum fleet_status)r->status);
	if (r->flags & FLEET_ROW_FETCH_FAILED)
		return _("not read");
	return a->ascii ? "..." : "\u2026";
}

/* The column's text; `*owned` set when it must be freed. */
static const char *
col_text(const struct app *a, const struct fleet_row *r, enum fleet_col c,
	 char **owned)
{
	const struct fleet_rows *s = a->list.rows;
	*owned = NULL;
	if (c == FLEET_COL_STATUS)
		return status_text(a, r);
	if (c == FLEET_COL_UPDATED)
		return *owned = short_time(fleet_rows_str(s, r->updated));
	return fleet_row_text(s, r, c);
}

static int
row_role(const struct fleet_row *r, bool marked)
{
	if (r->status == FLEET_STATUS_FAILED)
		return ROLE_ROW_FAILED;
	return marked ? ROLE_ROW_MARKED : ROLE_NORMAL;
}

/* ---- lines ---- */

/* Everything a row's cells show but the cursor. */
static uint64_t
row_sig(const struct fleet_row *r, size_t row, bool marked)
{
	uint64_t h = sig_int(sig_int(HASH_START, (long)row), marked);
	h = sig_int(sig_int(h, r->status), r->flags);
	h = sig_int(sig_int(h, r->error_code), r->id);
	h = sig_int(sig_int(h, r->device_id), r->attestation);
	h = sig_int(sig_int(h, r->provisioning), r->updated);
	return sig_int(h, r->hub);
}

static void
draw_cell(struct app *a, const struct columns *c, int y,
	  const struct fleet_row *r, enum fleet_col col, int role)
{
	char *owned;
	cell(y, c->x[col], c->width[col], col_text(a, r, col, &owned), role);
	free(owned);
}

/* The cursor is an arrow and the id in the focus colour, not a whole
 * row: a move repaints these two short cells of two rows. */
static void
draw_cursor_cells(struct app *a, const struct columns *c, int y,
		  const struct fleet_row *r, bool cursor, bool marked)
{
	int role = row_role(r, marked);
	char lead[8];
	snprintf(lead, sizeof(lead), "%s%s",
		 cursor ? (a->ascii ? ">" : "\u25b6") : " ",
		 marked ? (a->ascii ? "*" : "\u25cf") : " ");
	cell(y, 0, MARK_COLS, lead, cursor ? ROLE_FIELD_FOCUS : role);
	draw_cell(a, c, y, r, FLEET_COL_ID, cursor ? ROLE_FIELD_FOCUS : role);
}

static void
draw_row(struct app *a, const struct columns *c, int y, size_t pos)
{
	struct list_screen *l = &a->list;
	size_t row = l->view.idx[pos];
	const struct fleet_row *r = fleet_rows_at(l->rows, row);
	bool cursor = pos == l->cursor, marked = l->marks[row] & LIST_MARKED;
	uint64_t sig = row_sig(r, row, marked);
	struct list_line_memo *m = memo_at(l, y);
	bool whole = !m || m->sig != (sig ? sig : 1);
	if (!whole && m->cursor == cursor)
		return;
	if (m) {
		m->sig = sig ? sig : 1;
		m->cursor = cursor;
	}
	int role = row_role(r, marked);
	if (whole) {
		whole_line(y, "", role);
		for (int i = 0; i < FLEET_COL_COUNT; i++)
			if (c->shown[i] && i != FLEET_COL_ID)
				draw_cell(a, c, y, r, (enum fleet_col)i, role);
	}
	draw_cursor_cells(a, c, y, r, cursor, marked);
	attrset(A_NORMAL);
}

/* Rows that only moved up or down are scrolled in the window, with what
 * is remembered of them, instead of drawn again: holding Down at the
 * bottom of the table then draws one row, and curses can scroll the
 * terminal's region. */
static void
scroll_table(struct list_screen *l, int rows)
{
	long d = (long)l->top - (long)l->memo_top;
	bool known = l->memo_top_known;
	l->memo_top = l->top;
	l->memo_top_known = true;
	if (!known || d == 0 || d >= rows || -d >= rows ||
	    TABLE_TOP + rows > l->memo_lines)
		return;
	int top = TABLE_TOP, bottom = TABLE_TOP + rows - 1;
	scrollok(stdscr, TRUE);
	wsetscrreg(stdscr, top, bottom);
	wscrl(stdscr, (int)d);
	wsetscrreg(stdscr, 0, LINES - 1);
	scrollok(stdscr, FALSE);
	struct list_line_memo *m = l->memo, blank = { 0 };
	if (d > 0)
		for (int y = top; y <= bottom; y++)
			m[y] = y + d <= bottom ? m[y + d] : blank;
	else
		for (int y = bottom; y >= top; y--)
			m[y] = y + d >= top ? m[y + d] : blank;
}

static void
draw_table(struct app *a, const struct columns *c)
{
	struct list_screen *l = &a->list;
	int rows = list_table_rows();
	scroll_table(l, rows);
	for (int k = 0; k < rows; k++) {
		int y = TABLE_TOP + k;
		size_t pos = l->top + (size_t)k;
		if (pos < l->view.count) {
			draw_row(a, c, y, pos);
			continue;
		}
		const char *empty = "";
		if (k == 0 && l->rows && !l->view.count)
			empty = l->load_problem ? ""
				: l->page_job && !l->pages ? _("  Reading the list...")
				: fleet_rows_count(l->rows) ? _("  No enrollment matches the "
								"filter (/ changes it)")
				: l->loaded ? _("  The DPS has no enrollments") : "";
		if (changed(l, y, sig_str(7, empty)))
			whole_line(y, empty, ROLE_HELP_TEXT);
	}
}

static void
draw_headings(struct app *a, const struct columns *c)
{
	struct list_screen *l = &a->list;
	uint64_t sig = sig_int(sig_int(3, l->view.sort), l->view.descending);
	for (int i = 0; i < FLEET_COL_COUNT; i++)
		sig = sig_int(sig_int(sig, c->shown[i]), c->width[i]);
	if (!changed(l, HEAD_ROW, sig))
		return;
	whole_line(HEAD_ROW, "", ROLE_SECTION);
	for (int i = 0; i < FLEET_COL_COUNT; i++) {
		if (!c->shown[i])
			continue;
		bool sorted = (int)l->view.sort == i;
		const char *arrow = !sorted ? ""
				  : l->view.descending ? (a->ascii ? "v" : "\u25bc")
				  : (a->ascii ? "^" : "\u25b2");
		/* the arrow always shows: the name gives way */
		char *name = text_clipped(_(col_names[i]),
					  c->width[i] - (sorted ? 2 : 0));
		char *h = xasprintf("%s%s%s", name, sorted ? " " : "", arrow);
		free(name);
		cell(HEAD_ROW, c->x[i], c->width[i], h, ROLE_SECTION);
		free(h);
	}
	attrset(A_NORMAL);
}

static char *
hidden_text(const struct columns *c)
{
	if (!c->dropped)
		return xstrdup("");
	char *names = xstrdup("");
	for (int k = 0; k < c->dropped; k++) {
		char *t = xasprintf("%s%s%s", names, k ? ", " : "",
				    _(col_names[drop_order[k]]));
		free(names);
		names = t;
	}
	char *s = xasprintf(_("  hidden: %s"), names);
	free(names);
	return s;
}

static void
draw_title(struct app *a, const struct columns *c)
{
	struct list_screen *l = &a->list;
	size_t total = l->rows ? fleet_rows_count(l->rows) - l->gone : 0;
	/* everything the title is made of */
	uint64_t sig = sig_int(sig_int(5, (long)total), l->page_job != 0);
	sig = sig_int(sig_int(sig, (long)l->view.count), c->dropped);
	sig = sig_str(sig_str(sig, l->view.filter), a->host);
	if (!changed(l, TITLE_ROW, sig))
		return;
	char *count;
	if (l->page_job)
		count = xasprintf(_("loading: %zu so far"), total);
	else if (l->view.filter && *l->view.filter)
		count = xasprintf(_("%zu of %zu shown"), l->view.count, total);
	else
		count = xasprintf(ngettext("%zu enrollment", "%zu enrollments",
					   total), total);
	char *hidden = hidden_text(c);
	/* what is hidden matters more than the host, which the form shows */
	char *line = xasprintf(_(" Fleet list: %s%s  (%s)"), count, hidden,
			       a->host ? a->host : _("no DPS"));
	whole_line(TITLE_ROW, line, ROLE_TITLE);
	free(line);
	free(hidden);
	free(count);
}

/* The cursor row whole: a failure's error, the hub, the state's age. */
/* Everything the detail line is made of. */
static uint64_t
detail_sig(const struct list_screen *l, long row)
{
	uint64_t h = sig_int(11, row);
	if (row < 0)
		return h;
	const struct fleet_row *r = fleet_rows_at(l->rows, (size_t)row);
	h = sig_int(sig_int(sig_int(h, r->status), r->flags), r->error_code);
	h = sig_int(sig_int(sig_int(h, r->id), r->error_message), r->hub);
	long long n;
	enum age_unit unit = age_in_units(r, &n);
	return sig_int(sig_int(h, unit), (long)n);
}

static void
draw_detail(struct app *a)
{
	struct list_screen *l = &a->list;
	int y = LINES - 3;
	long row = list_cursor_row(l);
	if (!changed(l, y, detail_sig(l, row)))
		return;
	char *text;
	int role = ROLE_HELP_TEXT;
	if (row < 0) {
		text = xstrdup("");
	} else {
		const struct fleet_row *r = fleet_rows_at(l->rows, (size_t)row);
		const char *id = fleet_rows_str(l->rows, r->id);
		const char *msg = fleet_rows_str(l->rows, r->error_message);
		char *age = list_age_text(r);
		if (r->status == FLEET_STATUS_FAILED) {
			role = ROLE_FAILURE;
			text = xasprintf(_(" %s: registration failed, error %ld: %s  "
					   "(state read %s)"), id, (long)r->error_code,
					 *msg ? msg : _("no message"), age);
		} else if (r->flags & FLEET_ROW_FETCH_FAILED) {
			role = ROLE_MESSAGE_WARNING;
			text = xasprintf(_(" %s: its state could not be read: %s (r "
					   "tries again)"), id, msg);
		} else if (r->status == FLEET_STATUS_ASSIGNED) {
			text = xasprintf(_(" %s: assigned to %s  (state read %s)"), id,
					 fleet_rows_str(l->rows, r->hub), age);
		} else if (r->status == FLEET_STATUS_UNKNOWN) {
			text = xasprintf(_(" %s: registration state not read yet"), id);
		} else {
			text = xasprintf(_(" %s: %s  (state read %s)"), id,
					 fleet_status_name((enum fleet_status)
							   r->status), age);
		}
		free(age);
	}
	whole_line(y, text, role);
	free(text);
}


/* "enabling 3 enrollments..." appended to *s, each a whole sentence
 * for the translations. */
static void
add_action(char **s, enum fleet_action a, size_t n, double secs)
{
	char *p = NULL;
	switch (a) {
	case FLEET_ENABLE:
		p = xasprintf(ngettext("enabling %zu enrollment... %.1fs (c stops)",
				       "enabling %zu enrollments... %.1fs (c stops)",
				       n), n, secs);
		break;
	case FLEET_DISABLE:
		p = xasprintf(ngettext("disabling %zu enrollment... %.1fs (c stops)",
				       "disabling %zu enrollments... %.1fs (c stops)",
				       n), n, secs);
		break;
	case FLEET_DELETE_STATE:
		p = xasprintf(ngettext("deleting the registration state of %zu "
				       "enrollment... %.1fs (c stops)",
				       "deleting the registration states of %zu "
				       "enrollments... %.1fs (c stops)", n), n, secs);
		break;
	case FLEET_DELETE:
		p = xasprintf(ngettext("deleting %zu enrollment... %.1fs (c stops)",
				       "deleting %zu enrollments... %.1fs (c stops)",
				       n), n, secs);
		break;
	}
	char *t = xasprintf("%s%s%s", *s, **s ? "  " : " ", p ? p : "");
	free(p);
	free(*s);
	*s = t;
}

/* What the list is doing, then the latest news. Owned. */
static char *
status_text_line(struct app *a, bool *error)
{
	struct list_screen *l = &a->list;
	char *s = xstrdup("");
	*error = false;
#define ADD(...) do { char *p_ = xasprintf(__VA_ARGS__); \
	char *t_ = xasprintf("%s%s%s", s, *s ? "  " : " ", p_); \
	free(p_); free(s); s = t_; } while (0)
	if (l->action_job)
		add_action(&s, l->action, l->action_count,
			   (double)(list_now_ms() - l->action_started_ms) / 1000);
	size_t total = l->rows ? fleet_rows_count(l->rows) : 0;
	long eta;
	if (list_states_held_back(a, &eta))
		ADD(_("states: %zu of %zu, held back by the rate budget "
		      "(%ld/min): %ld s more"), l->states_known, total,
		    (long)dps_budget_per_minute(a->budget), (eta + 999) / 1000);
	else if (l->states_known < total)
		ADD(_("states: %zu of %zu read"), l->states_known, total);
	if (l->marked)
		ADD(ngettext("%zu marked", "%zu marked", l->marked), l->marked);
	if (l->view.filter && *l->view.filter)
		ADD(_("filter: %s"), l->view.filter);
	if (l->load_problem) {
		ADD("%s", l->load_problem);
		*error = true;
	} else if (a->status.text && a->status.in_list) {
		ADD("%s", a->status.text);
		*error = a->status.error;
	}
#undef ADD
	return s;
}

/* Everything status_text_line and the line's role are made of. */
static uint64_t
status_sig(const struct app *a)
{
	const struct list_screen *l = &a->list;
	uint64_t h = sig_int(17, l->action_job != 0);
	if (l->action_job) {
		h = sig_int(sig_int(h, l->action), (long)l->action_count);
		/* shown to a tenth of a second */
		h = sig_int(h, (long)((list_now_ms() - l->action_started_ms) / 100));
	}
	long eta;
	bool held = list_states_held_back(a, &eta);
	h = sig_int(sig_int(h, held), (eta + 999) / 1000);
	if (held)
		h = sig_int(h, (long)dps_budget_per_minute(a->budget));
	h = sig_int(sig_int(h, (long)l->states_known),
		    l->rows ? (long)fleet_rows_count(l->rows) : 0);
	h = sig_int(h, (long)l->marked);
	h = sig_str(sig_str(h, l->view.filter), l->load_problem);
	return sig_int(sig_int(sig_str(h, a->status.text), a->status.error),
		       a->status.in_list);
}

/* The filter's prompt, and where the typed filter starts after it. */
static const char *
filter_label(void)
{
	return _(" Filter: ");
}

static int
filter_label_cols(void)
{
	const char *label = filter_label();
	return (int)text_columns(label, strlen(label));
}

static void
draw_status(struct app *a)
{
	struct list_screen *l = &a->list;
	int y = LINES - 2;
	if (l->filtering) {
		const char *label = filter_label();
		int at = filter_label_cols();
		char *line = xasprintf("%s%s", label, l->filter.buf);
		if (changed(l, y, sig_int(sig_str(13, line),
					  (long)l->filter.cursor))) {
			whole_line(y, label, ROLE_STATUS_BAR);
			cell(y, at, COLS - at - 1, l->filter.buf, ROLE_FIELD_EDIT);
			attrset(A_NORMAL);
		}
		free(line);
		return;
	}
	if (!changed(l, y, status_sig(a)))
		return;
	bool error;
	char *line = status_text_line(a, &error);
	long eta;
	int role = error ? ROLE_FAILURE
		 : list_states_held_back(a, &eta) ? ROLE_MESSAGE_WARNING
		 : ROLE_STATUS_BAR;
	whole_line(y, line, role);
	free(line);
}

static void
fit_memo(struct list_screen *l)
{
	if (l->memo && l->memo_lines == LINES && l->memo_cols == COLS)
		return;
	free(l->memo);
	l->memo = xcalloc((size_t)(LINES > 0 ? LINES : 1), sizeof(*l->memo));
	l->memo_lines = LINES;
	l->memo_cols = COLS;
	erase();
}

void
list_draw(struct app *a)
{
	struct list_screen *l = &a->list;
	fit_memo(l);
	/* a window drawn over the rows leaves them to be drawn again */
	if (a->modal || l->had_modal)
		list_invalidate(a);
	l->had_modal = a->modal != NULL;
	bkgdset(theme_attr(ROLE_NORMAL) | ' ');
	struct columns c;
	lay_out(&c, COLS);
	list_scroll_to_cursor(l);
	draw_title(a, &c);
	draw_headings(a, &c);
	draw_table(a, &c);
	draw_detail(a);
	draw_status(a);
	/* a window, or typing a filter, gives the keys other work */
	enum key_context bar = modal_bar_context(a, l->filtering ? KEYS_FILTER
							       : KEYS_LIST);
	if (changed(l, LINES - 1, sig_int(19, bar)))
		draw_key_bar(bar);
	if (a->modal) {
		a->modal->ops->draw(a->modal, a);
	} else if (l->filtering) {
		curs_set(1);
		move(LINES - 2, filter_label_cols() + (int)text_columns(l->filter.buf,
						      l->filter.cursor));
	} else {
		curs_set(0);
	}
	/* A hidden cursor need not be put back where the drawing left
	 * it: that would cost curses a cursor move on every frame. */
	leaveok(stdscr, !a->modal && !l->filtering);
	refresh();
}
