/* Before a create whose form holds warnings (an expired certificate, a CN
 * that is not the registration id, ...): they are listed and the
 * technician confirms, as an update's review asks. Nothing is sent and
 * nothing in the form changes until y. */

#include <stdlib.h>

#include "base/i18n.h"
#include "ui/app.h"
#include "base/xalloc.h"

static void
add_warnings_of(struct text_view *v, const char *label,
		const struct findings *fs)
{
	for (size_t k = 0; k < fs->count; k++)
		if (fs->items[k].severity == SEV_WARNING)
			text_view_add(v, ROLE_MESSAGE_WARNING, "! %s%s%s", label,
				      *label ? ": " : "", fs->items[k].message);
}

void
app_list_warnings(struct text_view *v, const struct form *f)
{
	for (size_t i = 0; i < f->count; i++)
		add_warnings_of(v, field_label(f->fields[i].def), &f->fields[i].found);
	add_warnings_of(v, "", &f->other);
}

static void
send_confirmed(struct app *a)
{
	app_send(a);
}

void
app_confirm_create(struct app *a)
{
	const struct form *f = a->form;
	struct text_view *v = text_view_new(_("Create with warnings?"));
	text_view_add(v, ROLE_HELP_TEXT, _("y: create it    n or Esc: back to the "
		      "form (nothing is sent)"));
	text_view_add(v, ROLE_POPUP_TITLE, ngettext("The form holds %zu warning:",
						    "The form holds %zu warnings:",
						    f->warnings), f->warnings);
	app_list_warnings(v, f);
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, _("y: create the enrollment as it is    "
		      "n or Esc: back to the form"));
	app_open_modal(a, text_view_modal(v, send_confirmed));
}
