#ifndef DPSENROLL_UI_LIST_H
#define DPSENROLL_UI_LIST_H

/* The fleet list: every enrollment of the DPS and its device's
 * registration state, one row each (src/app/fleet_row.h holds them).
 * Its requests run on a thread of its own (a second dps_worker), so a
 * list that loads or reads states never delays the form's requests, and
 * the UI thread never waits on either. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/fleet_action.h"
#include "app/fleet_fetcher.h"
#include "app/fleet_row.h"
#include "dps/worker.h"
#include "ui/textedit.h"

struct app;

/* A row of the screen as last drawn, to repaint only what changed. */
struct list_line_memo {
	uint64_t sig;		/* 0: unknown, draw it */
	bool cursor;		/* a table row: it had the cursor */
};

struct list_screen {
	bool open;			/* shown instead of the form */
	/* The DPS to list, kept until the list is first opened: its
	 * threads start then, so a form that never opens the list pays
	 * nothing for it. */
	struct dps_conn conn;		/* host NULL: none */
	struct dps_client_opts opts;
	struct dps_opts_strings held;	/* what opts points to */
	struct dps_worker *worker;	/* NULL until opened, or without a DPS */

	struct fleet_rows *rows;	/* NULL until first opened */
	struct fleet_view view;
	uint8_t *marks;			/* per store row */
	size_t marks_cap;
	size_t marked;
	size_t gone;			/* rows deleted from here */

	/* Loading, page by page. */
	unsigned page_job;		/* 0: none in flight */
	char *last_continuation;	/* a repeated one ends the load */
	size_t pages;
	bool loaded;			/* the last page came */
	char *load_problem;		/* why the load stopped; owned */
	int64_t load_started_ms;
	int64_t first_page_ms;		/* when the first page was on screen */

	/* Registration states, read by a thread of their own within the
	 * budget's background share: the rows on screen first, then those
	 * asked for again, then the rest in the list's order. */
	struct fleet_fetcher *fetcher;
	uint32_t *refresh;		/* store rows to read again */
	size_t refresh_count, refresh_cap;
	size_t scan;			/* view position before which every
					 * row has a state */
	size_t scan_all;		/* the same over the store, for the
					 * rows the filter hides */
	uint64_t want_sig;		/* what the fetcher was last told */
	size_t states_known;		/* rows with a state read */

	/* An action on marked rows. */
	unsigned action_job;
	struct fleet_batch *action_batch;	/* its batch, borrowed from
						 * the job while it runs */
	enum fleet_action action;
	size_t action_count;
	int64_t action_started_ms;

	/* Where the user is. */
	size_t cursor;			/* view position */
	size_t top;			/* first view position on screen */
	bool filtering;			/* typing the filter */
	struct textedit filter;

	/* Drawing. */
	struct list_line_memo *memo;	/* one per screen line */
	int memo_lines, memo_cols;
	size_t memo_top;		/* the table's top when last drawn */
	bool memo_top_known;
	bool had_modal;
};

/* Opens the list (loading it the first time, or after a reload). */
void list_open(struct app *a);
/* The DPS changed (or is set at start): the list's thread talks to the
 * new one and the rows of the old one go. `conn` NULL: none. */
void list_connect(struct app *a, const struct dps_conn *conn,
		  const struct dps_client_opts *opts);
void list_free(struct app *a);
/* Whether the list is on screen (rather than the form). */
bool list_showing(const struct app *a);

/* A key while the list is on screen and no window is open. */
void list_key(struct app *a, int key, bool is_char, const char *utf8);
/* A mouse click while the list is on screen: a row takes the cursor. */
void list_click(struct app *a);
/* The list's thread has finished jobs: takes them. */
void list_take_results(struct app *a);
/* The states' thread has answers: the rows take them. */
void list_take_states(struct app *a);
/* Its threads' fds for the loop's poll (the actions', the states'), or
 * -1. */
int list_fd(const struct app *a);
int list_state_fd(const struct app *a);
/* How long the loop may sleep before the list has something to show (a
 * spinner, a countdown while the budget holds states back); -1: no
 * limit. */
int list_wait_ms(const struct app *a);
/* Called before each frame: tells the states' thread which rows the
 * screen wants now. */
void list_tick(struct app *a);

/* Drawing (list_draw.c). */
void list_draw(struct app *a);
/* The next frame draws every line. */
void list_invalidate(struct app *a);
/* Rows of the table on screen. */
int list_table_rows(void);

/* The monotonic clock in ms, the row store's clock for states. */
int64_t list_now_ms(void);

#endif
