#include <limits.h>
#include <time.h>

#include "suites.h"
#include "dps/retry_after.h"

/* Sun, 06 Nov 1994 08:49:37 GMT, the RFC's own example. */
static const time_t RFC_DATE = 784111777;

START_TEST(delta_seconds_are_read)
{
	ck_assert_int_eq(retry_after_parse("0", RFC_DATE), 0);
	ck_assert_int_eq(retry_after_parse("12", RFC_DATE), 12);
	ck_assert_int_eq(retry_after_parse("0012", RFC_DATE), 12);
	ck_assert_int_eq(retry_after_parse("99999999999999999999", RFC_DATE),
			 INT_MAX);
}
END_TEST

START_TEST(http_dates_in_their_three_forms)
{
	ck_assert_int_eq(retry_after_parse("Sun, 06 Nov 1994 08:49:49 GMT",
					   RFC_DATE), 12);
	ck_assert_int_eq(retry_after_parse("Sunday, 06-Nov-94 08:49:49 GMT",
					   RFC_DATE), 12);
	ck_assert_int_eq(retry_after_parse("Sun Nov  6 08:49:49 1994",
					   RFC_DATE), 12);
	/* a date already past: go now */
	ck_assert_int_eq(retry_after_parse("Sun, 06 Nov 1994 08:00:00 GMT",
					   RFC_DATE), 0);
}
END_TEST

/* atoi read "12abc" as 12 and "-5" as -5; neither is a Retry-After. */
START_TEST(anything_else_is_ignored)
{
	static const char *const bad[] = {
		"", "-5", "+5", "12abc", "1.5", "12 s", " 12", "0x10", "soon",
		"Sun, 06 Nov 1994 08:49:49", "Sun, 06 Nov 1994 08:49:49 GMT junk",
		"Sun, 32 Nov 1994 08:49:49 GMT", "06 Nov 1994 08:49:49 GMT",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(retry_after_parse(bad[i], RFC_DATE) == -1,
			      "'%s' read as %d", bad[i],
			      retry_after_parse(bad[i], RFC_DATE));
	ck_assert_int_eq(retry_after_parse(NULL, RFC_DATE), -1);
}
END_TEST

Suite *
retry_after_suite(void)
{
	Suite *s = suite_create("retry_after");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, delta_seconds_are_read);
	tcase_add_test(tc, http_dates_in_their_three_forms);
	tcase_add_test(tc, anything_else_is_ignored);
	suite_add_tcase(s, tc);
	return s;
}
