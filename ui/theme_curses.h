#ifndef DPSENROLL_UI_THEME_CURSES_H
#define DPSENROLL_UI_THEME_CURSES_H

/* A theme on the screen. theme.c knows nothing of curses; this turns its
 * roles into curses attributes for the drawing code. */

#include <stdbool.h>

#include "ui/curses.h"
#include "ui/theme.h"

/* Makes `t` the theme theme_attr answers from, after initscr. Called again
 * (a theme change), it starts over; the caller redraws. Monochrome when
 * the theme is, when NO_COLOR is set to anything, or when the terminal
 * has no colours. Sets stdscr's background to the normal role; give each
 * new window its own with wbkgd(win, theme_attr(ROLE_...) | ' '). `t` is
 * not kept: it may be cleared after the call. */
void theme_apply(const struct theme *t);

/* The attributes (colour pair included) to draw `role` with, e.g.
 * wattr_on(win, theme_attr(ROLE_FIELD_FOCUS), NULL). A_NORMAL before
 * theme_apply. */
attr_t theme_attr(enum theme_role role);

/* False when theme_apply went monochrome: drawing can add marks that
 * colour would have carried. */
bool theme_in_colour(void);

#endif
