/* What the fleet list does to its rows: enable, disable, delete the
 * registration state, delete the enrollment (each asked first, naming
 * the count), and opening a row in the form. The steps run on the list's
 * thread (src/app/fleet_action.c); this file asks and reports. */

#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/list_internal.h"
#include "base/xalloc.h"

/* More rows than this need their count typed to be deleted. */
enum { TYPE_COUNT_OVER = 10 };

/* The rows an action is about: the marked ones, else the cursor's. */
static uint32_t *
target_rows(const struct list_screen *l, size_t *n)
{
	uint32_t *rows = NULL;
	size_t cap = 0;
	*n = 0;
	if (!l->marked) {
		long row = list_cursor_row(l);
		if (row >= 0) {
			rows = xcalloc(1, sizeof(*rows));
			rows[(*n)++] = (uint32_t)row;
		}
		return rows;
	}
	for (size_t i = 0; i < fleet_rows_count(l->rows); i++)
		if ((l->marks[i] & (LIST_MARKED | LIST_GONE)) == LIST_MARKED) {
			rows = array_grow(rows, *n + 1, &cap, sizeof(*rows));
			rows[(*n)++] = (uint32_t)i;
		}
	return rows;
}

static const char *
row_id(const struct list_screen *l, size_t row)
{
	return fleet_rows_str(l->rows, fleet_rows_at(l->rows, row)->id);
}

static const char *
verb(enum fleet_action a)
{
	switch (a) {
	case FLEET_ENABLE: return "Enable";
	case FLEET_DISABLE: return "Disable";
	case FLEET_DELETE_STATE: return "Delete the registration state of";
	case FLEET_DELETE: return "Delete";
	}
	return "?";
}

static const char *
done_word(enum fleet_action a)
{
	switch (a) {
	case FLEET_ENABLE: return "enabled";
	case FLEET_DISABLE: return "disabled";
	case FLEET_DELETE_STATE: return "registration states deleted";
	case FLEET_DELETE: return "deleted";
	}
	return "?";
}

/* "3 enrollments" or "enrollment dev-1". Owned. */
static char *
what(const struct list_screen *l, const uint32_t *rows, size_t n)
{
	if (n == 1)
		return xasprintf("enrollment %s", row_id(l, rows[0]));
	return xasprintf("%zu enrollments", n);
}

static void
run_action(struct app *a)
{
	struct list_screen *l = &a->list;
	size_t n;
	uint32_t *rows = target_rows(l, &n);
	if (!n || !l->worker) {
		free(rows);
		return;
	}
	struct fleet_batch *b = fleet_batch_new(l->action);
	for (size_t i = 0; i < n; i++) {
		const struct fleet_row *r = fleet_rows_at(l->rows, rows[i]);
		fleet_str etag = l->action == FLEET_DELETE_STATE ? r->state_etag
								 : r->etag;
		fleet_batch_add(b, fleet_rows_str(l->rows, r->id),
				fleet_rows_str(l->rows, etag));
	}
	l->action_count = n;
	l->action_started_ms = list_now_ms();
	l->action_batch = b;
	l->action_job = fleet_batch_submit(l->worker, b);
	free(rows);
}

static void
typed_count(struct app *a, const char *text)
{
	struct list_screen *l = &a->list;
	size_t n;
	free(target_rows(l, &n));
	char *want = xasprintf("%zu", n);
	if (!strcmp(text, want))
		run_action(a);
	else
		app_status(a, true, "Nothing deleted: the count typed was '%s', "
			   "not %s", text, want);
	free(want);
}

static const char *
consequence(enum fleet_action a)
{
	switch (a) {
	case FLEET_ENABLE:
	case FLEET_DISABLE:
		return "Each is read first and written back with its etag: one "
		       "that changed on the service since the list read it is "
		       "reported and left as it is.";
	case FLEET_DELETE_STATE:
		return "Their devices are no longer registered: a device "
		       "registers again as new, and may be assigned another "
		       "hub.";
	case FLEET_DELETE:
		return "Their devices can no longer register. This cannot be "
		       "undone (the journal keeps their ids, not their "
		       "settings).";
	}
	return "";
}

