/* A small file browser for certificates and keys: folders first, then the
 * files the field takes (Ctrl-A shows all), arrows to move, Enter to open
 * a folder or choose a file, Backspace for the parent folder. Typing
 * lists the names that start with what is typed; a path (from /, ~ or a
 * folder name) lists the folder it points into, and Enter goes there.
 * It opens where it was last, in this run or the one before. */

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/app.h"
#include "ui/keymap.h"
#include "ui/theme_curses.h"
#include "base/i18n.h"
#include "base/xalloc.h"

struct browser {
	struct modal base;
	char *dir;		/* the folder it is in, absolute */
	struct textedit typed;	/* a name or a path, typed */
	char *shown;		/* the folder listed: dir, or where typed points */
	struct dir_list list;
	size_t selected;
	size_t scroll;
	bool moved;		/* the highlight moved after the last typing */
	bool all;		/* every file, not only those the field takes */
	enum file_kind kind;
	char *problem;
	void (*chosen)(struct app *a, const char *path);
};

/* The folder of this run; the state folder keeps it for the next. */
static char *run_folder;

static void
remember(const struct browser *b)
{
	free(run_folder);
	run_folder = xstrdup(b->dir);
	char *why = NULL;
	last_folder_save(b->dir, &why);	/* a bench without a state folder
					 * still has this run's */
	free(why);
}

