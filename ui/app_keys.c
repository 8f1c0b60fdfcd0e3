/* The keys of a symmetric-key enrollment that could not be read. An
 * update without them would make the service generate new ones and lock
 * the device out, so none is sent: a window says so, the edits stay in
 * the form, and r or y reads the keys again. */

#include <stdlib.h>

#include "ui/app.h"
#include "app/keepkeys.h"
#include "base/i18n.h"
#include "base/xalloc.h"

static const char WHY_NOT_SENT[] = N_(
	"Nothing was sent, and your edits are kept: an update without the "
	"keys would make the service generate new ones, and the device would "
	"stop working.");
static const char WHY_BLOCKED[] = N_(
	"Until they are read, the form sends no update of it: without the "
	"keys the service would generate new ones, and the device would stop "
	"working. Whatever you type is kept.");

/* The window: `answer` (the service's, or NULL), `lead` and `why` (or
 * NULL) say what happened, `outcome` what it means; r and y call
 * `retry`. */
static void
open_keys_window(struct app *a, const char *title, const char *answer,
		 const char *lead, const char *why, const char *outcome,
		 void (*retry)(struct app *a))
{
	struct text_view *v = text_view_new(title);
	if (answer)
		text_view_add(v, ROLE_FAILURE, "%s", answer);
	text_view_add(v, ROLE_POPUP, "%s", lead);
	if (why)
		text_view_add(v, ROLE_FAILURE, "%s", why);
	text_view_add(v, ROLE_POPUP, " ");
	text_view_add(v, ROLE_POPUP, "%s", _(outcome));
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, _("r or y: try again    n or Esc: back to "
		      "the form (F2 offers this again)"));
	text_view_action(v, REQ_RETRY, retry);
	app_open_modal(a, text_view_modal(v, retry));
}

void
app_keys_unread_at_load(struct app *a, const char *id, const char *why)
{
	char *lead = xasprintf(_("'%s' was loaded, but its keys could not be "
				 "read:"), id);
	open_keys_window(a, _("Keys not read"), NULL, lead, why, WHY_BLOCKED,
			 app_read_keys);
	free(lead);
	/* true for as long as this enrollment is in the form, edits or not */
	app_status_until(a, true, STATUS_ON_LOAD | STATUS_ON_REQUEST,
			 _("Loaded %s, but its keys could not be read: no "
			   "update is sent until they are"), id);
}

void
app_keys_unread_at_refresh(struct app *a, const char *id, const char *why)
{
	char *lead = xasprintf(_("Someone changed '%s' after you loaded it. "
				 "Its new copy was fetched, but its keys could "
				 "not be read:"), id);
	open_keys_window(a, _("Changed on the service; keys not read"),
			 a->refresh_reason, lead, why, WHY_NOT_SENT, app_refresh);
	free(lead);
	app_status(a, true, _("Not merged: the new copy's keys could not be read; "
		    "nothing was sent"));
}

void
app_keys_unread_at_submit(struct app *a, const char *id, const char *why)
{
	char *lead = xasprintf(_("The update of '%s' carries no keys, and its "
				 "existing keys could not be read:"), id);
	open_keys_window(a, _("Keys not read"), NULL, lead, why, WHY_NOT_SENT,
			 app_send);
	free(lead);
	app_status(a, true, _("Not sent: the keys of %s could not be read"), id);
}

bool
app_keys_block_update(struct app *a)
{
	struct form *f = a->form;
	const struct doc *base = session_base(a->session);
	if (!base || !keepkeys_missing(base->root))
		return false;
	struct doc *d = form_to_doc(f);
	bool blocked = keepkeys_missing(d->root);
	doc_free(d);
	if (!blocked)
		return false;
	const char *id = doc_get_string(base, "registrationId");
	char *lead = xasprintf(_("The keys of '%s' were not read when it was "
				 "loaded, so this update is not sent."),
			       id ? id : "?");
	open_keys_window(a, _("Keys not read"), NULL, lead, NULL, WHY_NOT_SENT,
			 app_read_keys);
	free(lead);
	app_status(a, true, _("Not sent: the keys of %s were not read"), id ? id : "?");
	return true;
}
