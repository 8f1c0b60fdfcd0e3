#ifndef DPSENROLL_TESTS_SUITES_H
#define DPSENROLL_TESTS_SUITES_H

/* One libcheck suite per module; main.c runs them all. */

#include <check.h>

#define UNIT_SUITES(_) \
	_(base) \
	_(b64) \
	_(json) \
	_(doc) \
	_(schema) \
	_(content) \
	_(validate) \
	_(ids) \
	_(net) \
	_(retry_after) \
	_(watch) \
	_(twin) \
	_(symkey) \
	_(x509) \
	_(tpm) \
	_(x509pem) \
	_(certrole) \
	_(keymat) \
	_(french_model) \
	_(sas) \
	_(files) \
	_(filepick) \
	_(draft) \
	_(draft_store) \
	_(profiles) \
	_(journal) \
	_(diff) \
	_(session) \
	_(review) \
	_(explain) \
	_(explain_device) \
	_(keepkeys) \
	_(putreq) \
	_(textedit) \
	_(textclip) \
	_(status_log) \
	_(keymap) \
	_(status) \
	_(form) \
	_(form_live) \
	_(cli) \
	_(complete) \
	_(import) \
	_(theme) \
	_(fleet) \
	_(budget) \
	_(list_out) \
	_(token) \
	_(app_french)

#define DECLARE_SUITE(name) Suite *name##_suite(void);
UNIT_SUITES(DECLARE_SUITE)
#undef DECLARE_SUITE

/* Path of a file under tests/fixtures; the caller frees. */
char *fixture_path(const char *rel);
/* Whole file as a NUL-terminated string, or NULL; the caller frees. */
char *read_fixture(const char *rel, size_t *len);
/* `unit` written `times` times over, for inputs at a length limit; the
 * caller frees. */
char *repeat_text(const char *unit, size_t times);

#endif
