/* Watching a device register: which registration state is the answer,
 * and how fast the polls go. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "app/watch.h"

/* 2026-03-01T10:00:00Z */
static const double T0 = 1772359200.0;

/* A 200 answer holding a state; the body is owned by the response. */
static struct dps_response
state_answer(const char *status, const char *etag, const char *updated,
	     time_t date)
{
	char text[512];
	snprintf(text, sizeof(text), "{\"registrationId\":\"dev-1\","
		 "\"status\":\"%s\",\"etag\":\"%s\",\"assignedHub\":\"h.net\","
		 "\"deviceId\":\"dev-1\",\"substatus\":\"initialAssignment\","
		 "\"lastUpdatedDateTimeUtc\":\"%s\"}", status, etag, updated);
	return (struct dps_response){ .failure = DPS_ANSWERED, .status = 200,
				      .body = cJSON_Parse(text), .date = date,
				      .retry_after = -1 };
}

static struct dps_response
status_answer(long status, int retry_after)
{
	return (struct dps_response){ .failure = DPS_ANSWERED, .status = status,
				      .retry_after = retry_after };
}

START_TEST(service_times_are_read)
{
	double t;
	ck_assert(watch_parse_utc("2026-03-01T10:00:00Z", &t));
	ck_assert(t == T0);
	ck_assert(watch_parse_utc("2026-03-01T10:00:00.2500000Z", &t));
	ck_assert(t == T0 + 0.25);
	ck_assert(!watch_parse_utc("2026-03-01T10:00:00", &t));
	ck_assert(!watch_parse_utc("2026-03-01T10:00:00Zjunk", &t));
	ck_assert(!watch_parse_utc("yesterday", &t));
	ck_assert(!watch_parse_utc(NULL, &t));
}
END_TEST

START_TEST(a_registration_after_none_is_the_answer)
{
	struct watch w;
	watch_init(&w, T0);
	struct dps_response r = status_answer(404, -1);
	ck_assert_int_eq(watch_feed(&w, &r, T0 + 0.1), WATCH_WAITING);
	r = state_answer("assigned", "e1", "2026-03-01T10:00:00.5Z", 0);
	ck_assert_int_eq(watch_feed(&w, &r, T0 + 2), WATCH_ASSIGNED);
	char *text = watch_outcome_text(&w, WATCH_ASSIGNED);
	ck_assert_str_eq(text, "assigned to h.net as device dev-1 "
			 "(initialAssignment)");
	free(text);
	cJSON_Delete(r.body);
	watch_clear(&w);
}
END_TEST

/* An old assignment is not taken; the failure written after it is. */
START_TEST(a_state_from_before_the_watch_is_not_the_answer)
{
	struct watch w;
	watch_init(&w, T0);
	struct dps_response r = state_answer("assigned", "old",
					     "2026-03-01T09:00:00Z", 0);
	ck_assert_int_eq(watch_feed(&w, &r, T0 + 0.1), WATCH_WAITING);
	ck_assert(w.stale);
	ck_assert_int_eq(watch_feed(&w, &r, T0 + 2), WATCH_WAITING);
	cJSON_Delete(r.body);
	r = state_answer("failed", "new", "2026-03-01T10:00:03Z", 0);
	ck_assert_int_eq(watch_feed(&w, &r, T0 + 4), WATCH_FAILED);
	ck_assert(!w.stale);
	cJSON_Delete(r.body);
	watch_clear(&w);
}
END_TEST

/* A state written after the start, seen by the first poll, is the
 * answer: the device was quick. */
START_TEST(a_quick_registration_is_the_answer)
{
	struct watch w;
	watch_init(&w, T0);
	struct dps_response r = state_answer("disabled", "e1",
					     "2026-03-01T10:00:05Z", 0);
	ck_assert_int_eq(watch_feed(&w, &r, T0 + 6), WATCH_DISABLED);
	cJSON_Delete(r.body);
	watch_clear(&w);
}
END_TEST

/* This computer's clock is an hour behind the service's: a state the
 * service wrote half an hour before the watch began looks, by the local
 * clock, half an hour after it. The Date header puts it right. */
START_TEST(the_service_clock_decides)
{
	struct watch w;
	watch_init(&w, T0);
	struct dps_response r = state_answer("assigned", "e1",
					     "2026-03-01T10:30:00Z",
					     (time_t)(T0 + 3600));
	ck_assert_int_eq(watch_feed(&w, &r, T0), WATCH_WAITING);
	ck_assert(w.stale);
	cJSON_Delete(r.body);
	watch_clear(&w);
	/* without the header, the local clock is all there is */
	watch_init(&w, T0);
	r = state_answer("assigned", "e1", "2026-03-01T10:30:00Z", 0);
	ck_assert_int_eq(watch_feed(&w, &r, T0), WATCH_ASSIGNED);
	cJSON_Delete(r.body);
	watch_clear(&w);
}
END_TEST

START_TEST(polls_back_off_and_honour_retry_after)
{
	struct watch w;
	watch_init(&w, T0);
	ck_assert_uint_eq(watch_next_delay_ms(&w), 0);
	struct dps_response r = status_answer(404, -1);
	unsigned want[] = { 2000, 3000, 4500, 5000, 5000 };
	for (size_t i = 0; i < 5; i++) {
		watch_feed(&w, &r, T0 + i);
		ck_assert_uint_eq(watch_next_delay_ms(&w), want[i]);
	}
	r = status_answer(429, 9);
	ck_assert_int_eq(watch_feed(&w, &r, T0 + 9), WATCH_WAITING);
	ck_assert_uint_eq(watch_next_delay_ms(&w), 9000);
	watch_clear(&w);
}
END_TEST

START_TEST(a_failed_poll_ends_the_watch)
{
	struct watch w;
	watch_init(&w, T0);
	struct dps_response r = status_answer(401, -1);
	ck_assert_int_eq(watch_feed(&w, &r, T0), WATCH_ERROR);
	r = (struct dps_response){ .failure = DPS_FAIL_CONNECT };
	ck_assert_int_eq(watch_feed(&w, &r, T0), WATCH_ERROR);
	watch_clear(&w);
}
END_TEST

Suite *
watch_suite(void)
{
	Suite *s = suite_create("watch");
	TCase *tc = tcase_create("watch");
	tcase_add_test(tc, service_times_are_read);
	tcase_add_test(tc, a_registration_after_none_is_the_answer);
	tcase_add_test(tc, a_state_from_before_the_watch_is_not_the_answer);
	tcase_add_test(tc, a_quick_registration_is_the_answer);
	tcase_add_test(tc, the_service_clock_decides);
	tcase_add_test(tc, polls_back_off_and_honour_retry_after);
	tcase_add_test(tc, a_failed_poll_ends_the_watch);
	suite_add_tcase(s, tc);
	return s;
}
