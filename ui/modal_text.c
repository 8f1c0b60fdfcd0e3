/* Scrollable text windows: the service's answer, help, yes/no questions. */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "ui/app.h"
#include "ui/textclip.h"
#include "ui/theme_curses.h"
#include "model/json.h"
#include "base/array.h"
#include "base/json_pretty.h"
#include "base/secret.h"
#include "base/xalloc.h"

struct text_line {
	int role;
	int indent;	/* columns before the rows it wraps onto */
	char *text;
};

struct text_view {
	struct modal base;
	char *title;
	struct text_line *lines;
	size_t count;
	size_t cap;
	char *raw;		/* may hold keys: wiped on free */
	bool show_raw;
	size_t scroll;
	void (*on_yes)(struct app *a);
	enum ui_request action_request;
	void (*action)(struct app *a);
	size_t wrapped;		/* screen rows the lines took when last drawn */
	char *more_hint;	/* for the first line, when not all fit */
};

void
modal_frame(struct modal *m, const char *title, int height, int width)
{
	curs_set(0);
	int h = height < LINES - 2 ? height : LINES - 2;
	int w = width < COLS - 4 ? width : COLS - 4;
	m->height = h;
	m->width = w;
	m->top = (LINES - h) / 2;
	m->left = (COLS - w) / 2;
	attrset(theme_attr(ROLE_POPUP));
	for (int r = 0; r < h; r++)
		mvhline(m->top + r, m->left, ' ', w);
	/* The wide forms draw real line characters in a UTF-8 locale, where
	 * the alternate character set may not be translated. */
	mvhline_set(m->top, m->left + 1, WACS_HLINE, w - 2);
	mvhline_set(m->top + h - 1, m->left + 1, WACS_HLINE, w - 2);
	mvvline_set(m->top + 1, m->left, WACS_VLINE, h - 2);
	mvvline_set(m->top + 1, m->left + w - 1, WACS_VLINE, h - 2);
	mvadd_wch(m->top, m->left, WACS_ULCORNER);
	mvadd_wch(m->top, m->left + w - 1, WACS_URCORNER);
	mvadd_wch(m->top + h - 1, m->left, WACS_LLCORNER);
	mvadd_wch(m->top + h - 1, m->left + w - 1, WACS_LRCORNER);
	attrset(theme_attr(ROLE_POPUP_TITLE));
	move(m->top, m->left + 2);
	addch(' ');
	draw_clipped(title, w - 6);
	addch(' ');
	attrset(A_NORMAL);
}

struct text_view *
text_view_new(const char *title)
{
	struct text_view *v = xcalloc(1, sizeof(*v));
	v->title = xstrdup(title);
	return v;
}

void
text_view_add(struct text_view *v, int role, const char *fmt, ...)
{
	v->lines = array_grow(v->lines, v->count, &v->cap, sizeof(*v->lines));
	va_list ap;
	va_start(ap, fmt);
	v->lines[v->count].text = xvasprintf(fmt, ap);
	va_end(ap);
	v->lines[v->count].indent = 0;
	v->lines[v->count++].role = role;
}

void
text_view_indent(struct text_view *v, int cols)
{
	if (v->count)
		v->lines[v->count - 1].indent = cols;
}

void
text_view_more_hint(struct text_view *v, const char *hint)
{
	free(v->more_hint);
	v->more_hint = xstrdup(hint);
}

void
text_view_action(struct text_view *v, enum ui_request r,
		 void (*fn)(struct app *a))
{
	v->action_request = r;
	v->action = fn;
}

/* Service answers come on one line; shown pretty-printed, they can be
 * read on a bench screen. */
void
text_view_set_raw(struct text_view *v, const char *raw)
{
	secret_str_free(v->raw);
	v->raw = NULL;
	if (!raw || !*raw)
		return;
	cJSON *j = cJSON_Parse(raw);
	char *pretty = j ? json_pretty_spaced(j) : NULL;
	json_wipe_strings(j);	/* the answer may hold keys */
	cJSON_Delete(j);
	v->raw = pretty ? pretty : xstrdup(raw);
}

/* The raw body as lines, split on the fly. */
static size_t
raw_line(const char *raw, size_t k, const char **start)
{
	const char *p = raw;
	for (size_t i = 0; i < k && p; i++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p || !*p)
		return (size_t)-1;
	*start = p;
	const char *nl = strchr(p, '\n');
	return nl ? (size_t)(nl - p) : strlen(p);
}

static size_t
raw_count(const char *raw)
{
	size_t n = 1;
	for (const char *p = raw; p && *p; p++)
		n += *p == '\n';
	return n;
}

/* Long lines wrap, so nothing of the answer is out of sight. */
static void
draw_raw(struct text_view *v, int rows, int cols)
{
	attrset(theme_attr(ROLE_POPUP));
	int r = 0;
	size_t skip = v->scroll;
	for (size_t k = 0; r < rows; k++) {
		const char *p;
		size_t n = raw_line(v->raw, k, &p);
		if (n == (size_t)-1)
			break;
		do {
			size_t cut = text_wrap_point(p, n, cols);
			if (skip) {
				skip--;
			} else if (r < rows) {
				char *piece = xstrndup(p, cut);
				move(v->base.top + 1 + r++, v->base.left + 2);
				draw_clipped(piece, cols);
				secret_str_free(piece);
			}
			p += cut;
			n -= cut;
		} while (n);
	}
}

/* Line i as shown: the first carries the "more" hint when asked; owned. */
static char *
shown_line(const struct text_view *v, size_t i, bool with_hint)
{
	if (i == 0 && with_hint && v->more_hint)
		return xasprintf("%s%s", v->lines[0].text, v->more_hint);
	return xstrdup(v->lines[i].text);
}

