/* What the form does with the session's news: it shows the service's copy,
 * keeps what was typed meanwhile, and offers the way on when a submit
 * cannot go through as it is (the id taken, the enrollment deleted). */

#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/keymap.h"
#include "app/journal.h"
#include "app/keepkeys.h"
#include "model/json.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"

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
app_remember_sent(struct app *a)
{
	app_forget_sent(a);
	a->job_texts = texts_of(a->form);
}

void
app_forget_sent(struct app *a)
{
	texts_free(a->job_texts, a->form->count);
	a->job_texts = NULL;
}

/* The form shows the session's base; where `was` (the texts it is
 * compared with) differs from `now`, the technician typed: kept. True
 * when anything was kept. */
static bool
show_base_keeping(struct form *f, const struct doc *base, char **was,
		  char **now)
{
	form_load(f, base->root);
	bool typed = false;
	for (size_t i = 0; was && i < f->count; i++) {
		if (strcmp(now[i], was[i]) != 0) {
			form_set_text(f, i, now[i]);
			typed = true;
		}
	}
	return typed;
}

void
app_took_load(struct app *a)
{
	struct form *f = a->form;
	const struct doc *base = session_base(a->session);
	if (!a->load_keeps_edits) {
		form_load(f, base->root);
		return;
	}
	/* Only the keys were read again: the edits stay on top of them. */
	char **was = xcalloc(f->count, sizeof(*was));
	for (size_t i = 0; i < f->count; i++)
		was[i] = xstrdup(f->fields[i].loaded ? f->fields[i].loaded : "");
	char **now = texts_of(f);
	show_base_keeping(f, base, was, now);
	texts_free(was, f->count);
	texts_free(now, f->count);
}

/* The form becomes the service's answer; what was typed while the request
 * ran is put back on top of it, and the draft stays until that is sent. */
void
app_took_submit(struct app *a, const struct dps_job *j)
{
	struct form *f = a->form;
	char **now = texts_of(f);
	bool typed = show_base_keeping(f, session_base(a->session), a->job_texts,
				       now);
	texts_free(now, f->count);
	app_forget_sent(a);
	app_show_response(a, j);
	if (typed) {
		app_status(a, false, _("Submitted %s; what you typed meanwhile is "
			   "kept and not sent yet"), j->reg_id);
	} else {
		/* the last step of the bench: seeing the device get its hub */
		app_status(a, false, _("Submitted %s; %s watches the device "
			   "register, %s registers it"), j->reg_id,
			   keymap_key_name(REQ_WATCH), keymap_key_name(REQ_REGISTER));
		app_draft_done(a);
	}
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
app_offer_existing(struct app *a, const struct dps_job *j)
{
	struct text_view *v = text_view_new(_("Already enrolled"));
	app_add_response(a, v, j);
	text_view_add(v, ROLE_POPUP, " ");
	text_view_add(v, ROLE_POPUP, _("Open the existing enrollment '%s' to review "
		      "and update it? It replaces the form (what you typed stays in "
		      "the draft until you edit it)."), j->reg_id);
	text_view_add(v, ROLE_HELP_TEXT, _("y: open it    n or Esc: back to the form"));
	free(a->pending_open);
	a->pending_open = xstrdup(j->reg_id);
	app_open_modal(a, text_view_modal(v, open_pending));
	app_say_failed(a, j, false);
}

/* What a create from the form does to the device's keys. */
static void
add_create_keys_note(struct text_view *v, const struct form *f)
{
	struct doc *d = form_to_doc(f);
	const char *type = doc_get_string(d, "attestation.type");
	if (keepkeys_missing(d->root))
		text_view_add(v, ROLE_MESSAGE_WARNING, _("The form has no keys (they "
			      "were not read), so the service makes new ones: the "
			      "device must be given them."));
	else if (type && !strcmp(type, "symmetricKey"))
		text_view_add(v, ROLE_POPUP, _("It keeps the keys the form holds, so "
			      "the device keeps working."));
	doc_free(d);
}

/* The technician's copy is all that is left: offer to send it as a new
 * enrollment (no etag), instead of advice the form cannot follow. */
void
app_offer_create_again(struct app *a, const struct dps_job *j)
{
	const char *id = doc_get_string(session_base(a->session), "registrationId");
	id = id ? id : j->reg_id;
	struct text_view *v = text_view_new(_("Deleted on the service"));
	text_view_add(v, ROLE_FAILURE, "HTTP %ld %s", j->resp.status,
		      app_reason_phrase(j->resp.status));
	app_add_error_details(v, &j->resp);
	text_view_add(v, ROLE_POPUP, " ");
	text_view_add(v, ROLE_POPUP, _("'%s' is no longer on the service: someone "
		      "deleted it after you loaded it. Nothing was changed, and "
		      "the form keeps your edits."), id);
	text_view_add(v, ROLE_POPUP_TITLE, _("Create it again from what you have? "
		      "The form is sent as a new enrollment."));
	add_create_keys_note(v, a->form);
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, _("y: create it again    n or Esc: back "
		      "to the form"));
	app_open_modal(a, text_view_modal(v, app_send_as_new));
	app_status(a, true, _("%s was deleted on the service; not sent"), id);
}

void
app_record_submission(struct app *a, const struct dps_job *j)
{
	struct journal_entry e = {
		.registration_id = j->reg_id,
		.operation = j->if_match ? "update" : "create",
	};
	journal_entry_from_response(&e, &j->resp);
	char *why = NULL;
	if (!journal_append(&e, &why))
		app_status(a, true, _("Not in the journal: %s"), why);
	free(why);
}

/* A registration state newer than the form's (a registration, a watch):
 * it replaces the form's, and what was typed stays. */
void
app_show_registration_state(struct app *a, const cJSON *state)
{
	struct form *f = a->form;
	cJSON *base = f->base && cJSON_IsObject(f->base->root)
		      ? cJSON_Duplicate(f->base->root, 1) : cJSON_CreateObject();
	cJSON *copy = cJSON_Duplicate(state, 1);
	/* the device API's attestation members are not the service's */
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "symmetricKey");
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "x509");
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "tpm");
	cJSON_DeleteItemFromObjectCaseSensitive(base, "registrationState");
	cJSON_AddItemToObject(base, "registrationState", copy);
	session_note_registration(a->session, copy);
	char **was = xcalloc(f->count, sizeof(*was));
	for (size_t i = 0; i < f->count; i++)
		was[i] = xstrdup(f->fields[i].loaded ? f->fields[i].loaded : "");
	char **now = texts_of(f);
	struct doc view = { .root = base };
	show_base_keeping(f, &view, was, now);
	texts_free(was, f->count);
	texts_free(now, f->count);
	cJSON_Delete(base);
}
