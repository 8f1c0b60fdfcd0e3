/* Talking to the service from the TUI: every request goes to the worker
 * thread with a serialized copy of what it sends, and its outcome comes
 * back through app_take_results. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <string.h>

#include "ui/app.h"
#include "ui/attest.h"
#include "ui/keymap.h"
#include "app/explain.h"
#include "app/journal.h"
#include "app/keepkeys.h"
#include "app/putreq.h"
#include "model/checks.h"
#include "model/secret.h"
#include "model/validate.h"
#include "model/json.h"
#include "model/keys.h"
#include "model/xalloc.h"

static char **texts_of(const struct form *f);

static bool
can_send(struct app *a)
{
	if (!a->worker) {
		app_status(a, true, "Cannot reach a DPS (%s connects to one): %s",
			   keymap_key_name(REQ_CONNECT), a->conn_problem);
		return false;
	}
	if (a->job) {
		app_status(a, true, "A request is still running; wait, or Esc "
			    "cancels it");
		return false;
	}
	return true;
}

static void
start_job(struct app *a, enum dps_op op, const char *id, const char *body,
	  const char *if_match)
{
	a->job = dps_worker_submit(a->worker, op, id, body, if_match);
	a->job_op = op;
	free(a->job_id);
	a->job_id = xstrdup(id);
	clock_gettime(CLOCK_MONOTONIC, &a->job_start);
	a->job_retrying = false;
	app_status_event(a, STATUS_ON_REQUEST);
}

static void
open_pending(struct app *a)
{
	char *id = a->pending_open;
	a->pending_open = NULL;
	if (id)
		app_load(a, id);
	free(id);
}

void
app_load(struct app *a, const char *id)
{
	struct findings f;
	findings_init(&f);
	check_registration_id("registrationId", id, &f);
	if (!*id || f.count) {
		app_status(a, true, "Not loaded: %s", *id ? f.items[0].message
						       : "give a registration id");
		findings_clear(&f);
		return;
	}
	findings_clear(&f);
	if (can_send(a))
		start_job(a, DPS_OP_GET, id, NULL, NULL);
}

/* DPS has no rename: a loaded enrollment under another id is a new one. */
static bool
renamed(const struct form *f)
{
	const char *was = doc_get_string(f->base, "registrationId");
	const char *now = f->fields[form_find(f, "registrationId")].text;
	return was && now && !registration_id_equal(was, now);
}

static void send_as_new(struct app *a);

static void
ask_create_renamed(struct app *a)
{
	const struct form *f = a->form;
	struct text_view *v = text_view_new("Another registration id");
	text_view_add(v, ROLE_MESSAGE_WARNING, "The registration id changed from "
		      "'%s' to '%s'.", doc_get_string(f->base, "registrationId"),
		      f->fields[form_find(f, "registrationId")].text);
	text_view_add(v, ROLE_POPUP, "DPS cannot rename an enrollment: this "
		      "creates a new enrollment and leaves the loaded one as it is.");
	app_list_warnings(v, f);
	text_view_add(v, ROLE_HELP_TEXT, "y: create the new one    n or Esc: back");
	app_open_modal(a, text_view_modal(v, send_as_new));
}

void
app_submit(struct app *a)
{
	struct form *f = a->form;
	if (!form_submittable(f)) {
		form_focus_first_error(f);
		app_status(a, true, "Not sent: fix %zu error%s first (the first one "
			    "is focused)", f->errors, f->errors == 1 ? "" : "s");
		return;
	}
	if (!can_send(a))
		return;
	if (f->etag && renamed(f))
		ask_create_renamed(a);
	else if (f->etag && app_keys_block_update(a))
		return;
	else if (f->etag)
		app_confirm_update(a);
	else if (f->warnings)
		app_confirm_create(a);
	else
		app_send(a);
}

