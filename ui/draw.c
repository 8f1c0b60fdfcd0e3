/* The main screen: title, the form (scrolled to keep the focus in view),
 * the summary line and the key bar. Everything is drawn into stdscr and
 * flushed once, so curses sends only what changed: no flicker. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/i18n.h"
#include "app/explain.h"
#include "model/checks.h"
#include "base/hash.h"
#include "base/secret.h"
#include "base/textpos.h"
#include "ui/app.h"
#include "ui/attest.h"
#include "ui/curses.h"
#include "ui/keymap.h"
#include "ui/station.h"
#include "ui/textclip.h"
#include "ui/theme_curses.h"
#include "base/xalloc.h"

/* Labels take the columns the longest needs at its depth, up to a limit
 * that leaves the values room on an 80-column terminal; a label cut past
 * it ends in an ellipsis and the focused row's message starts with it
 * whole. */
enum { LABEL_COLS_MAX = 36 };

static int
label_indent(int depth)
{
	return 2 + 2 * depth;
}

static int
depth_of(const char *path)
{
	int n = 0;
	for (; *path; path++)
		n += *path == '.';
	return n;
}

/* Columns a row's label needs: its indent, a group's fold arrow, the
 * label, and one blank before the mark. */
static int
label_need(const struct field_def *d)
{
	return label_indent(depth_of(d->path)) + (d->kind == FK_GROUP ? 2 : 0) +
	       (int)text_columns(field_label(d), strlen(field_label(d))) + 1;
}

static int
label_cols(void)
{
	static int cols;
	if (cols)
		return cols;
	size_t n;
	const struct field_def *d = schema_fields(&n);
	for (size_t i = 0; i < n; i++)
		if (label_need(&d[i]) > cols)
			cols = label_need(&d[i]);
	if (cols > LABEL_COLS_MAX)
		cols = LABEL_COLS_MAX;
	return cols;
}

enum line_kind {
	LINE_SECTION,
	LINE_FIELD,
	LINE_MESSAGE,
};

struct layout_line {
	enum line_kind kind;
	int section;
	size_t field;
	int part;		/* LINE_MESSAGE: which wrapped piece */
};

enum { MESSAGE_MAX_LINES = 3 };

/* The focused row's message: its finding, else its help, after the
 * label when the label had to be cut. Owned. */
static char *
message_of(const struct form *f, size_t i)
{
	const struct field_def *d = f->fields[i].def;
	const char *msg = form_message(f, i);
	const char *tail = "";
	if (!msg) {
		msg = field_help(d);
		if (d->kind != FK_GROUP && field_is_readonly(d))
			tail = _("; i or Enter shows it whole");
		else if (d->flags & FF_SERVICE_SET)
			tail = _("; i shows all of it");
	}
	if (label_need(d) > label_cols())
		/* TRANSLATORS: a field's label, its help, then a hint
		 * that starts with "; ". */
		return xasprintf(_("%s: %s%s"), field_label(d), msg, tail);
	return xasprintf("%s%s", msg, tail);
}

/* Where piece `part` of `msg` starts and how long it is, wrapped at spaces
 * to `cols` columns; false past the last piece. */
static bool
message_piece(const char *msg, int cols, int part, const char **start,
	      size_t *len)
{
	const char *p = msg;
	for (int k = 0; *p; k++) {
		size_t cut = text_wrap_point(p, strlen(p), cols);
		if (k == part) {
			*start = p;
			*len = cut;
			return true;
		}
		p += cut;
	}
	return false;
}

static int
message_cols(void)
{
	return COLS - label_cols() - 3;
}

/* The focused row's message lines, at most MESSAGE_MAX_LINES. */
static size_t
message_layout(const struct form *f, size_t i, int sec,
	       struct layout_line *out, size_t cap)
{
	char *msg = message_of(f, i);
	size_t n = 0;
	const char *s;
	size_t len;
	while ((int)n < MESSAGE_MAX_LINES && n < cap &&
	       message_piece(msg, message_cols(), (int)n, &s, &len)) {
		out[n] = (struct layout_line){ LINE_MESSAGE, sec, i, (int)n };
		n++;
	}
	free(msg);
	return n;
}

/* The first `bytes` of `s` at the cursor: control characters as blanks
 * and what the locale cannot show as '?', one column each, the widths
 * text_clip counts with. */
