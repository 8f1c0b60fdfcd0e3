/* Editors in a window: the multi-line one for JSON objects and lists
 * (changes reach the field as they are typed, so closing never loses
 * anything), and the one-line question for an id to load. */

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "ui/app.h"
#include "ui/attest.h"
#include "ui/textclip.h"
#include "ui/theme_curses.h"
#include "base/xalloc.h"

struct editor {
	struct modal base;
	size_t field;		/* form field, or (size_t)-1 for the prompt */
	struct textedit text;
	int scroll;		/* first line shown */
	int hscroll;		/* display columns scrolled off to the left */
};

static const char *
line_start(const char *buf, int k)
{
	const char *p = buf;
	for (int i = 0; i < k && p; i++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return p;
}

/* The byte offset in `line` after `skip` display columns. */
static size_t
skip_columns(const char *line, size_t len, int skip)
{
	size_t i = 0;
	while (i < len && (int)text_columns(line, i) < skip) {
		i++;
		while (i < len && ((unsigned char)line[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

/* Long lines (a twin value, a base64 key) scroll sideways with the cursor
 * instead of running out of the window. */
static void
draw_lines(struct editor *e, int rows, int cols, int cursor_line,
	   int cursor_col)
{
	if (cursor_line - 1 < e->scroll)
		e->scroll = cursor_line - 1;
	if (cursor_line - 1 >= e->scroll + rows)
		e->scroll = cursor_line - rows;
	/* the last column is kept for the ellipsis of a line that goes on */
	e->hscroll = cursor_col >= cols ? cursor_col - cols + 1 : 0;
	attrset(theme_attr(ROLE_FIELD_EDIT));
	for (int r = 0; r < rows; r++) {
		const char *p = line_start(e->text.buf, e->scroll + r);
		move(e->base.top + 1 + r, e->base.left + 2);
		hline(' ', cols);
		if (!p)
			continue;
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		size_t from = skip_columns(p, len, e->hscroll);
		char *line = xstrndup(p + from, len - from);
		draw_clipped(line, cols);
		free(line);
	}
	attrset(A_NORMAL);
}

/* Where the cursor is, in the bottom border: the footer is the field's
 * message, which gives a position of its own (a JSON error's). */
static void
draw_cursor_position(const struct modal *m, int line, int col)
{
	/* TRANSLATORS: the cursor's line and column, in a window's border. */
	char *where = xasprintf(_(" cursor %d:%d "), line, col);
	int w = (int)text_columns(where, strlen(where));
	attrset(theme_attr(ROLE_POPUP_TITLE));
	if (w + 4 < m->width) {
		move(m->top + m->height - 1, m->left + m->width - 2 - w);
		addstr(where);
	}
	free(where);
}

/* The field's message (or how to close), over the two lines above the
 * bottom border; more than that ends in an ellipsis, and the message
 * under the field, with more room, shows it when the window is closed. */
static void
draw_footer(const struct modal *m, const struct app *a, size_t field,
	    int cols)
{
	const char *msg = form_message(a->form, field);
	enum field_mark mark = form_mark(a->form, field);
	const char *foot = msg ? msg : _("Esc or F2: done (what you typed is kept)");
	/* A note (a self-signed certificate) reads as help, not as trouble. */
	attrset(theme_attr(mark == MARK_ERROR ? ROLE_MESSAGE_ERROR
			   : mark == MARK_WARNING ? ROLE_MESSAGE_WARNING
			   : ROLE_HELP_TEXT));
	size_t len = strlen(foot), first = text_wrap_point(foot, len, cols);
	int row = m->top + m->height - (first < len ? 3 : 2);
	char *piece = xstrndup(foot, first);
	move(row, m->left + 2);
	draw_clipped(piece, cols);
	free(piece);
	if (first < len) {
		move(row + 1, m->left + 2);
		draw_clipped(foot + first, cols);
	}
	attrset(A_NORMAL);
}

static void
editor_draw(struct modal *m, const struct app *a)
{
	struct editor *e = (struct editor *)m;
	const struct form_field *ff = &a->form->fields[e->field];
	const char *label = field_label(ff->def);
	char *title = ff->def->kind == FK_STRING_LIST
		? xasprintf(_("%s: one per line"), label)
		: ff->def->kind == FK_JSON_OBJECT ? xasprintf(_("%s (JSON)"), label)
		: xasprintf(_("%s: paste it, or o in the form reads a file"), label);
	modal_frame(m, title, LINES - 4, COLS - 6);
	free(title);
	int rows = m->height - 4, cols = m->width - 4, line, col;
	textedit_position(&e->text, &line, &col);
	draw_lines(e, rows, cols, line, col);
	draw_cursor_position(m, line, col);
	draw_footer(m, a, e->field, cols);
	move(m->top + line - e->scroll, m->left + 1 + col - e->hscroll);
	curs_set(1);
}

static enum key_context
editor_context(const struct modal *m)
{
	(void)m;
	return KEYS_EDITOR;
}

static enum modal_result
editor_done(struct editor *e, struct app *a)
{
	/* Closing is when the technician is done with the text: it is
	 * settled then (a paste's private key goes, a chain gives its
	 * leaf), not while it is still being pasted. */
	size_t field = e->field;
	app_close_modal(a);	/* frees e */
	attest_settle(a, field);
	return MODAL_STAY;
}

static enum modal_result
editor_request(struct modal *m, struct app *a, enum ui_request r)
{
	struct editor *e = (struct editor *)m;
	if (r == REQ_EDITOR_DONE)
		return editor_done(e, a);
	if (r == REQ_NEWLINE)
		textedit_insert(&e->text, "\n", 1);
	else if (r == REQ_INDENT)
		textedit_insert(&e->text, "  ", 2);
	else if (textedit_request(&e->text, r) == TEXTEDIT_NOT_MINE)
		return MODAL_STAY;
	form_set_text(a->form, e->field, e->text.buf);
	return MODAL_STAY;
}

static enum modal_result
editor_text(struct modal *m, struct app *a, const char *utf8)
{
	struct editor *e = (struct editor *)m;
	textedit_insert(&e->text, utf8, strlen(utf8));
	form_set_text(a->form, e->field, e->text.buf);
	return MODAL_STAY;
}

static void
editor_free(struct modal *m)
{
	struct editor *e = (struct editor *)m;
	textedit_free(&e->text);
	free(e);
}

static const struct modal_ops editor_ops = {
	.context = editor_context,
	.draw = editor_draw,
	.request = editor_request,
	.text = editor_text,
	.free = editor_free,
};

struct modal *
editor_new(struct app *a, size_t field)
{
	struct editor *e = xcalloc(1, sizeof(*e));
	e->base.ops = &editor_ops;
	e->field = field;
	const char *t = a->form->fields[field].text;
	/* wiped when freed: a paste may hold a private key */
	textedit_init(&e->text, t ? t : "", true);
	return &e->base;
}

struct prompt {
	struct editor ed;
	char *title;
	char *label;
	/* The text it opened with, untouched yet: a typed character
	 * replaces it (the next id, not one glued to the last); a key that
	 * edits keeps it. */
	bool offered;
	void (*on_enter)(struct app *a, const char *text);
};

static void
prompt_draw(struct modal *m, const struct app *a)
{
	(void)a;
	struct prompt *p = (struct prompt *)m;
	struct textedit *t = &p->ed.text;
	/* A long path is shown whole when the terminal is wide enough. */
	int want = (int)text_columns(t->buf, t->len) + 6;
	modal_frame(m, p->title, 6, want > 72 ? want : 72);
	attrset(theme_attr(ROLE_POPUP));
	move(m->top + 1, m->left + 2);
	draw_clipped(p->label, m->width - 4);
	int cols = m->width - 4;
	int col = (int)text_columns(t->buf, t->cursor);
	int skip = col >= cols - 1 ? col - cols + 2 : 0;
	size_t from = skip_columns(t->buf, t->len, skip);
	attrset(theme_attr(ROLE_FIELD_EDIT));
	move(m->top + 2, m->left + 2);
	hline(' ', cols);
	if (p->offered)
		attron(A_REVERSE);
	draw_clipped(t->buf + from, cols);
	attrset(theme_attr(ROLE_HELP_TEXT));
	move(m->top + 3, m->left + 2);
	draw_clipped(p->offered ? _("Enter: go on    Esc: back    typing "
				     "replaces this; arrows keep it")
			: _("Enter: go on    Esc: back"), cols);
	attrset(A_NORMAL);
	move(m->top + 2, m->left + 2 + col - (int)text_columns(t->buf, from));
	curs_set(1);
}

static enum key_context
prompt_context(const struct modal *m)
{
	(void)m;
	return KEYS_PROMPT;
}

static enum modal_result
prompt_request(struct modal *m, struct app *a, enum ui_request r)
{
	struct prompt *p = (struct prompt *)m;
	if (r == REQ_CLOSE)
		return MODAL_CLOSE;
	if (r == REQ_ANSWER) {
		char *text = xstrdup(p->ed.text.buf);
		void (*on_enter)(struct app *, const char *) = p->on_enter;
		app_close_modal(a);	/* frees p */
		on_enter(a, text);
		free(text);
		return MODAL_STAY;
	}
	p->offered = false;
	textedit_request(&p->ed.text, r);
	return MODAL_STAY;
}

static enum modal_result
prompt_text(struct modal *m, struct app *a, const char *utf8)
{
	(void)a;
	struct prompt *p = (struct prompt *)m;
	if (p->offered)
		textedit_set(&p->ed.text, "");
	p->offered = false;
	textedit_insert(&p->ed.text, utf8, strlen(utf8));
	return MODAL_STAY;
}

static void
prompt_free(struct modal *m)
{
	struct prompt *p = (struct prompt *)m;
	textedit_free(&p->ed.text);
	free(p->title);
	free(p->label);
	free(p);
}

static const struct modal_ops prompt_ops = {
	.context = prompt_context,
	.draw = prompt_draw,
	.request = prompt_request,
	.text = prompt_text,
	.free = prompt_free,
};

struct modal *
prompt_new(struct app *a, const char *title, const char *label,
	   const char *initial, void (*on_enter)(struct app *a, const char *text))
{
	(void)a;
	struct prompt *p = xcalloc(1, sizeof(*p));
	p->ed.base.ops = &prompt_ops;
	p->ed.field = (size_t)-1;
	p->title = xstrdup(title);
	p->label = xstrdup(label);
	p->on_enter = on_enter;
	textedit_init(&p->ed.text, initial, false);
	textedit_end(&p->ed.text);
	p->offered = *initial != '\0';
	return &p->ed.base;
}

struct modal *
prompt_load_new(struct app *a, const char *initial)
{
	return prompt_new(a, _("Load an enrollment"), _("Registration id:"), initial,
			  app_load);
}
