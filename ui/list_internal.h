#ifndef DPSENROLL_UI_LIST_INTERNAL_H
#define DPSENROLL_UI_LIST_INTERNAL_H

/* What the fleet list's files share among themselves (ui/list*.c). */

#include "ui/list.h"
#include "base/array.h"

/* The screen line of the table's first row (under the title and the
 * headings). */
enum { LIST_TABLE_TOP = 2 };

/* Bits of list_screen.marks, one byte per store row. */
enum {
	LIST_MARKED = 1u << 0,
	LIST_GONE = 1u << 1,	/* deleted from the list's screen */
	LIST_REFRESH = 1u << 2,	/* its state is to be read again */
};

/* The store row under the cursor, or -1. */
long list_cursor_row(const struct list_screen *l);
/* Leaves the deleted rows out of the view. */
void list_drop_gone(struct list_screen *l);
/* After the view changed: the cursor on store row `row` where it is
 * shown, else kept in range; the screen scrolled to it. */
void list_keep_row(struct list_screen *l, long row);
void list_scroll_to_cursor(struct list_screen *l);
/* Reads the list again from the service (filter and order kept). */
void list_reload(struct app *a);
/* The states of these store rows are read again, first. */
void list_refresh_rows(struct list_screen *l, const uint32_t *rows, size_t n);

/* Actions (list_actions.c). */
void list_ask_action(struct app *a, enum fleet_action action);
void list_took_action(struct app *a, struct dps_job *j);
/* Enter: the row's enrollment in the form. */
void list_open_row(struct app *a);
void list_jump(struct app *a);
void list_row_details(struct app *a);

/* Drawing helpers (list_draw.c). */
/* A column's heading ("Registration ID"). */
const char *list_column_name(enum fleet_col c);
/* "12 s ago", "3 min ago", "not read yet": the row's state's age. Owned. */
char *list_age_text(const struct fleet_row *r);

/* Whether the budget holds the states' thread back now; *eta_ms: how
 * long the states not read yet take at its pace. */
bool list_states_held_back(const struct app *a, long *eta_ms);

#endif