static void
send_doc(struct app *a, bool as_new)
{
	struct form *f = a->form;
	if (!can_send(a))
		return;
	struct doc *d = form_to_doc(f);
	const char *id = doc_get_string(d, "registrationId");
	struct put_request req;
	if (as_new)
		put_request_create(d, &req);
	else
		put_request_update(d, f->etag, &req);
	const char *key = doc_get_string(d, "attestation.symmetricKey.primaryKey");
	start_job(a, DPS_OP_PUT, id ? id : "", req.body, req.if_match);
	app_forget_sent(a);
	a->job_texts = texts_of(f);
	a->job_had_keys = key && *key;
	put_request_clear(&req);
	doc_free(d);
}

void
app_send(struct app *a)
{
	send_doc(a, false);
}

static void
send_as_new(struct app *a)
{
	send_doc(a, true);
}

void
app_cancel_job(struct app *a)
{
	if (a->job && dps_worker_cancel(a->worker, a->job))
		app_status(a, false, "Cancelling...");
}

static const char *
reason_phrase(long status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Payload Too Large";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "";
	}
}

static void
add_error_details(struct text_view *v, const struct dps_response *r)
{
	const struct dps_service_error *e = &r->error;
	if (e->error_code)
		text_view_add(v, ROLE_POPUP, "errorCode       %d", e->error_code);
	if (e->message)
		text_view_add(v, ROLE_POPUP, "message         %s", e->message);
	if (e->tracking_id)
		text_view_add(v, ROLE_POPUP, "trackingId      %s", e->tracking_id);
	if (e->timestamp)
		text_view_add(v, ROLE_POPUP, "timestampUtc    %s", e->timestamp);
	if (r->ms_error_code)
		text_view_add(v, ROLE_POPUP, "x-ms-error-code %s", r->ms_error_code);
}

static void
add_member(struct text_view *v, const cJSON *body, const char *path,
	   const char *label)
{
	const cJSON *x = json_path_get(body, path);
	if (cJSON_IsString(x))
		text_view_add(v, ROLE_POPUP, "%-15s %s", label, x->valuestring);
}

static void
add_success_details(struct app *a, struct text_view *v,
		    const struct dps_response *r)
{
	const cJSON *b = r->body;
	add_member(v, b, "registrationId", "registrationId");
	add_member(v, b, "etag", "etag");
	add_member(v, b, "createdDateTimeUtc", "created");
	add_member(v, b, "lastUpdatedDateTimeUtc", "last updated");
	const char *cert = "attestation.x509.clientCertificates.primary.info";
	char *p = xasprintf("%s.subjectName", cert);
	add_member(v, b, p, "certificate");
	free(p);
	p = xasprintf("%s.sha256Thumbprint", cert);
	add_member(v, b, p, "SHA-256");
	free(p);
	const cJSON *pk = json_path_get(b, "attestation.symmetricKey.primaryKey");
	if (cJSON_IsString(pk) && !a->job_had_keys) {
		text_view_add(v, ROLE_MESSAGE_WARNING, " ");
		text_view_add(v, ROLE_MESSAGE_WARNING, "The service generated these keys. "
			      "Store them now (w saves them to a file): GET hides "
			      "them; 'dpsenroll keys ID' reads them again.");
		add_member(v, b, "attestation.symmetricKey.primaryKey", "primary key");
		add_member(v, b, "attestation.symmetricKey.secondaryKey", "secondary key");
		text_view_action(v, 'w', attest_save_keys);
	}
	if (r->recovered)
		text_view_add(v, ROLE_HELP_TEXT, "The first answer was lost; the "
			      "enrollment was found stored as sent.");
}

/* The raw view is for the engineer on the phone; keys stay masked there
 * as everywhere (the Submit window shows generated ones once, on purpose). */
static char *
raw_without_keys(const char *raw)
{
	cJSON *j = raw ? cJSON_Parse(raw) : NULL;
	if (!j)
		return raw ? xstrdup(raw) : NULL;
	static const char *const paths[] = {
		"attestation.symmetricKey.primaryKey",
		"attestation.symmetricKey.secondaryKey",
		"symmetricKey.primaryKey", "symmetricKey.secondaryKey",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		cJSON *k = json_path_get(j, paths[i]);
		char fp[20];
		if (cJSON_IsString(k) && symkey_fingerprint(k->valuestring, fp)) {
			char *masked = xasprintf("(key %s)", fp);
			json_path_set(j, paths[i], cJSON_CreateString(masked));
			free(masked);
		}
	}
	char *out = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return out;
}

