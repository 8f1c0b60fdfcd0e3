/* --throttle N: service operations per minute; over it, 429 with
 * Retry-After (semantics §10). */

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"
#include "base/xalloc.h"

static struct reply *
probe(struct emu_proc *e, const char *id)
{
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(e, "GET", path, NULL);
	free(path);
	return r;
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
	EXPECT_ERROR(r, 429, 429001);
	ck_assert_msg(r->retry_after, "429 without Retry-After");
	int wait = atoi(r->retry_after);
	ck_assert_msg(wait >= 1 && wait <= 60, "Retry-After: %s", r->retry_after);
	reply_free(r);
	/* The way to inspect the emulator stays open while it throttles. */
	r = admin(e, "GET", "/admin/faults", NULL);
	EXPECT_JSON(r, 200);
	reply_free(r);
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
	suite_add_tcase(s, tc);
	return s;
}
