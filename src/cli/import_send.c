/* Sending an import's rows: bulk requests of DPS_BULK_MAX over the one
 * connection the client keeps, a progress file saved before each stretch
 * of rows goes out (naming them "in flight"), and the journal written
 * with it. */

#include <stdlib.h>
#include <string.h>

#include "app/journal.h"
#include "base/array.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "cli/import.h"
#include "dps/bulk_items.h"

/* A stretch of rows between two saves of the progress file: long enough
 * that saving costs little, short enough that after a crash only a
 * second of rows needs reading back. */
enum { WINDOW_MIN = DPS_BULK_MAX, WINDOW_MAX = 1000, WINDOW_FIRST = 100 };
#define SAVE_EVERY_S 1.0
#define WINDOW_SECONDS 1.0
/* A row whose lost answer read back as "not applied" is sent once more
 * in the same run. */
enum { SENDS_MAX = 2 };

struct sender {
	struct import_send *s;
	size_t *queue;		/* indices of rows to send, in order */
	size_t queue_len;
	size_t queue_cap;
	size_t cursor;		/* next in queue */
	size_t window_end;	/* the saved file names queue[..window_end) */
	double last_save;
	size_t settled;		/* rows with an outcome */
	size_t sent;		/* rows sent in this run */
	struct journal_entry *journal;	/* waiting to be written */
	size_t journal_len;
	size_t journal_cap;
};

static void
queue_push(struct sender *x, size_t row)
{
	x->queue = array_grow(x->queue, x->queue_len, &x->queue_cap,
			      sizeof(*x->queue));
	x->queue[x->queue_len++] = row;
}

static void
journal_add(struct sender *x, const struct import_row *row)
{
	x->journal = array_grow(x->journal, x->journal_len, &x->journal_cap,
				sizeof(*x->journal));
	x->journal[x->journal_len++] = (struct journal_entry){
		.registration_id = row->id,
		.operation = x->s->mode,
		.outcome = row->state == ROW_DONE ? JOURNAL_OK : JOURNAL_FAILED,
		.status = row->status,
		.error_code = row->error_code,
		.message = row->message,
	};
}

/* `why` is shown to the person at the end (only there: the results
 * file and the journal have each row's own message). */
static void
stop_with(struct import_send *s, const char *why)
{
	free(s->stop_why);
	s->stop_why = xstrdup(why);
}

/* The journal first: a crash between the two leaves rows in flight,
 * read back (and journaled) by the next run. */
static bool
flush_journal(struct sender *x)
{
	char *why = NULL;
	if (!journal_append_many(x->journal, x->journal_len, &why)) {
		char *text = xasprintf(_("not recorded in the journal: %s"), why);
		import_progress_say(&x->s->progress, text);
		free(text);
		free(why);
	}
	x->journal_len = 0;
	return true;
}

/* Saves what is done, and as in flight the rows the next stretch may
 * send (queue[from, to)) besides those whose fate is still unknown. */
static bool
save(struct sender *x, size_t from, size_t to)
{
	struct import_send *s = x->s;
	flush_journal(x);
	struct import_state st = { .host = (char *)s->host };
	for (size_t i = 0; i < s->rows->count; i++) {
		const struct import_row *r = &s->rows->items[i];
		if (r->state == ROW_DONE)
			import_state_add_done(&st, r->id, r->digest, r->line,
					      r->outcome, r->status);
		else if (r->state == ROW_UNKNOWN || r->state == ROW_READ_BACK)
			import_state_add_in_flight(&st, r->id);
	}
	for (size_t q = from; q < to; q++)
		import_state_add_in_flight(&st, s->rows->items[x->queue[q]].id);
	char *why = NULL;
	bool ok = import_state_save(s->state_path, &st, s->mode, &why);
	st.host = NULL;	/* borrowed */
	import_state_clear(&st);
	if (!ok) {
		stop_with(s, why);
		free(why);
	}
	x->last_save = import_now();
	return ok;
}

static void
settle(struct sender *x, struct import_row *r, enum import_row_state state,
       const char *outcome)
{
	r->state = state;
	r->outcome = outcome;
	x->settled++;
	journal_add(x, r);
}

