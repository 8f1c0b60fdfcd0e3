#include "french.h"

#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "paths.h"
#include "base/i18n.h"

bool
unit_speak_french(void)
{
#if DPSENROLL_NLS
	if (!setlocale(LC_ALL, "fr_FR.UTF-8")) {
		ck_assert_msg(!getenv("CI"), "the fr_FR.UTF-8 locale is not "
			      "installed, and CI must run this test (make deps "
			      "as root makes it)");
		fprintf(stderr, "French not checked: the fr_FR.UTF-8 locale is "
			"not installed (make deps as root makes it)\n");
		return false;
	}
	setenv("LANGUAGE", "fr", 1);
	bindtextdomain(I18N_DOMAIN, dpsenroll_localedir);
	textdomain(I18N_DOMAIN);
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	i18n_start();
	return true;
#else
	fprintf(stderr, "French not checked: built without translations "
		"(NLS=0)\n");
	return false;
#endif
}

void
unit_speak_c(void)
{
	setlocale(LC_ALL, "C");
	unsetenv("LANGUAGE");
#if DPSENROLL_NLS
	i18n_start();
#endif
}
