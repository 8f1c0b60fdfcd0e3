/* Station mode: a batch of devices from one template. */

#include "ui/station.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/import_state.h"
#include "app/station.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "model/keys.h"
#include "model/json.h"
#include "ui/app.h"
#include "ui/keymap.h"

struct station {
	struct doc *tmpl;		/* without its "station" member */
	struct station_rules rules;
	bool *templated;		/* per form field: the template set it */
	bool *unlocked;			/* per form field, for this device */
	size_t created;			/* this session */
	char *receipt;			/* the last device's line */
	char *last_id;			/* the last device created */
	char *wrong_scan;		/* a refused scan, while it is shown */
};

#define ID_PATH "registrationId"

static void
mark_templated(struct app *a)
{
	struct station *s = a->station;
	struct form *f = a->form;
	for (size_t i = 0; i < f->count; i++) {
		const struct form_field *ff = &f->fields[i];
		s->templated[i] = ff->def->kind != FK_GROUP &&
				  !field_is_readonly(ff->def) && ff->text &&
				  *ff->text;
		s->unlocked[i] = false;
	}
}

static void
focus_id(struct app *a)
{
	long i = form_find(a->form, ID_PATH);
	if (i < 0)
		return;
	a->form->on_section = false;
	a->form->focus = (size_t)i;
	a->scroll = 0;
}

/* The form shows the template again, as a new enrollment. */
static bool
show_template(struct app *a)
{
	if (!session_reset(a->session)) {
		app_status(a, true, _("A request is still running; wait, or Esc "
			   "cancels it"));
		return false;
	}
	form_load(a->form, a->station->tmpl->root);
	mark_templated(a);
	focus_id(a);
	return true;
}

/* Takes out of `tmpl` what is each device's own; the paths it held, or
 * NULL; owned. */
static char *
drop_per_device(cJSON *tmpl)
{
	char *held = station_per_device_held(tmpl);
	station_drop_per_device(tmpl);
	json_path_remove(tmpl, "etag");
	return held;
}

bool
station_begin(struct app *a, const cJSON *tmpl, char **dropped, char **why)
{
	cJSON *copy = cJSON_Duplicate(tmpl, 1);
	struct station *s = xcalloc(1, sizeof(*s));
	*dropped = NULL;
	if (!station_rules_take(copy, &s->rules, why)) {
		cJSON_Delete(copy);
		free(s);
		return false;
	}
	/* the device's own values never come from a template: a batch
	 * sharing one device id or one key would be one device */
	*dropped = drop_per_device(copy);
	s->tmpl = doc_adopt(copy);
	s->templated = xcalloc(a->form->count, sizeof(*s->templated));
	s->unlocked = xcalloc(a->form->count, sizeof(*s->unlocked));
	station_free(a);
	a->station = s;
	show_template(a);
	return true;
}

void
station_free(struct app *a)
{
	struct station *s = a->station;
	if (!s)
		return;
	doc_free(s->tmpl);
	station_rules_clear(&s->rules);
	free(s->templated);
	free(s->unlocked);
	free(s->receipt);
	free(s->last_id);
	free(s->wrong_scan);
	free(s);
	a->station = NULL;
}

static void
make_template(struct app *a)
{
	struct doc *d = form_to_doc(a->form);
	station_drop_per_device(d->root);
	char *why = NULL, *dropped = NULL;
	if (station_begin(a, d->root, &dropped, &why))
		app_status(a, false, _("Station: this enrollment is the template; "
			   "scan or type the first device's id"));
	else
		app_status(a, true, _("Not a template: %s"), why);
	free(why);
	free(dropped);	/* taken out above */
	doc_free(d);
}

/* Asked first: the id and the device's keys leave the form. */
void
station_from_form(struct app *a)
{
	struct text_view *v = text_view_new(_("Station"));
	text_view_add(v, ROLE_POPUP, _("Make this enrollment the template of a "
		      "batch? Its values are locked for every device; the "
		      "registration id, device id, keys, certificates and TPM key "
		      "are cleared and asked of each device."));
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, _("y: yes    n or Esc: no"));
	app_open_modal(a, text_view_modal(v, make_template));
}

bool
station_locked(const struct app *a, size_t i)
{
	const struct station *s = a->station;
	return s && i < a->form->count && s->templated[i] && !s->unlocked[i];
}

bool
station_refuse_locked(struct app *a)
{
	struct form *f = a->form;
	if (f->on_section || !station_locked(a, f->focus))
		return false;
	app_status(a, false, _("Locked: %s is the batch's; %s unlocks it for "
		   "this device"), f->fields[f->focus].def->label,
		   keymap_key_name(REQ_UNLOCK));
	return true;
}

void
station_unlock(struct app *a)
{
	struct form *f = a->form;
	if (!a->station) {
		app_status(a, false, _("Nothing is locked: %s makes this enrollment "
			   "the template of a batch"), keymap_key_name(REQ_AS_TEMPLATE));
		return;
	}
	if (f->on_section || !station_locked(a, f->focus)) {
		app_status(a, false, _("This field is not locked"));
		return;
	}
	a->station->unlocked[f->focus] = true;
	app_status(a, false, _("%s unlocked for this device"),
		   f->fields[f->focus].def->label);
}

