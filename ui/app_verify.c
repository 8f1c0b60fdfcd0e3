/* Verifying from the form: watching the device register (any attestation)
 * and registering it as the device would (symmetric key). Both run as
 * worker jobs beside the session's: a watch polls the registration state
 * with src/app/watch.c's rules, a registration is src/app/register.c's
 * job. The status line counts the time; the outcome opens a window and
 * refreshes the form's registration state. */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/app.h"
#include "ui/keymap.h"
#include "ui/station.h"
#include "app/device_target.h"
#include "app/explain_device.h"
#include "app/register.h"
#include "app/watch.h"
#include "base/i18n.h"
#include "base/xalloc.h"

enum { WATCH_FOR_S = 300 };

enum verify_kind { VERIFY_NONE, VERIFY_REGISTER, VERIFY_WATCH };

struct app_verify {
	enum verify_kind kind;
	char *id;
	unsigned job;		/* in flight; 0: none */
	double start;		/* monotonic seconds */
	double next_poll;
	struct watch watch;
	bool said_stale;
	enum device_proof proof;	/* of the registration */
	char *cert_path;	/* X.509: chosen, read when confirmed */
	char *key_path;
};

static double
mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The live line: redrawn every tick, so it stays out of the messages
 * log (the outcome goes there). */
static void live_status(struct app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
live_status(struct app *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	status_say(&a->status, false, 0, app_texts_signature(a), text);
}

static struct app_verify *
state_of(struct app *a)
{
	if (!a->verify)
		a->verify = xcalloc(1, sizeof(*a->verify));
	return a->verify;
}

static void
stop(struct app *a)
{
	struct app_verify *v = state_of(a);
	if (v->job && a->worker)
		dps_worker_cancel(a->worker, v->job);
	watch_clear(&v->watch);
	free(v->id);
	free(v->cert_path);
	free(v->key_path);
	memset(v, 0, sizeof(*v));
}

void
app_verify_free(struct app *a)
{
	if (!a->verify)
		return;
	watch_clear(&a->verify->watch);
	free(a->verify->id);
	free(a->verify->cert_path);
	free(a->verify->key_path);
	free(a->verify);
	a->verify = NULL;
}

bool
app_verify_active(const struct app *a)
{
	return a->verify && a->verify->kind != VERIFY_NONE;
}

/* The enrollment as the service holds it: loaded or submitted. */
static const char *
stored_id(struct app *a, const char *doing)
{
	const char *id = session_id(a->session);
	if (!a->worker) {
		app_status(a, true, _("Cannot %s: no DPS connection (%s connects to "
			   "one)"), _(doing), keymap_key_name(REQ_CONNECT));
		return NULL;
	}
	const char *last = station_last_created(a);
	if ((!id || !session_etag(a->session)) && last) {
		/* the station has moved on to the next device; short, for
		 * 80 columns beside the form's counts */
		/* TRANSLATORS: what to do ("watch", "register", as
		 * translated), the registration id, then a key (F5). */
		app_status(a, true, _("To %s %s (created last), load it with %s"),
			   _(doing), last, keymap_key_name(REQ_LOAD));
		return NULL;
	}
	if (!id || !session_etag(a->session)) {
		app_status(a, true, _("Cannot %s: submit the enrollment (%s) or load "
			   "it (%s) first"), _(doing), keymap_key_name(REQ_SUBMIT),
			   keymap_key_name(REQ_LOAD));
		return NULL;
	}
	if (app_verify_active(a)) {
		app_status(a, true, _("Cannot %s: %s is still running (Esc stops it)"),
			   _(doing), a->verify->kind == VERIFY_WATCH ? _("a watch")
								 : _("a registration"));
		return NULL;
	}
	return id;
}

/* The registration state's outcome, a member a line. */
static void
add_state(struct text_view *tv, const char *id, const cJSON *state)
{
	static const char *const members[] = {
		"status", "assignedHub", "deviceId", "substatus", "errorCode",
		"errorMessage", "lastUpdatedDateTimeUtc",
	};
	const char *status = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(state, "status"));
	bool ok = status && strcmp(status, "assigned") == 0;
	text_view_add(tv, ok ? ROLE_SUCCESS : ROLE_FAILURE,
		      ok ? _("%s is registered.") : _("%s is not registered."), id);
	/* one column for the values: the longest name is 22 characters */
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(state, members[i]);
		if (cJSON_IsString(m))
			text_view_add(tv, ROLE_POPUP, "%-22s %s", members[i],
				      m->valuestring);
		else if (cJSON_IsNumber(m))
			text_view_add(tv, ROLE_POPUP, "%-22s %d", members[i],
				      m->valueint);
	}
}

