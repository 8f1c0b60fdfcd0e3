#ifndef DPSENROLL_TESTS_UNIT_FRENCH_H
#define DPSENROLL_TESTS_UNIT_FRENCH_H

#include <stdbool.h>

/* Switches this test's process (each test runs in one of its own) to
 * French: the fr_FR.UTF-8 locale, LANGUAGE=fr and the catalog the build
 * made. False, saying so on stderr, when the locale is not installed or
 * the build has no translations (NLS=0): the caller then checks nothing.
 * In CI (CI set) a missing locale fails the test instead, as the e2e
 * tests' need_locale does. */
bool unit_speak_french(void);

/* Back to the C locale, for what a test checks after the French part. */
void unit_speak_c(void);

#endif
