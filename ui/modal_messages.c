/* The recent status-line messages in a window, newest first and whole:
 * a message cut to fit the status line, or replaced by the next, can be
 * read here. */

#include <time.h>

#include "ui/app.h"
#include "ui/theme_curses.h"
#include "base/i18n.h"

void
app_show_messages(struct app *a)
{
	struct text_view *v = text_view_new(_("Messages (newest first)"));
	const struct status_entry *e;
	for (size_t k = 0; (e = status_log_get(&a->status_log, k)); k++) {
		struct tm tm;
		char when[16] = "";
		if (localtime_r(&e->when, &tm))
			strftime(when, sizeof(when), "%H:%M:%S", &tm);
		text_view_add(v, e->error ? ROLE_FAILURE : ROLE_POPUP, "%s  %s",
			      when, e->text);
	}
	if (!a->status_log.count)
		text_view_add(v, ROLE_POPUP, _("No messages yet"));
	text_view_add(v, ROLE_HELP_TEXT, _("Enter or Esc: close"));
	app_open_modal(a, text_view_modal(v, NULL));
}
