#ifndef DPSENROLL_UI_THEME_H
#define DPSENROLL_UI_THEME_H

/* Themes map semantic roles to colours and attributes. Drawing code asks
 * for a role (theme_attr(ROLE_FIELD_FOCUS)), never for a colour. Theme
 * files are lines of
 *     color ROLE FG BG [ATTR...]
 * with FG/BG one of default black red green yellow blue magenta cyan white
 * (or bright-*, or a number 0-255) and ATTR bold dim underline reverse
 * standout italic; '#' starts a comment. The default theme is compiled in
 * from themes/default.theme.
 *
 * `default` means the terminal's own colour in the normal role and the
 * normal role's colour everywhere else, as in tig: a theme file that only
 * changes normal's background still paints the whole screen. A role that
 * no parsed text has set looks like normal (theme_load starts from the
 * default, which sets them all, so a file changes only what it names). */

#include <stdbool.h>
#include <stddef.h>

/* id, name in theme files */
#define THEME_ROLES(_) \
	_(NORMAL, "normal") \
	_(TITLE, "title") \
	_(SECTION, "section") \
	_(LABEL, "label") \
	_(FIELD, "field") \
	_(FIELD_FOCUS, "field-focus") \
	_(FIELD_EDIT, "field-edit") \
	_(READONLY, "readonly") \
	_(SECRET, "secret") \
	_(MARK_OK, "mark-ok") \
	_(MARK_WARNING, "mark-warning") \
	_(MARK_ERROR, "mark-error") \
	_(MESSAGE_ERROR, "message-error") \
	_(MESSAGE_WARNING, "message-warning") \
	_(HELP_TEXT, "help-text") \
	_(STATUS_BAR, "status-bar") \
	_(KEY_HINT, "key-hint") \
	_(POPUP, "popup") \
	_(POPUP_TITLE, "popup-title") \
	_(POPUP_SELECTED, "popup-selected") \
	_(SUCCESS, "success") \
	_(FAILURE, "failure") \
	_(SPINNER, "spinner") \
	_(ROW_FAILED, "row-failed") \
	_(ROW_MARKED, "row-marked")

#define THEME_ROLE_ENUM(id, name) ROLE_##id,
enum theme_role { THEME_ROLES(THEME_ROLE_ENUM) ROLE_COUNT };
#undef THEME_ROLE_ENUM

enum { THEME_COLOR_DEFAULT = -1 };

struct theme_style {
	short fg;		/* 0-255 or THEME_COLOR_DEFAULT */
	short bg;
	unsigned attrs;		/* THEME_ATTR_* bits */
	bool set;		/* the theme gave this role a line */
};

enum {
	THEME_ATTR_BOLD = 1 << 0,
	THEME_ATTR_DIM = 1 << 1,
	THEME_ATTR_UNDERLINE = 1 << 2,
	THEME_ATTR_REVERSE = 1 << 3,
	THEME_ATTR_STANDOUT = 1 << 4,
	THEME_ATTR_ITALIC = 1 << 5,
};

struct theme {
	char *name;
	struct theme_style styles[ROLE_COUNT];
	bool monochrome;	/* attributes only (NO_COLOR, no colour terminal) */
};

/* A theme with no role set: everything in the terminal's colours. `t` is
 * overwritten, as by theme_default and theme_load; theme_clear a theme
 * before filling it again. */
void theme_init(struct theme *t);

/* Parses theme text over the styles already in `t` (so a theme can
 * change only some roles). Each bad line appends "FILE:LINE: message" to
 * *problems (owned, newline-separated; problems may be NULL) and is
 * skipped; the good lines still apply. A theme left without any colour is
 * marked monochrome. */
void theme_parse(struct theme *t, const char *text, const char *file_name,
		 char **problems);

/* The compiled-in default theme. */
void theme_default(struct theme *t);

/* Loads theme `name` (a name from the theme folders or a path to a file)
 * over the default. Missing or bad: the default is used and *problems says
 * why (file:line for bad lines). The folders searched, first found wins:
 * $DPSENROLL_THEME_DIR, $XDG_CONFIG_HOME/dpsenroll/themes, the themes/
 * folder beside the program (a build tree), PREFIX/share/dpsenroll/themes. */
void theme_load(struct theme *t, const char *name, char **problems);

/* Attributes only: what NO_COLOR and terminals without colour get. */
void theme_make_monochrome(struct theme *t);
void theme_clear(struct theme *t);

/* What `role` looks like once `default` and unset roles are resolved
 * against normal; drawing goes through this, never through styles[]. */
struct theme_style theme_style_of(const struct theme *t,
				  enum theme_role role);
/* The role's name in theme files. */
const char *theme_role_name(enum theme_role role);

/* Colour `c` (0-255) as one of the 8 basic ones (0-7, curses order), for
 * terminals with fewer colours than the theme: bright ones lose their
 * brightness, palette ones keep their hue. THEME_COLOR_DEFAULT stays. */
short theme_basic_colour(short c);

/* The names of the themes found in the theme folders and "default",
 * sorted and without repeats (for help). Free with theme_list_free. */
char **theme_list(size_t *count);
void theme_list_free(char **names, size_t count);

#endif