static bool
is_open(const struct app *a, size_t i)
{
	const struct form_field *ff = &a->form->fields[i];
	return form_focusable(a->form, i) && ff->def->kind != FK_GROUP &&
	       !field_is_readonly(ff->def) && !station_locked(a, i);
}

bool
station_types_in(const struct app *a)
{
	const struct form *f = a->form;
	if (!a->station || f->on_section || !is_open(a, f->focus))
		return false;
	const struct field_def *d = f->fields[f->focus].def;
	return (d->kind == FK_TEXT || d->kind == FK_SECRET) &&
	       !field_is_multiline(d);
}

bool
station_on_id(const struct app *a)
{
	const struct form *f = a->form;
	return a->station && !f->on_section &&
	       strcmp(f->fields[f->focus].def->path, ID_PATH) == 0;
}

static void
set_path(struct app *a, const char *path, const char *text)
{
	long i = form_find(a->form, path);
	if (i >= 0)
		form_set_text(a->form, (size_t)i, text);
}

/* An id;ek scan fills the fields the rule names; false when the scan
 * is not split. */
static bool
apply_split(struct app *a, const char *scan)
{
	const struct station_rules *r = &a->station->rules;
	char **parts = xcalloc(r->split_count ? r->split_count : 1, sizeof(*parts));
	size_t n = station_split(r, scan, parts);
	for (size_t i = 0; i < n; i++) {
		set_path(a, r->split_fields[i], parts[i]);
		secret_str_free(parts[i]);
	}
	free(parts);
	return n > 0;
}

/* The next open field the device still needs (blank and required, as
 * a TPM key or a certificate is); false when none. Optional fields are
 * passed over: a scan must not stop at each of them. */
static bool
focus_next_open(struct app *a)
{
	struct form *f = a->form;
	for (size_t i = f->focus + 1; i < f->count; i++) {
		const char *t = f->fields[i].text;
		if (is_open(a, i) && (!t || !*t) &&
		    form_mark(f, i) == MARK_ERROR) {
			f->focus = i;
			return true;
		}
	}
	return false;
}

static void
refuse_scan(struct app *a, const char *scan, bool split)
{
	struct station *s = a->station;
	char *copy = xstrdup(scan);	/* `scan` may be the field's text */
	free(s->wrong_scan);
	s->wrong_scan = copy;
	set_path(a, ID_PATH, "");
	/* nothing of a wrong label stays, the split part included */
	for (size_t i = 0; split && i < s->rules.split_count; i++)
		set_path(a, s->rules.split_fields[i], "");
	app_status(a, true, _("Wrong scan: '%s' does not match %s; scan the id "
		   "again"), copy, s->rules.id_pattern);
}

void
station_field_done(struct app *a)
{
	struct station *s = a->station;
	struct form *f = a->form;
	if (!s || f->on_section || strcmp(f->fields[f->focus].def->path, ID_PATH))
		return;
	char *scan = xstrdup(form_registration_id(f));
	if (!*scan) {
		free(scan);
		return;
	}
	bool split = apply_split(a, scan);
	const char *id = form_registration_id(f);
	if (!station_id_fits(&s->rules, id)) {
		refuse_scan(a, id, split);
		free(scan);
		return;
	}
	free(s->wrong_scan);
	s->wrong_scan = NULL;
	if (focus_next_open(a))
		app_status(a, false, _("%s: now %s"), id, f->fields[f->focus].def->label);
	else
		app_status(a, false, _("%s ready: %s creates it"), id,
			   keymap_key_name(REQ_SUBMIT));
	secret_str_free(scan);
}

void
station_next_device(struct app *a)
{
	if (show_template(a))
		app_status(a, false, _("Next device: scan or type its id"));
}

/* What the receipt shows to tell this device's secret apart: a key's
 * fingerprint, a certificate's thumbprint, or the EK's digest. */
static char *
fingerprint_of(const cJSON *body)
{
	char fp[20];
	const char *key = cJSON_GetStringValue(json_path_get(body,
		"attestation.symmetricKey.primaryKey"));
	if (key && symkey_fingerprint(key, fp))
		/* TRANSLATORS: a symmetric key's fingerprint. */
		return xasprintf(_("key %s"), fp);
	const char *thumb = cJSON_GetStringValue(json_path_get(body,
		"attestation.x509.clientCertificates.primary.info.sha256Thumbprint"));
	if (thumb)
		/* TRANSLATORS: the start of a certificate's thumbprint. */
		return xasprintf(_("certificate %.16s"), thumb);
	const char *ek = cJSON_GetStringValue(json_path_get(body,
		"attestation.tpm.endorsementKey"));
	if (ek) {
		char digest[IMPORT_DIGEST_SIZE];
		import_digest(ek, digest);
		return xasprintf("EK %.16s", digest);
	}
	return xstrdup("");
}

