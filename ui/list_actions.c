/* What the fleet list does to its rows: enable, disable, delete the
 * registration state, delete the enrollment (each asked first, naming
 * the count), and opening a row in the form. The steps run on the list's
 * thread (src/app/fleet_action.c); this file asks and reports. */

#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/list_internal.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "ui/textclip.h"

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

/* The window's title for an action. */
static const char *
title_of(enum fleet_action a)
{
	switch (a) {
	case FLEET_ENABLE: return _("Enable");
	case FLEET_DISABLE: return _("Disable");
	case FLEET_DELETE_STATE: return _("Delete the registration state");
	case FLEET_DELETE: return _("Delete");
	}
	return "?";
}

/* The question: "Disable 3 enrollments?", "Enable enrollment dev-1?",
 * each a whole sentence, so that a translation agrees with its count.
 * Owned. */
static char *
question(const struct list_screen *l, enum fleet_action a,
	 const uint32_t *rows, size_t n)
{
	if (n == 1) {
		const char *id = row_id(l, rows[0]);
		switch (a) {
		case FLEET_ENABLE:
			return xasprintf(_("Enable enrollment %s?"), id);
		case FLEET_DISABLE:
			return xasprintf(_("Disable enrollment %s?"), id);
		case FLEET_DELETE_STATE:
			return xasprintf(_("Delete the registration state of "
					   "enrollment %s?"), id);
		case FLEET_DELETE:
			return xasprintf(_("Delete enrollment %s?"), id);
		}
	}
	switch (a) {
	case FLEET_ENABLE:
		return xasprintf(ngettext("Enable %zu enrollment?",
					  "Enable %zu enrollments?", n), n);
	case FLEET_DISABLE:
		return xasprintf(ngettext("Disable %zu enrollment?",
					  "Disable %zu enrollments?", n), n);
	case FLEET_DELETE_STATE:
		return xasprintf(ngettext("Delete the registration state of %zu "
					  "enrollment?",
					  "Delete the registration state of %zu "
					  "enrollments?", n), n);
	case FLEET_DELETE:
		return xasprintf(ngettext("Delete %zu enrollment?",
					  "Delete %zu enrollments?", n), n);
	}
	return xstrdup("?");
}

/* "2 of 3 disabled": how many of the batch went as asked. Owned. */
static char *
done_text(enum fleet_action a, size_t done, size_t count)
{
	switch (a) {
	case FLEET_ENABLE:
		/* TRANSLATORS: how many enrollments of the batch were
		 * enabled, then how many the batch had. */
		return xasprintf(ngettext("%zu of %zu enabled",
					  "%zu of %zu enabled", done), done, count);
	case FLEET_DISABLE:
		return xasprintf(ngettext("%zu of %zu disabled",
					  "%zu of %zu disabled", done), done, count);
	case FLEET_DELETE_STATE:
		return xasprintf(ngettext("%zu of %zu registration states deleted",
					  "%zu of %zu registration states deleted",
					  done), done, count);
	case FLEET_DELETE:
		return xasprintf(ngettext("%zu of %zu deleted", "%zu of %zu deleted",
					  done), done, count);
	}
	return xstrdup("?");
}

/* The heading of the window listing what was not done. Owned. */
static char *
not_done_text(enum fleet_action a, size_t others, size_t count)
{
	switch (a) {
	case FLEET_ENABLE:
		/* TRANSLATORS: how many enrollments were not enabled, then
		 * how many the batch had. */
		return xasprintf(ngettext("%zu of %zu were not enabled (they stay "
					  "marked):",
					  "%zu of %zu were not enabled (they stay "
					  "marked):", others), others, count);
	case FLEET_DISABLE:
		return xasprintf(ngettext("%zu of %zu were not disabled (they stay "
					  "marked):",
					  "%zu of %zu were not disabled (they stay "
					  "marked):", others), others, count);
	case FLEET_DELETE_STATE:
		return xasprintf(ngettext("%zu of %zu registration states were not "
					  "deleted (they stay marked):",
					  "%zu of %zu registration states were not "
					  "deleted (they stay marked):", others),
				 others, count);
	case FLEET_DELETE:
		return xasprintf(ngettext("%zu of %zu were not deleted (they stay "
					  "marked):",
					  "%zu of %zu were not deleted (they stay "
					  "marked):", others), others, count);
	}
	return xstrdup("?");
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
		app_status(a, true, _("Nothing deleted: the count typed was "
				      "'%s', not %s"), text, want);
	free(want);
}

