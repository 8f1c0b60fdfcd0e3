/* Drafts in the TUI: the form's texts saved (debounced) as they change,
 * offered back at the next start, dropped once the service has them. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/app.h"
#include "app/draft.h"
#include "model/xalloc.h"

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A cheap fingerprint of every text (FNV-1a), to notice changes without
 * hooking every edit path. */
static uint64_t
texts_signature(const struct form *f)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < f->count; i++) {
		for (const char *p = f->fields[i].text; p && *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
		h = (h ^ 0xff) * 1099511628211ull;
	}
	if (f->etag)
		for (const char *p = f->etag; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

uint64_t
app_texts_signature(const struct app *a)
{
	return texts_signature(a->form);
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
	const char *id = f->fields[form_find(f, "registrationId")].text;
	d->registration_id = id && *id ? xstrdup(id) : NULL;
	d->etag = f->etag ? xstrdup(f->etag) : NULL;
	d->base = f->etag ? cJSON_Duplicate(f->base->root, 1) : NULL;
}

static void
save_now(struct app *a)
{
	struct draft d;
	fill_draft(a, &d);
	char *why = NULL;
	if (!draft_save(&d, &why))
		app_status(a, true, "Draft not saved: %s", why);
	free(why);
	draft_clear(&d);
	draft_timer_done(&a->draft_timer);
}

void
app_draft_tick(struct app *a)
{
	uint64_t sig = texts_signature(a->form);
	/* an edit answers the last complaint, and ends news about the form
	 * as it was */
	status_form_now(&a->status, sig);
	if (!a->draft_sig) {
		a->draft_sig = sig;	/* the form as it opened */
		return;
	}
	if (sig != a->draft_sig) {
		a->draft_sig = sig;
		if (form_changed(a->form))
			draft_timer_touch(&a->draft_timer, now_ms());
	}
	if (draft_timer_due(&a->draft_timer, now_ms()))
		save_now(a);
}

int
app_draft_wait_ms(const struct app *a)
{
	int64_t w = draft_timer_wait_ms(&a->draft_timer, now_ms());
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
	draft_discard();
	draft_timer_done(&a->draft_timer);
	a->draft_sig = texts_signature(a->form);
}

static void
restore(struct app *a)
{
	struct draft d;
	char *why = NULL;
	if (!draft_load(&d, &why)) {
		app_status(a, true, "Draft not restored: %s", why ? why : "gone");
		free(why);
		return;
	}
	app_status_event(a, STATUS_ON_LOAD);
	if (d.base)
		form_load(a->form, d.base);
	else
		form_reset(a->form);
	free(a->form->etag);
	a->form->etag = d.etag ? xstrdup(d.etag) : NULL;
	const cJSON *t;
	cJSON_ArrayForEach(t, d.fields) {
		long i = form_find(a->form, t->string);
		if (i >= 0 && cJSON_IsString(t))
			form_set_text(a->form, (size_t)i, t->valuestring);
	}
	app_status(a, false, "Restored the draft of %s", d.saved_at ? d.saved_at : "");
	draft_clear(&d);
}

void
app_draft_offer(struct app *a)
{
	struct draft d;
	char *why = NULL;
	if (!draft_load(&d, &why)) {
		if (why)
			app_status(a, true, "%s", why);
		free(why);
		return;
	}
	struct text_view *v = text_view_new("Unfinished enrollment");
	text_view_add(v, ROLE_POPUP, "An enrollment%s%s was being edited and not "
		      "submitted (saved %s).", d.registration_id ? " for " : "",
		      d.registration_id ? d.registration_id : "",
		      d.saved_at ? d.saved_at : "");
	text_view_add(v, ROLE_POPUP, "Restore it?");
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, "y: restore    n: start empty (this draft "
		      "is replaced once you type)");
	draft_clear(&d);
	app_open_modal(a, text_view_modal(v, restore));
}