static void
take_message(struct import_row *r, struct dps_bulk_item *it)
{
	free(r->message);
	r->message = it->message;
	it->message = NULL;
}

/* A create of an id that is enrolled: the service's words, and what
 * to do about it. */
static void
explain_exists(struct import_row *r)
{
	char *text = xasprintf("%s%s To replace it with this row, run the "
			       "import with --mode update (a symmetric-key row "
			       "then needs both its keys).",
			       r->message ? r->message : "It is enrolled already.",
			       r->changed_since ? " An earlier run of this import "
			       "created it, and the row has changed since." : "");
	free(r->message);
	r->message = text;
}

/* One item's end; false when the import must stop. */
static bool
apply_end(struct sender *x, size_t index, struct dps_bulk_item *it)
{
	struct import_row *r = &x->s->rows->items[index];
	r->status = it->status;
	r->error_code = it->error_code;
	take_message(r, it);
	switch (it->end) {
	case DPS_ITEM_DONE:
		settle(x, r, ROW_DONE, strcmp(x->s->mode, "create") == 0
		       ? "created" : "updated");
		return true;
	case DPS_ITEM_APPLIED:
		r->message = xstrdup("the answer was lost; read back, it was "
				     "applied");
		settle(x, r, ROW_DONE, "applied");
		return true;
	case DPS_ITEM_REFUSED:
		if (r->status == 409 && strcmp(x->s->mode, "create") == 0)
			explain_exists(r);
		settle(x, r, ROW_FAILED, "failed");
		return true;
	case DPS_ITEM_CHANGED:
		settle(x, r, ROW_FAILED, "changed");
		return true;
	case DPS_ITEM_NOT_APPLIED:
		if (r->sends < SENDS_MAX) {
			r->state = ROW_PENDING;
			queue_push(x, index);
		} else {
			r->message = xstrdup("its answer was lost each time it "
					     "was sent; run the import again");
			settle(x, r, ROW_FAILED, "notApplied");
		}
		return true;
	case DPS_ITEM_UNKNOWN:
		r->state = ROW_UNKNOWN;
		r->outcome = "unknown";
		r->message = xstrdup("sent, but its answer was lost and it could "
				     "not be read back; run the import again to "
				     "read it back");
		return false;
	case DPS_ITEM_NOT_SENT:
		break;
	}
	return false;
}

/* The rows an earlier run may have sent without an answer. */
static enum import_stop
read_back_earlier(struct sender *x)
{
	struct import_send *s = x->s;
	size_t count = 0;
	for (size_t i = 0; i < s->rows->count; i++)
		count += s->rows->items[i].state == ROW_READ_BACK;
	if (count == 0)
		return STOP_NONE;
	if (!save(x, 0, 0))
		return STOP_STATE;
	char *text = xasprintf(ngettext("reading back %zu row the last run "
					"sent without an answer", "reading "
					"back %zu rows the last run sent "
					"without an answer", count), count);
	import_progress_say(&s->progress, text);
	free(text);
	for (size_t i = 0; i < s->rows->count; i++) {
		struct import_row *r = &s->rows->items[i];
		if (r->state != ROW_READ_BACK)
			continue;
		if (import_stop_asked())
			return STOP_ASKED;
		struct dps_bulk_item it = { .id = r->id, .enrollment = r->enrollment };
		dps_bulk_item_read_back(s->client, s->mode, &it);
		r->state = ROW_PENDING;
		bool go_on = apply_end(x, i, &it);
		dps_bulk_item_reset(&it);
		import_progress_update(&s->progress, x->settled);
		if (!go_on) {
			stop_with(s, _("the service could not be reached to read "
				  "back what the last run sent"));
			return STOP_NETWORK;
		}
	}
	return STOP_NONE;
}

static size_t
window_size(const struct sender *x)
{
	double t = import_now() - x->s->progress.start;
	double rate = t > 0.05 && x->sent ? (double)x->sent / t : 0;
	size_t w = rate > 0 ? (size_t)(rate * WINDOW_SECONDS) : WINDOW_FIRST;
	w = (w + DPS_BULK_MAX - 1) / DPS_BULK_MAX * DPS_BULK_MAX;
	return w < WINDOW_MIN ? WINDOW_MIN : w > WINDOW_MAX ? WINDOW_MAX : w;
}

