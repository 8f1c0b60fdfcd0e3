/* Drafts in the TUI: the form's texts saved (debounced) as they change,
 * into this window's own draft, offered back at the next start, dropped
 * once the service has them. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/app.h"
#include "ui/attest.h"
#include "app/draft_store.h"
#include "base/clock.h"
#include "base/hash.h"
#include "base/i18n.h"
#include "base/xalloc.h"

/* A cheap fingerprint of every text (FNV-1a), to notice changes without
 * hooking every edit path. */
static uint64_t
texts_signature(const struct form *f)
{
	uint64_t h = HASH_START;
	for (size_t i = 0; i < f->count; i++)
		h = hash_str(h, f->fields[i].text);
	return h;
}

/* The texts and the etag they are based on. */
uint64_t
app_texts_signature(const struct app *a)
{
	return hash_str(texts_signature(a->form), session_etag(a->session));
}

static bool
worth_saving(const struct form_field *ff)
{
	return ff->def->kind != FK_GROUP && !field_is_readonly(ff->def) &&
	       ff->text && (*ff->text || (ff->loaded && *ff->loaded));
}

static void
fill_draft(const struct app *a, struct draft *d)
{
	const struct form *f = a->form;
	memset(d, 0, sizeof(*d));
	d->fields = cJSON_CreateObject();
	for (size_t i = 0; i < f->count; i++)
		if (worth_saving(&f->fields[i]))
			draft_set_text(d, f->fields[i].def->path, f->fields[i].text);
	const char *id = form_registration_id(f);
	d->registration_id = id && *id ? xstrdup(id) : NULL;
	const char *etag = session_etag(a->session);
	d->etag = etag ? xstrdup(etag) : NULL;
	d->base = etag ? cJSON_Duplicate(session_base(a->session)->root, 1) : NULL;
}

static void
save_now(struct app *a)
{
	struct draft d;
	fill_draft(a, &d);
	char *why = NULL;
	/* A folder that could not be made at start may be there now. */
	if (!a->draft)
		a->draft = draft_session_open(&why);
	if (!a->draft || !draft_session_save(a->draft, &d, &why))
		app_status(a, true, _("Draft not saved: %s"), why);
	free(why);
	draft_clear(&d);
	quiet_timer_done(&a->draft_timer);
}

static void note_open_enrollment(struct app *a);

void
app_draft_tick(struct app *a)
{
	uint64_t sig = app_texts_signature(a);
	/* an edit answers the last complaint, and ends news about the form
	 * as it was */
	status_form_now(&a->status, sig);
	if (sig != a->draft_sig) {
		a->draft_sig = sig;
		if (form_changed(a->form))
			quiet_timer_touch(&a->draft_timer, clock_monotonic_ms());
	}
	if (quiet_timer_due(&a->draft_timer, clock_monotonic_ms()))
		save_now(a);
	note_open_enrollment(a);
}

int
app_draft_wait_ms(const struct app *a)
{
	int64_t w = quiet_timer_wait_ms(&a->draft_timer, clock_monotonic_ms());
	return w < 0 ? -1 : w > 60000 ? 60000 : (int)w;
}

void
app_draft_flush(struct app *a)
{
	if (a->draft_timer.pending)
		save_now(a);
}

void
app_draft_done(struct app *a)
{
	if (a->draft)
		draft_session_discard(a->draft);
	quiet_timer_done(&a->draft_timer);
	a->draft_sig = app_texts_signature(a);
}

/* One line of what restoring did, in a window made on the first. */
static void
tell(struct text_view **v, bool refused, char *note)
{
	if (!note)
		return;
	if (!*v)
		*v = text_view_new(_("Draft restored"));
	text_view_add(*v, refused ? ROLE_FAILURE : ROLE_MESSAGE_WARNING, "%s",
		      note);
	free(note);
}

/* A draft is saved as typed, a paste still open in its editor included:
 * what comes back is settled as if the editor had been closed. */
static void
settle_restored(struct app *a, const struct draft *d, struct text_view **v)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, d->fields) {
		long i = form_find(a->form, t->string);
		if (i < 0 || !cJSON_IsString(t))
			continue;
		form_set_text(a->form, (size_t)i, t->valuestring);
		bool refused = false;
		char *note = attest_settle_quietly(a, (size_t)i, &refused);
		tell(v, refused, note);
	}
	if (d->keys_dropped)
		tell(v, true, xstrdup(_("A private key in the draft was left "
					"out: it stays on the device")));
}