static bool
is_folder(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *
start_folder(void)
{
	if (is_folder(run_folder))
		return xstrdup(run_folder);
	char *kept = last_folder_load();
	if (kept)
		return kept;
	char cwd[PATH_MAX];
	return xstrdup(getcwd(cwd, sizeof(cwd)) ? cwd : "/");
}

/* The name to highlight: the one typed in full, else the first. */
static size_t
best_match(const struct browser *b, const char *prefix)
{
	for (size_t i = 0; *prefix && i < b->list.count; i++)
		if (strcmp(b->list.items[i].name, prefix) == 0)
			return i;
	return 0;
}

/* Lists the folder the typed text points into, by the name it starts. */
static void
relist(struct browser *b)
{
	char *where;
	const char *prefix;
	path_split(b->typed.buf, b->dir, &where, &prefix);
	dir_list_clear(&b->list);
	free(b->problem);
	b->problem = NULL;
	dir_list_read(where, prefix, b->kind, b->all, &b->list, &b->problem);
	free(b->shown);
	b->shown = where;
	b->selected = best_match(b, prefix);
	b->scroll = 0;
	b->moved = false;
}

static void
go_to(struct browser *b, char *dir)
{
	free(b->dir);
	b->dir = dir;
	textedit_set(&b->typed, "");
	relist(b);
}

/* ---- drawing ---- */

static void
draw_entries(struct browser *b, struct modal *m, int rows)
{
	if (b->selected < b->scroll)
		b->scroll = b->selected;
	if (b->selected >= b->scroll + (size_t)rows)
		b->scroll = b->selected - (size_t)rows + 1;
	for (int r = 0; r < rows && b->scroll + (size_t)r < b->list.count; r++) {
		size_t k = b->scroll + (size_t)r;
		const struct dir_entry *e = &b->list.items[k];
		attrset(theme_attr(k == b->selected ? ROLE_POPUP_SELECTED : ROLE_POPUP));
		move(m->top + 1 + r, m->left + 1);
		hline(' ', m->width - 2);
		move(m->top + 1 + r, m->left + 2);
		char *line = xasprintf("%s%s", e->name, e->dir ? "/" : "");
		draw_clipped(line, m->width - 4);
		free(line);
	}
	if (!b->list.count && *b->typed.buf && !b->problem) {
		attrset(theme_attr(ROLE_HELP_TEXT));
		move(m->top + 1, m->left + 2);
		draw_clipped(_("(no name here starts so; Enter takes the path as "
			     "typed)"), m->width - 4);
	}
}

static void
draw_filter(const struct browser *b, struct modal *m)
{
	char *text;
	if (b->kind == FILES_ANY)
		text = xstrdup(_("All files"));
	else if (b->all)
		text = xasprintf(_("All files; Ctrl-A: only %s"),
				 file_kind_text(b->kind));
	else if (b->list.others)
		text = xasprintf(ngettext("Only %s; Ctrl-A: %zu more file",
					  "Only %s; Ctrl-A: %zu more files",
					  b->list.others),
				 file_kind_text(b->kind), b->list.others);
	else
		text = xasprintf(_("Only %s"), file_kind_text(b->kind));
	attrset(theme_attr(ROLE_HELP_TEXT));
	move(m->top + m->height - 4, m->left + 2);
	draw_clipped(text, m->width - 4);
	free(text);
}

/* "Go to: <typed>", its end in sight, with the cursor after it. */
static void
draw_typed(const struct browser *b, struct modal *m)
{
	const char *label = _("Go to: ");
	int label_cols = (int)text_columns(label, strlen(label));
	int row = m->top + m->height - 3, col = m->left + 2;
	int cols = m->width - 4 - label_cols - 1;
	attrset(theme_attr(ROLE_POPUP));
	mvaddstr(row, col, label);
	const char *t = b->typed.buf;
	if (!*t) {
		attrset(theme_attr(ROLE_HELP_TEXT));
		draw_clipped(_("type a name, or a path from / or ~"), cols);
		move(row, col + label_cols);
		return;
	}
	while ((int)text_columns(t, strlen(t)) > cols) {
		t++;
		while (((unsigned char)*t & 0xC0) == 0x80)
			t++;
	}
	attrset(theme_attr(ROLE_FIELD_EDIT));
	draw_clipped(t, cols);
	move(row, col + label_cols + (int)text_columns(t, strlen(t)));
}

static void
browser_draw(struct modal *m, const struct app *a)
{
	(void)a;
	struct browser *b = (struct browser *)m;
	char *title = xasprintf(_("Open a file: %s"), b->shown);
	modal_frame(m, title, LINES - 4, 72);
	free(title);
	draw_entries(b, m, m->height - 5);
	draw_filter(b, m);
	attrset(theme_attr(b->problem ? ROLE_MESSAGE_ERROR : ROLE_HELP_TEXT));
	move(m->top + m->height - 2, m->left + 2);
	draw_clipped(b->problem ? b->problem
				: _("Enter: open or choose  Tab: complete  "
				    "Backspace: up  Esc: back"),
		     m->width - 4);
	draw_typed(b, m);
	attrset(A_NORMAL);
	curs_set(1);
}

/* ---- choosing ---- */

static enum modal_result
pick(struct browser *b, struct app *a, char *path)
{
	struct stat st;
	if (is_folder(path)) {
		go_to(b, path);
		return MODAL_STAY;
	}
	if (stat(path, &st) != 0) {
		free(b->problem);
		b->problem = xasprintf(_("No such file or folder: %s (Tab "
				       "completes a name)"), path);
		free(path);
		return MODAL_STAY;
	}
	char *slash = strrchr(path, '/');
	free(b->dir);
	b->dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	remember(b);
	void (*chosen)(struct app *, const char *) = b->chosen;
	app_close_modal(a);	/* frees b */
	chosen(a, path);
	free(path);
	return MODAL_STAY;
}

/* Enter: the path as typed when it names something (unless the arrows
 * chose another name since), else the highlighted name. */
static enum modal_result
choose(struct browser *b, struct app *a)
{
	const char *typed = b->typed.buf;
	if (*typed && (!b->moved || !b->list.count)) {
		char *path = path_resolve(typed, b->dir);
		struct stat st;
		if (stat(path, &st) == 0 || !b->list.count)
			return pick(b, a, path);
		free(path);
	}
	if (!b->list.count)
		return MODAL_STAY;
	const struct dir_entry *e = &b->list.items[b->selected];
	return pick(b, a, path_resolve(e->name, b->shown));
}

static void
move_by(struct browser *b, long n)
{
	long last = (long)b->list.count - 1, to = (long)b->selected + n;
	if (last < 0)
		return;
	b->selected = (size_t)(to < 0 ? 0 : to > last ? last : to);
	b->moved = true;
}

static void
back(struct browser *b)
{
	if (*b->typed.buf) {
		textedit_end(&b->typed);
		textedit_backspace(&b->typed);
		relist(b);
	} else {
		go_to(b, path_resolve("..", b->dir));
	}
}

static void
complete(struct browser *b)
{
	char *done = path_complete(b->typed.buf, b->dir, b->kind, b->all);
	if (strcmp(done, b->typed.buf) != 0) {
		textedit_set(&b->typed, done);
		textedit_end(&b->typed);
		relist(b);
	}
	free(done);
}

static enum modal_result
browser_request(struct modal *m, struct app *a, enum ui_request r)
{
	struct browser *b = (struct browser *)m;
	switch (r) {
	case REQ_CLOSE:
		remember(b);
		return MODAL_CLOSE;
	case REQ_FILES_DOWN: move_by(b, 1); break;
	case REQ_FILES_UP: move_by(b, -1); break;
	case REQ_FILES_PAGE_DOWN: move_by(b, 10); break;
	case REQ_FILES_PAGE_UP: move_by(b, -10); break;
	case REQ_FILES_CHOOSE: return choose(b, a);
	case REQ_FILES_BACK: back(b); break;
	case REQ_FILES_COMPLETE: complete(b); break;
	case REQ_FILES_CLEAR:
		textedit_set(&b->typed, "");
		relist(b);
		break;
	case REQ_FILES_ALL:
		b->all = !b->all;
		relist(b);
		break;
	default:
		break;
	}
	return MODAL_STAY;
}

static enum key_context
browser_context(const struct modal *m)
{
	(void)m;
	return KEYS_FILES;
}

static enum modal_result
browser_text(struct modal *m, struct app *a, const char *utf8)
{
	(void)a;
	struct browser *b = (struct browser *)m;
	textedit_end(&b->typed);
	textedit_insert(&b->typed, utf8, strlen(utf8));
	relist(b);
	return MODAL_STAY;
}

static enum modal_result
browser_click(struct modal *m, struct app *a, int row, int col)
{
	struct browser *b = (struct browser *)m;
	long k = (long)b->scroll + row - m->top - 1;
	if (col < m->left || col >= m->left + m->width) {
		remember(b);
		return MODAL_CLOSE;
	}
	if (row < m->top + m->height - 4 && k >= 0 && k < (long)b->list.count) {
		b->selected = (size_t)k;
		b->moved = true;
		return choose(b, a);
	}
	return MODAL_STAY;
}

static void
browser_free(struct modal *m)
{
	struct browser *b = (struct browser *)m;
	dir_list_clear(&b->list);
	textedit_free(&b->typed);
	free(b->dir);
	free(b->shown);
	free(b->problem);
	free(b);
}

static const struct modal_ops browser_ops = {
	.context = browser_context,
	.draw = browser_draw,
	.request = browser_request,
	.text = browser_text,
	.click = browser_click,
	.free = browser_free,
};

struct modal *
files_new(struct app *a, enum file_kind kind,
	  void (*chosen)(struct app *a, const char *path))
{
	(void)a;
	struct browser *b = xcalloc(1, sizeof(*b));
	b->base.ops = &browser_ops;
	b->chosen = chosen;
	b->kind = kind;
	b->dir = start_folder();
	textedit_init(&b->typed, "", false);
	relist(b);
	return &b->base;
}