static const char *
consequence(enum fleet_action a)
{
	switch (a) {
	case FLEET_ENABLE:
	case FLEET_DISABLE:
		return _("Each is read first and written back with its etag: "
			 "one that changed on the service since the list read "
			 "it is reported and left as it is.");
	case FLEET_DELETE_STATE:
		return _("Their devices are no longer registered: a device "
			 "registers again as new, and may be assigned another "
			 "hub.");
	case FLEET_DELETE:
		return _("Their devices can no longer register. This cannot be "
			 "undone (the journal keeps their ids, not their "
			 "settings).");
	}
	return "";
}

void
list_ask_action(struct app *a, enum fleet_action action)
{
	struct list_screen *l = &a->list;
	if (l->action_job) {
		app_status(a, true, _("An action is still running; wait for it"));
		return;
	}
	if (!l->worker) {
		app_status(a, true, _("No DPS to act on: %s"), a->conn_problem);
		return;
	}
	size_t n;
	uint32_t *rows = target_rows(l, &n);
	if (!n) {
		free(rows);
		app_status(a, true, _("No row to act on"));
		return;
	}
	l->action = action;
	char *q = question(l, action, rows, n);
	size_t hidden = 0;
	for (size_t i = 0; i < n && l->view.filter; i++)
		hidden += !fleet_row_matches(l->rows, fleet_rows_at(l->rows, rows[i]),
					     l->view.filter);
	free(rows);
	bool deletes = action == FLEET_DELETE || action == FLEET_DELETE_STATE;
	if (deletes && n > TYPE_COUNT_OVER) {
		char *label = xasprintf(_("Type %zu to go on:"), n);
		app_open_modal(a, prompt_new(a, q, label, "", typed_count));
		if (hidden)
			/* TRANSLATORS: %s is what the action does to the
			 * devices, a sentence or two. */
			app_status(a, false, _("%s Some marked rows are hidden by "
					       "the filter. Esc: nothing is done"),
				   consequence(action));
		else
			app_status(a, false, _("%s Esc: nothing is done"),
				   consequence(action));
		free(label);
		free(q);
		return;
	}
	struct text_view *v = text_view_new(title_of(action));
	text_view_add(v, ROLE_POPUP, "%s", q);
	if (hidden)
		text_view_add(v, ROLE_MESSAGE_WARNING,
			      ngettext("%zu of them is hidden by the filter.",
				       "%zu of them are hidden by the filter.",
				       hidden), hidden);
	text_view_add(v, ROLE_HELP_TEXT, "%s", consequence(action));
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, "%s", _("y: yes    n or Esc: no"));
	app_open_modal(a, text_view_modal(v, run_action));
	free(q);
}

/* ---- the outcome ---- */