static void
fill_form(struct app *a, const struct draft *d, struct text_view **v)
{
	cJSON *base = d->base && d->etag ? cJSON_Duplicate(d->base, 1) : NULL;
	/* The etag the draft was based on is the one an update sends. */
	if (base) {
		cJSON_DeleteItemFromObjectCaseSensitive(base, "etag");
		cJSON_AddStringToObject(base, "etag", d->etag);
	}
	session_adopt(a->session, base);
	if (session_base(a->session))
		form_load(a->form, session_base(a->session)->root);
	else
		form_reset(a->form);
	settle_restored(a, d, v);
}

void
app_draft_restore(struct app *a, const char *name)
{
	struct draft d;
	char *why = NULL;
	if (!a->draft)
		a->draft = draft_session_open(&why);
	if (!a->draft || !draft_session_adopt(a->draft, name, &d, &why)) {
		app_status(a, true, _("Draft not restored: %s"), why ? why : _("gone"));
		free(why);
		return;
	}
	app_status_event(a, STATUS_ON_LOAD);
	struct text_view *v = NULL;
	fill_form(a, &d, &v);
	app_status(a, false, _("Restored the draft of %s"), d.saved_at ? d.saved_at : "");
	draft_clear(&d);
	if (v) {
		save_now(a);	/* the draft on disk is what the form holds */
		text_view_add(v, ROLE_HELP_TEXT, _("Enter or Esc: close"));
		app_open_modal(a, text_view_modal(v, NULL));
	}
}

void
app_draft_delete(struct app *a, const char *name, const char *label)
{
	char *why = NULL;
	if (draft_delete_unclaimed(name, &why))
		app_status(a, false, _("Deleted the draft of %s"), label);
	else
		app_status(a, true, _("Draft of %s not deleted: %s"), label, why);
	free(why);
}

void
app_draft_start(struct app *a, bool offer)
{
	/* The form as it opened: whatever comes first is a change, even a
	 * burst of keys (a paste, a barcode scanner) before the first tick. */
	a->draft_sig = app_texts_signature(a);
	char *why = NULL;
	a->draft = draft_session_open(&why);
	if (!a->draft) {
		app_status(a, true, _("Drafts cannot be saved: %s"), why);
		free(why);
		why = NULL;
	}
	if (!offer)
		return;
	size_t n;
	struct draft_summary *list = draft_list_unclaimed(&n, &why);
	if (why)
		app_status(a, true, "%s", why);
	free(why);
	if (n)
		app_open_modal(a, drafts_offer_new(list, n));
	else
		draft_summaries_free(list, n);
}

void
app_draft_end(struct app *a)
{
	app_draft_flush(a);
	draft_session_close(a->draft);
	a->draft = NULL;
	free(a->draft_noted);
	a->draft_noted = NULL;
}

static void
warn_open_elsewhere(struct app *a, const char *id,
		    const struct draft_editor *who)
{
	struct text_view *v = text_view_new(_("Open in another window"));
	text_view_add(v, ROLE_MESSAGE_WARNING, _("%s is also open in another "
		      "dpsenroll window (process %ld, started %s)."), id,
		      (long)who->pid, who->since);
	text_view_add(v, ROLE_POPUP, _("Each window keeps its own draft, but the "
		      "service keeps one enrollment: the window that submits "
		      "second meets a conflict (409 or 412). Finish it in one "
		      "window."));
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, _("Enter or Esc: close"));
	app_open_modal(a, text_view_modal(v, NULL));
}

/* Tells other windows which enrollment this one has open, and warns when
 * one of them has it open already. Looked at once the id is settled: not
 * while it is typed, nor under a window that has the keys. */
static void
note_open_enrollment(struct app *a)
{
	if (!a->draft || a->editing || a->modal || a->form->count == 0)
		return;
	const char *id = form_registration_id(a->form);
	id = id ? id : "";
	if (!strcmp(id, a->draft_noted ? a->draft_noted : ""))
		return;
	free(a->draft_noted);
	a->draft_noted = xstrdup(id);
	draft_session_note(a->draft, id);
	struct draft_editor who;
	if (draft_find_editor(a->draft, id, &who))
		warn_open_elsewhere(a, id, &who);
}
