#ifndef DPSENROLL_UI_CURSES_H
#define DPSENROLL_UI_CURSES_H

/* The one place that includes ncurses (wide-character build), so the
 * choice of header and feature macros is made once. */

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>

#endif