static void
draw_bytes(const char *s, size_t bytes)
{
	for (size_t i = 0; i < bytes;) {
		/* a run of printable ASCII in one call: curses then skips
		 * the multibyte state it keeps for each call */
		size_t run = 0;
		while (i + run < bytes && (unsigned char)s[i + run] >= 0x20 &&
		       (unsigned char)s[i + run] < 0x7f)
			run++;
		if (run) {
			addnstr(s + i, (int)run);
			i += run;
			continue;
		}
		size_t n = text_char_decode(s + i).len;
		mbstate_t st;
		memset(&st, 0, sizeof(st));
		wchar_t wc;
		size_t r = mbrtowc(&wc, s + i, n, &st);
		if (r != n)
			addch('?');
		else if (wc < 0x20 || (wc >= 0x7f && wc < 0xa0))
			addch(' ');
		else
			addnstr(s + i, (int)n);
		i += n;
	}
}

enum { FAST_RUN_MAX = 256 };

/* Printable ASCII that ends before the last column, put in the window
 * as it is: the first character through curses, which gives it the
 * window's attributes and background, the rest with that rendition in
 * one copy. addnstr costs some hundred instructions a character, which
 * a frame of the list or a typed key pays for every cell it draws.
 * False, drawing nothing, for any other text. */
