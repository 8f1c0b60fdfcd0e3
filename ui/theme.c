#include "ui/theme.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/array.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "paths.h"
#include "sys/fileio.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define LINE_FORM "color ROLE FG BG [ATTR...]"
#define THEME_SUFFIX ".theme"

/* Made from themes/default.theme by the Makefile. */
extern const char theme_default_text[];

#define THEME_ROLE_NAME(id, name) name,
static const char *const role_names[ROLE_COUNT] = {
	THEME_ROLES(THEME_ROLE_NAME)
};
#undef THEME_ROLE_NAME

/* In curses order, so a name's index is its colour number and bright-NAME
 * is 8 more. */
static const char *const colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{ "bold", THEME_ATTR_BOLD },
	{ "dim", THEME_ATTR_DIM },
	{ "underline", THEME_ATTR_UNDERLINE },
	{ "reverse", THEME_ATTR_REVERSE },
	{ "standout", THEME_ATTR_STANDOUT },
	{ "italic", THEME_ATTR_ITALIC },
};

/* Without colour these roles must still tell focus, editing, errors,
 * warnings and selection apart, so their attributes are set here instead
 * of kept from the colour theme: a theme's bold warning would otherwise
 * look like an error. Other roles keep their own attributes. */
static const struct {
	enum theme_role role;
	unsigned attrs;
} mono_attrs[] = {
	{ ROLE_FIELD, THEME_ATTR_UNDERLINE },
	{ ROLE_FIELD_FOCUS, THEME_ATTR_REVERSE },
	{ ROLE_FIELD_EDIT, THEME_ATTR_REVERSE | THEME_ATTR_UNDERLINE },
	{ ROLE_SECRET, THEME_ATTR_DIM },
	{ ROLE_MARK_OK, THEME_ATTR_BOLD },
	{ ROLE_MARK_WARNING, THEME_ATTR_UNDERLINE },
	{ ROLE_MARK_ERROR, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE },
	{ ROLE_MESSAGE_ERROR, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE },
	{ ROLE_MESSAGE_WARNING, THEME_ATTR_UNDERLINE },
	{ ROLE_STATUS_BAR, THEME_ATTR_REVERSE },
	{ ROLE_KEY_HINT, THEME_ATTR_REVERSE | THEME_ATTR_BOLD },
	{ ROLE_POPUP, 0 },
	{ ROLE_POPUP_TITLE, THEME_ATTR_BOLD },
	{ ROLE_POPUP_SELECTED, THEME_ATTR_REVERSE | THEME_ATTR_BOLD },
	{ ROLE_SUCCESS, THEME_ATTR_BOLD },
	{ ROLE_FAILURE, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE },
	{ ROLE_ROW_FAILED, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE },
	{ ROLE_ROW_MARKED, THEME_ATTR_BOLD },
};

/* Problems are found into a buffer (NULL: nobody asked), one a line, and
 * handed to the caller's char ** after what it already held. */

