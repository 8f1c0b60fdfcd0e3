/* The window that switches the DPS: the config's profiles (names and
 * hosts, never keys) and, last, a connection string to paste. The pasted
 * string is shown only as dots and kept in memory that is wiped; it is
 * written to the config only when a profile name is given for it. */

#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/textclip.h"
#include "ui/theme_curses.h"
#include "app/config.h"
#include "base/i18n.h"
#include "base/textpos.h"
#include "base/xalloc.h"

enum { WIDTH = 84, NAME_COLS = 16 };

struct conn_window {
	struct modal base;
	struct profile_info *profiles;
	size_t count;
	char *problem;		/* why the profiles could not be read */
	size_t selected;	/* a profile, or `count`: paste a string */
	bool pasting;
	int field;		/* 0: the string, 1: the profile name */
	struct textedit text;	/* secret */
	struct textedit name;
	char *error;		/* the last refusal, until the next try */
};

static void
row(const struct modal *m, int r, int role, const char *text)
{
	attrset(theme_attr(role));
	move(m->top + r, m->left + 1);
	hline(' ', m->width - 2);
	move(m->top + r, m->left + 2);
	draw_clipped(text, m->width - 4);
}

/* Rows of `text` wrapped to the window, from row r; returns the next. */
static int
rows_wrapped(const struct modal *m, int r, int role, const char *text)
{
	for (const char *p = text; *p && r < m->height - 2; r++) {
		size_t cut = text_wrap_point(p, strlen(p), m->width - 4);
		char *piece = xstrndup(p, cut);
		row(m, r, role, piece);
		free(piece);
		p += cut;
	}
	return r;
}

static int
wrapped_count(const char *text, int cols)
{
	int n = 0;
	for (const char *p = text; p && *p; p += text_wrap_point(p, strlen(p), cols))
		n++;
	return n;
}

static char *
now_text(const struct app *a)
{
	return a->worker ? xasprintf(_("Now: %s"), a->host)
			 : xasprintf(_("Now: no DPS: %s"), a->conn_problem);
}

static char *
profile_line(const struct conn_window *w, size_t k)
{
	const struct profile_info *p = &w->profiles[k];
	/* the reason is long: Enter shows it whole */
	return xasprintf("%s %-*s  %s%s", k == w->selected ? ">" : " ", NAME_COLS,
			 p->name, p->host ? p->host : _("cannot be used (Enter says why)"),
			 p->is_default ? _("  (default)") : "");
}

static int
draw_list(struct conn_window *w, int r)
{
	struct modal *m = &w->base;
	if (w->problem)
		r = rows_wrapped(m, r, ROLE_MESSAGE_ERROR, w->problem);
	else if (!w->count)
		r = rows_wrapped(m, r, ROLE_HELP_TEXT, _("No profiles in the config "
				 "file yet; a pasted string can be saved as one."));
	for (size_t k = 0; k < w->count; k++) {
		char *line = profile_line(w, k);
		row(m, r++, k == w->selected ? ROLE_POPUP_SELECTED
		    : w->profiles[k].host ? ROLE_POPUP : ROLE_MESSAGE_ERROR, line);
		free(line);
	}
	row(m, r++, w->selected == w->count ? ROLE_POPUP_SELECTED : ROLE_POPUP,
	    w->selected == w->count ? _("> Paste a connection string...")
	    : _("  Paste a connection string..."));
	return r;
}

/* The string as dots, one a character, and how many there are. */
static char *
masked(const struct app *a, const struct textedit *t, int cols)
{
	const char *dot = a->ascii ? "*" : "\u2022";
	size_t chars = text_char_count(t->buf);
	char *count = xasprintf(_("  (%zu characters)"), chars);
	size_t room = cols > (int)strlen(count) + 1 ? cols - strlen(count) - 1 : 1;
	size_t shown = chars < room ? chars : room;
	char *out = xmalloc(shown * strlen(dot) + strlen(count) + 1), *o = out;
	for (size_t i = 0; i < shown; i++)
		o = stpcpy(o, dot);
	strcpy(o, chars ? count : "");
	free(count);
	return out;
}

static void
input_row(const struct modal *m, int r, const char *shown, bool focus)
{
	attrset(theme_attr(focus ? ROLE_FIELD_EDIT : ROLE_FIELD));
	move(m->top + r, m->left + 2);
	hline(' ', m->width - 4);
	draw_clipped(shown, m->width - 4);
}

static int
draw_paste(struct conn_window *w, const struct app *a, int r, int *cur_row,
	   int *cur_col)
{
	struct modal *m = &w->base;
	row(m, r++, ROLE_POPUP, _("Paste the DPS connection string "
	    "(HostName=...;SharedAccessKey=...):"));
	char *dots = masked(a, &w->text, m->width - 4);
	input_row(m, r, dots, w->field == 0);
	if (w->field == 0) {
		/* one dot a character, as far as they are shown */
		int before = (int)text_char_count_n(w->text.buf, w->text.cursor);
		int shown = (int)text_columns(dots, strcspn(dots, " "));
		*cur_row = r;
		*cur_col = before < shown ? before : shown;
	}
	free(dots);
	r++;
	row(m, r++, ROLE_POPUP, _("Save as profile (empty: this session only, "
	    "written nowhere):"));
	input_row(m, r, w->name.buf, w->field == 1);
	if (w->field == 1) {
		*cur_row = r;
		*cur_col = (int)text_columns(w->name.buf, w->name.cursor);
	}
	return r + 1;
}