/* ---- watch ---- */

void
app_verify_watch(struct app *a)
{
	const char *id = stored_id(a, N_("watch"));
	if (!id)
		return;
	struct app_verify *v = state_of(a);
	v->kind = VERIFY_WATCH;
	v->id = xstrdup(id);
	v->start = mono_now();
	v->next_poll = v->start;
	v->said_stale = false;
	watch_init(&v->watch, wall_now());
	app_verify_tick(a);
}

static void
watch_outcome(struct app *a, enum watch_verdict verdict)
{
	struct app_verify *v = a->verify;
	char *text = watch_outcome_text(&v->watch, verdict);
	struct text_view *tv = text_view_new(verdict == WATCH_ASSIGNED
					     ? _("Registered") : _("Not registered"));
	add_state(tv, v->id, v->watch.state);
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(v->watch.state,
							     "errorCode");
	if (verdict == WATCH_FAILED && cJSON_IsNumber(code)) {
		struct advice adv = explain_registration(code->valueint,
			cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				v->watch.state, "errorMessage")), PROOF_NONE);
		text_view_add(tv, ROLE_POPUP_TITLE, _("What it means: %s"), adv.cause);
		text_view_add(tv, ROLE_POPUP_TITLE, _("What to do: %s"), adv.next_step);
		advice_clear(&adv);
	}
	app_show_registration_state(a, v->watch.state);
	app_status(a, verdict != WATCH_ASSIGNED, _("%s: %s"), v->id, text);
	app_open_modal(a, text_view_modal(tv, NULL));
	free(text);
	stop(a);
}

static void
watch_took(struct app *a, const struct dps_job *j)
{
	struct app_verify *v = a->verify;
	enum watch_verdict verdict = watch_feed(&v->watch, &j->resp, wall_now());
	v->next_poll = mono_now() + watch_next_delay_ms(&v->watch) / 1000.0;
	if (verdict == WATCH_ERROR) {
		app_show_response(a, j);
		app_status(a, true, _("Stopped watching %s: the registration state "
			   "could not be read"), v->id);
		stop(a);
	} else if (verdict != WATCH_WAITING) {
		watch_outcome(a, verdict);
	} else if (v->watch.stale && !v->said_stale) {
		v->said_stale = true;
		char *note = xasprintf(_("%s: the registration state there "
					 "predates this watch; waiting for a new "
					 "registration"), v->id);
		status_log_add(&a->status_log, note, false, time(NULL));
		free(note);
	}
}

static void
watch_tick(struct app *a)
{
	struct app_verify *v = a->verify;
	double now = mono_now();
	long s = (long)(now - v->start);
	if (now - v->start >= WATCH_FOR_S) {
		app_status(a, true, _("%s did not register within %d:%02d; watch "
			   "again (%s) after checking its power and network"),
			   v->id, WATCH_FOR_S / 60, WATCH_FOR_S % 60,
			   keymap_key_name(REQ_WATCH));
		stop(a);
		return;
	}
	if (!v->job && now >= v->next_poll)
		v->job = dps_worker_submit(a->worker, DPS_OP_REGSTATE, v->id,
					   NULL, NULL);
	/* short enough for 80 columns beside the form's counts; Esc is in
	 * the key bar */
	live_status(a, _("waiting for %s to register (power it on) %ld:%02ld"),
		    v->id, s / 60, s % 60);
}

/* ---- register ---- */

/* The device API refused, or no answer came: the answer, and what it
 * means for a device (a 401 is the device's key or certificate here,
 * not the connection string's). */
static void
register_failure_view(struct app *a, const struct dps_job *j)
{
	struct app_verify *v = a->verify;
	char *d = dps_response_describe_local(&j->resp);
	struct text_view *tv = text_view_new(_("Not registered"));
	text_view_add(tv, ROLE_FAILURE, _("%s was not registered: %s"), v->id, d);
	if (j->resp.failure == DPS_ANSWERED)
		app_add_error_details(tv, &j->resp);
	struct advice adv = explain_device_response(&j->resp, v->proof);
	if (adv.cause) {
		text_view_add(tv, ROLE_POPUP, " ");
		text_view_add(tv, ROLE_POPUP_TITLE, _("What it means: %s"), adv.cause);
		text_view_add(tv, ROLE_POPUP_TITLE, _("What to do: %s"), adv.next_step);
	}
	advice_clear(&adv);
	app_open_modal(a, text_view_modal(tv, NULL));
	app_status(a, true, _("Not registered: %s"), d);
	free(d);
}

