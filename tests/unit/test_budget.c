/* The client's rate budget, on a clock the tests move by hand: no 60
 * seconds ever hold more operations than the limit, background work
 * leaves the reserve to the user, and the time N operations take. */

#include <pthread.h>
#include <stdlib.h>

#include "suites.h"
#include "dps/budget.h"

static int64_t fake_now;

static int64_t
fake_clock(void)
{
	return fake_now;
}

/* Takes as many as the budget gives at this instant. */
static int
drain(struct dps_budget *b, enum dps_budget_kind kind)
{
	int n = 0;
	long wait;
	while (dps_budget_try_take(b, kind, &wait))
		n++;
	return n;
}

START_TEST(a_minute_never_holds_more_than_the_limit)
{
	fake_now = 1000000;
	struct dps_budget *b = dps_budget_new(1000, fake_clock);
	ck_assert_uint_eq(dps_budget_per_minute(b), 1000);
	/* Whatever the pattern, any 60 s window sees at most 1,000: a
	 * greedy caller at every 10 ms for five minutes. */
	enum { STEP = 10, STEPS = 5 * 60000 / STEP };
	static int64_t at[5000];
	int taken = 0;
	for (int i = 0; i < STEPS; i++) {
		fake_now += STEP;
		int n = drain(b, DPS_BUDGET_USER);
		for (int k = 0; k < n; k++) {
			ck_assert_int_lt(taken, 5000);
			at[taken++] = fake_now;
		}
	}
	for (int i = 0, j = 0; i < taken; i++) {
		while (at[i] - at[j] >= 60000)
			j++;
		ck_assert_int_le(i - j + 1, 1000);
	}
	/* ... and the pace is the limit's, not far below it. */
	ck_assert_int_ge(taken, 4700);
	dps_budget_free(b);
}
END_TEST

START_TEST(a_burst_then_the_pace)
{
	fake_now = 0;
	struct dps_budget *b = dps_budget_new(1000, fake_clock);
	ck_assert_int_eq(drain(b, DPS_BUDGET_USER), 50);
	long wait = 0;
	ck_assert(!dps_budget_try_take(b, DPS_BUDGET_USER, &wait));
	/* 950 a minute: one every 63.2 ms. */
	ck_assert_int_eq(wait, 64);
	fake_now += 63;
	ck_assert(!dps_budget_try_take(b, DPS_BUDGET_USER, &wait));
	ck_assert_int_eq(wait, 1);
	fake_now += 1;
	ck_assert(dps_budget_try_take(b, DPS_BUDGET_USER, &wait));
	dps_budget_free(b);
}
END_TEST

START_TEST(background_leaves_the_reserve)
{
	fake_now = 0;
	struct dps_budget *b = dps_budget_new(1000, fake_clock);
	ck_assert_int_eq(drain(b, DPS_BUDGET_BACKGROUND), 38);
	/* The user's save still goes at once. */
	ck_assert_int_eq(drain(b, DPS_BUDGET_USER), 12);
	long wait = 0;
	ck_assert(!dps_budget_try_take(b, DPS_BUDGET_BACKGROUND, &wait));
	/* Background waits until the reserve is back, and one more. */
	ck_assert_int_eq(wait, (long)(13 * 60000.0 / 950 + 0.999));
	dps_budget_free(b);
}
END_TEST

START_TEST(time_for_n_operations)
{
	fake_now = 0;
	struct dps_budget *b = dps_budget_new(1000, fake_clock);
	ck_assert_int_eq(dps_budget_eta_ms(b, DPS_BUDGET_USER, 0), 0);
	ck_assert_int_eq(dps_budget_eta_ms(b, DPS_BUDGET_USER, 50), 0);
	/* 1,000 states: 50 at once, then 950 at 950 a minute. */
	ck_assert_int_eq(dps_budget_eta_ms(b, DPS_BUDGET_USER, 1000), 60000);
	ck_assert_int_eq(dps_budget_eta_ms(b, DPS_BUDGET_USER, 100050),
			 6315790);
	drain(b, DPS_BUDGET_USER);
	ck_assert_int_eq(dps_budget_eta_ms(b, DPS_BUDGET_USER, 95), 6000);
	dps_budget_free(b);
}
END_TEST

START_TEST(small_limits)
{
	fake_now = 0;
	struct dps_budget *b = dps_budget_new(6, fake_clock);
	ck_assert_int_eq(drain(b, DPS_BUDGET_USER), 1);
	fake_now += 11999;
	ck_assert_int_eq(drain(b, DPS_BUDGET_USER), 0);
	fake_now += 1;
	ck_assert_int_eq(drain(b, DPS_BUDGET_USER), 1);
	/* No reserve to leave in a bucket of one. */
	fake_now += 12000;
	ck_assert_int_eq(drain(b, DPS_BUDGET_BACKGROUND), 1);
	dps_budget_free(b);
}
END_TEST

struct taker {
	struct dps_budget *b;
	int n;
};

static void *
take_many(void *arg)
{
	struct taker *t = arg;
	for (int i = 0; i < t->n; i++)
		dps_budget_take(t->b, DPS_BUDGET_USER, NULL, NULL);
	return NULL;
}

static bool
always(void *ctx)
{
	(void)ctx;
	return true;
}

/* Threads share one budget: every take is counted once, and a taker
 * that has to wait is seen waiting and counted as held back. */
START_TEST(shared_between_threads)
{
	struct dps_budget *b = dps_budget_new(60000, NULL);	/* B = 3000 */
	struct taker t = { b, 1000 };
	pthread_t th[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, take_many, &t);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	struct dps_budget_stats st;
	dps_budget_stats(b, &st);
	ck_assert_uint_eq(st.taken, 3000);
	ck_assert_uint_eq(st.waiting, 0);
	ck_assert_uint_eq(st.held_back, 0);
	dps_budget_free(b);
	/* Spent: a cancelled wait gives up and leaves no waiter behind. */
	b = dps_budget_new(60, NULL);	/* B = 3, then one a second */
	for (int i = 0; i < 3; i++)
		ck_assert(dps_budget_take(b, DPS_BUDGET_USER, always, NULL));
	ck_assert(!dps_budget_take(b, DPS_BUDGET_USER, always, NULL));
	dps_budget_stats(b, &st);
	ck_assert_uint_eq(st.waiting, 0);
	ck_assert_uint_eq(st.held_back, 1);
	ck_assert_uint_eq(st.taken, 3);
	/* A wait that ends takes its operation. */
	ck_assert(dps_budget_take(b, DPS_BUDGET_USER, NULL, NULL));
	dps_budget_stats(b, &st);
	ck_assert_uint_eq(st.held_back, 2);
	ck_assert_uint_eq(st.taken, 4);
	dps_budget_free(b);
}
END_TEST

Suite *
budget_suite(void)
{
	Suite *s = suite_create("budget");
	TCase *tc = tcase_create("budget");
	tcase_add_test(tc, a_minute_never_holds_more_than_the_limit);
	tcase_add_test(tc, a_burst_then_the_pace);
	tcase_add_test(tc, background_leaves_the_reserve);
	tcase_add_test(tc, time_for_n_operations);
	tcase_add_test(tc, small_limits);
	tcase_add_test(tc, shared_between_threads);
	suite_add_tcase(s, tc);
	return s;
}