static void
add_response(struct app *a, struct text_view *v, const struct dps_job *j)
{
	const struct dps_response *r = &j->resp;
	bool ok = r->failure == DPS_ANSWERED && r->status < 300;
	if (r->failure != DPS_ANSWERED) {
		text_view_add(v, ROLE_FAILURE, "No answer from the service");
		text_view_add(v, ROLE_POPUP, "%s", r->failure_text ? r->failure_text : "");
		if (r->hint)
			text_view_add(v, ROLE_POPUP, "Try: %s", r->hint);
	} else {
		text_view_add(v, ok ? ROLE_SUCCESS : ROLE_FAILURE, "HTTP %ld %s",
			      r->status, reason_phrase(r->status));
		if (ok)
			add_success_details(a, v, r);
		else
			add_error_details(v, r);
	}
	struct advice adv = explain_response(r);
	if (adv.cause) {
		text_view_add(v, ROLE_POPUP, " ");
		text_view_add(v, ROLE_POPUP_TITLE, "What it means: %s", adv.cause);
		text_view_add(v, ROLE_POPUP_TITLE, "What to do: %s", adv.next_step);
	}
	advice_clear(&adv);
	if (r->attempts > 1)
		text_view_add(v, ROLE_HELP_TEXT, "after %d attempts", r->attempts);
	char *raw = raw_without_keys(r->raw);
	text_view_set_raw(v, raw);
	secret_str_free(raw);
}

/* A few words for a request that got no answer: the status line is
 * short. */
static const char *
failure_words(enum dps_failure f)
{
	switch (f) {
	case DPS_FAIL_RESOLVE: return "the host name does not resolve";
	case DPS_FAIL_CONNECT: return "nothing accepted the connection";
	case DPS_FAIL_TLS_CA: return "server certificate not trusted";
	case DPS_FAIL_TLS: return "TLS handshake failed";
	case DPS_FAIL_TIMEOUT: return "no answer in time";
	case DPS_FAIL_DROPPED: return "connection closed early";
	case DPS_FAIL_TOO_LARGE: return "answer far too large";
	case DPS_FAIL_BAD_ANSWER: return "answer not JSON";
	default: return "request failed";
	}
}

/* Whether a request without an answer surely never reached the service. */
static bool
surely_not_sent(enum dps_failure f)
{
	return f == DPS_FAIL_RESOLVE || f == DPS_FAIL_CONNECT ||
	       f == DPS_FAIL_TLS_CA || f == DPS_FAIL_TLS;
}

/* The window with the details can be closed; until the next change the
 * status line still says that nothing was stored (or that it may have
 * been). */
static void
say_failed(struct app *a, const struct dps_job *j, bool after_412)
{
	const struct dps_response *r = &j->resp;
	const char *what = j->op == DPS_OP_PUT ? "Not submitted"
			 : after_412 ? "Not submitted (HTTP 412), and the service's "
				       "new copy not loaded"
			 : "Not loaded";
	if (r->failure == DPS_ANSWERED) {
		char code[24] = "";
		if (r->error.error_code)
			snprintf(code, sizeof(code), " (%d)", r->error.error_code);
		app_status(a, true, "%s: HTTP %ld %s%s", what, r->status,
			   reason_phrase(r->status), code);
	} else if (j->op != DPS_OP_PUT || surely_not_sent(r->failure)) {
		app_status(a, true, "%s: %s", what, failure_words(r->failure));
	} else {
		app_status(a, true, "Not confirmed: %s; it may be stored, F5 loads it",
			   failure_words(r->failure));
	}
}

static void
show_response(struct app *a, const struct dps_job *j)
{
	struct text_view *v = text_view_new(j->op == DPS_OP_PUT ? "Submit" : "Load");
	add_response(a, v, j);
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, "Enter or Esc: close    r: raw response");
	app_open_modal(a, text_view_modal(v, NULL));
}