static void add_problem(struct strbuf *problems, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
add_problem(struct strbuf *problems, const char *fmt, ...)
{
	if (!problems)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	strbuf_add_sep(problems, "\n", msg);
	free(msg);
}

static struct strbuf
problems_open(char **problems)
{
	struct strbuf found = STRBUF_INIT;
	if (problems && *problems)
		strbuf_add(&found, *problems);
	return found;
}

static void
problems_close(struct strbuf *found, char **problems)
{
	if (problems) {
		free(*problems);
		*problems = found->len ? strbuf_take(found) : NULL;
	}
	strbuf_free(found);
}

/* "a, b, c"; the caller frees. */
static char *
join_names(const char *const *names, size_t n)
{
	struct strbuf b = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		strbuf_add_sep(&b, ", ", names[i]);
	return strbuf_take(&b);
}

/* Case and '-' versus '_' do not matter in names, as in tig. */
static char
fold(char c)
{
	c = (char)tolower((unsigned char)c);
	return c == '_' ? '-' : c;
}

static bool
word_starts(const char *word, const char *prefix)
{
	for (; *prefix; word++, prefix++)
		if (fold(*word) != fold(*prefix))
			return false;
	return true;
}

static bool
word_eq(const char *word, const char *name)
{
	return strlen(word) == strlen(name) && word_starts(word, name);
}

static bool
role_from_word(const char *word, enum theme_role *role)
{
	for (size_t i = 0; i < ROLE_COUNT; i++) {
		if (word_eq(word, role_names[i])) {
			*role = (enum theme_role)i;
			return true;
		}
	}
	return false;
}

static bool
colour_number(const char *word, short *colour)
{
	size_t len = strlen(word);
	if (len == 0 || len > 3 || strspn(word, "0123456789") != len)
		return false;
	int n = atoi(word);
	if (n > 255)
		return false;
	*colour = (short)n;
	return true;
}

static bool
colour_from_word(const char *word, short *colour)
{
	if (word_eq(word, "default")) {
		*colour = THEME_COLOR_DEFAULT;
		return true;
	}
	if (colour_number(word, colour))
		return true;
	short base = 0;
	if (word_starts(word, "bright-")) {
		base = 8;
		word += strlen("bright-");
	}
	for (size_t i = 0; i < COUNT(colour_names); i++) {
		if (word_eq(word, colour_names[i])) {
			*colour = (short)(base + (short)i);
			return true;
		}
	}
	return false;
}

static bool
attr_from_word(const char *word, unsigned *attrs)
{
	for (size_t i = 0; i < COUNT(attr_names); i++) {
		if (word_eq(word, attr_names[i].name)) {
			*attrs |= attr_names[i].bit;
			return true;
		}
	}
	return false;
}

static char *
bad_role(const char *word)
{
	char *all = join_names(role_names, ROLE_COUNT);
	char *msg = xasprintf(_("unknown role '%s'; roles: %s"), word, all);
	free(all);
	return msg;
}

static char *
bad_colour(bool fg, const char *word)
{
	char *all = join_names(colour_names, COUNT(colour_names));
	/* TRANSLATORS: the colour names and "bright-" are words of the
	 * theme file: they stay as they are. */
	char *msg = fg ? xasprintf(_("bad foreground colour '%s'; colours: "
				     "default, %s, bright-<any of those>, or "
				     "0-255"), word, all)
		       : xasprintf(_("bad background colour '%s'; colours: "
				     "default, %s, bright-<any of those>, or "
				     "0-255"), word, all);
	free(all);
	return msg;
}

static char *
bad_attr(const char *word)
{
	const char *names[COUNT(attr_names)];
	for (size_t i = 0; i < COUNT(attr_names); i++)
		names[i] = attr_names[i].name;
	char *all = join_names(names, COUNT(names));
	char *msg = xasprintf(_("unknown attribute '%s'; attributes: %s"), word,
			      all);
	free(all);
	return msg;
}

static char *
missing_word(char **words, size_t n)
{
	const char *after = words[n - 1];
	/* TRANSLATORS: the last %s is the form of a theme line, "color
	 * ROLE FG BG [ATTR...]", which stays as it is. */
	if (n == 1)
		return xasprintf(_("missing the role after '%s'; a theme line "
				   "is: %s"), after, LINE_FORM);
	if (n == 2)
		return xasprintf(_("missing the foreground colour after '%s'; a "
				   "theme line is: %s"), after, LINE_FORM);
	return xasprintf(_("missing the background colour after '%s'; a theme "
			   "line is: %s"), after, LINE_FORM);
}

/* One line without its comment, split into words in place. NULL when it
 * is good, else the owned reason. */
static char *
parse_line(char *line, enum theme_role *role, struct theme_style *s)
{
	static const char sep[] = " \t\r\f\v";
	char *save = NULL;
	char *words[4];
	size_t n = 0;
	char *word;
	while (n < COUNT(words) &&
	       (word = strtok_r(n ? NULL : line, sep, &save)) != NULL)
		words[n++] = word;
	if (!word_eq(words[0], "color"))
		return xasprintf(_("unknown command '%s'; a theme line is: %s"),
				 words[0], LINE_FORM);
	if (n < COUNT(words))
		return missing_word(words, n);
	if (!role_from_word(words[1], role))
		return bad_role(words[1]);
	*s = (struct theme_style){ .set = true };
	if (!colour_from_word(words[2], &s->fg))
		return bad_colour(true, words[2]);
	if (!colour_from_word(words[3], &s->bg))
		return bad_colour(false, words[3]);
	while ((word = strtok_r(NULL, sep, &save)) != NULL)
		if (!attr_from_word(word, &s->attrs))
			return bad_attr(word);
	return NULL;
}

static bool
is_blank(const char *line)
{
	return line[strspn(line, " \t\r\f\v")] == '\0';
}

static void
parse_one(struct theme *t, char *line, const char *file_name, size_t lineno,
	  struct strbuf *problems)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	if (is_blank(line))
		return;
	enum theme_role role = ROLE_NORMAL;
	struct theme_style s;
	char *why = parse_line(line, &role, &s);
	if (why) {
		add_problem(problems, "%s:%zu: %s", file_name, lineno, why);
		free(why);
		return;
	}
	t->styles[role] = s;
}

static bool
has_colour(const struct theme *t)
{
	for (size_t i = 0; i < ROLE_COUNT; i++) {
		const struct theme_style *s = &t->styles[i];
		if (s->set && (s->fg != THEME_COLOR_DEFAULT ||
			       s->bg != THEME_COLOR_DEFAULT))
			return true;
	}
	return false;
}

