/* The service's answer as the technician sees it: a window with the
 * status, the error's every field or what was stored, plain advice and
 * the raw body (keys masked); and a status line that outlives the window
 * when nothing was stored. */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/attest.h"
#include "ui/textclip.h"
#include "app/explain.h"
#include "model/json.h"
#include "model/keys.h"
#include "base/secret.h"
#include "base/i18n.h"
#include "base/xalloc.h"

const char *
app_reason_phrase(long status)
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

void
app_add_error_details(struct text_view *v, const struct dps_response *r)
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
	if (!cJSON_IsString(x))
		return;
	/* padded by columns: a translated label may have accents */
	char *padded = text_padded(_(label), 15);
	text_view_add(v, ROLE_POPUP, "%s %s", padded, x->valuestring);
	free(padded);
}

static void
add_success_details(struct app *a, struct text_view *v,
		    const struct dps_response *r)
{
	const cJSON *b = r->body;
	add_member(v, b, "registrationId", "registrationId");
	add_member(v, b, "etag", "etag");
	add_member(v, b, "createdDateTimeUtc", N_("created"));
	add_member(v, b, "lastUpdatedDateTimeUtc", N_("last updated"));
	const char *cert = "attestation.x509.clientCertificates.primary.info";
	char *p = xasprintf("%s.subjectName", cert);
	add_member(v, b, p, N_("certificate"));
	free(p);
	p = xasprintf("%s.sha256Thumbprint", cert);
	add_member(v, b, p, "SHA-256");
	free(p);
	const cJSON *pk = json_path_get(b, "attestation.symmetricKey.primaryKey");
	if (cJSON_IsString(pk) && !a->job_had_keys) {
		text_view_add(v, ROLE_MESSAGE_WARNING, " ");
		text_view_add(v, ROLE_MESSAGE_WARNING, "%s",
			      _("The service generated these keys. Store them now "
				"(w saves them to a file): GET hides them; "
				"'dpsenroll keys ID' reads them again."));
		add_member(v, b, "attestation.symmetricKey.primaryKey", N_("primary key"));
		add_member(v, b, "attestation.symmetricKey.secondaryKey", N_("secondary key"));
		text_view_action(v, REQ_SAVE_KEYS, attest_save_keys);
	}
}

/* A write without a sure answer: what reading it back found. */
static void
add_outcome(struct text_view *v, const struct dps_response *r)
{
	const char *text = explain_outcome(r->outcome);
	if (!text)
		return;
	text_view_add(v, ROLE_POPUP, " ");
	text_view_add(v, r->outcome == DPS_OUTCOME_APPLIED ? ROLE_HELP_TEXT
			 : ROLE_MESSAGE_WARNING, "%c%s.",
		      toupper((unsigned char)text[0]), text + 1);
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
			/* TRANSLATORS: a key's fingerprint, in place of the
			 * key in the raw answer. */
			char *masked = xasprintf(_("(key %s)"), fp);
			json_path_set(j, paths[i], cJSON_CreateString(masked));
			free(masked);
		}
	}
	char *out = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	return out;
}

