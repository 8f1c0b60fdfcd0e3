#include "base/i18n.h"

#if DPSENROLL_NLS
bool i18n_off;
#endif

void
i18n_start(void)
{
#if DPSENROLL_NLS
	/* A catalog's header is its translation of ""; without a catalog
	 * for the locale, "" comes back. (Through a variable: the catalog
	 * tools take a literal "" for a mistake.) */
	static const char empty[] = "";
	const char *header = gettext(empty);
	i18n_off = !header || !*header;
#endif
}
