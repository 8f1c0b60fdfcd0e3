/* The fleet list's keys: moving, the typed filter, sorting, marks, and
 * the requests that lead to actions. */

#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/curses.h"
#include "ui/list_internal.h"
#include "base/i18n.h"
#include "base/xalloc.h"

static void
move_cursor(struct list_screen *l, long by)
{
	long to = (long)l->cursor + by;
	long last = (long)l->view.count - 1;
	if (to > last)
		to = last;
	if (to < 0)
		to = 0;
	l->cursor = (size_t)to;
	list_scroll_to_cursor(l);
}

static void
apply_filter(struct app *a)
{
	struct list_screen *l = &a->list;
	long row = list_cursor_row(l);
	fleet_view_set_filter(&l->view, l->rows, l->filter.buf);
	list_keep_row(l, row);
}

static void
start_filter(struct list_screen *l)
{
	textedit_init(&l->filter, l->view.filter ? l->view.filter : "", false);
	textedit_end(&l->filter);
	l->filtering = true;
}

static void
stop_filter(struct app *a, bool clear)
{
	struct list_screen *l = &a->list;
	if (clear) {
		textedit_set(&l->filter, "");
		apply_filter(a);
	}
	textedit_free(&l->filter);
	l->filtering = false;
}

static void
sort_by(struct app *a, enum fleet_col col, bool descending)
{
	struct list_screen *l = &a->list;
	long row = list_cursor_row(l);
	fleet_view_set_sort(&l->view, l->rows, col, descending);
	list_keep_row(l, row);
	if (descending)
		app_status(a, false, _("Sorted by %s, last first"),
			   list_column_name(col));
	else
		app_status(a, false, _("Sorted by %s"), list_column_name(col));
}

static void
toggle_mark(struct list_screen *l)
{
	long row = list_cursor_row(l);
	if (row < 0)
		return;
	l->marks[row] ^= LIST_MARKED;
	if (l->marks[row] & LIST_MARKED)
		l->marked++;
	else
		l->marked--;
	move_cursor(l, 1);
}

static void
mark_all(struct app *a, bool on)
{
	struct list_screen *l = &a->list;
	if (!on) {
		for (size_t i = 0; i < l->marks_cap; i++)
			l->marks[i] &= (uint8_t)~LIST_MARKED;
		l->marked = 0;
		app_status(a, false, _("No row is marked"));
		return;
	}
	for (size_t p = 0; p < l->view.count; p++) {
		uint8_t *m = &l->marks[l->view.idx[p]];
		l->marked += !(*m & LIST_MARKED);
		*m |= LIST_MARKED;
	}
	app_status(a, false, ngettext("%zu row marked", "%zu rows marked",
				      l->marked), l->marked);
}

/* The marked rows, else the rows on screen, are read again. */
static void
refresh_states(struct app *a)
{
	struct list_screen *l = &a->list;
	uint32_t *rows = NULL;
	size_t n = 0, cap = 0;
	if (l->marked) {
		for (size_t i = 0; i < fleet_rows_count(l->rows); i++)
			if ((l->marks[i] & (LIST_MARKED | LIST_GONE)) == LIST_MARKED) {
				rows = array_grow(rows, n + 1, &cap, sizeof(*rows));
				rows[n++] = (uint32_t)i;
			}
	} else {
		size_t end = l->top + (size_t)list_table_rows();
		for (size_t p = l->top; p < end && p < l->view.count; p++) {
			rows = array_grow(rows, n + 1, &cap, sizeof(*rows));
			rows[n++] = l->view.idx[p];
		}
	}
	list_refresh_rows(l, rows, n);
	free(rows);
	if (l->marked)
		app_status(a, false, ngettext("Reading %zu registration state "
					      "again (the marked rows)",
					      "Reading %zu registration states "
					      "again (the marked rows)", n), n);
	else
		app_status(a, false, ngettext("Reading %zu registration state "
					      "again (the rows on screen)",
					      "Reading %zu registration states "
					      "again (the rows on screen)", n), n);
}

static void
back_to_form(struct app *a)
{
	a->list.open = false;
	/* the list's news is not the form's; the form's own comes back */
	if (a->status.in_list)
		status_clear(&a->status);
}

static void
quit_anyway(struct app *a)
{
	a->list.open = false;
	app_quit(a);	/* which asks about the form's own work */
}

static void
ask_quit_during_action(struct app *a)
{
	struct text_view *v = text_view_new(_("Quit"));
	text_view_add(v, ROLE_POPUP, ngettext(
		"An action on %zu enrollment is still running: quitting stops "
		"it, and those not done yet stay as they are (the journal says "
		"which were done). Quit anyway?",
		"An action on %zu enrollments is still running: quitting stops "
		"it, and those not done yet stay as they are (the journal says "
		"which were done). Quit anyway?", a->list.action_count),
		a->list.action_count);
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, _("y: yes    n or Esc: no"));
	app_open_modal(a, text_view_modal(v, quit_anyway));
}