static bool
draw_ascii_fast(const char *s, size_t bytes)
{
	int y, x;
	getyx(stdscr, y, x);
	if (bytes < 2 || bytes > FAST_RUN_MAX || x + (int)bytes >= COLS)
		return false;
	for (size_t i = 0; i < bytes; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	addch((chtype)(unsigned char)s[0]);
	chtype look = mvinch(y, x) & ~A_CHARTEXT;
	move(y, x + 1);
	chtype line[FAST_RUN_MAX];
	for (size_t i = 1; i < bytes; i++)
		line[i - 1] = (chtype)(unsigned char)s[i] | look;
	addchnstr(line, (int)bytes - 1);
	move(y, x + (int)bytes);
	return true;
}

void
draw_clipped(const char *s, int cols)
{
	struct text_clip c = text_clip(s, cols, 1);
	if (!draw_ascii_fast(s, c.bytes))
		draw_bytes(s, c.bytes);
	if (c.cut && cols >= 1)
		addstr(text_ellipsis());
}

static void
fill_to(int row, int col_end)
{
	int y, x;
	getyx(stdscr, y, x);
	attr_t attrs;
	short pair;
	attr_get(&attrs, &pair, NULL);
	/* Text that ended in the last column left the cursor on the next
	 * line: this row is full already. */
	if (y != row)
		return;
	/* hline takes the attributes from the character, not from attrset */
	if (x < col_end)
		mvhline(row, x, ' ' | attrs | COLOR_PAIR(pair), col_end - x);
}

static bool
field_focused(const struct form *f, size_t i)
{
	return !f->on_section && f->focus == i;
}

/* The form's lines, section by section: a section's line when the form
 * shows it, then its visible fields, the focused one with its message
 * lines. Every frame builds this, so each field's section is worked out
 * once, not again for each section. */
static size_t
build_layout(const struct app *a, struct layout_line *out, size_t cap)
{
	const struct form *f = a->form;
	unsigned char *sec_of = xmalloc(f->count ? f->count : 1);
	for (size_t i = 0; i < f->count; i++)
		sec_of[i] = (unsigned char)field_section(f->fields[i].def);
	bool has_rows[SECTION_COUNT];
	form_sections_shown(f, has_rows);
	size_t n = 0;
	for (int sec = 0; sec < SECTION_COUNT && n < cap; sec++) {
		if (!has_rows[sec])
			continue;
		out[n++] = (struct layout_line){ LINE_SECTION, sec, 0, 0 };
		if (f->section_folded[sec])
			continue;
		for (size_t i = 0; i < f->count && n + 1 < cap; i++) {
			if (sec_of[i] != sec || !form_visible(f, i))
				continue;
			out[n++] = (struct layout_line){ LINE_FIELD, sec, i, 0 };
			if (field_focused(f, i))
				n += message_layout(f, i, sec, out + n, cap - n);
		}
	}
	free(sec_of);
	return n;
}

static const char *
mark_glyph(const struct app *a, enum field_mark m)
{
	static const char *const utf8[] = { " ", "\u2713", "!", "\u2717" };
	static const char *const ascii[] = { " ", "+", "!", "x" };
	return a->ascii ? ascii[m] : utf8[m];
}

static int
mark_role(enum field_mark m)
{
	return m == MARK_ERROR ? ROLE_MARK_ERROR
	     : m == MARK_WARNING ? ROLE_MARK_WARNING : ROLE_MARK_OK;
}

/* A JSON object on one line: compact when it parses, else as typed. */
static char *
json_preview(const char *text)
{
	cJSON *j = cJSON_Parse(text);
	char *s = j ? cJSON_PrintUnformatted(j) : NULL;
	cJSON_Delete(j);
	if (!s)
		s = xstrdup(text);
	for (char *p = s; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	return s;
}

static char *
list_preview(const char *text)
{
	char *s = xstrdup(text);
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	char *out = xmalloc(n * 2 + 1), *o = out;
	for (char *p = s; *p; p++) {
		if (*p == '\n') {
			*o++ = ',';
			*o++ = ' ';
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	free(s);
	return out;
}

static char *
dots(const struct app *a, size_t n)
{
	const char *dot = a->ascii ? "*" : "\u2022";
	char *out = xmalloc(n * strlen(dot) + 1);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		strcat(out, dot);
	return out;
}

/* A secret at rest: dots, its length and how to show it, in the longest
 * form that fits `room` columns; the shortest still says how to show it. */
static char *
masked(const struct app *a, const char *text, int room)
{
	size_t chars = mbstowcs(NULL, text, 0);
	if (chars == (size_t)-1)
		chars = strlen(text);
	char *many = dots(a, chars < 12 ? chars : 12);
	char *few = dots(a, chars < 4 ? chars : 4);
	char *forms[] = {
		/* TRANSLATORS: %s is a row of dots standing for the
		 * secret; the three forms are longest to shortest. */
		xasprintf(ngettext("%s  (%zu character; Ctrl-R shows)",
				   "%s  (%zu characters; Ctrl-R shows)", chars),
			  many, chars),
		xasprintf(ngettext("%s %zu char, Ctrl-R shows",
				   "%s %zu chars, Ctrl-R shows", chars), few, chars),
		xasprintf(_("%s Ctrl-R shows"), few),
	};
	enum { FORMS = sizeof(forms) / sizeof(forms[0]) };
	size_t pick = 0;
	while (pick + 1 < FORMS &&
	       (int)text_columns(forms[pick], strlen(forms[pick])) > room)
		pick++;
	for (size_t k = 0; k < FORMS; k++)
		if (k != pick)
			free(forms[k]);
	free(many);
	free(few);
	return forms[pick];
}

static char *
blank_text(const struct app *a, const struct field_def *d, bool in_error)
{
	/* a default means nothing when the field is required right now (a
	 * reprovision flag once its partner is set) */
	if (in_error)
		return xstrdup(_("(required)"));
	/* the loaded enrollment has keys; they just could not be read */
	if (d->kind == FK_SECRET && session_keys_missing(a->session))
		return xstrdup(_("(not read from the service: F5 loads again)"));
	if (d->kind == FK_SECRET)
		return xstrdup(_("(blank: the service generates one)"));
	if (d->need == NEED_REQUIRED)
		return xstrdup(_("(required)"));
	if (d->default_value)
		return xasprintf(_("(not set: the service uses %s)"), d->default_value);
	return xstrdup(_("(not set)"));
}

/* The value as shown when not being edited, for `room` columns; owned. */
static char *
value_text(const struct app *a, const struct form_field *ff, bool in_error,
	   int room)
{
	const struct field_def *d = ff->def;
	const char *t = ff->text ? ff->text : "";
	if (d->kind == FK_GROUP)
		return xstrdup("");
	if (!*t)
		return blank_text(a, d, in_error);
	switch (d->kind) {
	case FK_SECRET:
		return ff->revealed ? xstrdup(t) : masked(a, t, room);
	case FK_BOOL:
		return xstrdup(!strcmp(t, "true") ? "[x] true" : "[ ] false");
	case FK_STRING_LIST:
		return list_preview(t);
	case FK_JSON_OBJECT:
		return json_preview(t);
	default:
		return xstrdup(t);
	}
}

static void
draw_section_line(const struct app *a, int row, int sec)
{
	const struct form *f = a->form;
	bool focus = f->on_section && (int)f->focus_sec == sec;
	attrset(theme_attr(focus ? ROLE_FIELD_FOCUS : ROLE_SECTION));
	move(row, 0);
	const char *arrow = f->section_folded[sec] ? (a->ascii ? "+" : "\u25b8")
						   : (a->ascii ? "-" : "\u25be");
	const char *mark = focus ? (a->ascii ? ">" : "\u25b6") : " ";
	char *line = xasprintf("%s%s %s%s", mark, arrow,
			       section_title((enum field_section)sec),
			       f->section_folded[sec] ? _("  (folded: Enter opens)") : "");
	draw_clipped(line, COLS);
	free(line);
	fill_to(row, focus ? COLS : 0);
	attrset(A_NORMAL);
}

static void
draw_label(const struct app *a, int row, const struct form_field *ff,
	   bool focus)
{
	int indent = label_indent(ff->depth);
	move(row, 0);
	attrset(theme_attr(focus ? ROLE_FIELD_FOCUS : ROLE_LABEL));
	addstr(focus ? (a->ascii ? ">" : "\u25b6") : " ");
	if (focus)
		fill_to(row, indent);
	move(row, indent);
	char *label;
	if (ff->def->kind == FK_GROUP)
		label = xasprintf("%s %s", ff->folded ? (a->ascii ? "+" : "\u25b8")
						      : (a->ascii ? "-" : "\u25be"),
				  field_label(ff->def));
	else
		label = xstrdup(field_label(ff->def));
	draw_clipped(label, label_cols() - indent - 1);
	free(label);
	if (focus)
		fill_to(row, label_cols());
	attrset(A_NORMAL);
}

/* The field being edited: its text with the cursor kept in view. */
static void
draw_edit_value(const struct app *a, int row, int col, int width,
		const struct form_field *ff)
{
	const struct textedit *t = &a->edit;
	bool hide = ff->def->kind == FK_SECRET && !ff->revealed;
	/* the same dots as the field at rest, one per character */
	const char *dot = a->ascii ? "*" : "\u2022";
	size_t dot_len = strlen(dot);
	char *shown = NULL;
	if (hide) {
		size_t chars = text_char_count(t->buf);
		shown = xmalloc(chars * dot_len + 1);
		for (size_t k = 0; k < chars; k++)
			memcpy(shown + k * dot_len, dot, dot_len);
		shown[chars * dot_len] = '\0';
	}
	const char *buf = hide ? shown : t->buf;
	size_t cursor = hide ? text_char_count_n(t->buf, t->cursor) * dot_len
			     : t->cursor;
	size_t start = 0;
	while (start < cursor &&
	       (int)text_columns(buf + start, cursor - start) >= width - 1) {
		start++;
		while (start < cursor && ((unsigned char)buf[start] & 0xC0) == 0x80)
			start++;
	}
	attrset(theme_attr(ROLE_FIELD_EDIT));
	move(row, col);
	draw_clipped(buf + start, width);
	fill_to(row, col + width);
	attrset(A_NORMAL);
	move(row, col + (int)text_columns(buf + start, cursor - start));
	free(shown);
}

static int
value_role(const struct form_field *ff, bool focus)
{
	if (focus)
		return ROLE_FIELD_FOCUS;
	if (field_is_readonly(ff->def))
		return ROLE_READONLY;
	if (ff->def->kind == FK_SECRET && !ff->revealed)
		return ROLE_SECRET;
	return ff->text && *ff->text ? ROLE_FIELD : ROLE_HELP_TEXT;
}

/* Returns the screen column where the cursor belongs, or -1. */
static int
draw_field_line(const struct app *a, int row, size_t i)
{
	const struct form *f = a->form;
	const struct form_field *ff = &f->fields[i];
	bool focus = field_focused(f, i);
	draw_label(a, row, ff, focus);
	enum field_mark m = form_mark(f, i);
	move(row, label_cols());
	attrset(theme_attr(mark_role(m)));
	addstr(mark_glyph(a, m));
	attrset(A_NORMAL);
	int col = label_cols() + 2, width = COLS - col;
	if (focus && a->editing) {
		draw_edit_value(a, row, col, width, ff);
		int y, x;
		getyx(stdscr, y, x);
		(void)y;
		return x;
	}
	int note_role;
	char *note = attest_note(f, i, &note_role);
	/* a dim value alone does not show on every terminal */
	if (!note && station_locked(a, i)) {
		note = xasprintf(_("locked: the batch's; %s unlocks"),
				 keymap_key_name(REQ_UNLOCK));
		note_role = ROLE_READONLY;
	}
	/* A certificate's PEM says nothing on one line; its note says who it
	 * is and until when. */
	bool note_only = note && field_holds_certificate(ff->def);
	/* The note (a fingerprint, an expiry) is what gets read back, so it
	 * keeps its room and the value gives way. */
	/* two columns of gap, and the last column stays free */
	int note_cols = note ? (int)text_columns(note, strlen(note)) + 3 : 0;
	int room = note_only ? 0 : width - note_cols;
	if (room < 8 && !note_only)
		room = width / 2;
	char *v = note_only ? xstrdup("")
			    : value_text(a, ff, m == MARK_ERROR, room);
	attrset(theme_attr(station_locked(a, i) && !focus ? ROLE_READONLY
			   : value_role(ff, focus)));
	move(row, col);
	struct text_clip fit = text_clip(v, room, 1);
	draw_clipped(v, room);
	if (note) {
		int at = note_only ? 0 : (fit.cut ? room : fit.cols) + 2;
		attrset(theme_attr(focus ? ROLE_FIELD_FOCUS : note_role));
		move(row, col + at);
		draw_clipped(note, width - at - 1);
	}
	if (focus)
		fill_to(row, COLS);
	attrset(A_NORMAL);
	secret_str_free(v);	/* a revealed key */
	free(note);
	return -1;
}

static void
draw_message_line(const struct app *a, int row, size_t i, int part)
{
	const struct form *f = a->form;
	const char *msg = form_message(f, i);
	enum field_mark m = form_mark(f, i);
	/* A message on a field with no error or warning is a note. */
	int role = !msg ? ROLE_HELP_TEXT
		 : m == MARK_ERROR ? ROLE_MESSAGE_ERROR
		 : m == MARK_WARNING ? ROLE_MESSAGE_WARNING : ROLE_HELP_TEXT;
	char *whole = message_of(f, i);
	const char *start;
	size_t len;
	if (message_piece(whole, message_cols(), part, &start, &len)) {
		/* the last line takes the rest, cut with an ellipsis */
		char *piece = part + 1 < MESSAGE_MAX_LINES ? xstrndup(start, len)
							   : xstrdup(start);
		attrset(theme_attr(role));
		move(row, label_cols() + 2);
		draw_clipped(piece, message_cols());
		attrset(A_NORMAL);
		free(piece);
	}
	free(whole);
}

static size_t
focus_line(const struct app *a, const struct layout_line *l, size_t n)
{
	const struct form *f = a->form;
	for (size_t k = 0; k < n; k++) {
		if (f->on_section && l[k].kind == LINE_SECTION &&
		    l[k].section == (int)f->focus_sec)
			return k;
		if (!f->on_section && l[k].kind == LINE_FIELD && l[k].field == f->focus)
			return k;
	}
	return 0;
}

/* The last line that belongs with the focus: its message, and for a group
 * the rows inside it (a group is read with what it holds, such as the
 * registration state's values). */
static size_t
focus_extent(const struct app *a, const struct layout_line *l, size_t n,
	     size_t focus)
{
	size_t last = focus + 1 < n ? focus + 1 : focus;
	const struct form *f = a->form;
	if (f->on_section || l[focus].kind != LINE_FIELD)
		return last;
	const char *path = f->fields[l[focus].field].def->path;
	size_t len = strlen(path);
	for (size_t k = focus + 1; k < n && l[k].kind != LINE_SECTION; k++) {
		if (l[k].kind == LINE_MESSAGE)
			continue;
		const char *p = f->fields[l[k].field].def->path;
		if (strncmp(p, path, len) != 0 || p[len] != '.')
			break;
		last = k;
	}
	return last;
}

static void
keep_in_view(struct app *a, size_t focus, size_t extent, size_t n, int rows)
{
	int want_last = (int)extent;
	if (want_last - (int)focus >= rows)
		want_last = (int)focus + rows - 1;
	if ((int)focus < a->scroll)
		a->scroll = (int)focus > 0 ? (int)focus - 1 : 0;
	if (want_last >= a->scroll + rows)
		a->scroll = want_last - rows + 1;
	if (a->scroll > (int)n - rows)
		a->scroll = (int)n - rows;
	if (a->scroll < 0)
		a->scroll = 0;
}

enum { FORM_TOP = 1, BARS = 2 };

static int
form_rows(void)
{
	return LINES - FORM_TOP - BARS;
}

/* Draws the form area; returns the cursor's screen position or -1. */
static int
draw_form_area(struct app *a, int *cursor_row)
{
	size_t cap = a->form->count + MESSAGE_MAX_LINES + SECTION_COUNT + 1;
	struct layout_line *l = xcalloc(cap, sizeof(*l));
	size_t n = build_layout(a, l, cap);
	int rows = form_rows(), cursor_col = -1;
	size_t focus = focus_line(a, l, n);
	keep_in_view(a, focus, focus_extent(a, l, n, focus), n, rows);
	for (int r = 0; r < rows && a->scroll + r < (int)n; r++) {
		const struct layout_line *ln = &l[a->scroll + r];
		int row = FORM_TOP + r;
		if (ln->kind == LINE_SECTION)
			draw_section_line(a, row, ln->section);
		else if (ln->kind == LINE_MESSAGE)
			draw_message_line(a, row, ln->field, ln->part);
		else {
			int c = draw_field_line(a, row, ln->field);
			if (c >= 0) {
				cursor_col = c;
				*cursor_row = row;
				/* remembered for draw_edit_echo */
				a->edit_row = row;
				a->edit_col = label_cols() + 2;
				a->edit_width = COLS - label_cols() - 2;
			}
		}
	}
	free(l);
	return cursor_col;
}

long
draw_field_at_row(const struct app *a, int row, int *section)
{
	size_t cap = a->form->count + MESSAGE_MAX_LINES + SECTION_COUNT + 1;
	struct layout_line *l = xcalloc(cap, sizeof(*l));
	size_t n = build_layout(a, l, cap);
	long k = a->scroll + row - FORM_TOP, result = -1;
	*section = -1;
	if (row >= FORM_TOP && row < FORM_TOP + form_rows() && k >= 0 &&
	    k < (long)n) {
		if (l[k].kind == LINE_SECTION)
			*section = l[k].section;
		else
			result = (long)l[k].field;
	}
	free(l);
	return result;
}

/* Whether the registration id typed is still the loaded one's: another
 * id makes a new enrollment, whose device has not registered. */
static bool
same_enrollment(const struct app *a)
{
	const struct form *f = a->form;
	const char *was = doc_get_string(session_base(a->session),
					 "registrationId");
	const char *now = form_registration_id(f);
	return !was || registration_id_equal(was, now);
}

/* The device's side at a glance, next to the enrollment being edited. */
static char *
device_summary(const struct app *a)
{
	const struct doc *base = session_base(a->session);
	const char *status = doc_get_string(base, "registrationState.status");
	const char *hub = doc_get_string(base, "registrationState.assignedHub");
	if (!status || !same_enrollment(a))
		return xstrdup("");
	if (!strcmp(status, "assigned") && hub)
		return xasprintf(_("  device: assigned to %s"), hub);
	if (!strcmp(status, "unassigned"))
		return xstrdup(_("  device: not registered yet"));
	return xasprintf(_("  device: %s"), status);
}

/* The title line; *alarm set when it must stand out (a wrong scan). */
static char *
title_text(const struct app *a, bool *alarm)
{
	const struct form *f = a->form;
	const char *id = form_registration_id(f);
	char *what = session_etag(a->session)
		     ? xasprintf(_("editing %s"), *id ? id : "?")
			     : xstrdup(_("new enrollment"));
	char *device = device_summary(a);
	char *station = station_title(a, alarm);
	char *line = station
		/* TRANSLATORS: the title line in station mode: the
		 * station's news ("3 enrolled  last ..."), then the DPS. */
		? xasprintf(_(" station  %s  %s"), station,
			    a->host ? a->host : _("(no DPS)"))
		: xasprintf(" dpsenroll  %s%s  %s%s", what,
			    form_changed(f) ? _(" (changed)") : "",
			    a->host ? a->host : _("(no DPS)"), device);
	free(device);
	free(station);
	free(what);
	return line;
}

static void
draw_title(const struct app *a)
{
	bool alarm = false;
	char *line = title_text(a, &alarm);
	/* a wrong scan turns the whole line: seen from across the bench */
	attrset(theme_attr(alarm ? ROLE_FAILURE : ROLE_TITLE) |
		(alarm ? A_REVERSE : 0));
	move(0, 0);
	draw_clipped(line, COLS);
	fill_to(0, COLS);
	attrset(A_NORMAL);
	free(line);
}

static double
elapsed_s(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static const char *
spinner_frame(const struct app *a, double t)
{
	static const char *const braille[] = { "\u280b", "\u2819", "\u2839",
					       "\u2838", "\u283c", "\u2834",
					       "\u2826", "\u2827", "\u2807",
					       "\u280f" };
	static const char *const ascii[] = { "|", "/", "-", "\\" };
	int k = (int)(t * 10);
	return a->ascii ? ascii[k % 4] : braille[k % 10];
}

/* "submitting dev-1": what the request does, and to what. Owned. */
static char *
job_what(enum dps_op op, const char *id)
{
	switch (op) {
	case DPS_OP_PUT:
		return xasprintf(_("submitting %s"), id);
	case DPS_OP_GET:
		return xasprintf(_("loading %s"), id);
	case DPS_OP_ATTESTATION:
		return xasprintf(_("reading the keys of %s"), id);
	default:
		return xasprintf(_("working %s"), id);
	}
}

static long
ms_until(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(t->tv_sec - now.tv_sec) * 1000 +
	       (t->tv_nsec - now.tv_nsec) / 1000000;
}

/* The request in flight: a countdown while it waits to try again (a 429
 * with Retry-After can mean many seconds of nothing), else the spinner. */
static char *
job_text(const struct app *a)
{
	const char *id = a->job_id ? a->job_id : "";
	if (!a->job_retrying) {
		double t = elapsed_s(&a->job_start);
		char *what = job_what(a->job_op, id);
		/* TRANSLATORS: a spinner, what the request does
		 * ("submitting dev-1"), then the seconds it has taken. */
		char *text = xasprintf(_("%s %s %.1fs (Esc cancels)"),
				       spinner_frame(a, t), what, t);
		free(what);
		return text;
	}
	const struct dps_retry *r = &a->job_retry.retry;
	long left = ms_until(&a->job_retry.retry_at);
	if (left > 0) {
		char *why = explain_retry(r, left);
		char *text = xasprintf(_("%s; Esc cancels"), why);
		free(why);
		return text;
	}
	double t = elapsed_s(&a->job_start);
	char *what = job_what(a->job_op, id);
	char *text = xasprintf(_("%s %s %.1fs, attempt %d of %d (Esc cancels)"),
			       spinner_frame(a, t), what, t, r->next_attempt,
			       r->max_attempts);
	free(what);
	return text;
}

static char *
counts_text(const struct app *a)
{
	const struct form *f = a->form;
	if (!f->errors && !f->warnings)
		return xstrdup(a->ascii ? _("ok: ready to submit")
				       : _("\u2713 ready to submit"));
	char *errors = xasprintf(ngettext("%zu error", "%zu errors", f->errors),
				 f->errors);
	char *warnings = xasprintf(ngettext("%zu warning", "%zu warnings",
					    f->warnings), f->warnings);
	char *text = xasprintf("%s, %s", errors, warnings);
	free(errors);
	free(warnings);
	return text;
}

/* The request in flight, or the last news. */
static char *
news_text(const struct app *a)
{
	if (a->job)
		return job_text(a);
	return xstrdup(a->status.text ? a->status.text : "");
}

static void
draw_summary(const struct app *a)
{
	int row = LINES - 2;
	const struct form *f = a->form;
	attrset(theme_attr(ROLE_STATUS_BAR));
	move(row, 0);
	fill_to(row, COLS);
	move(row, 1);
	char *counts = counts_text(a);
	attrset(theme_attr(f->errors ? ROLE_MESSAGE_ERROR
			   : f->warnings ? ROLE_MESSAGE_WARNING : ROLE_SUCCESS));
	draw_clipped(counts, 40);
	free(counts);
	attrset(theme_attr(ROLE_STATUS_BAR));
	addstr("  ");
	attrset(theme_attr(a->job ? ROLE_SPINNER : a->status.error ? ROLE_FAILURE
			   : ROLE_STATUS_BAR));
	char *news = news_text(a);
	int y, x;
	getyx(stdscr, y, x);
	(void)y;
	draw_clipped(news, COLS - x - 1);
	free(news);
	attrset(A_NORMAL);
}

enum { BAR_MAX = 32 };

/* The bar's entries for `ctx` that fit in `cols`: when not all do (a
 * narrow terminal, a longer language), the ones left out are taken from
 * the right, but Help and Quit stay: the way out and the way to every
 * other key. Returns the count, *cut set when some were left out. */
static size_t
key_bar_entries(enum key_context ctx, int cols,
		const struct key_binding **out, bool *cut)
{
	size_t n, count = 0;
	const struct key_binding *b = keymap_bindings(&n);
	int width = 0;
	for (size_t i = 0; i < n && count < BAR_MAX; i++)
		if (b[i].in_bar && keymap_applies(&b[i], ctx)) {
			out[count++] = &b[i];
			width += keymap_bar_width(&b[i]);
		}
	*cut = false;
	int room = cols - 2;	/* the ellipsis, when some are left out */
	for (size_t i = count; i-- > 0 && width > (*cut ? room : cols);) {
		if (out[i]->request == REQ_HELP || out[i]->request == REQ_QUIT)
			continue;
		width -= keymap_bar_width(out[i]);
		memmove(&out[i], &out[i + 1], (count - i - 1) * sizeof(*out));
		count--;
		*cut = true;
	}
	return count;
}

void
draw_key_bar(enum key_context ctx)
{
	int row = LINES - 1;
	move(row, 0);
	attrset(theme_attr(ROLE_STATUS_BAR));
	fill_to(row, COLS);
	move(row, 0);
	const struct key_binding *shown[BAR_MAX];
	bool cut;
	size_t n = key_bar_entries(ctx, COLS, shown, &cut);
	int used = 0;
	for (size_t i = 0; i < n; i++) {
		int need = keymap_bar_width(shown[i]);
		if (used + need > COLS)
			break;	/* even Help and Quit do not fit */
		attrset(theme_attr(ROLE_KEY_HINT));
		printw(" %s", keymap_key_label(shown[i]));
		attrset(theme_attr(ROLE_STATUS_BAR));
		printw(" %s ", _(ui_request_word(shown[i]->request)));
		used += need;
	}
	/* more keys than room: F1 lists them all */
	if (cut && used < COLS - 1)
		mvaddstr(row, used + 1, text_ellipsis());
	attrset(A_NORMAL);
}

static void
draw_too_small(void)
{
	attrset(theme_attr(ROLE_MESSAGE_ERROR));
	char *msg = xasprintf(_("Terminal too small: %dx%d. dpsenroll needs at least "
				"%dx%d; enlarge the window (F10 quits)."), COLS, LINES,
			      MIN_COLS, MIN_LINES);
	for (int r = 0; r < LINES; r++) {
		move(r, 0);
		clrtoeol();
	}
	/* wrapped at words: a window this small is read as it is */
	const char *p = msg;
	for (int r = 0; *p && r < LINES; r++) {
		size_t n = text_wrap_point(p, strlen(p), COLS);
		mvaddnstr(r, 0, p, (int)n);
		p += n;
		while (*p == ' ')
			p++;
	}
	free(msg);
	attrset(A_NORMAL);
}

/* What a frame shows besides the value being typed, which the echo
 * draws: every finding (they decide the marks, the message lines and so
 * the layout), the focused row's mark, the title and the summary bar, and
 * where everything sits. Equal keys mean an equal frame. */
static uint64_t
frame_key(const struct app *a)
{
	const struct form *f = a->form;
	uint64_t h = form_findings_hash(f);
	const int64_t where[] = {
		COLS, LINES, a->scroll, (int64_t)f->focus, f->on_section,
		f->focus_sec, a->editing, a->modal != NULL, a->edit_row,
		a->edit_col, a->edit_width, form_mark(f, f->focus),
		a->status.error, a->job != 0,
		/* what counts_text is made of */
		(int64_t)f->errors, (int64_t)f->warnings,
	};
	h = hash_bytes(h, where, sizeof(where));
	bool alarm = false;
	char *title = title_text(a, &alarm), *news = news_text(a);
	h = hash_str(hash_str(h, title), news);
	h = hash_u64(h, alarm);
	free(title);
	free(news);
	return h;
}

void
draw_screen(struct app *a)
{
	if (list_showing(a) && COLS >= MIN_COLS && LINES >= MIN_LINES) {
		list_draw(a);
		return;
	}
	leaveok(stdscr, FALSE);	/* the list may have set it */
	erase();
	bkgdset(theme_attr(ROLE_NORMAL) | ' ');
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		draw_too_small();
		curs_set(0);
		refresh();
		return;
	}
	int cursor_row = -1;
	draw_title(a);
	int cursor_col = draw_form_area(a, &cursor_row);
	draw_summary(a);
	/* the keys of what the technician is doing: a window's own, and
	 * typing changes Enter */
	draw_key_bar(modal_bar_context(a, a->editing ? KEYS_EDIT : KEYS_FORM));
	curs_set(!a->modal && cursor_col >= 0 ? 1 : 0);
	if (a->modal)
		a->modal->ops->draw(a->modal, a);	/* places its own cursor */
	else if (cursor_col >= 0)
		move(cursor_row, cursor_col);
	refresh();
	a->frame_key = frame_key(a);
}

bool
draw_edit_echo(struct app *a)
{
	if (!a->editing || a->modal || a->edit_width <= 0 ||
	    COLS < MIN_COLS || LINES < MIN_LINES)
		return false;
	const struct form_field *ff = &a->form->fields[a->form->focus];
	draw_edit_value(a, a->edit_row, a->edit_col, a->edit_width, ff);
	refresh();
	return true;
}

bool
draw_frame_unchanged(const struct app *a)
{
	return frame_key(a) == a->frame_key;
}