static const char *
outcome_word(enum fleet_outcome o)
{
	switch (o) {
	case FLEET_NOT_RUN: return _("not done");
	case FLEET_DONE: return _("done");
	case FLEET_UNCHANGED: return _("already so");
	case FLEET_CHANGED: return _("changed on the service: left as it is");
	case FLEET_GONE: return _("not on the service");
	case FLEET_FAILED: return _("failed");
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
	struct text_view *v = text_view_new(_("Not done"));
	char *head = not_done_text(b->action, others, b->count);
	text_view_add(v, ROLE_POPUP, "%s", head);
	free(head);
	for (size_t i = 0; i < b->count; i++) {
		const struct fleet_target *t = &b->targets[i];
		if (t->outcome == FLEET_DONE || t->outcome == FLEET_UNCHANGED)
			continue;
		enum theme_role role = t->outcome == FLEET_CHANGED
				       ? ROLE_MESSAGE_WARNING : ROLE_MESSAGE_ERROR;
		if (t->message)
			/* TRANSLATORS: a registration id, what became of it
			 * ("failed"), then the service's message. */
			text_view_add(v, role, _("%s: %s: %s"), t->id,
				      outcome_word(t->outcome), t->message);
		else
			text_view_add(v, role, _("%s: %s"), t->id,
				      outcome_word(t->outcome));
	}
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, "%s",
		      _("F5 reads the list again; Enter closes"));
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
	char *said = done_text(b->action, done, b->count);
	if (b->journal_problem)
		/* TRANSLATORS: "2 of 3 disabled; not in the journal: why". */
		app_status(a, true, _("%s; not in the journal: %s"), said,
			   b->journal_problem);
	else if (done == b->count)
		app_status(a, false, "%s", said);
	else
		/* TRANSLATORS: "2 of 3 disabled; 1 changed on the service
		 * (left as they are), 0 not done". */
		app_status(a, true, _("%s; %zu changed on the service (left as "
				      "they are), %zu not done"), said, changed,
			   b->count - done - changed);
	free(said);
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
		app_status(a, true, _("The form's request is still running; "
				      "wait, or cancel it in the form (Esc "
				      "there)"));
		return;
	}
	free(open_id);
	open_id = xstrdup(row_id(l, (size_t)row));
	if (!form_changed(a->form)) {
		load_row(a);
		return;
	}
	struct text_view *v = text_view_new(_("Open in the form"));
	text_view_add(v, ROLE_POPUP, _("The form has changes that were not "
				       "submitted; they stay in the draft until "
				       "you edit what is loaded. Open %s in the "
				       "form?"), open_id);
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, "%s", _("y: yes    n or Esc: no"));
	app_open_modal(a, text_view_modal(v, load_row));
}

/* ---- jump and details ---- */

static void
jump_to(struct app *a, const char *id)
{
	struct list_screen *l = &a->list;
	long row = fleet_rows_find(l->rows, id);
	if (row < 0 || (l->marks[row] & LIST_GONE)) {
		size_t listed = fleet_rows_count(l->rows) - l->gone;
		if (l->loaded)
			app_status(a, true, ngettext("No enrollment '%s' among the "
						     "%zu listed",
						     "No enrollment '%s' among the "
						     "%zu listed", listed),
				   id, listed);
		else
			app_status(a, true, ngettext("No enrollment '%s' among the "
						     "%zu listed so far (the list is "
						     "still loading)",
						     "No enrollment '%s' among the "
						     "%zu listed so far (the list is "
						     "still loading)", listed),
				   id, listed);
		return;
	}
	if (fleet_view_position(&l->view, (size_t)row) < 0) {
		fleet_view_set_filter(&l->view, l->rows, NULL);
		app_status(a, false, _("The filter hid %s: it is cleared"), id);
	}
	list_keep_row(l, row);
}

void
list_jump(struct app *a)
{
	app_open_modal(a, prompt_new(a, _("Jump to an enrollment"),
				     _("Registration id:"), "", jump_to));
}

static void
add_pair(struct text_view *v, const char *label, const char *value)
{
	char *padded = text_padded(label, 22);
	text_view_add(v, ROLE_POPUP, "%s %s", padded, *value ? value : "-");
	free(padded);
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
	add_pair(v, _("Enrollment etag"), fleet_rows_str(l->rows, r->etag));
	add_pair(v, _("State updated"), fleet_rows_str(l->rows, r->state_updated));
	char *age = list_age_text(r);
	add_pair(v, _("State read"), age);
	free(age);
	if (r->status == FLEET_STATUS_FAILED || r->error_code ||
	    (r->flags & FLEET_ROW_FETCH_FAILED)) {
		text_view_add(v, ROLE_HELP_TEXT, " ");
		const char *msg = fleet_rows_str(l->rows, r->error_message);
		if (r->error_code)
			text_view_add(v, ROLE_MESSAGE_ERROR, _("Error %d: %s"),
				      (int)r->error_code, msg);
		else
			text_view_add(v, ROLE_MESSAGE_ERROR, "%s", msg);
	}
	app_open_modal(a, text_view_modal(v, NULL));
}
