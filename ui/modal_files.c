/* A small file browser for certificates and keys: folders first, then
 * files, arrows to move, Enter to open a folder or choose a file,
 * Backspace for the parent folder. */

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/app.h"
#include "ui/theme_curses.h"
#include "model/xalloc.h"

struct entry {
	char *name;
	bool dir;
};

struct browser {
	struct modal base;
	char *dir;
	struct entry *entries;
	size_t count;
	size_t selected;
	size_t scroll;
	char *problem;
	void (*chosen)(struct app *a, const char *path);
};

static int
compare_entries(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	if (a->dir != b->dir)
		return a->dir ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void
free_entries(struct browser *b)
{
	for (size_t i = 0; i < b->count; i++)
		free(b->entries[i].name);
	free(b->entries);
	b->entries = NULL;
	b->count = b->selected = b->scroll = 0;
}

static void
add_entry(struct browser *b, const char *name, bool dir)
{
	b->entries = xreallocarray(b->entries, b->count + 1, sizeof(*b->entries));
	b->entries[b->count++] = (struct entry){ xstrdup(name), dir };
}

static bool
is_dir(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat st;
	bool d = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	free(path);
	return d;
}

static void
read_dir(struct browser *b)
{
	free_entries(b);
	free(b->problem);
	b->problem = NULL;
	DIR *d = opendir(b->dir);
	if (!d) {
		b->problem = xasprintf("cannot open %s", b->dir);
		return;
	}
	add_entry(b, "..", true);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;	/* hidden files and . / .. */
		add_entry(b, e->d_name, is_dir(b->dir, e->d_name));
	}
	closedir(d);
	qsort(b->entries + 1, b->count - 1, sizeof(*b->entries), compare_entries);
}

static void
browser_draw(struct modal *m, const struct app *a)
{
	(void)a;
	struct browser *b = (struct browser *)m;
	char *title = xasprintf("Open a file: %s", b->dir);
	modal_frame(m, title, LINES - 4, 72);
	free(title);
	int rows = m->height - 3;
	if (b->selected < b->scroll)
		b->scroll = b->selected;
	if (b->selected >= b->scroll + (size_t)rows)
		b->scroll = b->selected - (size_t)rows + 1;
	for (int r = 0; r < rows && b->scroll + (size_t)r < b->count; r++) {
		size_t k = b->scroll + (size_t)r;
		attrset(theme_attr(k == b->selected ? ROLE_POPUP_SELECTED : ROLE_POPUP));
		move(m->top + 1 + r, m->left + 1);
		hline(' ', m->width - 2);
		move(m->top + 1 + r, m->left + 2);
		char *line = xasprintf("%s%s", b->entries[k].name,
				       b->entries[k].dir ? "/" : "");
		draw_clipped(line, m->width - 4);
		free(line);
	}
	attrset(theme_attr(b->problem ? ROLE_MESSAGE_ERROR : ROLE_HELP_TEXT));
	move(m->top + m->height - 2, m->left + 2);
	draw_clipped(b->problem ? b->problem
				: "Enter: open or choose  Backspace: up  Esc: back",
		     m->width - 4);
	attrset(A_NORMAL);
}

static void
enter_dir(struct browser *b, const char *name)
{
	char *path = xasprintf("%s/%s", b->dir, name);
	char real[PATH_MAX];
	if (realpath(path, real)) {
		free(b->dir);
		b->dir = xstrdup(real);
	}
	free(path);
	read_dir(b);
}

static enum modal_result
choose(struct browser *b, struct app *a)
{
	if (!b->count)
		return MODAL_STAY;
	struct entry *e = &b->entries[b->selected];
	if (e->dir) {
		enter_dir(b, e->name);
		return MODAL_STAY;
	}
	char *path = xasprintf("%s/%s", b->dir, e->name);
	void (*chosen)(struct app *, const char *) = b->chosen;
	app_close_modal(a);	/* frees b */
	chosen(a, path);
	free(path);
	return MODAL_STAY;
}

static enum modal_result
browser_key(struct modal *m, struct app *a, int key, bool is_char,
	    const char *utf8)
{
	(void)utf8;
	struct browser *b = (struct browser *)m;
	if (key == 27)
		return MODAL_CLOSE;
	if (!is_char && key == KEY_DOWN && b->selected + 1 < b->count)
		b->selected++;
	else if (!is_char && key == KEY_UP && b->selected > 0)
		b->selected--;
	else if (!is_char && key == KEY_NPAGE)
		b->selected = b->selected + 10 < b->count ? b->selected + 10
				: (b->count ? b->count - 1 : 0);
	else if (!is_char && key == KEY_PPAGE)
		b->selected = b->selected > 10 ? b->selected - 10 : 0;
	else if (key == KEY_BACKSPACE || key == 127 || key == 8)
		enter_dir(b, "..");
	else if (key == '\n' || key == '\r' || key == KEY_ENTER)
		return choose(b, a);
	return MODAL_STAY;
}

static enum modal_result
browser_click(struct modal *m, struct app *a, int row, int col)
{
	struct browser *b = (struct browser *)m;
	long k = (long)b->scroll + row - m->top - 1;
	if (col < m->left || col >= m->left + m->width)
		return MODAL_CLOSE;
	if (k >= 0 && k < (long)b->count) {
		b->selected = (size_t)k;
		return choose(b, a);
	}
	return MODAL_STAY;
}

static void
browser_free(struct modal *m)
{
	struct browser *b = (struct browser *)m;
	free_entries(b);
	free(b->dir);
	free(b->problem);
	free(b);
}

static const struct modal_ops browser_ops = {
	.draw = browser_draw,
	.key = browser_key,
	.click = browser_click,
	.free = browser_free,
};

struct modal *
files_new(struct app *a, void (*chosen)(struct app *a, const char *path))
{
	(void)a;
	struct browser *b = xcalloc(1, sizeof(*b));
	b->base.ops = &browser_ops;
	b->chosen = chosen;
	char cwd[PATH_MAX];
	b->dir = xstrdup(getcwd(cwd, sizeof(cwd)) ? cwd : "/");
	read_dir(b);
	return &b->base;
}
