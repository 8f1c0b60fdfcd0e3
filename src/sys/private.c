#include "sys/private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "base/i18n.h"
#include "base/xalloc.h"

bool
private_no_core_dumps(char **why)
{
	struct rlimit none = { 0, 0 };
	if (setrlimit(RLIMIT_CORE, &none) != 0) {
		*why = xasprintf(_("cannot turn core dumps off: %s"),
				 strerror(errno));
		return false;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		*why = xasprintf(_("cannot mark the process not dumpable: %s"),
				 strerror(errno));
		return false;
	}
	return true;
}

static char *held_keylog;

void
private_keylog_hold(void)
{
	const char *path = getenv("SSLKEYLOGFILE");
	if (!path)
		return;
	free(held_keylog);
	held_keylog = xstrdup(path);
	unsetenv("SSLKEYLOGFILE");
}

const char *
private_keylog_release(void)
{
	if (held_keylog && *held_keylog)
		setenv("SSLKEYLOGFILE", held_keylog, 1);
	return held_keylog && *held_keylog ? held_keylog : NULL;
}