/* GET hides symmetric keys; an update without them would make the
 * service generate new ones and lock the device out. Fetch them with the
 * enrollment, so the next submit resends them. */
static void
fetch_keys_if_needed(struct app *a, const struct dps_job *j)
{
	const cJSON *type = json_path_get(j->resp.body, "attestation.type");
	if (cJSON_IsString(type) && !strcmp(type->valuestring, "symmetricKey"))
		start_job(a, DPS_OP_ATTESTATION, j->reg_id, NULL, NULL);
}

/* The service's keys become the loaded copy's; a key the technician
 * typed meanwhile stays in its field. */
static void
merge_keys(struct form *f, const cJSON *keys)
{
	const cJSON *k;
	cJSON_ArrayForEach(k, keys) {
		char *path = xasprintf("attestation.symmetricKey.%s", k->string);
		long i = form_find(f, path);
		char *typed = i >= 0 && strcmp(f->fields[i].text,
					       f->fields[i].loaded) != 0
			      ? xstrdup(f->fields[i].text) : NULL;
		form_merge_server(f, path, k);
		if (typed)
			form_set_text(f, (size_t)i, typed);
		secret_str_free(typed);
		free(path);
	}
}

static void
take_keys(struct app *a, const struct dps_job *j)
{
	char *why = NULL;
	cJSON *keys = keepkeys_from_answer(&j->resp, &why);
	if (keys) {
		merge_keys(a->form, keys);
		json_wipe_strings(keys);
		cJSON_Delete(keys);
		app_status(a, false, "Loaded %s with its keys (an update keeps them)",
			   j->reg_id);
	} else {
		app_keys_unread_at_load(a, j->reg_id, why);
	}
	free(why);
}

void
app_read_keys(struct app *a)
{
	const char *id = doc_get_string(a->form->base, "registrationId");
	if (id && can_send(a))
		start_job(a, DPS_OP_ATTESTATION, id, NULL, NULL);
}

void
app_refresh(struct app *a)
{
	const char *id = doc_get_string(a->form->base, "registrationId");
	if (!id || !can_send(a))
		return;
	a->refreshing = true;
	start_job(a, DPS_OP_GET, id, NULL, NULL);
	app_status(a, false, "Fetching the service's copy of %s again", id);
}

/* The fresh copy hides its keys like any GET; read them before comparing,
 * or every key would look changed. */
static void
start_refresh_keys(struct app *a, struct dps_job *j)
{
	const cJSON *type = json_path_get(j->resp.body, "attestation.type");
	if (!cJSON_IsString(type) || strcmp(type->valuestring, "symmetricKey")) {
		app_resolve_conflict(a, j->resp.body);
		return;
	}
	a->refreshed = j->resp.body;
	j->resp.body = NULL;
	start_job(a, DPS_OP_ATTESTATION, j->reg_id, NULL, NULL);
}

/* The merge goes ahead only with the keys: without them the fresh copy
 * would have none, and the next submit would make the service generate
 * new ones. */
static void
finish_refresh(struct app *a, const struct dps_job *j)
{
	struct doc *theirs = doc_adopt(a->refreshed);	/* wipes keys */
	a->refreshed = NULL;
	char *why = NULL;
	cJSON *keys = keepkeys_from_answer(&j->resp, &why);
	if (keys) {
		doc_set_json(theirs, "attestation.symmetricKey", keys);
		app_resolve_conflict(a, theirs->root);
	} else {
		app_keys_unread_at_refresh(a, j->reg_id, why);
	}
	free(why);
	doc_free(theirs);
}

/* A cancelled refresh leaves nothing behind for the next answers. */
static void
forget_refresh(struct app *a)
{
	a->refreshing = false;
	doc_free(a->refreshed ? doc_adopt(a->refreshed) : NULL);	/* wipes keys */
	a->refreshed = NULL;
}