/* Draws the rows from `first` on (at most `rows`) of the lines wrapped to
 * `cols`; returns how many rows they take in all. */
static size_t
layout_rows(const struct text_view *v, int cols, int first, int rows,
	    int top, int left, bool with_hint)
{
	size_t n = 0;
	for (size_t i = 0; i < v->count; i++) {
		char *line = shown_line(v, i, with_hint);
		const char *p = line;
		size_t left_bytes = strlen(p);
		/* an indent that would leave too little room is dropped */
		int indent = v->lines[i].indent < cols / 2 ? v->lines[i].indent : 0;
		do {
			int in = p == line ? 0 : indent;
			size_t cut = text_wrap_point(p, left_bytes, cols - in);
			if ((int)n >= first && (int)n < first + rows) {
				char *piece = xstrndup(p, cut);
				attrset(theme_attr((enum theme_role)v->lines[i].role));
				move(top + (int)n - first, left + in);
				draw_clipped(piece, cols - in);
				secret_str_free(piece);	/* lines may show keys */
			}
			n++;
			p += cut;
			left_bytes -= cut;
		} while (left_bytes);
		secret_str_free(line);
	}
	return n;
}

static void
text_view_draw(struct modal *m, const struct app *a)
{
	(void)a;
	struct text_view *v = (struct text_view *)m;
	/* as wide as the first line with its hint, so the width is the same
	 * whether the hint shows or not; and as its title, which a
	 * translation may make the longest line */
	int width = 20;
	int title_cols = (int)text_columns(v->title, strlen(v->title)) + 6;
	if (title_cols > width)
		width = title_cols;
	for (size_t i = 0; i < v->count; i++) {
		char *line = shown_line(v, i, true);
		int cols = (int)text_columns(line, strlen(line)) + 6;
		if (cols > width)
			width = cols;
		secret_str_free(line);
	}
	if (width > COLS - 4)
		width = COLS - 4;
	size_t rows_needed = layout_rows(v, width - 4, 0, 0, 0, 0, false);
	int height = (int)rows_needed + 2;
	/* modal_frame keeps two rows of the screen free */
	bool overflows = height > LINES - 2;
	if (v->show_raw) {
		width = COLS;
		height = LINES;
	}
	modal_frame(m, v->show_raw ? _("Raw response (r: back)") : v->title, height,
		    width);
	int rows = m->height - 2, cols = m->width - 4;
	if (v->show_raw)
		draw_raw(v, rows, cols);
	else
		v->wrapped = layout_rows(v, cols, (int)v->scroll, rows, m->top + 1,
					 m->left + 2, overflows);
	attrset(A_NORMAL);
}

static enum key_context
text_view_context(const struct modal *m)
{
	const struct text_view *v = (const struct text_view *)m;
	return v->on_yes ? KEYS_QUESTION : KEYS_TEXT;
}

/* Closes the view, then calls fn (the view is freed by then). */
static enum modal_result
close_then(struct app *a, void (*fn)(struct app *a))
{
	app_close_modal(a);
	fn(a);
	return MODAL_STAY;
}

static void
scroll_by(struct text_view *v, const struct modal *m, enum ui_request r)
{
	size_t page = m->height > 3 ? (size_t)(m->height - 3) : 1;
	size_t step = r == REQ_SCROLL_DOWN || r == REQ_SCROLL_UP ? 1 : page;
	if (r == REQ_SCROLL_DOWN || r == REQ_SCROLL_PAGE_DOWN)
		v->scroll += step;
	else
		v->scroll = v->scroll > step ? v->scroll - step : 0;
	size_t total = v->show_raw ? raw_count(v->raw)
		     : (v->wrapped > (size_t)(m->height - 2)
			? v->wrapped - (size_t)(m->height - 2) + 1 : 1);
	if (v->scroll >= total)
		v->scroll = total ? total - 1 : 0;
}

static enum modal_result
text_view_request(struct modal *m, struct app *a, enum ui_request r)
{
	struct text_view *v = (struct text_view *)m;
	if (v->action && r == v->action_request)
		return close_then(a, v->action);
	switch (r) {
	case REQ_YES:
		return v->on_yes ? close_then(a, v->on_yes) : MODAL_STAY;
	case REQ_RAW:
		if (v->raw) {
			v->show_raw = !v->show_raw;
			v->scroll = 0;
		}
		return MODAL_STAY;
	case REQ_SCROLL_DOWN:
	case REQ_SCROLL_UP:
	case REQ_SCROLL_PAGE_DOWN:
	case REQ_SCROLL_PAGE_UP:
		scroll_by(v, m, r);
		return MODAL_STAY;
	case REQ_CLOSE:
	case REQ_NO:
		return MODAL_CLOSE;
	default:
		return MODAL_STAY;
	}
}

static enum modal_result
text_view_click(struct modal *m, struct app *a, int row, int col)
{
	(void)a;
	bool inside = row >= m->top && row < m->top + m->height &&
		      col >= m->left && col < m->left + m->width;
	return inside ? MODAL_STAY : MODAL_CLOSE;
}

static void
text_view_free(struct modal *m)
{
	struct text_view *v = (struct text_view *)m;
	for (size_t i = 0; i < v->count; i++)
		secret_str_free(v->lines[i].text);	/* may show keys */
	free(v->lines);
	free(v->title);
	free(v->more_hint);
	secret_str_free(v->raw);
	free(v);
}

static const struct modal_ops text_view_ops = {
	.context = text_view_context,
	.draw = text_view_draw,
	.request = text_view_request,
	.click = text_view_click,
	.free = text_view_free,
};

struct modal *
text_view_modal(struct text_view *v, void (*on_yes)(struct app *a))
{
	v->base.ops = &text_view_ops;
	v->on_yes = on_yes;
	return &v->base;
}
