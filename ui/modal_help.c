/* The help (F1): every context's keys, one section each, written from the
 * key table (ui/keymap.c) as the README and the manual page are. */

#include "base/i18n.h"
#include "ui/app.h"
#include "ui/theme_curses.h"

/* A description or a note that wraps goes on in its own column, not
 * under the keys (French descriptions wrap at 100 columns). */
static void
add_line(void *arg, enum help_part part, const char *line)
{
	text_view_add(arg, part == HELP_HEADING ? ROLE_POPUP_TITLE : ROLE_POPUP,
		      "%s", line);
	if (part == HELP_KEY)
		text_view_indent(arg, keymap_help_indent());
	else if (part == HELP_NOTE)
		text_view_indent(arg, 2);
}

void
app_show_help(struct app *a)
{
	struct text_view *v = text_view_new(_("Keys"));
	/* first: the way out shows before any key, and says there is more
	 * where the list does not fit */
	text_view_add(v, ROLE_HELP_TEXT, _("Esc or Enter: close    Up, Down, "
		      "PgUp, PgDn: scroll"));
	text_view_more_hint(v, _("    (more below)"));
	keymap_help(add_line, v);
	app_open_modal(a, text_view_modal(v, NULL));
}
