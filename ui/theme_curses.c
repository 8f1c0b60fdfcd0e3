#include "ui/theme_curses.h"

#include <stdlib.h>

/* What theme_apply left for theme_attr: the resolved styles, and the
 * attributes made from them on first use. */
static struct theme_style styles[ROLE_COUNT];
static attr_t made[ROLE_COUNT];
static bool is_made[ROLE_COUNT];
static bool applied;
static bool colour;
static bool colour_started;
/* use_default_colors worked, so -1 (the terminal's colour) is allowed. */
static bool terminal_defaults;

/* Colour pairs made so far: pair i + 1 is pair_fg[i] on pair_bg[i]. Roles
 * with the same colours share one, so a theme never needs more pairs
 * than it has roles. */
static short pair_fg[ROLE_COUNT];
static short pair_bg[ROLE_COUNT];
static int pair_count;

static const struct {
	unsigned bit;
	attr_t attr;
} attr_map[] = {
	{ THEME_ATTR_BOLD, A_BOLD },
	{ THEME_ATTR_DIM, A_DIM },
	{ THEME_ATTR_UNDERLINE, A_UNDERLINE },
	{ THEME_ATTR_REVERSE, A_REVERSE },
	{ THEME_ATTR_STANDOUT, A_STANDOUT },
#ifdef A_ITALIC
	{ THEME_ATTR_ITALIC, A_ITALIC },
#endif
};

/* no-color.org: present and not empty. */
static bool
no_color_wanted(void)
{
	const char *v = getenv("NO_COLOR");
	return v && *v;
}

static bool
start_colour(void)
{
	if (!colour_started) {
		start_color();
		terminal_defaults = use_default_colors() == OK;
		colour_started = true;
	}
	return COLORS >= 8 && COLOR_PAIRS > 1;
}

void
theme_apply(const struct theme *t)
{
	struct theme view = *t;
	view.name = NULL;
	colour = !t->monochrome && !no_color_wanted() && has_colors() &&
		 start_colour();
	if (!colour && !t->monochrome)
		theme_make_monochrome(&view);
	for (size_t i = 0; i < ROLE_COUNT; i++) {
		styles[i] = theme_style_of(&view, (enum theme_role)i);
		is_made[i] = false;
	}
	pair_count = 0;
	applied = true;
	bkgd((chtype)' ' | theme_attr(ROLE_NORMAL));
}

bool
theme_in_colour(void)
{
	return applied && colour;
}

/* A colour this terminal can show. A bright foreground on an 8-colour
 * terminal becomes bold, which most of them draw brighter. */
static short
fit_colour(short c, short if_default, attr_t *extra)
{
	if (c == THEME_COLOR_DEFAULT)
		return terminal_defaults ? -1 : if_default;
	if (c < COLORS)
		return c;
	if (c < 16 && extra)
		*extra |= A_BOLD;
	return theme_basic_colour(c);
}

/* Pair 0 when they run out: the role keeps its attributes. */
static short
pair_for(short fg, short bg)
{
	if (fg == -1 && bg == -1)
		return 0;
	for (int i = 0; i < pair_count; i++)
		if (pair_fg[i] == fg && pair_bg[i] == bg)
			return (short)(i + 1);
	if (pair_count == ROLE_COUNT || pair_count + 1 >= COLOR_PAIRS ||
	    init_pair((short)(pair_count + 1), fg, bg) == ERR)
		return 0;
	pair_fg[pair_count] = fg;
	pair_bg[pair_count] = bg;
	return (short)++pair_count;
}

static attr_t
make_attr(const struct theme_style *s)
{
	attr_t a = A_NORMAL;
	for (size_t i = 0; i < sizeof(attr_map) / sizeof(attr_map[0]); i++)
		if (s->attrs & attr_map[i].bit)
			a |= attr_map[i].attr;
	if (!colour)
		return a;
	short fg = fit_colour(s->fg, COLOR_WHITE, &a);
	short bg = fit_colour(s->bg, COLOR_BLACK, NULL);
	return a | (attr_t)COLOR_PAIR(pair_for(fg, bg));
}

attr_t
theme_attr(enum theme_role role)
{
	if (!applied || (unsigned)role >= ROLE_COUNT)
		return A_NORMAL;
	if (!is_made[role]) {
		made[role] = make_attr(&styles[role]);
		is_made[role] = true;
	}
	return made[role];
}
