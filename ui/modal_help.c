/* The help (F1): every context's keys, one section each, written from the
 * key table (ui/keymap.c) as the README and the manual page are. */

#include "base/i18n.h"
#include "ui/app.h"
#include "ui/theme_curses.h"

static void
add_line(void *arg, enum help_part part, const char *line)
{
	text_view_add(arg, part == HELP_HEADING ? ROLE_POPUP_TITLE : ROLE_POPUP,
		      "%s", line);
}

void
app_show_help(struct app *a)
{
	struct text_view *v = text_view_new(_("Keys"));
	keymap_help(add_line, v);
	app_open_modal(a, text_view_modal(v, NULL));
}