static void
register_outcome_view(struct app *a, const struct dps_job *j)
{
	struct app_verify *v = a->verify;
	const struct register_outcome *o = register_job_outcome(j);
	char *text = o->status ? register_state_text(o->state) : NULL;
	char *why = NULL;
	struct register_outcome logged = *o;
	logged.resp = j->resp;
	register_journal(v->id, &logged, text, &why);
	bool ok = o->status && strcmp(o->status, "assigned") == 0;
	if (!o->status) {
		register_failure_view(a, j);
	} else {
		struct text_view *tv = text_view_new(ok ? _("Registered")
						     : _("Not registered"));
		add_state(tv, v->id, o->state);
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(o->state,
								     "errorCode");
		if (cJSON_IsNumber(code)) {
			struct advice adv = explain_registration(code->valueint,
				cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
					o->state, "errorMessage")), v->proof);
			text_view_add(tv, ROLE_POPUP_TITLE, _("What it means: %s"),
				      adv.cause);
			text_view_add(tv, ROLE_POPUP_TITLE, _("What to do: %s"),
				      adv.next_step);
			advice_clear(&adv);
		}
		if (o->state)
			app_show_registration_state(a, o->state);
		char *words = register_state_words(o->state);
		/* TRANSLATORS: a registration id, then what became of it */
		app_status(a, !ok, _("%s: %s"), v->id, words);
		free(words);
		app_open_modal(a, text_view_modal(tv, NULL));
	}
	if (why)
		app_status(a, true, _("Not recorded in the journal: %s"), why);
	free(why);
	free(text);
}

/* Submits the registration job; `cred` NULL: the symmetric key is read
 * on the worker. */
static void
submit_register(struct app *a, const char *id, const struct device_target *t,
		struct device_credentials *cred)
{
	struct app_verify *v = state_of(a);
	v->kind = VERIFY_REGISTER;
	free(v->id);
	v->id = xstrdup(id);
	v->proof = cred ? PROOF_X509 : PROOF_SAS;
	v->start = mono_now();
	void *arg = cred ? register_job_arg_x509(t, cred) : register_job_arg(t);
	v->job = dps_worker_submit_call(a->worker, id, register_job_run, arg,
					register_job_arg_free);
	app_verify_tick(a);
}

static bool
target(struct app *a, struct device_target *t)
{
	char *why = NULL;
	/* the ID scope of the DPS connected to, when it came from a profile */
	if (device_target_resolve(NULL, NULL, a->profile, t, &why))
		return true;
	app_status(a, true, _("Cannot register: %s"), why);
	free(why);
	return false;
}

static void
start_register(struct app *a)
{
	const char *id = stored_id(a, N_("register"));
	struct device_target t;
	if (!id || !target(a, &t))
		return;
	submit_register(a, id, &t, NULL);
	device_target_clear(&t);
}

/* The chosen files are read only now, and the key goes with the job. */
static void
start_register_x509(struct app *a)
{
	struct app_verify *v = state_of(a);
	char *cert = v->cert_path, *key = v->key_path;
	v->cert_path = v->key_path = NULL;
	const char *id = stored_id(a, N_("register"));
	struct device_target t;
	struct device_credentials cred;
	char *why = NULL;
	if (cert && key && id && target(a, &t)) {
		if (device_credentials_x509(cert, key, &cred, &why))
			submit_register(a, id, &t, &cred);
		else
			app_status(a, true, _("Not registered: %s"), why);
		device_target_clear(&t);
	}
	free(why);
	free(cert);
	free(key);
}

