/* What every modal shares: a key reaches it as a request of its context,
 * or as text when its context binds no such key. */

#include "ui/app.h"

enum key_context
modal_bar_context(const struct app *a, enum key_context under)
{
	return a->modal ? a->modal->ops->context(a->modal) : under;
}

void
modal_key(struct app *a, int key, bool is_char, const char *utf8)
{
	struct modal *m = a->modal;
	enum ui_request r = keymap_lookup(m->ops->context(m), key, is_char);
	enum modal_result res = MODAL_STAY;
	if (r != REQ_NONE)
		res = m->ops->request(m, a, r);
	else if (keymap_is_text(key, is_char) && m->ops->text)
		res = m->ops->text(m, a, utf8);
	/* a handler that closed itself (to act after) said MODAL_STAY */
	if (res == MODAL_CLOSE)
		app_close_modal(a);
}
