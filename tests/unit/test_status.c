/* The status line's news lasts as long as the action that said it: a
 * message ends on the events in its set, on a change to the form when
 * that is among them, or when another replaces it. */

#include <string.h>

#include "suites.h"
#include "base/xalloc.h"
#include "ui/status.h"

START_TEST(next_action_ends_plain_news)
{
	unsigned events[] = { STATUS_ON_LOAD, STATUS_ON_REVIEW,
			      STATUS_ON_REQUEST };
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		struct status s = { 0 };
		status_say(&s, false, STATUS_UNTIL_NEXT_ACTION, 7,
			   xstrdup("Nothing changed since it was loaded; not sent"));
		status_form_now(&s, 7);
		ck_assert_str_eq(s.text, "Nothing changed since it was loaded; not sent");
		status_event(&s, events[i]);
		ck_assert_msg(s.text == NULL, "event %#x left the news up", events[i]);
		ck_assert(!s.error);
		status_clear(&s);
	}
}
END_TEST

START_TEST(an_edit_ends_news_about_the_form_as_it_was)
{
	struct status s = { 0 };
	status_say(&s, true, STATUS_UNTIL_NEXT_ACTION, 41,
		   xstrdup("Not submitted: HTTP 401 Unauthorized"));
	ck_assert(s.error);
	/* looking around (the same texts) keeps it */
	status_form_now(&s, 41);
	status_form_now(&s, 41);
	ck_assert_str_eq(s.text, "Not submitted: HTTP 401 Unauthorized");
	status_form_now(&s, 42);
	ck_assert_ptr_null(s.text);
	status_clear(&s);
}
END_TEST

START_TEST(news_keeps_to_its_own_set)
{
	struct status s = { 0 };
	status_say(&s, true, STATUS_ON_LOAD | STATUS_ON_REQUEST, 1,
		   xstrdup("keys could not be read"));
	status_form_now(&s, 2);		/* an edit: still true */
	status_event(&s, STATUS_ON_REVIEW);
	ck_assert_str_eq(s.text, "keys could not be read");
	status_event(&s, STATUS_ON_REQUEST);
	ck_assert_ptr_null(s.text);
	/* with nothing to say, events are harmless */
	status_event(&s, STATUS_UNTIL_NEXT_ACTION);
	status_form_now(&s, 3);
	ck_assert_ptr_null(s.text);
}
END_TEST

START_TEST(new_news_replaces_the_old_and_its_lifetime)
{
	struct status s = { 0 };
	status_say(&s, true, STATUS_ON_REQUEST, 5, xstrdup("old"));
	status_say(&s, false, STATUS_UNTIL_NEXT_ACTION, 9,
		   xstrdup("The file held a chain of 2 certificates"));
	ck_assert(!s.error);
	status_form_now(&s, 9);
	ck_assert_str_eq(s.text, "The file held a chain of 2 certificates");
	/* the same certificate read again from another file */
	status_event(&s, STATUS_ON_LOAD);
	ck_assert_ptr_null(s.text);
}
END_TEST

Suite *
status_suite(void)
{
	Suite *s = suite_create("status");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, next_action_ends_plain_news);
	tcase_add_test(tc, an_edit_ends_news_about_the_form_as_it_was);
	tcase_add_test(tc, news_keeps_to_its_own_set);
	tcase_add_test(tc, new_news_replaces_the_old_and_its_lifetime);
	suite_add_tcase(s, tc);
	return s;
}
