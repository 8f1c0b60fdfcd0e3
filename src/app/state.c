#include "app/state.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

char *
state_dir(void)
{
	/* The XDG spec says a relative value is to be ignored. */
	const char *xdg = getenv("XDG_STATE_HOME");
	if (xdg && *xdg == '/')
		return xasprintf("%s/dpsenroll", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/state/dpsenroll", home ? home : ".");
}

char *
state_dir_make(char **why)
{
	char *dir = state_dir();
	if (!dir_make(dir, 0700, why)) {
		free(dir);
		return NULL;
	}
	/* A folder made earlier by hand or by another tool may be open to
	 * others; the draft's keys must not be listed or reached there. */
	struct stat st;
	if (stat(dir, &st) == 0 && (st.st_mode & 077) && chmod(dir, 0700) != 0) {
		*why = xasprintf(_("%s is open to others (mode %04o) and "
				   "cannot be made private: %s"), dir,
				 (unsigned)(st.st_mode & 07777), strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

void
state_time_text(time_t t, char out[STATE_TIME_SIZE])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) ||
	    strftime(out, STATE_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(out, "1970-01-01T00:00:00Z");
}