static void
parse_text(struct theme *t, const char *text, const char *file_name,
	   struct strbuf *problems)
{
	size_t lineno = 0;
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, "\n");
		char *line = xstrndup(p, len);
		parse_one(t, line, file_name, ++lineno, problems);
		free(line);
		p += len;
		if (*p)
			p++;
	}
	t->monochrome = !has_colour(t);
}

void
theme_parse(struct theme *t, const char *text, const char *file_name,
	    char **problems)
{
	struct strbuf found = problems_open(problems);
	parse_text(t, text, file_name, problems ? &found : NULL);
	problems_close(&found, problems);
}

void
theme_init(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < ROLE_COUNT; i++)
		t->styles[i] = (struct theme_style){
			.fg = THEME_COLOR_DEFAULT,
			.bg = THEME_COLOR_DEFAULT,
		};
}

void
theme_clear(struct theme *t)
{
	free(t->name);
	theme_init(t);
}

void
theme_default(struct theme *t)
{
	theme_init(t);
	/* Problems here are a build mistake, and the unit tests catch them. */
	theme_parse(t, theme_default_text, "themes/default.theme", NULL);
	t->name = xstrdup("default");
}

struct theme_style
theme_style_of(const struct theme *t, enum theme_role role)
{
	const struct theme_style *normal = &t->styles[ROLE_NORMAL];
	if (role == ROLE_NORMAL || (unsigned)role >= ROLE_COUNT)
		return *normal;
	struct theme_style s = t->styles[role];
	if (!s.set) {
		s = *normal;
		s.set = false;
		return s;
	}
	if (s.fg == THEME_COLOR_DEFAULT)
		s.fg = normal->fg;
	if (s.bg == THEME_COLOR_DEFAULT)
		s.bg = normal->bg;
	return s;
}

const char *
theme_role_name(enum theme_role role)
{
	return (unsigned)role < ROLE_COUNT ? role_names[role] : "";
}

static const int cube_level[] = { 0, 95, 135, 175, 215, 255 };

/* xterm's 256-colour palette: a 6x6x6 cube from 16, greys from 232. */
static void
palette_rgb(short c, int rgb[3])
{
	if (c >= 232) {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
		return;
	}
	int i = c - 16;
	rgb[0] = cube_level[i / 36];
	rgb[1] = cube_level[i / 6 % 6];
	rgb[2] = cube_level[i % 6];
}

static int
hue_degrees(const int rgb[3], int max, int min)
{
	int d = max - min;
	int h;
	if (max == rgb[0])
		h = 60 * (rgb[1] - rgb[2]) / d;
	else if (max == rgb[1])
		h = 120 + 60 * (rgb[2] - rgb[0]) / d;
	else
		h = 240 + 60 * (rgb[0] - rgb[1]) / d;
	return h < 0 ? h + 360 : h;
}

/* By hue rather than nearest by distance, which turns pale blues and tans
 * into white (focus and editing alike) and orange warnings into red
 * errors. Greys split at the middle, so themes keep light greys for dark
 * backgrounds and dark greys for light ones. */
short
theme_basic_colour(short c)
{
	if (c < 16)
		return c < 0 ? c : c % 8;
	int rgb[3];
	palette_rgb(c, rgb);
	int max = rgb[0], min = rgb[0];
	for (int i = 1; i < 3; i++) {
		max = rgb[i] > max ? rgb[i] : max;
		min = rgb[i] < min ? rgb[i] : min;
	}
	if (max < 80)
		return 0;
	if ((max - min) * 5 < max)
		return max >= 128 ? 7 : 0;
	/* red, yellow, green, cyan, blue, magenta: 60 degrees each from
	 * -30, in curses numbers */
	static const short sector[] = { 1, 3, 2, 6, 4, 5 };
	return sector[(hue_degrees(rgb, max, min) + 30) % 360 / 60];
}

void
theme_make_monochrome(struct theme *t)
{
	struct theme_style resolved[ROLE_COUNT];
	for (size_t i = 0; i < ROLE_COUNT; i++) {
		resolved[i] = theme_style_of(t, (enum theme_role)i);
		resolved[i].fg = THEME_COLOR_DEFAULT;
		resolved[i].bg = THEME_COLOR_DEFAULT;
		resolved[i].set = true;
	}
	for (size_t i = 0; i < COUNT(mono_attrs); i++)
		resolved[mono_attrs[i].role].attrs = mono_attrs[i].attrs;
	memcpy(t->styles, resolved, sizeof(resolved));
	t->monochrome = true;
}

/* The folders theme_load searches, in order. */
struct theme_dirs {
	char *path[6];
	size_t count;
};

