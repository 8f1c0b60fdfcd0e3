#include "paths.h"

#include <stddef.h>

#ifdef DPSENROLL_SRCDIR
const char *const dpsenroll_srcdir = DPSENROLL_SRCDIR;
#else
const char *const dpsenroll_srcdir = NULL;
#endif

/* An uninstalled build has its data in the source tree. */
#ifndef DPSENROLL_DATADIR
#ifdef DPSENROLL_SRCDIR
#define DPSENROLL_DATADIR DPSENROLL_SRCDIR
#else
#define DPSENROLL_DATADIR "/usr/local/share/dpsenroll"
#endif
#endif

const char dpsenroll_datadir[] = DPSENROLL_DATADIR;

/* The compiled catalogs: the build folder's for an uninstalled build. */
#ifndef DPSENROLL_LOCALEDIR
#define DPSENROLL_LOCALEDIR "/usr/local/share/locale"
#endif

const char dpsenroll_localedir[] = DPSENROLL_LOCALEDIR;