/* Requests that need rows to act on. */
static bool
dispatch_rows(struct app *a, enum ui_request r)
{
	struct list_screen *l = &a->list;
	long page = list_table_rows();
	switch (r) {
	case REQ_LIST_DOWN: move_cursor(l, 1); break;
	case REQ_LIST_UP: move_cursor(l, -1); break;
	case REQ_LIST_PAGE_DOWN: move_cursor(l, page); break;
	case REQ_LIST_PAGE_UP: move_cursor(l, -page); break;
	case REQ_LIST_FIRST: move_cursor(l, -(long)l->view.count); break;
	case REQ_LIST_LAST: move_cursor(l, (long)l->view.count); break;
	case REQ_OPEN_ROW: list_open_row(a); break;
	case REQ_FILTER: start_filter(l); break;
	case REQ_SORT:
		sort_by(a, (enum fleet_col)((l->view.sort + 1) % FLEET_COL_COUNT),
			false);
		break;
	case REQ_SORT_REVERSE: sort_by(a, l->view.sort, !l->view.descending); break;
	case REQ_JUMP: list_jump(a); break;
	case REQ_MARK: toggle_mark(l); break;
	case REQ_MARK_ALL: mark_all(a, true); break;
	case REQ_UNMARK_ALL: mark_all(a, false); break;
	case REQ_ENABLE: list_ask_action(a, FLEET_ENABLE); break;
	case REQ_DISABLE: list_ask_action(a, FLEET_DISABLE); break;
	case REQ_DELETE_STATE: list_ask_action(a, FLEET_DELETE_STATE); break;
	case REQ_DELETE_ENROLLMENT: list_ask_action(a, FLEET_DELETE); break;
	case REQ_REFRESH_STATES: refresh_states(a); break;
	case REQ_ROW_DETAILS: list_row_details(a); break;
	default: return false;
	}
	return true;
}

static void
dispatch_list(struct app *a, enum ui_request r)
{
	switch (r) {
	case REQ_BACK_TO_FORM:
		back_to_form(a);
		return;
	case REQ_RELOAD:
		if (a->list.action_job) {
			app_status(a, true, _("An action is still running; reload "
					     "when it is done"));
			return;
		}
		list_reload(a);
		app_status(a, false, _("Reading the list again"));
		return;
	case REQ_STOP_ACTION:
		if (a->list.action_batch) {
			fleet_batch_stop(a->list.action_batch);
			app_status(a, false, _("Stopping: the enrollments in hand "
					       "are finished, the rest left as they are"));
		} else
			app_status(a, false, _("No action is running"));
		return;
	case REQ_HELP:
		app_show_help(a);
		return;
	case REQ_REDRAW:
		list_invalidate(a);
		clearok(curscr, TRUE);
		return;
	case REQ_QUIT:
		if (a->list.action_job) {
			ask_quit_during_action(a);
			return;
		}
		a->list.open = false;
		app_quit(a);
		return;
	default:
		break;
	}
	if (a->list.rows)
		dispatch_rows(a, r);
}

static void
filter_key(struct app *a, enum ui_request r, bool text, const char *utf8)
{
	struct list_screen *l = &a->list;
	if (text) {
		textedit_insert(&l->filter, utf8, strlen(utf8));
		apply_filter(a);
		return;
	}
	enum textedit_effect e = textedit_request(&l->filter, r);
	if (e == TEXTEDIT_CHANGED)
		apply_filter(a);
	if (e != TEXTEDIT_NOT_MINE)
		return;
	switch (r) {
	case REQ_FILTER_DONE: stop_filter(a, false); break;
	case REQ_FILTER_CLEAR: stop_filter(a, true); break;
	case REQ_LIST_DOWN: move_cursor(l, 1); break;
	case REQ_LIST_UP: move_cursor(l, -1); break;
	default: break;
	}
}

void
list_key(struct app *a, int key, bool is_char, const char *utf8)
{
	struct list_screen *l = &a->list;
	enum key_context ctx = l->filtering ? KEYS_FILTER : KEYS_LIST;
	enum ui_request r = keymap_lookup(ctx, key, is_char);
	bool text = r == REQ_NONE && keymap_is_text(key, is_char);
	if (l->filtering)
		filter_key(a, r, text, utf8);
	else if (r != REQ_NONE)
		dispatch_list(a, r);
	else if (text)
		app_status(a, false, _("%s shows the keys of the list"),
			   keymap_key_name(REQ_HELP));
}

void
list_click(struct app *a)
{
	struct list_screen *l = &a->list;
	MEVENT ev;
	if (getmouse(&ev) != OK || !l->rows || l->filtering)
		return;
	long k = (long)ev.y - LIST_TABLE_TOP;
	if (k >= 0 && k < list_table_rows() && l->top + (size_t)k < l->view.count)
		l->cursor = l->top + (size_t)k;
}