void
app_add_response(struct app *a, struct text_view *v, const struct dps_job *j)
{
	const struct dps_response *r = &j->resp;
	bool ok = r->failure == DPS_ANSWERED && r->status < 300;
	if (r->failure != DPS_ANSWERED) {
		text_view_add(v, ROLE_FAILURE, "%s", _("No answer from the service"));
		const char *words = dps_response_failure(r);
		text_view_add(v, ROLE_POPUP, "%s", words ? words : "");
		if (r->hint)
			text_view_add(v, ROLE_POPUP, _("Try: %s"), _(r->hint));
	} else {
		text_view_add(v, ok ? ROLE_SUCCESS : ROLE_FAILURE, "HTTP %ld %s",
			      r->status, app_reason_phrase(r->status));
		if (ok)
			add_success_details(a, v, r);
		else
			app_add_error_details(v, r);
	}
	add_outcome(v, r);
	struct advice adv = r->outcome == DPS_OUTCOME_SURE
			    ? explain_response(r) : (struct advice){ 0 };
	if (adv.cause) {
		text_view_add(v, ROLE_POPUP, " ");
		text_view_add(v, ROLE_POPUP_TITLE, _("What it means: %s"), adv.cause);
		text_view_add(v, ROLE_POPUP_TITLE, _("What to do: %s"), adv.next_step);
	}
	advice_clear(&adv);
	if (r->attempts > 1)
		text_view_add(v, ROLE_HELP_TEXT, ngettext("after %d attempt", "after %d attempts",
						      (unsigned long)r->attempts), r->attempts);
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
	case DPS_FAIL_RESOLVE: return _("the host name does not resolve");
	case DPS_FAIL_CONNECT: return _("nothing accepted the connection");
	case DPS_FAIL_PROXY: return _("the proxy did not connect");
	case DPS_FAIL_TLS_CA: return _("server certificate not trusted");
	case DPS_FAIL_TLS: return _("TLS handshake failed");
	case DPS_FAIL_TIMEOUT: return _("no answer in time");
	case DPS_FAIL_DROPPED: return _("connection closed early");
	case DPS_FAIL_TOO_LARGE: return _("answer far too large");
	case DPS_FAIL_BAD_ANSWER: return _("answer could not be read");
	default: return _("request failed");
	}
}

/* Whether a request without an answer surely never reached the service. */
static bool
surely_not_sent(enum dps_failure f)
{
	return f == DPS_FAIL_RESOLVE || f == DPS_FAIL_CONNECT ||
	       f == DPS_FAIL_PROXY ||
	       f == DPS_FAIL_TLS_CA || f == DPS_FAIL_TLS;
}

/* A submit without a sure answer: it may have been applied, and the
 * read-back says whether it was (the window says it in full). */
static void
say_outcome(struct app *a, const struct dps_response *r)
{
	const char *word = explain_outcome_word(r->outcome);
	if (!word || r->outcome == DPS_OUTCOME_UNKNOWN) {
		app_status(a, true, _("Not confirmed: %s; it may have been "
				      "applied, F5 loads it"), failure_words(r->failure));
		return;
	}
	bool resend = r->outcome == DPS_OUTCOME_NOT_APPLIED;
	if (resend)
		app_status(a, true, _("Not submitted (answer lost); read back: %s, "
				      "F2 sends it again"), word);
	else
		app_status(a, true, _("Not confirmed (answer lost); read back: %s, "
				      "F5 loads it"), word);
}

/* The window with the details can be closed; until the next change the
 * status line still says that nothing was stored (or that it may have
 * been). */
void
app_say_failed(struct app *a, const struct dps_job *j, bool after_412)
{
	const struct dps_response *r = &j->resp;
	const char *what = j->op == DPS_OP_PUT ? _("Not submitted")
			 : after_412 ? _("Not submitted (HTTP 412), and the "
					 "service's new copy not loaded")
			 : _("Not loaded");
	if (r->failure == DPS_ANSWERED) {
		char code[24] = "";
		if (r->error.error_code)
			snprintf(code, sizeof(code), " (%d)", r->error.error_code);
		app_status(a, true, _("%s: HTTP %ld %s%s"), what, r->status,
			   app_reason_phrase(r->status), code);
	} else if (j->op != DPS_OP_PUT || surely_not_sent(r->failure)) {
		app_status(a, true, _("%s: %s"), what, failure_words(r->failure));
	} else {
		say_outcome(a, r);
	}
}

void
app_show_response(struct app *a, const struct dps_job *j)
{
	struct text_view *v = text_view_new(j->op == DPS_OP_PUT ? _("Submit") : _("Load"));
	app_add_response(a, v, j);
	text_view_add(v, ROLE_HELP_TEXT, " ");
	/* no answer came (nothing sent, no connection): no raw view */
	text_view_add(v, ROLE_HELP_TEXT, j->resp.raw
		      ? _("Enter or Esc: close    r: raw response")
		      : _("Enter or Esc: close"));
	app_open_modal(a, text_view_modal(v, NULL));
}