/* The keys file, when the template asks for one; "" or what happened,
 * *failed set when it could not be written. */
static char *
keys_file(struct app *a, const char *id, const cJSON *body, bool *failed)
{
	const struct station_rules *r = &a->station->rules;
	const char *p = cJSON_GetStringValue(json_path_get(body,
		"attestation.symmetricKey.primaryKey"));
	const char *q = cJSON_GetStringValue(json_path_get(body,
		"attestation.symmetricKey.secondaryKey"));
	if (!r->keys_folder || (!p && !q))
		return xstrdup("");
	char *path = NULL, *why = NULL;
	char *text;
	*failed = !station_write_keys(r, id, p, q, &path, &why);
	if (!*failed)
		text = xasprintf(" %s", path);
	else
		/* TRANSLATORS: capitals, to be seen from across the bench. */
		text = xasprintf(_(" KEYS NOT WRITTEN: %s"), why);
	free(path);
	free(why);
	return text;
}

bool
station_took_create(struct app *a, const struct dps_job *j)
{
	struct station *s = a->station;
	if (!s || j->if_match)
		return false;
	char when[16];
	time_t now = time(NULL);
	struct tm tm;
	strftime(when, sizeof(when), "%H:%M:%S", localtime_r(&now, &tm));
	char *fp = fingerprint_of(j->resp.body);
	bool keys_failed = false;
	char *keys = keys_file(a, j->reg_id, j->resp.body, &keys_failed);
	s->created++;
	free(s->last_id);
	s->last_id = xstrdup(j->reg_id);
	free(s->receipt);
	s->receipt = xasprintf("%s %s %s %s%s", a->ascii ? "ok" : "\u2713",
			       j->reg_id, fp, when, keys);
	free(fp);
	free(keys);
	/* the next device's id, scanned while this one was being sent */
	const char *typed = form_registration_id(a->form);
	char *next = *typed && strcmp(typed, j->reg_id) ? xstrdup(typed) : NULL;
	app_forget_sent(a);
	app_draft_done(a);
	show_template(a);
	if (next)
		set_path(a, ID_PATH, next);
	free(next);
	/* Keys the service made and no file holds must reach the technician:
	 * the answer's window shows them, over the next device's form. */
	if (!s->rules.keys_folder && cJSON_GetStringValue(json_path_get(
		j->resp.body, "attestation.symmetricKey.primaryKey")))
		app_show_response(a, j);
	if (keys_failed)
		app_status(a, true, _("Created %s (%zu this session); its keys file "
				      "was NOT written, see the title; scan the "
				      "next device"), j->reg_id, s->created);
	else
		app_status(a, false, _("Created %s (%zu this session); scan the "
				       "next device"), j->reg_id, s->created);
	return true;
}

static void
open_existing(struct app *a)
{
	char *id = a->pending_open;
	a->pending_open = NULL;
	if (id)
		app_load(a, id);
	free(id);
}

static void
skip_device(struct app *a)
{
	char *id = xstrdup(form_registration_id(a->form));
	/* the service has this id: its draft would be offered for nothing */
	app_draft_done(a);
	if (show_template(a))
		app_status(a, false, _("Skipped %s (already enrolled); scan the next "
			   "device"), id);
	free(id);
}

bool
station_offer_existing(struct app *a, const struct dps_job *j)
{
	if (!a->station)
		return false;
	struct text_view *v = text_view_new(_("Already enrolled"));
	text_view_add(v, ROLE_POPUP, _("'%s' is enrolled already; nothing was "
		      "changed."), j->reg_id);
	text_view_add(v, ROLE_POPUP, " ");
	text_view_add(v, ROLE_HELP_TEXT, _("y: open it to review    n or Esc: skip "
		      "this device"));
	free(a->pending_open);
	a->pending_open = xstrdup(j->reg_id);
	struct modal *m = text_view_modal(v, open_existing);
	text_view_action(v, REQ_NO, skip_device);
	app_open_modal(a, m);
	app_status(a, true, _("%s is enrolled already: open it or skip it"),
		   j->reg_id);
	return true;
}

const char *
station_last_created(const struct app *a)
{
	return a->station ? a->station->last_id : NULL;
}

char *
station_title(const struct app *a, bool *alarm)
{
	const struct station *s = a->station;
	*alarm = false;
	if (!s)
		return NULL;
	if (s->wrong_scan) {
		*alarm = true;
		/* TRANSLATORS: a cross mark, then what was scanned;
		 * capitals, to be seen from across the bench. */
		return xasprintf(_("%s WRONG SCAN '%s': not an id of this batch"),
				 a->ascii ? "X" : "\u2717", s->wrong_scan);
	}
	if (!s->receipt)
		return xasprintf(ngettext("%zu enrolled", "%zu enrolled",
					  s->created), s->created);
	/* TRANSLATORS: how many devices this session enrolled, then the
	 * last one's line: a check mark, its id, fingerprint and time. */
	return xasprintf(ngettext("%zu enrolled  last %s", "%zu enrolled  last %s",
				  s->created), s->created, s->receipt);
}
