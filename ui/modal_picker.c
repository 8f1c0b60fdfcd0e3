/* The enum picker: the spec's wire names with their help, arrows to move,
 * letters to jump, Enter to pick. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "ui/app.h"
#include "ui/textclip.h"
#include "ui/theme_curses.h"
#include "base/xalloc.h"

struct picker {
	struct modal base;
	size_t field;
	bool can_unset;		/* first item is "(not set)" */
	size_t count;		/* items, "(not set)" included */
	size_t selected;
};

static const struct field_def *
picker_def(const struct picker *p, const struct app *a)
{
	return a->form->fields[p->field].def;
}

/* Item k's wire name ("" for "(not set)") and help. */
static void
item(const struct picker *p, const struct app *a, size_t k, const char **wire,
     const char **help)
{
	const struct enum_def *e = picker_def(p, a)->enumdef;
	if (p->can_unset && k == 0) {
		*wire = "";
		*help = _("leave it out; the service decides");
		return;
	}
	size_t v = k - (p->can_unset ? 1 : 0);
	*wire = e->values[v].wire;
	*help = enum_value_help(&e->values[v]);
}

static char *
item_line(const char *wire, const char *help)
{
	return xasprintf("%-20s %s", *wire ? wire : _("(not set)"), help);
}

/* Whether some item's help is cut at the window's width. */
static bool
any_cut(const struct picker *p, const struct app *a, int cols)
{
	for (size_t k = 0; k < p->count; k++) {
		const char *w, *h;
		item(p, a, k, &w, &h);
		char *line = item_line(w, h);
		bool cut = text_clip(line, cols, 1).cut;
		free(line);
		if (cut)
			return true;
	}
	return false;
}

enum { HELP_LINES = 2 };

/* Below the items, the chosen item's help whole (wrapped), when the
 * items' lines had to be cut. */
static void
draw_chosen_help(const struct picker *p, const struct modal *m,
		 const struct app *a)
{
	const char *w, *h;
	item(p, a, p->selected, &w, &h);
	attrset(theme_attr(ROLE_HELP_TEXT));
	int cols = m->width - 4, row = m->top + m->height - 1 - HELP_LINES;
	for (int k = 0; k < HELP_LINES && *h; k++) {
		size_t n = k + 1 < HELP_LINES ? text_wrap_point(h, strlen(h), cols)
					      : strlen(h);
		char *piece = xstrndup(h, n);
		move(row + k, m->left + 2);
		draw_clipped(piece, cols);
		free(piece);
		h += n;
	}
}

static void
picker_draw(struct modal *m, const struct app *a)
{
	struct picker *p = (struct picker *)m;
	int width = 30;
	for (size_t k = 0; k < p->count; k++) {
		const char *w, *h;
		item(p, a, k, &w, &h);
		int need = (int)(strlen(w) + strlen(h)) + 12;
		if (need > width)
			width = need;
	}
	int shown = width < COLS - 4 ? width : COLS - 4;
	bool cut = any_cut(p, a, shown - 4);
	int height = (int)p->count + 2 + (cut ? HELP_LINES + 1 : 0);
	modal_frame(m, field_label(picker_def(p, a)), height, width);
	for (size_t k = 0; k < p->count && (int)k < m->height - 2; k++) {
		const char *w, *h;
		item(p, a, k, &w, &h);
		attrset(theme_attr(k == p->selected ? ROLE_POPUP_SELECTED : ROLE_POPUP));
		move(m->top + 1 + (int)k, m->left + 1);
		hline(' ', m->width - 2);
		move(m->top + 1 + (int)k, m->left + 2);
		char *line = item_line(w, h);
		draw_clipped(line, m->width - 4);
		free(line);
	}
	if (cut)
		draw_chosen_help(p, m, a);
	attrset(A_NORMAL);
}

static void
pick(struct picker *p, struct app *a)
{
	const char *w, *h;
	item(p, a, p->selected, &w, &h);
	form_set_text(a->form, p->field, w);
}

/* Type-to-select: the next item whose name starts with the letter. */
static void
jump_to_letter(struct picker *p, const struct app *a, int c)
{
	for (size_t step = 1; step <= p->count; step++) {
		size_t k = (p->selected + step) % p->count;
		const char *w, *h;
		item(p, a, k, &w, &h);
		if (*w && tolower((unsigned char)*w) == tolower(c)) {
			p->selected = k;
			return;
		}
	}
}

static enum key_context
picker_context(const struct modal *m)
{
	(void)m;
	return KEYS_PICKER;
}

static enum modal_result
picker_request(struct modal *m, struct app *a, enum ui_request r)
{
	struct picker *p = (struct picker *)m;
	switch (r) {
	case REQ_LIST_DOWN:
		p->selected = (p->selected + 1) % p->count;
		break;
	case REQ_LIST_UP:
		p->selected = (p->selected + p->count - 1) % p->count;
		break;
	case REQ_LIST_FIRST:
		p->selected = 0;
		break;
	case REQ_LIST_LAST:
		p->selected = p->count - 1;
		break;
	case REQ_PICK:
		pick(p, a);
		return MODAL_CLOSE;
	case REQ_CLOSE:
		return MODAL_CLOSE;
	default:
		break;
	}
	return MODAL_STAY;
}

static enum modal_result
picker_text(struct modal *m, struct app *a, const char *utf8)
{
	unsigned char c = (unsigned char)utf8[0];
	if (c < 0x80 && isalpha(c) && !utf8[1])
		jump_to_letter((struct picker *)m, a, c);
	return MODAL_STAY;
}

static enum modal_result
picker_click(struct modal *m, struct app *a, int row, int col)
{
	struct picker *p = (struct picker *)m;
	int k = row - m->top - 1;
	if (col < m->left || col >= m->left + m->width || row < m->top ||
	    row >= m->top + m->height)
		return MODAL_CLOSE;
	if (k < 0 || k >= (int)p->count)
		return MODAL_STAY;	/* the frame or the help below */
	p->selected = (size_t)k;
	pick(p, a);
	return MODAL_CLOSE;
}

static void
picker_free(struct modal *m)
{
	free(m);
}

static const struct modal_ops picker_ops = {
	.context = picker_context,
	.draw = picker_draw,
	.request = picker_request,
	.text = picker_text,
	.click = picker_click,
	.free = picker_free,
};

struct modal *
picker_new(struct app *a, size_t field)
{
	struct picker *p = xcalloc(1, sizeof(*p));
	p->base.ops = &picker_ops;
	p->field = field;
	const struct field_def *d = a->form->fields[field].def;
	p->can_unset = d->need != NEED_REQUIRED;
	p->count = d->enumdef->count + (p->can_unset ? 1 : 0);
	const char *cur = a->form->fields[field].text;
	int idx = cur && *cur ? enum_index(d->enumdef, cur) : -1;
	p->selected = idx >= 0 ? (size_t)idx + (p->can_unset ? 1 : 0) : 0;
	return &p->base;
}
