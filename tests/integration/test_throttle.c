/* Rate limits (semantics §10): by default Azure's 1,000 service
 * operations and 1,000 device registrations per minute, each its own
 * budget; over one, 429 with errorCode 429001 and Retry-After. --throttle N
 * sets both, --registration-throttle N the second alone, and --throttle 0
 * turns them off. */

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"
#include "base/secret.h"
#include "base/xalloc.h"

enum { AZURE_LIMIT = 1000, MAX_TRIES = 5000 };

static struct reply *
probe(struct emu_proc *e, const char *id)
{
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(e, "GET", path, NULL);
	free(path);
	return r;
}

/* A device registering with its enrollment's key. */
struct device {
	char *id;
	char *token;
	char *path;
	char *body;
};

static void
device_enroll(struct emu_proc *e, struct device *d)
{
	d->id = unique_id("throttled-dev");
	cJSON *c = create_enrollment(e, d->id, "");
	d->token = device_token(e, d->id,
				jstr(c, "attestation.symmetricKey.primaryKey"));
	cJSON_Delete(c);
	d->path = xasprintf("/%s/registrations/%s/register", e->id_scope, d->id);
	d->body = xasprintf("{\"registrationId\":\"%s\"}", d->id);
}

static struct reply *
device_register(struct emu_proc *e, const struct device *d)
{
	return dev(e, "PUT", d->path, d->token, d->body);
}

static void
device_free(struct device *d)
{
	free(d->id);
	secret_str_free(d->token);
	free(d->path);
	free(d->body);
}

/* A 429 as the service sends it: 429001, a Retry-After of whole seconds
 * within the minute, and a message naming what was counted. */
static void
expect_throttled(const struct reply *r, int limit, const char *what)
{
	EXPECT_ERROR(r, 429, 429001);
	ck_assert_msg(r->retry_after, "429 without Retry-After");
	int wait = atoi(r->retry_after);
	ck_assert_msg(wait >= 1 && wait <= 60, "Retry-After: %s", r->retry_after);
	char *want = xasprintf("too many requests: the service allows %d %s "
			       "per minute; retry after %d s", limit, what, wait);
	ck_assert_str_eq(error_message(r), want);
	free(want);
}

/* Calls of `call` pass until the first 429 (asserted within MAX_TRIES):
 * at least what is left of the minute's `limit` after `used` calls, and
 * no more than that plus what refilled meanwhile at `limit` a minute. */
static void
expect_limit(struct emu_proc *e, int limit, int used, const char *what,
	     struct reply *(*call)(struct emu_proc *, const void *),
	     const void *arg, long ok_status)
{
	int budget = limit - used;
	double t0 = now_s();
	int passed = 0;
	struct reply *r = NULL;
	for (int i = 0; i < MAX_TRIES; i++) {
		reply_free(r);
		r = call(e, arg);
		if (r->status != ok_status)
			break;
		passed++;
	}
	double refilled = (now_s() - t0) * limit / 60.0;
	ck_assert_msg(r->status == 429, "no 429 after %d calls (last: %ld %s)",
		      passed, r->status, r->body ? r->body : "");
	expect_throttled(r, limit, what);
	ck_assert_msg(passed >= budget, "throttled after %d calls; the limit "
		      "is %d a minute and %d were used", passed, limit, used);
	ck_assert_msg(passed <= budget + (int)refilled + 1, "%d calls passed; "
		      "the limit is %d a minute, %d were used (%.1f refilled "
		      "meanwhile)", passed, limit, used, refilled);
	reply_free(r);
}

static struct reply *
call_get(struct emu_proc *e, const void *arg)
{
	(void)arg;
	return probe(e, "throttle-probe");
}

static struct reply *
call_register(struct emu_proc *e, const void *arg)
{
	return device_register(e, arg);
}

START_TEST(fourth_request_in_a_minute_is_429)
{
	static const char *const args[] = { "--throttle", "3", NULL };
	struct emu_proc *e = emu_start(args);
	for (int i = 0; i < 3; i++) {
		struct reply *r = probe(e, "throttle-probe");
		EXPECT_ERROR(r, 404, 404201);
		reply_free(r);
	}
	struct reply *r = probe(e, "throttle-probe");
	expect_throttled(r, 3, "operations");
	reply_free(r);
	/* The way to inspect the emulator stays open while it throttles. */
	r = admin(e, "GET", "/admin/faults", NULL);
	EXPECT_JSON(r, 200);
	reply_free(r);
	emu_stop(e);
	emu_free(e);
}
END_TEST

/* Without any option: Azure's limits, service operations and device
 * registrations each with a budget of its own. */
START_TEST(default_limits_are_azures)
{
	struct emu_proc *e = emu_start_default_limits(NULL);
	struct device d;
	device_enroll(e, &d);
	/* creating the enrollment was one operation */
	expect_limit(e, AZURE_LIMIT, 1, "operations", call_get, NULL, 404);
	expect_limit(e, AZURE_LIMIT, 0, "device registrations", call_register,
		     &d, 202);
	device_free(&d);
	emu_stop(e);
	emu_free(e);
}
END_TEST

START_TEST(throttle_0_turns_the_limits_off)
{
	static const char *const args[] = { "--throttle", "0", NULL };
	struct emu_proc *e = emu_start_default_limits(args);
	struct device d;
	device_enroll(e, &d);
	for (int i = 0; i <= AZURE_LIMIT; i++) {
		struct reply *r = probe(e, "throttle-probe");
		EXPECT_ERROR(r, 404, 404201);
		reply_free(r);
		r = device_register(e, &d);
		EXPECT_JSON(r, 202);
		reply_free(r);
	}
	device_free(&d);
	emu_stop(e);
	emu_free(e);
}
END_TEST

/* --registration-throttle limits registrations alone; polling and the
 * service API go on. */
START_TEST(registration_throttle_counts_registrations)
{
	static const char *const args[] = { "--registration-throttle", "2",
					    NULL };
	struct emu_proc *e = emu_start(args);
	struct device d;
	device_enroll(e, &d);
	for (int i = 0; i < 2; i++) {
		struct reply *r = device_register(e, &d);
		EXPECT_JSON(r, 202);
		reply_free(r);
	}
	struct reply *r = device_register(e, &d);
	expect_throttled(r, 2, "device registrations");
	reply_free(r);
	for (int i = 0; i < 5; i++) {
		r = probe(e, d.id);
		EXPECT_JSON(r, 200);
		reply_free(r);
	}
	device_free(&d);
	emu_stop(e);
	emu_free(e);
}
END_TEST

Suite *
throttle_suite(void)
{
	Suite *s = suite_create("throttle");
	TCase *tc = itest_tcase("throttle");
	tcase_add_test(tc, fourth_request_in_a_minute_is_429);
	tcase_add_test(tc, default_limits_are_azures);
	tcase_add_test(tc, throttle_0_turns_the_limits_off);
	tcase_add_test(tc, registration_throttle_counts_registrations);
	suite_add_tcase(s, tc);
	return s;
}