/* The program's folder's parent: build/dpsenroll finds the source tree's
 * themes/ without installing. */
static char *
beside_program(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0 || (size_t)n >= sizeof(exe) - 1)
		return NULL;
	exe[n] = '\0';
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(exe, '/');
		if (!slash)
			return NULL;
		*slash = '\0';
	}
	return xasprintf("%s/themes", exe);
}

static void
dirs_add(struct theme_dirs *d, char *path)
{
	if (path && d->count < sizeof(d->path) / sizeof(d->path[0]))
		d->path[d->count++] = path;
	else
		free(path);
}

static void
dirs_init(struct theme_dirs *d)
{
	d->count = 0;
	const char *own = getenv("DPSENROLL_THEME_DIR");
	if (own && *own)
		dirs_add(d, xstrdup(own));
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		dirs_add(d, xasprintf("%s/dpsenroll/themes", xdg));
	else if (home && *home)
		dirs_add(d, xasprintf("%s/.config/dpsenroll/themes", home));
	/* Only an uninstalled build looks beside itself; its data folder is
	 * the source tree it was built from, so a build folder outside the
	 * tree (make BUILD=/tmp/x) still finds the tree's themes. */
	if (dpsenroll_srcdir)
		dirs_add(d, beside_program());
	dirs_add(d, xasprintf("%s/themes", dpsenroll_datadir));
}

static void
dirs_free(struct theme_dirs *d)
{
	for (size_t i = 0; i < d->count; i++)
		free(d->path[i]);
	d->count = 0;
}

static bool
is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The file for theme `name`, or NULL; the caller frees. */
static char *
find_theme(const char *name)
{
	if (strchr(name, '/'))
		return is_file(name) ? xstrdup(name) : NULL;
	const char *suffix = name_has_extension(name, THEME_SUFFIX, false)
			     ? "" : THEME_SUFFIX;
	struct theme_dirs d;
	dirs_init(&d);
	char *found = NULL;
	for (size_t i = 0; i < d.count && !found; i++) {
		char *path = xasprintf("%s/%s%s", d.path[i], name, suffix);
		if (is_file(path))
			found = path;
		else
			free(path);
	}
	dirs_free(&d);
	return found;
}

struct name_list {
	char **names;
	size_t count;
	size_t cap;
};

static void
names_add(struct name_list *l, char *name)
{
	l->names = array_grow(l->names, l->count, &l->cap, sizeof(*l->names));
	l->names[l->count++] = name;
}

static void
names_add_dir(struct name_list *l, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && name_has_extension(e->d_name, THEME_SUFFIX, false))
			names_add(l, xstrndup(e->d_name, strlen(e->d_name) -
					      strlen(THEME_SUFFIX)));
	closedir(d);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
names_sort_unique(struct name_list *l)
{
	qsort(l->names, l->count, sizeof(*l->names), name_cmp);
	size_t kept = 0;
	for (size_t i = 0; i < l->count; i++) {
		if (kept && strcmp(l->names[kept - 1], l->names[i]) == 0)
			free(l->names[i]);
		else
			l->names[kept++] = l->names[i];
	}
	l->count = kept;
}

char **
theme_list(size_t *count)
{
	struct name_list l = { 0 };
	names_add(&l, xstrdup("default"));
	struct theme_dirs d;
	dirs_init(&d);
	for (size_t i = 0; i < d.count; i++)
		names_add_dir(&l, d.path[i]);
	dirs_free(&d);
	names_sort_unique(&l);
	*count = l.count;
	return l.names;
}

void
theme_list_free(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

static void
report_missing(const char *name, struct strbuf *problems)
{
	size_t n;
	char **names = theme_list(&n);
	char *all = join_names((const char *const *)names, n);
	add_problem(problems, _("theme '%s' not found; available: %s"), name,
		    all);
	free(all);
	theme_list_free(names, n);
}

static void
load_named(struct theme *t, const char *name, struct strbuf *problems)
{
	char *path = find_theme(name);
	if (!path) {
		/* "default" needs no file: it is compiled in. */
		if (strcmp(name, "default") != 0)
			report_missing(name, problems);
		return;
	}
	char *text = file_read_all(path, NULL);
	if (!text) {
		add_problem(problems, _("cannot read theme %s: %s"), path,
			    strerror(errno));
	} else {
		parse_text(t, text, path, problems);
		free(t->name);
		t->name = xstrdup(name);
	}
	free(text);
	free(path);
}

void
theme_load(struct theme *t, const char *name, char **problems)
{
	theme_default(t);
	if (!name || !*name)
		return;
	struct strbuf found = problems_open(problems);
	load_named(t, name, problems ? &found : NULL);
	problems_close(&found, problems);
}
