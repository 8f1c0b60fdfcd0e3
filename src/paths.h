#ifndef DPSENROLL_PATHS_H
#define DPSENROLL_PATHS_H

/* Where the program finds its data files. src/paths.c is compiled twice:
 * once for the binary in the build folder, which also knows the source
 * tree it came from, and once for the installed binary, which knows only
 * its installation prefix. */

/* PREFIX/share/dpsenroll; the source tree in an uninstalled build. */
extern const char dpsenroll_datadir[];
/* The source tree of an uninstalled build; NULL once installed. */
extern const char *const dpsenroll_srcdir;
/* Where the message catalogs are (LOCALE/LANG/LC_MESSAGES/dpsenroll.mo):
 * PREFIX/share/locale; the build folder's locale/ in an uninstalled
 * build. */
extern const char dpsenroll_localedir[];

#endif