static bool
whole_refusal_stops(const struct dps_response *r)
{
	return r->failure == DPS_ANSWERED && !r->answer_lost &&
	       (r->status == 401 || r->status == 403 || r->status == 429 ||
		r->status >= 500);
}

/* A request that failed before any item had an end. */
static enum import_stop
batch_failed(struct sender *x, const struct dps_response *out,
	     const size_t *rows, size_t n)
{
	char *d = dps_response_describe_local(out);
	stop_with(x->s, d);
	free(d);
	if (out->failure == DPS_FAIL_CANCELLED) {
		/* stopped mid-request: it may have arrived */
		for (size_t i = 0; i < n; i++) {
			struct import_row *r = &x->s->rows->items[rows[i]];
			r->state = ROW_UNKNOWN;
			r->outcome = "unknown";
			r->message = xstrdup("stopped while it was being sent; run "
					     "the import again to read it back");
		}
		return STOP_ASKED;
	}
	return out->failure == DPS_ANSWERED ? STOP_SERVICE : STOP_NETWORK;
}

static enum import_stop
send_batch(struct sender *x)
{
	struct import_send *s = x->s;
	size_t n = x->window_end - x->cursor;
	if (n > DPS_BULK_MAX)
		n = DPS_BULK_MAX;
	struct dps_bulk_item items[DPS_BULK_MAX];
	size_t rows[DPS_BULK_MAX];
	for (size_t i = 0; i < n; i++) {
		rows[i] = x->queue[x->cursor + i];
		struct import_row *r = &s->rows->items[rows[i]];
		r->sends++;
		items[i] = (struct dps_bulk_item){ .id = r->id,
						   .enrollment = r->enrollment };
	}
	struct dps_response out;
	dps_bulk_items_send(s->client, s->mode, items, n, &out);
	enum import_stop stop = STOP_NONE;
	if (whole_refusal_stops(&out) || items[0].end == DPS_ITEM_NOT_SENT) {
		stop = batch_failed(x, &out, rows, n);
	} else {
		x->cursor += n;
		x->sent += n;
		for (size_t i = 0; i < n; i++)
			if (!apply_end(x, rows[i], &items[i]) && !stop) {
				stop_with(s, _("a request's answer was lost and the "
					  "service could not be reached to read "
					  "it back"));
				stop = STOP_NETWORK;
			}
	}
	for (size_t i = 0; i < n; i++)
		dps_bulk_item_reset(&items[i]);
	dps_response_clear(&out);
	import_progress_update(&s->progress, x->settled);
	return stop;
}

static enum import_stop
send_queue(struct sender *x)
{
	enum import_stop stop = STOP_NONE;
	while (stop == STOP_NONE && x->cursor < x->queue_len) {
		if (import_stop_asked()) {
			stop_with(x->s, "Ctrl-C");
			return STOP_ASKED;
		}
		if (x->cursor >= x->window_end ||
		    import_now() - x->last_save >= SAVE_EVERY_S) {
			size_t end = x->cursor + window_size(x);
			x->window_end = end < x->queue_len ? end : x->queue_len;
			if (!save(x, x->cursor, x->window_end))
				return STOP_STATE;
		}
		stop = send_batch(x);
	}
	return stop;
}

enum import_stop
import_send_all(struct import_send *s)
{
	struct sender x = { .s = s, .last_save = import_now() };
	for (size_t i = 0; i < s->rows->count; i++)
		x.settled += s->rows->items[i].state == ROW_DONE;
	for (size_t i = 0; i < s->rows->count; i++)
		if (s->rows->items[i].state == ROW_PENDING)
			queue_push(&x, i);
	/* those found not applied join the end of the queue */
	enum import_stop stop = read_back_earlier(&x);
	if (stop == STOP_NONE)
		stop = send_queue(&x);
	/* the last save names only the rows whose fate is unknown */
	if (!save(&x, 0, 0) && stop == STOP_NONE)
		stop = STOP_STATE;
	free(x.queue);
	free(x.journal);
	return stop;
}
