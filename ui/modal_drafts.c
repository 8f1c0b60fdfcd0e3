/* At start, the drafts that windows closed or crashed with: one is asked
 * about, several are listed (registration id, attestation type, when
 * saved) to restore one; the others are kept, or deleted on request. */

#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/textclip.h"
#include "ui/theme_curses.h"
#include "app/draft_store.h"
#include "base/i18n.h"
#include "base/xalloc.h"

enum { ID_COLS = 30, TYPE_COLS = 14, SAVED_COLS = 20 };

struct drafts_offer {
	struct modal base;
	struct draft_summary *list;
	size_t count;
	size_t selected;
	size_t scroll;		/* first row shown */
	bool confirming;	/* d was pressed: delete the selected one? */
};

static const char *
label_of(const struct draft_summary *d)
{
	return d->registration_id ? d->registration_id
				  : _("an enrollment without a registration id");
}

static void
line_at(const struct modal *m, int row, int role, const char *text)
{
	attrset(theme_attr(role));
	move(m->top + row, m->left + 1);
	hline(' ', m->width - 2);
	move(m->top + row, m->left + 2);
	draw_clipped(text, m->width - 4);
}

/* The sentence about the one draft, whole whatever it knows. Owned. */
static char *
what_was_edited(const struct draft_summary *d)
{
	const char *saved = d->saved_at ? d->saved_at : "?";
	const char *id = d->registration_id, *type = d->attestation_type;
	if (id && type)
		/* TRANSLATORS: a registration id, when its draft was saved
		 * (UTC), then an attestation type (symmetricKey, x509, tpm). */
		return xasprintf(_("An enrollment for %s was being edited and "
				   "not submitted (saved %s, attestation %s)."),
				 id, saved, type);
	if (id)
		return xasprintf(_("An enrollment for %s was being edited and "
				   "not submitted (saved %s)."), id, saved);
	if (type)
		return xasprintf(_("An enrollment was being edited and not "
				   "submitted (saved %s, attestation %s)."),
				 saved, type);
	return xasprintf(_("An enrollment was being edited and not submitted "
			   "(saved %s)."), saved);
}

static void
draw_one(struct drafts_offer *o)
{
	const struct draft_summary *d = &o->list[0];
	struct modal *m = &o->base;
	char *what = what_was_edited(d);
	char *text = d->keys_dropped
		? xasprintf(_("%s A private key it held was left out: it stays "
			      "on the device. Restore it?"), what)
		: xasprintf(_("%s Restore it?"), what);
	free(what);
	int width = COLS - 4 < 84 ? COLS - 4 : 84, rows = 0;
	for (const char *p = text; *p; p += text_wrap_point(p, strlen(p), width - 4))
		rows++;
	modal_frame(m, _("Unfinished enrollment"), rows + 4, width);
	int r = 1;
	for (const char *p = text; *p && r < m->height - 3; r++) {
		size_t cut = text_wrap_point(p, strlen(p), m->width - 4);
		char *piece = xstrndup(p, cut);
		line_at(m, r, ROLE_POPUP, piece);
		free(piece);
		p += cut;
	}
	free(text);
}

/* "dev-7" padded or cut to `cols` columns, keeping its last character
 * visible as an ellipsis when cut. */
static char *
cell(const char *s, int cols)
{
	int len = (int)text_columns(s, strlen(s));
	if (len <= cols)
		return xasprintf("%s%*s", s, cols - len, "");
	size_t keep = 0;
	while (s[keep] && (int)text_columns(s, keep + 1) <= cols - 1) {
		keep++;
		while (((unsigned char)s[keep] & 0xC0) == 0x80)
			keep++;
	}
	return xasprintf("%.*s\u2026%*s", (int)keep, s,
			 cols - 1 - (int)text_columns(s, keep), "");
}

static char *
row_text(const struct draft_summary *d)
{
	char *id = cell(d->registration_id ? d->registration_id
			: _("(no registration id)"), ID_COLS);
	char *type = cell(d->attestation_type ? d->attestation_type : "-",
			  TYPE_COLS);
	char *row = xasprintf("%s  %s  %s", id, type,
			      d->saved_at ? d->saved_at : "?");
	free(id);
	free(type);
	return row;
}