void
list_ask_action(struct app *a, enum fleet_action action)
{
	struct list_screen *l = &a->list;
	if (l->action_job) {
		app_status(a, true, "An action is still running; wait for it");
		return;
	}
	if (!l->worker) {
		app_status(a, true, "No DPS to act on: %s", a->conn_problem);
		return;
	}
	size_t n;
	uint32_t *rows = target_rows(l, &n);
	if (!n) {
		free(rows);
		app_status(a, true, "No row to act on");
		return;
	}
	l->action = action;
	char *w = what(l, rows, n);
	size_t hidden = 0;
	for (size_t i = 0; i < n && l->view.filter; i++)
		hidden += !fleet_row_matches(l->rows, fleet_rows_at(l->rows, rows[i]),
					     l->view.filter);
	free(rows);
	bool deletes = action == FLEET_DELETE || action == FLEET_DELETE_STATE;
	if (deletes && n > TYPE_COUNT_OVER) {
		char *title = xasprintf("%s %s?", verb(action), w);
		char *label = xasprintf("Type %zu to go on:", n);
		app_open_modal(a, prompt_new(a, title, label, "", typed_count));
		app_status(a, false, "%s %s%s", consequence(action),
			   hidden ? "Some marked rows are hidden by the filter. "
			   : "", "Esc: nothing is done");
		free(title);
		free(label);
		free(w);
		return;
	}
	struct text_view *v = text_view_new(verb(action));
	text_view_add(v, ROLE_POPUP, "%s %s?", verb(action), w);
	if (hidden)
		text_view_add(v, ROLE_MESSAGE_WARNING, "%zu of them %s hidden by "
			      "the filter.", hidden, hidden == 1 ? "is" : "are");
	text_view_add(v, ROLE_HELP_TEXT, "%s", consequence(action));
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, "y: yes    n or Esc: no");
	app_open_modal(a, text_view_modal(v, run_action));
	free(w);
}

/* ---- the outcome ---- */

static const char *
outcome_word(enum fleet_outcome o)
{
	switch (o) {
	case FLEET_NOT_RUN: return "not done";
	case FLEET_DONE: return "done";
	case FLEET_UNCHANGED: return "already so";
	case FLEET_CHANGED: return "changed on the service: left as it is";
	case FLEET_GONE: return "not on the service";
	case FLEET_FAILED: return "failed";
	}
	return "?";
}

/* The row of a target whose action is done. */
static void
apply_done(struct list_screen *l, const struct fleet_batch *b,
	   const struct fleet_target *t, long row)
{
	switch (b->action) {
	case FLEET_ENABLE:
	case FLEET_DISABLE:
		if (t->enrollment)
			fleet_rows_add_enrollment(l->rows, t->enrollment);
		break;
	case FLEET_DELETE_STATE:
		fleet_rows_set_no_state(l->rows, (size_t)row, list_now_ms());
		break;
	case FLEET_DELETE:
		l->marks[row] |= LIST_GONE;
		l->gone++;
		/* nothing to read for it any more */
		if (fleet_rows_at(l->rows, (size_t)row)->fetched_ms == 0)
			l->states_known++;
		break;
	}
	if (l->marks[row] & LIST_MARKED) {
		l->marks[row] &= (uint8_t)~LIST_MARKED;
		l->marked--;
	}
}

/* Every target that did not go as asked, in a window. */
static void
report_others(struct app *a, const struct fleet_batch *b, size_t others)
{
	struct text_view *v = text_view_new("Not done");
	text_view_add(v, ROLE_POPUP, "%zu of %zu were not %s (they stay marked):",
		      others, b->count, done_word(b->action));
	for (size_t i = 0; i < b->count; i++) {
		const struct fleet_target *t = &b->targets[i];
		if (t->outcome == FLEET_DONE || t->outcome == FLEET_UNCHANGED)
			continue;
		text_view_add(v, t->outcome == FLEET_CHANGED ? ROLE_MESSAGE_WARNING
			      : ROLE_MESSAGE_ERROR, "%s: %s%s%s", t->id,
			      outcome_word(t->outcome), t->message ? ": " : "",
			      t->message ? t->message : "");
	}
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, "F5 reads the list again; Enter closes");
	app_open_modal(a, text_view_modal(v, NULL));
}

