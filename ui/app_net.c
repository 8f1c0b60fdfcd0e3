/* The form's requests go through the editing session (src/app/session.c),
 * whose port hands them to the worker thread; finished jobs come back
 * through app_take_results and the session says what they mean. The
 * screen only renders that news: it never sequences requests itself. */

#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/keymap.h"
#include "ui/station.h"
#include "model/checks.h"
#include "model/validate.h"
#include "base/i18n.h"
#include "base/xalloc.h"

/* ---- the session's port: the worker of the moment ---- */

static unsigned
port_submit(void *ctx, enum dps_op op, const char *id, const char *body,
	    const char *if_match)
{
	struct app *a = ctx;
	return dps_worker_submit(a->worker, op, id, body, if_match);
}

static bool
port_cancel(void *ctx, unsigned job)
{
	struct app *a = ctx;
	return a->worker && dps_worker_cancel(a->worker, job);
}

void
app_session_start(struct app *a)
{
	struct session_port p = { port_submit, port_cancel, a };
	a->session = session_new(&p);
}

/* ---- what is in flight, for the spinner ---- */

static enum dps_op
op_of(enum session_state st)
{
	switch (st) {
	case SESSION_SUBMITTING: return DPS_OP_PUT;
	case SESSION_LOADING_KEYS:
	case SESSION_READING_KEYS:
	case SESSION_REFRESHING_KEYS: return DPS_OP_ATTESTATION;
	default: return DPS_OP_GET;
	}
}

/* Called after anything that may have sent a request. */
static void
track_job(struct app *a)
{
	unsigned job = session_job(a->session);
	if (job == a->job)
		return;
	a->job = job;
	if (!job)
		return;
	a->job_op = op_of(session_state(a->session));
	free(a->job_id);
	a->job_id = xstrdup(session_id(a->session));
	clock_gettime(CLOCK_MONOTONIC, &a->job_start);
	a->job_retrying = false;
	app_status_event(a, STATUS_ON_REQUEST);
}

static bool
can_send(struct app *a)
{
	if (!a->worker) {
		app_status(a, true, _("Cannot reach a DPS (%s connects to one): %s"),
			   keymap_key_name(REQ_CONNECT), a->conn_problem);
		return false;
	}
	if (session_busy(a->session)) {
		app_status(a, true, _("A request is still running; wait, or Esc "
			    "cancels it"));
		return false;
	}
	return true;
}

/* ---- requests ---- */

void
app_load(struct app *a, const char *id)
{
	struct findings f;
	findings_init(&f);
	check_registration_id("registrationId", id, &f);
	if (!*id || f.count) {
		app_status(a, true, _("Not loaded: %s"), *id ? f.items[0].message
						       : _("give a registration id"));
		findings_clear(&f);
		return;
	}
	findings_clear(&f);
	if (can_send(a) && session_load(a->session, id)) {
		a->load_keeps_edits = false;
		track_job(a);
	}
}

void
app_read_keys(struct app *a)
{
	if (can_send(a) && session_read_keys(a->session)) {
		a->load_keeps_edits = true;	/* only the keys are new */
		track_job(a);
	}
}

void
app_refresh(struct app *a)
{
	if (!can_send(a) || !session_refresh(a->session))
		return;
	track_job(a);
	app_status(a, false, _("Fetching the service's copy of %s again"),
		   session_id(a->session));
}

void
app_cancel_job(struct app *a)
{
	if (session_cancel(a->session))
		app_status(a, false, _("Cancelling..."));
}

/* DPS has no rename: a loaded enrollment under another id is a new one. */
static bool
renamed(const struct app *a)
{
	const char *was = doc_get_string(session_base(a->session),
					 "registrationId");
	const struct form *f = a->form;
	const char *now = form_registration_id(f);
	return was && now && !registration_id_equal(was, now);
}

static void
ask_create_renamed(struct app *a)
{
	const struct form *f = a->form;
	struct text_view *v = text_view_new(_("Another registration id"));
	text_view_add(v, ROLE_MESSAGE_WARNING, _("The registration id changed from "
		      "'%s' to '%s'."),
		      doc_get_string(session_base(a->session), "registrationId"),
		      form_registration_id(f));
	text_view_add(v, ROLE_POPUP, _("DPS cannot rename an enrollment: this "
		      "creates a new enrollment and leaves the loaded one as it is."));
	app_list_warnings(v, f);
	text_view_add(v, ROLE_HELP_TEXT, _("y: create the new one    n or Esc: back"));
	app_open_modal(a, text_view_modal(v, app_send_as_new));
}