static void
draw_many(struct drafts_offer *o)
{
	struct modal *m = &o->base;
	int height = (int)o->count + 7;
	modal_frame(m, _("Unfinished enrollments"), height, 84);
	int rows = m->height - 7 > 1 ? m->height - 7 : 1;
	if (o->selected < o->scroll)
		o->scroll = o->selected;
	if (o->selected >= o->scroll + (size_t)rows)
		o->scroll = o->selected - (size_t)rows + 1;
	char *head = xasprintf(ngettext("%zu unfinished enrollment, left by a "
					"window that closed:",
					"%zu unfinished enrollments, left by "
					"windows that closed:", o->count),
			       o->count);
	line_at(m, 1, ROLE_POPUP, head);
	free(head);
	char *id = cell(_("Registration ID"), ID_COLS);
	char *type = cell(_("Attestation"), TYPE_COLS);
	char *cols = xasprintf("  %s  %s  %s", id, type, _("Saved (UTC)"));
	line_at(m, 2, ROLE_POPUP_TITLE, cols);
	free(cols);
	free(type);
	free(id);
	for (int r = 0; r < rows && o->scroll + (size_t)r < o->count; r++) {
		size_t k = o->scroll + (size_t)r;
		char *text = row_text(&o->list[k]);
		char *line = xasprintf("%s %s", k == o->selected ? ">" : " ", text);
		line_at(m, 3 + r, k == o->selected ? ROLE_POPUP_SELECTED
			: ROLE_POPUP, line);
		free(line);
		free(text);
	}
}

static void
drafts_draw(struct modal *m, const struct app *a)
{
	(void)a;
	struct drafts_offer *o = (struct drafts_offer *)m;
	if (o->count == 1)
		draw_one(o);
	else
		draw_many(o);
	int foot = m->height - 3;
	if (o->confirming) {
		char *q = xasprintf(_("Delete the draft of %s for good?"),
				    label_of(&o->list[o->selected]));
		line_at(m, foot, ROLE_MESSAGE_WARNING, q);
		line_at(m, foot + 1, ROLE_HELP_TEXT, _("y: delete it    n or Esc: keep it"));
		free(q);
	} else if (o->count == 1) {
		line_at(m, foot, ROLE_HELP_TEXT, " ");
		line_at(m, foot + 1, ROLE_HELP_TEXT, _("y: restore    n: start empty "
			"(the draft is kept)    d: delete it"));
	} else {
		line_at(m, foot, ROLE_HELP_TEXT, _("Enter or y: restore the highlighted "
			"one    d: delete it"));
		line_at(m, foot + 1, ROLE_HELP_TEXT, _("n or Esc: start empty (the "
			"drafts are kept and offered next time)"));
	}
	attrset(A_NORMAL);
}

static enum modal_result
restore_selected(struct drafts_offer *o, struct app *a)
{
	char *name = xstrdup(o->list[o->selected].name);
	app_close_modal(a);	/* frees o */
	app_draft_restore(a, name);
	free(name);
	return MODAL_STAY;
}

static enum modal_result
delete_selected(struct drafts_offer *o, struct app *a)
{
	struct draft_summary *d = &o->list[o->selected];
	app_draft_delete(a, d->name, label_of(d));
	o->confirming = false;
	draft_summary_clear(d);
	memmove(d, d + 1, (o->count - o->selected - 1) * sizeof(*d));
	o->count--;
	if (o->selected && o->selected >= o->count)
		o->selected--;
	return o->count ? MODAL_STAY : MODAL_CLOSE;
}

/* While it asks whether to delete, it is a yes/no question. */
static enum key_context
drafts_context(const struct modal *m)
{
	const struct drafts_offer *o = (const struct drafts_offer *)m;
	return o->confirming ? KEYS_QUESTION : KEYS_DRAFTS;
}

static enum modal_result
drafts_request(struct modal *m, struct app *a, enum ui_request r)
{
	struct drafts_offer *o = (struct drafts_offer *)m;
	switch (r) {
	case REQ_YES:
		return delete_selected(o, a);
	case REQ_NO:
		o->confirming = false;
		break;
	case REQ_RESTORE:
		return restore_selected(o, a);
	case REQ_DELETE_DRAFT:
		o->confirming = true;
		break;
	case REQ_LIST_DOWN:
		if (o->selected + 1 < o->count)
			o->selected++;
		break;
	case REQ_LIST_UP:
		if (o->selected > 0)
			o->selected--;
		break;
	case REQ_START_EMPTY:
		return MODAL_CLOSE;
	default:
		break;
	}
	return MODAL_STAY;
}

static enum modal_result
drafts_click(struct modal *m, struct app *a, int row, int col)
{
	(void)a;
	(void)col;
	struct drafts_offer *o = (struct drafts_offer *)m;
	long k = (long)o->scroll + (row - m->top - 3);
	if (o->count > 1 && !o->confirming && k >= 0 && k < (long)o->count &&
	    row < m->top + m->height - 4)
		o->selected = (size_t)k;
	return MODAL_STAY;
}

static void
drafts_free(struct modal *m)
{
	struct drafts_offer *o = (struct drafts_offer *)m;
	draft_summaries_free(o->list, o->count);
	free(o);
}

static const struct modal_ops drafts_ops = {
	.context = drafts_context,
	.draw = drafts_draw,
	.request = drafts_request,
	.click = drafts_click,
	.free = drafts_free,
};

struct modal *
drafts_offer_new(struct draft_summary *list, size_t count)
{
	struct drafts_offer *o = xcalloc(1, sizeof(*o));
	o->base.ops = &drafts_ops;
	o->list = list;
	o->count = count;
	return &o->base;
}
