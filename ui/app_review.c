/* Before an update: what changes, field by field, and what it will do to a
 * registered device; the technician confirms. After a 412: the server's
 * new copy with the technician's edits re-applied on it. */

#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "app/diff.h"
#include "app/review.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"

static void
add_entry(struct text_view *v, const struct diff_entry *e)
{
	switch (e->kind) {
	case DIFF_ADDED:
		/* TRANSLATORS: a line of the changes: a field's label
		 * and its value; +, - and ~ mark added, removed, changed. */
		text_view_add(v, ROLE_SUCCESS, _("+ %s: %s"), e->label, e->new_text);
		break;
	case DIFF_REMOVED:
		text_view_add(v, ROLE_FAILURE, _("- %s: %s"), e->label, e->old_text);
		break;
	case DIFF_CHANGED:
		text_view_add(v, ROLE_POPUP, _("~ %s: %s -> %s"), e->label,
			      e->old_text, e->new_text);
		break;
	}
}

static void
add_diff(struct text_view *v, const struct diff *d)
{
	for (size_t i = 0; i < d->count; i++)
		add_entry(v, &d->items[i]);
}

/* Under `title`, the entries of `d` that `listed` has not: a field
 * changed by both is listed once, where it asks to be checked. */
static void
add_diff_titled(struct text_view *v, const char *title, const struct diff *d,
		const struct diff *listed)
{
	bool titled = false;
	for (size_t i = 0; i < d->count; i++) {
		if (listed && diff_has(listed, d->items[i].path))
			continue;
		if (!titled)
			text_view_add(v, ROLE_POPUP_TITLE, "%s", title);
		titled = true;
		add_entry(v, &d->items[i]);
	}
}

static void
send_confirmed(struct app *a)
{
	app_send(a);
}

/* The update the form would send, as the service will see it. */
void
app_confirm_update(struct app *a)
{
	app_status_event(a, STATUS_ON_REVIEW);
	struct doc *pending = form_to_doc(a->form);
	struct diff d = { 0 };
	const cJSON *base = session_base(a->session)->root;
	diff_documents(base, pending->root, &d);
	struct findings warn;
	findings_init(&warn);
	review_update(base, pending->root, &warn);
	doc_free(pending);
	if (!d.count) {
		app_status(a, false, _("Nothing changed since it was loaded; not sent"));
		diff_clear(&d);
		findings_clear(&warn);
		return;
	}
	struct text_view *v = text_view_new(_("Review the update"));
	/* The answer keys and what it does to the device first: a long diff
	 * must not push them out of sight. */
	text_view_add(v, ROLE_HELP_TEXT, _("y: send it    n or Esc: back to the form"));
	text_view_more_hint(v, _("    (PgDn shows more)"));
	for (size_t i = 0; i < warn.count; i++)
		text_view_add(v, ROLE_MESSAGE_WARNING, "! %s", warn.items[i].message);
	text_view_add(v, ROLE_POPUP_TITLE, ngettext("%zu change to the enrollment "
						    "on the service:",
						    "%zu changes to the enrollment "
						    "on the service:", d.count),
		      d.count);
	add_diff(v, &d);
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, _("y: send it (If-Match %.12s...)    n or Esc: "
		      "back to the form"), session_etag(a->session));
	diff_clear(&d);
	findings_clear(&warn);
	app_open_modal(a, text_view_modal(v, send_confirmed));
}

/* Re-types the merged values over the fresh copy, so they count as the
 * technician's changes against it. */
static void
apply_texts(struct form *f, const cJSON *merged)
{
	struct form *tmp = form_new();
	form_load(tmp, merged);
	for (size_t i = 0; i < f->count; i++) {
		const char *want = tmp->fields[i].text;
		if (strcmp(want, f->fields[i].text) != 0)
			form_set_text(f, i, want);
	}
	form_free(tmp);
}

void
app_resolve_conflict(struct app *a, const cJSON *theirs)
{
	cJSON *base = cJSON_Duplicate(session_previous(a->session)->root, 1);
	struct doc *mine = form_to_doc(a->form);
	cJSON *merged = NULL;
	struct diff conflicts = { 0 }, server = { 0 }, yours = { 0 };
	diff_rebase(base, mine->root, theirs, &merged, &conflicts);
	diff_documents(base, theirs, &server);
	form_load(a->form, theirs);
	apply_texts(a->form, merged);
	diff_documents(theirs, merged, &yours);

	struct text_view *v = text_view_new(_("Changed on the service"));
	if (a->refresh_reason)
		text_view_add(v, ROLE_FAILURE, "%s", a->refresh_reason);
	text_view_add(v, ROLE_POPUP, _("Someone changed this enrollment after you "
		      "loaded it (HTTP 412). The form now holds their copy with "
		      "your edits re-applied; nothing you typed is lost."));
	text_view_add(v, ROLE_POPUP_TITLE, _("Changed on the service:"));
	add_diff(v, &server);
	add_diff_titled(v, _("Your changes, re-applied:"), &yours, &conflicts);
	if (conflicts.count) {
		text_view_add(v, ROLE_MESSAGE_WARNING, _("Changed by both (yours kept; "
			      "check them):"));
		add_diff(v, &conflicts);
	}
	text_view_add(v, ROLE_HELP_TEXT, _("Review the form, then F2 submits with "
		      "the new etag.    Enter or Esc: close"));
	app_open_modal(a, text_view_modal(v, NULL));
	app_status(a, true, _("Not submitted: changed on the service (HTTP 412); "
		   "review the merged form, then F2"));
	diff_clear(&conflicts);
	diff_clear(&server);
	diff_clear(&yours);
	struct doc *m = doc_adopt(merged);	/* wipes keys when freed */
	doc_free(m);
	doc_free(mine);
	struct doc *b = doc_adopt(base);
	doc_free(b);
}