void
app_submit(struct app *a)
{
	struct form *f = a->form;
	if (!form_submittable(f)) {
		form_focus_first_error(f);
		app_status(a, true, ngettext("Not sent: fix %zu error first (the "
					     "first one is focused)",
					     "Not sent: fix %zu errors first (the "
					     "first one is focused)", f->errors),
			   f->errors);
		return;
	}
	if (!can_send(a))
		return;
	bool loaded = session_etag(a->session) != NULL;
	if (loaded && renamed(a))
		ask_create_renamed(a);
	else if (loaded && app_keys_block_update(a))
		return;
	else if (loaded)
		app_confirm_update(a);
	else if (f->warnings)
		app_confirm_create(a);
	else
		app_send(a);
}

static void
send_form(struct app *a, bool as_new)
{
	if (!can_send(a))
		return;
	struct doc *d = form_to_doc(a->form);
	const char *key = doc_get_string(d, "attestation.symmetricKey.primaryKey");
	bool sent = as_new ? session_submit_create(a->session, d)
			   : session_submit(a->session, d);
	if (sent) {
		app_remember_sent(a);
		a->job_had_keys = key && *key;
		track_job(a);
	}
	doc_free(d);
}

void
app_send(struct app *a)
{
	send_form(a, false);
}

void
app_send_as_new(struct app *a)
{
	send_form(a, true);
}

/* ---- outcomes ---- */

static void
take_news(struct app *a, const struct session_news *n)
{
	const struct dps_job *j = n->job;
	switch (n->kind) {
	case NEWS_NONE:
	case NEWS_STEP:
		break;
	case NEWS_LOADED:
		app_took_load(a);
		app_status(a, false, n->step == SESSION_LOADING_KEYS
			   ? _("Loaded %s with its keys (an update keeps them)")
			   : _("Loaded %s"), session_id(a->session));
		break;
	case NEWS_LOADED_NO_KEYS:
		app_took_load(a);
		app_keys_unread_at_load(a, session_id(a->session),
					session_why(a->session));
		break;
	case NEWS_SUBMITTED:
		if (!station_took_create(a, j))
			app_took_submit(a, j);
		break;
	case NEWS_KEYS_UNREADABLE:
		if (n->step == SESSION_REFRESHING_KEYS)
			app_keys_unread_at_refresh(a, session_id(a->session),
						   session_why(a->session));
		else
			app_keys_unread_at_submit(a, session_id(a->session),
						  session_why(a->session));
		break;
	case NEWS_CHANGED:
		/* Someone else changed it: fetch their copy and rebase on it. */
		free(a->refresh_reason);
		a->refresh_reason = dps_response_describe_local(&j->resp);
		app_status(a, true, _("HTTP 412: changed on the service since it was "
			    "loaded; fetching the new copy"));
		if (session_refresh(a->session))
			track_job(a);
		break;
	case NEWS_CONFLICT:
		app_resolve_conflict(a, session_base(a->session)->root);
		break;
	case NEWS_EXISTS:
		if (!station_offer_existing(a, j))
			app_offer_existing(a, j);
		break;
	case NEWS_GONE:
		app_offer_create_again(a, j);
		break;
	case NEWS_FAILED:
		app_show_response(a, j);
		app_say_failed(a, j, n->step == SESSION_REFRESHING);
		break;
	case NEWS_CANCELLED:
		app_status(a, false, n->step == SESSION_SUBMITTING
			   ? _("Cancelled; the service may have applied it already: "
			       "load it (F5) to see") : _("Cancelled"));
		break;
	}
}

void
app_take_results(struct app *a)
{
	struct dps_job *j;
	while ((j = dps_worker_take(a->worker))) {
		if (app_verify_take(a, j)) {
			dps_job_free(j);
			continue;
		}
		/* Every submission goes into the journal, whatever comes of it. */
		if (j->op == DPS_OP_PUT)
			app_record_submission(a, j);
		struct session_news n = session_take(a->session, j);
		a->job = 0;
		track_job(a);
		take_news(a, &n);
		dps_job_free(j);
	}
	/* the same signal brings a running job's news: a retry to wait for */
	if (a->job)
		a->job_retrying = dps_worker_progress(a->worker, a->job,
						      &a->job_retry);
}