static void
offer_existing(struct app *a, const struct dps_job *j)
{
	struct text_view *v = text_view_new("Already enrolled");
	add_response(a, v, j);
	text_view_add(v, ROLE_POPUP, " ");
	text_view_add(v, ROLE_POPUP, "Open the existing enrollment '%s' to review "
		      "and update it? It replaces the form (what you typed stays in "
		      "the draft until you edit it).", j->reg_id);
	text_view_add(v, ROLE_HELP_TEXT, "y: open it    n or Esc: back to the form");
	free(a->pending_open);
	a->pending_open = xstrdup(j->reg_id);
	app_open_modal(a, text_view_modal(v, open_pending));
	say_failed(a, j, false);
}

/* An update answered "enrollment not found": the loaded enrollment was
 * deleted by someone else since it was loaded. */
static bool
deleted_elsewhere(const struct app *a, const struct dps_job *j)
{
	const struct dps_response *r = &j->resp;
	return j->op == DPS_OP_PUT && j->if_match && a->form->etag &&
	       r->failure == DPS_ANSWERED && r->status == 404 &&
	       (r->error.error_code == 404201 || r->error.error_code == 0);
}

/* What a create from the form does to the device's keys. */
static void
add_create_keys_note(struct text_view *v, const struct form *f)
{
	struct doc *d = form_to_doc(f);
	const char *type = doc_get_string(d, "attestation.type");
	if (keepkeys_missing(d->root))
		text_view_add(v, ROLE_MESSAGE_WARNING, "The form has no keys (they "
			      "were not read), so the service makes new ones: the "
			      "device must be given them.");
	else if (type && !strcmp(type, "symmetricKey"))
		text_view_add(v, ROLE_POPUP, "It keeps the keys the form holds, so "
			      "the device keeps working.");
	doc_free(d);
}

/* The technician's copy is all that is left: offer to send it as a new
 * enrollment (no etag), instead of advice the form cannot follow. */
static void
offer_create_again(struct app *a, const struct dps_job *j)
{
	const char *id = doc_get_string(a->form->base, "registrationId");
	struct text_view *v = text_view_new("Deleted on the service");
	text_view_add(v, ROLE_FAILURE, "HTTP %ld %s", j->resp.status,
		      reason_phrase(j->resp.status));
	add_error_details(v, &j->resp);
	text_view_add(v, ROLE_POPUP, " ");
	text_view_add(v, ROLE_POPUP, "'%s' is no longer on the service: someone "
		      "deleted it after you loaded it. Nothing was changed, and "
		      "the form keeps your edits.", id ? id : j->reg_id);
	text_view_add(v, ROLE_POPUP_TITLE, "Create it again from what you have? "
		      "The form is sent as a new enrollment.");
	add_create_keys_note(v, a->form);
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, "y: create it again    n or Esc: back "
		      "to the form");
	app_open_modal(a, text_view_modal(v, send_as_new));
	app_status(a, true, "%s was deleted on the service; not sent",
		   id ? id : j->reg_id);
}

/* Every submission goes into the journal, whatever its outcome. */
static void
record_submission(struct app *a, const struct dps_job *j)
{
	struct journal_entry e = {
		.registration_id = j->reg_id,
		.operation = j->if_match ? "update" : "create",
	};
	journal_entry_from_response(&e, &j->resp);
	char *why = NULL;
	if (!journal_append(&e, &why))
		app_status(a, true, "Not in the journal: %s", why);
	free(why);
}

static char **
texts_of(const struct form *f)
{
	char **t = xcalloc(f->count, sizeof(*t));
	for (size_t i = 0; i < f->count; i++)
		t[i] = xstrdup(f->fields[i].text ? f->fields[i].text : "");
	return t;
}

static void
texts_free(char **t, size_t n)
{
	for (size_t i = 0; t && i < n; i++)
		secret_str_free(t[i]);	/* keys among them */
	free(t);
}

void
app_forget_sent(struct app *a)
{
	texts_free(a->job_texts, a->form->count);
	a->job_texts = NULL;
}

/* The PUT answer has no registrationState; an update did not change the
 * device's side, and the next review needs it. A create is a record of
 * its own: the state of the one the form was copied from is not its. */
