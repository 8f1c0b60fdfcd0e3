#ifndef DPSENROLL_TESTS_FINDINGS_ASSERT_H
#define DPSENROLL_TESTS_FINDINGS_ASSERT_H

/* Assertions on what a check or a whole validation found. A test case that
 * uses them is made by findings_tcase, or installs findings_fixture_setup
 * and a teardown that calls findings_fixture_teardown, so found_list is
 * empty when each test starts and freed when it ends. Failure messages
 * list everything that was found, since the finding that is missing is
 * usually explained by one that is there. */

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <check.h>

#include "model/checks.h"
#include "model/findings.h"

extern struct findings found_list;

void findings_fixture_setup(void);
void findings_fixture_teardown(void);
/* A new test case, already added to `s`, with that fixture installed. */
TCase *findings_tcase(Suite *s, const char *name);

/* Empties found_list, then runs `check` on `text` for `path` into it. */
void findings_check(text_check_fn check, const char *path, const char *text);

/* Runs `check` on each of the `n` texts in turn and asserts that none
 * finds anything; a failure names the text. */
void findings_each_quiet(text_check_fn check, const char *path,
			 const char *const texts[], size_t n);

/* Checks `text` and asserts that it gives one finding and no other: an
 * error at `path` whose message contains `fragment`. found_list keeps the
 * result for further asserts. */
void findings_expect_one_error(text_check_fn check, const char *path,
			       const char *text, const char *fragment);

/* Everything in found_list, one per line. The text lives in a static
 * buffer that the next call overwrites. */
const char *findings_dump(void);

/* Whether found_list holds a finding of `sev` at exactly `path` whose
 * message contains `fragment`; "" matches any message. */
bool findings_found(enum severity sev, const char *path, const char *fragment);

#define ck_found(sev, path, fragment) \
	ck_assert_msg(findings_found(sev, path, fragment), \
		      "expected %s at %s with \"%s\"; found:\n%s", \
		      severity_name(sev), path, fragment, findings_dump())
#define ck_not_found(sev, path, fragment) \
	ck_assert_msg(!findings_found(sev, path, fragment), \
		      "expected no %s at %s with \"%s\"; found:\n%s", \
		      severity_name(sev), path, fragment, findings_dump())
#define ck_nothing() \
	ck_assert_msg(found_list.count == 0, "expected nothing; found:\n%s", \
		      findings_dump())
/* Like ck_nothing, naming the input that should have passed. */
#define ck_nothing_for(input) \
	ck_assert_msg(found_list.count == 0, "'%s' should pass; found:\n%s", \
		      input, findings_dump())
#define ck_count(sev, n) \
	ck_assert_msg(findings_count(&found_list, sev) == (n), \
		      "expected %d %s(s); found:\n%s", (int)(n), \
		      severity_name(sev), findings_dump())
/* Findings of every severity together. */
#define ck_total(n) \
	ck_assert_msg(found_list.count == (n), \
		      "expected %d finding(s); found:\n%s", (int)(n), \
		      findings_dump())

/* For the reasons parsers give back (*why) rather than findings. */
#define ck_why(why, fragment) \
	ck_assert_msg(strstr(why, fragment), "\"%s\" lacks \"%s\"", why, \
		      fragment)

#endif