/* Frame, the "Now" line and a blank, the body, a blank, the refusal and
 * a blank when there is one, the help line, frame. */
static int
needed_rows(const struct conn_window *w, const struct app *a, int cols)
{
	char *now = now_text(a);
	int n = 1 + wrapped_count(now, cols) + 1;
	free(now);
	if (w->pasting)
		n += 4;
	else
		n += (int)w->count + 1 + wrapped_count(w->problem, cols) +
		     (!w->problem && !w->count);
	if (w->error)
		n += 1 + wrapped_count(w->error, cols);
	return n + 1 + 1 + 1;
}

static void
conn_draw(struct modal *m, const struct app *a)
{
	struct conn_window *w = (struct conn_window *)m;
	int width = COLS - 4 < WIDTH ? COLS - 4 : WIDTH;
	modal_frame(m, _("Connect to a DPS"), needed_rows(w, a, width - 4), width);
	char *now = now_text(a);
	int r = rows_wrapped(m, 1, ROLE_POPUP_TITLE, now) + 1;
	free(now);
	int cur_row = -1, cur_col = 0;
	r = w->pasting ? draw_paste(w, a, r, &cur_row, &cur_col)
		       : draw_list(w, r);
	if (w->error)
		rows_wrapped(m, r + 1, ROLE_MESSAGE_ERROR, w->error);
	row(m, m->height - 2, ROLE_HELP_TEXT, w->pasting
	    ? _("Tab: next field    Enter: connect    Esc: back to the list")
	    : _("Up/Down: choose    Enter: connect    Esc: close (no change)"));
	attrset(A_NORMAL);
	if (cur_row >= 0) {
		move(m->top + cur_row, m->left + 2 + cur_col);
		curs_set(1);
	}
}

static void
refused(struct conn_window *w, char *why)
{
	free(w->error);
	w->error = xasprintf(_("Not connected (the connection stays as it was): %s"),
			     why ? why : _("unknown reason"));
	free(why);
}

/* The list of profiles, or the paste of a string. */
static enum key_context
conn_context(const struct modal *m)
{
	const struct conn_window *w = (const struct conn_window *)m;
	return w->pasting ? KEYS_PASTE : KEYS_PROFILES;
}

static enum modal_result
connect_pasted(struct conn_window *w, struct app *a)
{
	char *why = NULL;
	if (app_connect_string(a, w->text.buf, w->name.buf, &why))
		return MODAL_CLOSE;
	refused(w, why);
	return MODAL_STAY;
}

static enum modal_result
choose_profile(struct conn_window *w, struct app *a)
{
	if (w->selected == w->count) {
		w->pasting = true;
		return MODAL_STAY;
	}
	char *why = NULL;
	if (app_connect_profile(a, w->profiles[w->selected].name, &why))
		return MODAL_CLOSE;
	refused(w, why);
	return MODAL_STAY;
}

static enum modal_result
conn_request(struct modal *m, struct app *a, enum ui_request r)
{
	struct conn_window *w = (struct conn_window *)m;
	switch (r) {
	case REQ_CLOSE:
		return MODAL_CLOSE;
	case REQ_LIST_DOWN:
		if (w->selected < w->count)
			w->selected++;
		break;
	case REQ_LIST_UP:
		if (w->selected > 0)
			w->selected--;
		break;
	case REQ_CHOOSE_PROFILE:
		return choose_profile(w, a);
	case REQ_PASTE_BACK:
		w->pasting = false;
		break;
	case REQ_NEXT_FIELD:
	case REQ_PREV_FIELD:
		w->field = !w->field;	/* two fields: either way is the other */
		break;
	case REQ_CONNECT_PASTED:
		return connect_pasted(w, a);
	default:
		textedit_request(w->field ? &w->name : &w->text, r);
	}
	return MODAL_STAY;
}

static enum modal_result
conn_text(struct modal *m, struct app *a, const char *utf8)
{
	(void)a;
	struct conn_window *w = (struct conn_window *)m;
	if (w->pasting) {
		struct textedit *t = w->field ? &w->name : &w->text;
		textedit_insert(t, utf8, strlen(utf8));
	}
	return MODAL_STAY;
}

static void
conn_free(struct modal *m)
{
	struct conn_window *w = (struct conn_window *)m;
	profile_infos_free(w->profiles, w->count);
	textedit_free(&w->text);
	textedit_free(&w->name);
	free(w->problem);
	free(w->error);
	free(w);
}

static const struct modal_ops conn_ops = {
	.context = conn_context,
	.draw = conn_draw,
	.request = conn_request,
	.text = conn_text,
	.free = conn_free,
};

struct modal *
connection_new(struct profile_info *list, size_t count, char *problem)
{
	struct conn_window *w = xcalloc(1, sizeof(*w));
	w->base.ops = &conn_ops;
	w->profiles = list;
	w->count = count;
	w->problem = problem;
	textedit_init(&w->text, "", true);
	textedit_init(&w->name, "", false);
	return &w->base;
}