void
list_took_action(struct app *a, struct dps_job *j)
{
	struct list_screen *l = &a->list;
	l->action_job = 0;
	l->action_batch = NULL;
	const struct fleet_batch *b = fleet_batch_of(j);
	if (!b || !l->rows)
		return;
	long cursor = list_cursor_row(l);
	for (size_t i = 0; i < b->count; i++) {
		const struct fleet_target *t = &b->targets[i];
		long row = fleet_rows_find(l->rows, t->id);
		if (row >= 0 && (t->outcome == FLEET_DONE ||
				 t->outcome == FLEET_UNCHANGED))
			apply_done(l, b, t, row);
	}
	if (b->action == FLEET_DELETE)
		list_keep_row(l, cursor);
	size_t done = fleet_batch_count(b, FLEET_DONE) +
		      fleet_batch_count(b, FLEET_UNCHANGED);
	size_t changed = fleet_batch_count(b, FLEET_CHANGED);
	if (b->journal_problem)
		app_status(a, true, "%zu of %zu %s; not in the journal: %s", done,
			   b->count, done_word(b->action), b->journal_problem);
	else if (done == b->count)
		app_status(a, false, "%zu of %zu %s", done, b->count,
			   done_word(b->action));
	else
		app_status(a, true, "%zu of %zu %s; %zu changed on the service "
			   "(left as they are), %zu not done", done, b->count,
			   done_word(b->action), changed,
			   b->count - done - changed);
	if (done < b->count)
		report_others(a, b, b->count - done);
}

/* ---- a row in the form ---- */

static char *open_id;

static void
load_row(struct app *a)
{
	if (!open_id)
		return;
	a->list.open = false;
	status_clear(&a->status);
	app_load(a, open_id);
	free(open_id);
	open_id = NULL;
}

void
list_open_row(struct app *a)
{
	struct list_screen *l = &a->list;
	long row = list_cursor_row(l);
	if (row < 0)
		return;
	if (a->job) {
		app_status(a, true, "The form's request is still running; wait, "
			   "or cancel it in the form (Esc there)");
		return;
	}
	free(open_id);
	open_id = xstrdup(row_id(l, (size_t)row));
	if (!form_changed(a->form)) {
		load_row(a);
		return;
	}
	struct text_view *v = text_view_new("Open in the form");
	text_view_add(v, ROLE_POPUP, "The form has changes that were not "
		      "submitted; they stay in the draft until you edit what is "
		      "loaded. Open %s in the form?", open_id);
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, "y: yes    n or Esc: no");
	app_open_modal(a, text_view_modal(v, load_row));
}

/* ---- jump and details ---- */

static void
jump_to(struct app *a, const char *id)
{
	struct list_screen *l = &a->list;
	long row = fleet_rows_find(l->rows, id);
	if (row < 0 || (l->marks[row] & LIST_GONE)) {
		app_status(a, true, "No enrollment '%s' among the %zu listed%s", id,
			   fleet_rows_count(l->rows) - l->gone,
			   l->loaded ? "" : " so far (the list is still loading)");
		return;
	}
	if (fleet_view_position(&l->view, (size_t)row) < 0) {
		fleet_view_set_filter(&l->view, l->rows, NULL);
		app_status(a, false, "The filter hid %s: it is cleared", id);
	}
	list_keep_row(l, row);
}

void
list_jump(struct app *a)
{
	app_open_modal(a, prompt_new(a, "Jump to an enrollment",
				     "Registration id:", "", jump_to));
}

static void
add_pair(struct text_view *v, const char *label, const char *value)
{
	text_view_add(v, ROLE_POPUP, "%-22s %s", label, *value ? value : "-");
}

void
list_row_details(struct app *a)
{
	struct list_screen *l = &a->list;
	long row = list_cursor_row(l);
	if (row < 0)
		return;
	const struct fleet_row *r = fleet_rows_at(l->rows, (size_t)row);
	struct text_view *v = text_view_new(row_id(l, (size_t)row));
	for (int c = 0; c < FLEET_COL_COUNT; c++)
		add_pair(v, list_column_name((enum fleet_col)c),
			 fleet_row_text(l->rows, r, (enum fleet_col)c));
	add_pair(v, "Enrollment etag", fleet_rows_str(l->rows, r->etag));
	add_pair(v, "State updated", fleet_rows_str(l->rows, r->state_updated));
	char *age = list_age_text(r);
	add_pair(v, "State read", age);
	free(age);
	if (r->status == FLEET_STATUS_FAILED || r->error_code ||
	    (r->flags & FLEET_ROW_FETCH_FAILED)) {
		text_view_add(v, ROLE_HELP_TEXT, " ");
		text_view_add(v, ROLE_MESSAGE_ERROR, "%s%.0d%s%s",
			      r->error_code ? "Error " : "", (int)r->error_code,
			      r->error_code ? ": " : "",
			      fleet_rows_str(l->rows, r->error_message));
	}
	app_open_modal(a, text_view_modal(v, NULL));
}