static cJSON *
with_registration(const struct form *f, const struct dps_job *j)
{
	cJSON *copy = cJSON_Duplicate(j->resp.body, 1);
	const cJSON *state = doc_get(f->base, "registrationState");
	if (j->if_match && state &&
	    !cJSON_GetObjectItemCaseSensitive(copy, "registrationState"))
		cJSON_AddItemToObject(copy, "registrationState",
				      cJSON_Duplicate(state, 1));
	return copy;
}

/* The form becomes the service's answer; what was typed while the request
 * ran is put back on top of it, and the draft stays until that is sent. */
static void
take_submitted(struct app *a, const struct dps_job *j)
{
	struct form *f = a->form;
	char **now = texts_of(f);
	cJSON *answer = with_registration(f, j);
	form_load(f, answer);
	json_wipe_strings(answer);
	cJSON_Delete(answer);
	bool typed = false;
	for (size_t i = 0; a->job_texts && i < f->count; i++) {
		if (strcmp(now[i], a->job_texts[i]) != 0) {
			form_set_text(f, i, now[i]);
			typed = true;
		}
	}
	texts_free(now, f->count);
	app_forget_sent(a);
	show_response(a, j);
	if (typed) {
		app_status(a, false, "Submitted %s; what you typed meanwhile is "
			   "kept and not sent yet", j->reg_id);
	} else {
		app_status(a, false, "Submitted %s", j->reg_id);
		app_draft_done(a);
	}
}

static void
take_one(struct app *a, struct dps_job *j)
{
	const struct dps_response *r = &j->resp;
	bool ok = r->failure == DPS_ANSWERED && r->status == 200 && r->body;
	if (j->id == a->job)
		a->job = 0;
	if (j->op == DPS_OP_PUT)
		record_submission(a, j);
	if (r->failure == DPS_FAIL_CANCELLED) {
		forget_refresh(a);
		app_status(a, false, j->op == DPS_OP_PUT
			   ? "Cancelled; the service may have applied it already: "
			     "load it (F5) to see" : "Cancelled");
		return;
	}
	if (j->op == DPS_OP_ATTESTATION && a->refreshed) {
		finish_refresh(a, j);
		return;
	}
	if (j->op == DPS_OP_ATTESTATION) {
		take_keys(a, j);
		return;
	}
	if (j->op == DPS_OP_PUT && r->status == 409 && !a->form->etag) {
		offer_existing(a, j);
		return;
	}
	if (j->op == DPS_OP_PUT && r->status == 412) {
		/* Someone else changed it: fetch their copy and rebase on it. */
		a->refreshing = true;
		free(a->refresh_reason);
		a->refresh_reason = dps_response_describe(r);
		start_job(a, DPS_OP_GET, j->reg_id, NULL, NULL);
		app_status(a, true, "HTTP 412: changed on the service since it was "
			    "loaded; fetching the new copy");
		return;
	}
	if (deleted_elsewhere(a, j)) {
		offer_create_again(a, j);
		return;
	}
	bool after_412 = j->op == DPS_OP_GET && a->refreshing;
	if (after_412) {
		a->refreshing = false;
		if (ok) {
			start_refresh_keys(a, j);
			return;
		}
	}
	if (ok && j->op == DPS_OP_PUT) {
		take_submitted(a, j);
		return;
	}
	if (ok)
		form_load(a->form, r->body);
	if (ok && j->op == DPS_OP_GET) {
		app_status(a, false, "Loaded %s", j->reg_id);
		fetch_keys_if_needed(a, j);
	} else {
		show_response(a, j);
		if (!ok)
			say_failed(a, j, after_412);
	}
}

void
app_take_results(struct app *a)
{
	struct dps_job *j;
	while ((j = dps_worker_take(a->worker))) {
		take_one(a, j);
		dps_job_free(j);
	}
	/* the same signal brings a running job's news: a retry to wait for */
	if (a->job)
		a->job_retrying = dps_worker_progress(a->worker, a->job,
						      &a->job_retry);
}