static void
ask_register(struct app *a, const char *id, const struct device_target *t,
	     const char *proof, void (*on_yes)(struct app *a))
{
	struct text_view *v = text_view_new(_("Register the device"));
	text_view_add(v, ROLE_POPUP, _("Register %s as the device would?"), id);
	text_view_add(v, ROLE_MESSAGE_WARNING, _("This provisions the device into "
		      "an IoT hub now, as if it had been powered on."));
	text_view_add(v, ROLE_POPUP, _("Endpoint %s, ID scope %s; %s."), t->endpoint,
		      t->id_scope, proof);
	if (form_changed(a->form))
		text_view_add(v, ROLE_POPUP, _("The form's unsent changes are not "
			      "part of it."));
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, _("y: register    n or Esc: back"));
	app_open_modal(a, text_view_modal(v, on_yes));
}

static void
ask_register_x509(struct app *a)
{
	struct app_verify *v = state_of(a);
	const char *id = stored_id(a, N_("register"));
	struct device_target t;
	if (!id || !target(a, &t))
		return;
	/* TRANSLATORS: how the device proves itself, after "Endpoint
	 * ..., ID scope ...;": a certificate's file, then its key's. */
	char *proof = xasprintf(_("mutual TLS with %s and its key %s"),
				v->cert_path, v->key_path);
	ask_register(a, id, &t, proof, start_register_x509);
	free(proof);
	device_target_clear(&t);
}

static void
key_chosen(struct app *a, const char *path)
{
	struct app_verify *v = state_of(a);
	free(v->key_path);
	v->key_path = xstrdup(path);
	ask_register_x509(a);
}

static void
cert_chosen(struct app *a, const char *path)
{
	struct app_verify *v = state_of(a);
	free(v->cert_path);
	v->cert_path = xstrdup(path);
	app_status(a, false, _("Now the device's private key (PEM)"));
	app_open_modal(a, files_new(a, FILES_ANY, key_chosen));
}

static void
tpm_cannot(struct app *a, const char *id)
{
	struct text_view *v = text_view_new(_("Register the device"));
	text_view_add(v, ROLE_POPUP, _("%s uses TPM attestation: only the device's "
		      "own TPM can register it, not this computer."), id);
	text_view_add(v, ROLE_POPUP, _("Power the device on and watch it register."));
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, _("y: watch it    n or Esc: back"));
	app_open_modal(a, text_view_modal(v, app_verify_watch));
}

void
app_verify_register(struct app *a)
{
	const char *id = stored_id(a, N_("register"));
	if (!id)
		return;
	const char *type = doc_get_string(session_base(a->session),
					  "attestation.type");
	if (type && strcmp(type, "tpm") == 0) {
		tpm_cannot(a, id);
		return;
	}
	struct device_target t;
	if (!target(a, &t))
		return;
	device_target_clear(&t);
	if (type && strcmp(type, "x509") == 0) {
		app_status(a, false, _("First the device's certificate (PEM), then "
			   "its private key"));
		app_open_modal(a, files_new(a, FILES_CERTIFICATE, cert_chosen));
		return;
	}
	if (!target(a, &t))
		return;
	ask_register(a, id, &t, _("signed with the enrollment's key as stored "
				  "in DPS"), start_register);
	device_target_clear(&t);
}

/* ---- the loop's side ---- */

void
app_verify_tick(struct app *a)
{
	struct app_verify *v = a->verify;
	if (!v || v->kind == VERIFY_NONE || !a->worker)
		return;
	if (v->kind == VERIFY_WATCH) {
		watch_tick(a);
		return;
	}
	long s = (long)(mono_now() - v->start);
	live_status(a, _("registering %s as the device would %ld:%02ld"),
		    v->id, s / 60, s % 60);
}

bool
app_verify_take(struct app *a, const struct dps_job *j)
{
	struct app_verify *v = a->verify;
	if (!v || !v->job || j->id != v->job)
		return false;
	v->job = 0;
	if (j->resp.failure == DPS_FAIL_CANCELLED) {
		app_status(a, false, _("Stopped"));
		stop(a);
	} else if (v->kind == VERIFY_WATCH) {
		watch_took(a, j);
	} else {
		register_outcome_view(a, j);
		stop(a);
	}
	return true;
}

bool
app_verify_cancel(struct app *a)
{
	if (!app_verify_active(a))
		return false;
	bool registering = a->verify->kind == VERIFY_REGISTER;
	unsigned job = a->verify->job;
	if (registering && job && a->worker) {
		dps_worker_cancel(a->worker, job);	/* its answer ends it */
		app_status(a, false, _("Cancelling..."));
		return true;
	}
	stop(a);
	app_status(a, false, _("Stopped watching"));
	return true;
}
