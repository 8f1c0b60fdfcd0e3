/* The status messages kept for the Messages window: newest first, the
 * oldest dropped past the limit, a repeat only moves its time. */

#include <stdio.h>

#include "suites.h"
#include "ui/status_log.h"

START_TEST(newest_first_and_bounded)
{
	struct status_log l = { 0 };
	ck_assert_ptr_null(status_log_get(&l, 0));
	for (int i = 0; i < STATUS_LOG_MAX + 5; i++) {
		char text[32];
		snprintf(text, sizeof(text), "message %d", i);
		status_log_add(&l, text, i % 2, (time_t)i);
	}
	ck_assert_uint_eq(l.count, STATUS_LOG_MAX);
	char want[32];
	snprintf(want, sizeof(want), "message %d", STATUS_LOG_MAX + 4);
	ck_assert_str_eq(status_log_get(&l, 0)->text, want);
	ck_assert_str_eq(status_log_get(&l, STATUS_LOG_MAX - 1)->text, "message 5");
	ck_assert_ptr_null(status_log_get(&l, STATUS_LOG_MAX));
	status_log_clear(&l);
	ck_assert_uint_eq(l.count, 0);
}
END_TEST

START_TEST(a_repeat_moves_its_time)
{
	struct status_log l = { 0 };
	status_log_add(&l, "Press Enter to edit Device ID", false, 1);
	status_log_add(&l, "Press Enter to edit Device ID", false, 2);
	ck_assert_uint_eq(l.count, 1);
	ck_assert_int_eq(status_log_get(&l, 0)->when, 2);
	/* the same words as an error are another message */
	status_log_add(&l, "Press Enter to edit Device ID", true, 3);
	ck_assert_uint_eq(l.count, 2);
	ck_assert(status_log_get(&l, 0)->error);
	status_log_clear(&l);
}
END_TEST

Suite *
status_log_suite(void)
{
	Suite *s = suite_create("status_log");
	TCase *tc = tcase_create("status_log");
	tcase_add_test(tc, newest_first_and_bounded);
	tcase_add_test(tc, a_repeat_moves_its_time);
	suite_add_tcase(s, tc);
	return s;
}
