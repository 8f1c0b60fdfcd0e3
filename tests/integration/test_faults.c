/* Fault injection (emu_faults.h): each failure a client must survive,
 * provoked through the admin endpoint or --fault. Tests share one
 * emulator and each starts and ends with no fault active; a fault is
 * scoped to the test's own id where the test allows it. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "harness.h"
#include "suites.h"
#include "base/xalloc.h"

SHARED_EMU_FIXTURE(NULL)

static void
expect_2xx(const struct reply *r)
{
	ck_assert_msg(r->status >= 200 && r->status < 300, "%s: %ld %s %s",
		      r->what, r->status, r->rc ? curl_easy_strerror(r->rc) : "",
		      r->body ? r->body : "");
}

static void
clear_faults(struct emu_proc *e)
{
	struct reply *r = admin(e, "DELETE", "/admin/faults", NULL);
	expect_2xx(r);
	reply_free(r);
}

/* The shared emulator with no fault active. */
static struct emu_proc *
clean_emu(void)
{
	struct emu_proc *e = shared_emu(&shared);
	clear_faults(e);
	return e;
}

/* A fault spec scoped to requests on /enrollments/id. */
static char *
scoped(const char *kind, const char *id)
{
	return xasprintf("%s,path=/enrollments/%s", kind, id);
}

static void
set_scoped(struct emu_proc *e, const char *kind, const char *id)
{
	char *spec = scoped(kind, id);
	set_fault(e, spec);
	free(spec);
}

static struct reply *
get_with(struct emu_proc *e, const char *id, long timeout_ms, bool fresh)
{
	char *path = xasprintf("/enrollments/%s", id);
	struct http_req req = { .method = "GET", .path = path,
				.timeout_ms = timeout_ms,
				.fresh_connection = fresh };
	struct reply *r = http(e, &req);
	free(path);
	return r;
}

/* GET of an id nobody created: the normal answer is 404201. */
static void
expect_normal(struct emu_proc *e, const char *id)
{
	struct reply *r = get_with(e, id, 0, false);
	EXPECT_ERROR(r, 404, 404201);
	reply_free(r);
}

static struct reply *
put_new(struct emu_proc *e, const char *id, long timeout_ms)
{
	char *path = xasprintf("/enrollments/%s", id);
	char *body = enrollment_text(id, "");
	struct http_req req = { .method = "PUT", .path = path, .body = body,
				.timeout_ms = timeout_ms,
				.fresh_connection = true };
	struct reply *r = http(e, &req);
	free(body);
	free(path);
	return r;
}

static void
expect_no_answer(const struct reply *r, CURLcode rc)
{
	ck_assert_msg(r->rc == rc && r->status == 0,
		      "%s: expected curl error '%s', got %ld (%s): %s", r->what,
		      curl_easy_strerror(rc), r->status,
		      curl_easy_strerror(r->rc), r->body ? r->body : "");
}

START_TEST(delay_outlasts_a_client_timeout)
{
	struct emu_proc *e = clean_emu();
	char *id = unique_id("f-delay");
	set_scoped(e, "delay=3000", id);
	struct reply *r = get_with(e, id, 1000, false);
	expect_no_answer(r, CURLE_OPERATION_TIMEDOUT);
	ck_assert_msg(r->seconds < 2.5, "gave up after %.2f s", r->seconds);
	reply_free(r);
	clear_faults(e);
	r = get_with(e, id, 1000, true);
	EXPECT_ERROR(r, 404, 404201);
	reply_free(r);
	free(id);
}
END_TEST

START_TEST(short_delay_answers_late_but_normally)
{
	struct emu_proc *e = clean_emu();
	char *id = unique_id("f-late");
	set_scoped(e, "delay=400,count=1", id);
	struct reply *r = get_with(e, id, 0, false);
	EXPECT_ERROR(r, 404, 404201);
	ck_assert_msg(r->seconds >= 0.39, "answered after %.3f s", r->seconds);
	reply_free(r);
	r = get_with(e, id, 0, false);
	EXPECT_ERROR(r, 404, 404201);
	ck_assert_msg(r->seconds < 0.39, "still delayed: %.3f s", r->seconds);
	reply_free(r);
	free(id);
}
END_TEST

START_TEST(status_with_retry_after)
{
	struct emu_proc *e = clean_emu();
	char *id = unique_id("f-503");
	set_scoped(e, "status=503,retry-after=2", id);
	struct reply *r = get_with(e, id, 0, false);
	EXPECT_JSON(r, 503);
	ck_assert_int_eq(error_code(r) / 1000, 503);
	ck_assert_msg(r->error_code, "no x-ms-error-code");
	ck_assert_msg(r->retry_after && strcmp(r->retry_after, "2") == 0,
		      "Retry-After is %s", r->retry_after ? r->retry_after
							  : "absent");
	reply_free(r);
	clear_faults(e);
	expect_normal(e, id);
	free(id);
}
END_TEST

/* Provokes `kind` on a fresh id with a GET, or with a PUT of a new
 * enrollment, asserts that no answer came (curl's `rc`) and clears the
 * faults; returns the id, for the test to judge what was written. */
static char *
answer_lost(struct emu_proc *e, const char *prefix, const char *kind,
	    bool put, long timeout_ms, CURLcode rc)
{
	char *id = unique_id(prefix);
	set_scoped(e, kind, id);
	struct reply *r = put ? put_new(e, id, timeout_ms)
			      : get_with(e, id, timeout_ms, true);
	expect_no_answer(r, rc);
	reply_free(r);
	clear_faults(e);
	return id;
}

/* The GET that follows finds the enrollment the lost PUT wrote. */
static void
expect_written(struct emu_proc *e, const char *id)
{
	struct reply *r = get_with(e, id, 0, false);
	EXPECT_JSON(r, 200);
	reply_free(r);
}

START_TEST(drop_closes_without_answer)
{
	struct emu_proc *e = clean_emu();
	char *id = answer_lost(e, "f-drop", "drop", false, 0,
			       CURLE_GOT_NOTHING);
	expect_normal(e, id);
	free(id);
}
END_TEST

/* Without `after` the request never reaches its handler: nothing is
 * written. */
START_TEST(drop_before_handler_writes_nothing)
{
	struct emu_proc *e = clean_emu();
	char *id = answer_lost(e, "f-dropbefore", "drop,method=PUT", true, 0,
			       CURLE_GOT_NOTHING);
	expect_normal(e, id);
	free(id);
}
END_TEST

/* With `after` the write happens and only its answer is lost: the case
 * where a client must not assume failure. */
START_TEST(drop_after_handler_keeps_the_write)
{
	struct emu_proc *e = clean_emu();
	char *id = answer_lost(e, "f-dropafter", "drop,after,method=PUT",
			       true, 0, CURLE_GOT_NOTHING);
	expect_written(e, id);
	free(id);
}
END_TEST

START_TEST(delay_after_handler_keeps_the_write)
{
	struct emu_proc *e = clean_emu();
	char *id = answer_lost(e, "f-delayafter",
			       "delay=2000,after,method=PUT", true, 500,
			       CURLE_OPERATION_TIMEDOUT);
	expect_written(e, id);
	free(id);
}
END_TEST

START_TEST(malformed_body_is_not_json)
{
	struct emu_proc *e = clean_emu();
	char *id = unique_id("f-malformed");
	set_scoped(e, "malformed", id);
	struct reply *r = get_with(e, id, 0, false);
	EXPECT_STATUS(r, 200);
	ck_assert_msg(r->body_len > 0, "malformed fault sent no body");
	ck_assert_msg(!r->json, "the malformed body parses as JSON: %s", r->body);
	reply_free(r);
	clear_faults(e);
	expect_normal(e, id);
	free(id);
}
END_TEST

START_TEST(oversized_body_trips_maxfilesize)
{
	struct emu_proc *e = clean_emu();
	char *id = unique_id("f-huge");
	set_scoped(e, "oversized", id);
	char *path = xasprintf("/enrollments/%s", id);
	struct http_req req = { .method = "GET", .path = path,
				.max_file_size = 1024 * 1024,
				.fresh_connection = true };
	struct reply *r = http(e, &req);
	ck_assert_msg(r->rc == CURLE_FILESIZE_EXCEEDED,
		      "expected '%s', got %ld (%s) after %zu bytes",
		      curl_easy_strerror(CURLE_FILESIZE_EXCEEDED), r->status,
		      curl_easy_strerror(r->rc), r->seen);
	reply_free(r);
	clear_faults(e);
	expect_normal(e, id);
	free(path);
	free(id);
}
END_TEST

/* A client that caps what it reads (no Content-Length trust) sees more
 * than its cap and stops. */
START_TEST(oversized_body_passes_a_read_cap)
{
	struct emu_proc *e = clean_emu();
	char *id = unique_id("f-huge-cap");
	set_scoped(e, "oversized", id);
	char *path = xasprintf("/enrollments/%s", id);
	struct http_req req = { .method = "GET", .path = path,
				.cap = 1024 * 1024, .fresh_connection = true };
	struct reply *r = http(e, &req);
	ck_assert_msg(r->rc == CURLE_WRITE_ERROR && r->capped,
		      "expected the cap to cut the transfer, got %s after %zu "
		      "bytes", curl_easy_strerror(r->rc), r->seen);
	ck_assert_uint_gt(r->seen, 1024 * 1024);
	reply_free(r);
	clear_faults(e);
	expect_normal(e, id);
	free(path);
	free(id);
}
END_TEST

START_TEST(count_is_used_up)
{
	struct emu_proc *e = clean_emu();
	char *id = unique_id("f-count");
	set_scoped(e, "status=500,count=2", id);
	for (int i = 0; i < 2; i++) {
		struct reply *r = get_with(e, id, 0, false);
		EXPECT_JSON(r, 500);
		reply_free(r);
	}
	expect_normal(e, id);
	expect_normal(e, id);
	free(id);
}
END_TEST

START_TEST(method_filter_spares_other_methods)
{
	struct emu_proc *e = clean_emu();
	char *id = unique_id("f-method");
	set_scoped(e, "status=503,method=DELETE", id);
	expect_normal(e, id);
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(e, "DELETE", path, NULL);
	EXPECT_JSON(r, 503);
	reply_free(r);
	clear_faults(e);
	free(path);
	free(id);
}
END_TEST

START_TEST(admin_lists_and_clears_faults)
{
	struct emu_proc *e = clean_emu();
	char *id = unique_id("f-admin");
	set_scoped(e, "status=503", id);
	set_scoped(e, "delay=100,count=5", id);
	struct reply *r = admin(e, "GET", "/admin/faults", NULL);
	EXPECT_JSON(r, 200);
	ck_assert_msg(cJSON_IsArray(r->json) && cJSON_GetArraySize(r->json) == 2,
		      "GET /admin/faults: %s", r->body);
	const cJSON *f;
	cJSON_ArrayForEach(f, r->json)
		ck_assert_msg(jstr(f, "spec"), "an entry without spec: %s",
			      r->body);
	ck_assert_msg(strstr(r->body, "status=503"), "%s", r->body);
	reply_free(r);
	clear_faults(e);
	r = admin(e, "GET", "/admin/faults", NULL);
	EXPECT_JSON(r, 200);
	ck_assert_msg(cJSON_IsArray(r->json) && cJSON_GetArraySize(r->json) == 0,
		      "after DELETE: %s", r->body);
	reply_free(r);
	expect_normal(e, id);
	free(id);
}
END_TEST

START_TEST(admin_refuses_a_bad_spec)
{
	struct emu_proc *e = clean_emu();
	struct reply *r = admin(e, "POST", "/admin/faults", "explode=1");
	EXPECT_STATUS(r, 400);
	reply_free(r);
	r = admin(e, "GET", "/admin/faults", NULL);
	EXPECT_JSON(r, 200);
	ck_assert_int_eq(cJSON_GetArraySize(r->json), 0);
	reply_free(r);
}
END_TEST

/* A fault on every path must not lock out the way to clear it. */
START_TEST(faults_spare_the_admin_api)
{
	struct emu_proc *e = clean_emu();
	char *id = unique_id("f-all");
	set_fault(e, "status=503");
	struct reply *r = get_with(e, id, 0, false);
	EXPECT_JSON(r, 503);
	reply_free(r);
	r = admin(e, "GET", "/admin/faults", NULL);
	EXPECT_JSON(r, 200);
	reply_free(r);
	clear_faults(e);
	expect_normal(e, id);
	free(id);
}
END_TEST

START_TEST(fault_from_the_command_line)
{
	static const char *const args[] = { "--fault", "status=500,count=1",
					    NULL };
	struct emu_proc *e = emu_start(args);
	struct reply *r = get_with(e, "cli-fault", 0, false);
	EXPECT_JSON(r, 500);
	reply_free(r);
	expect_normal(e, "cli-fault");
	emu_stop(e);
	emu_free(e);
}
END_TEST

START_TEST(bad_fault_on_the_command_line_stops_start)
{
	static const char *const args[] = { "--fault", "explode=1", NULL };
	char *why = NULL;
	struct emu_proc *e = emu_prepare(NULL, &why);
	ck_assert_msg(e, "%s", why);
	int status = emu_run_to_exit(e, args);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) != 0,
		      "wait status %#x", (unsigned)status);
	char *log = emu_log(e);
	ck_assert_msg(strstr(log, "explode"), "stderr does not name the bad "
		      "spec: %s", log);
	free(log);
	emu_free(e);
}
END_TEST

/* A mistyped --fault is a usage error (status 2), found before the data
 * folder is made, so a typo leaves no half-set-up folder behind. */
START_TEST(bad_fault_is_a_usage_error_that_creates_nothing)
{
	static const char *const args[] = { "--fault", "nonsense", NULL };
	char *why = NULL;
	struct emu_proc *e = emu_prepare(NULL, &why);
	ck_assert_msg(e, "%s", why);
	int status = emu_run_to_exit(e, args);
	char *log = emu_log(e);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 2,
		      "wait status %#x: %s", (unsigned)status, log);
	ck_assert_msg(strstr(log, "nonsense") &&
		      strstr(log, "unknown fault kind"),
		      "stderr does not say what is wrong with the spec: %s", log);
	struct stat st;
	ck_assert_msg(stat(e->data_dir, &st) != 0 && errno == ENOENT,
		      "%s was created", e->data_dir);
	free(log);
	emu_free(e);
}
END_TEST

static double
seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* An injected delay stands for a slow service, not for work to finish:
 * an operator's SIGTERM must not wait it out. */
START_TEST(sigterm_does_not_wait_for_a_delay)
{
	static const char *const args[] = {
		"--fault", "delay=20000,path=/enrollments/slow", NULL
	};
	struct emu_proc *e = emu_start(args);
	struct reply *r = get_with(e, "slow", 500, true);
	expect_no_answer(r, CURLE_OPERATION_TIMEDOUT);
	reply_free(r);
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	emu_stop(e);
	double took = seconds_since(&start);
	ck_assert_msg(took < 3.0, "SIGTERM took %.2f s with a request in an "
		      "injected delay", took);
	emu_free(e);
}
END_TEST

Suite *
faults_suite(void)
{
	Suite *s = suite_create("faults");
	TCase *tc = itest_tcase("faults");
	tcase_add_unchecked_fixture(tc, shared_up, shared_down);
	tcase_add_test(tc, delay_outlasts_a_client_timeout);
	tcase_add_test(tc, short_delay_answers_late_but_normally);
	tcase_add_test(tc, status_with_retry_after);
	tcase_add_test(tc, drop_closes_without_answer);
	tcase_add_test(tc, drop_before_handler_writes_nothing);
	tcase_add_test(tc, drop_after_handler_keeps_the_write);
	tcase_add_test(tc, delay_after_handler_keeps_the_write);
	tcase_add_test(tc, malformed_body_is_not_json);
	tcase_add_test(tc, oversized_body_trips_maxfilesize);
	tcase_add_test(tc, oversized_body_passes_a_read_cap);
	tcase_add_test(tc, count_is_used_up);
	tcase_add_test(tc, method_filter_spares_other_methods);
	tcase_add_test(tc, admin_lists_and_clears_faults);
	tcase_add_test(tc, admin_refuses_a_bad_spec);
	tcase_add_test(tc, faults_spare_the_admin_api);
	suite_add_tcase(s, tc);
	TCase *own = itest_tcase("faults-cli");
	tcase_add_test(own, fault_from_the_command_line);
	tcase_add_test(own, bad_fault_on_the_command_line_stops_start);
	tcase_add_test(own, bad_fault_is_a_usage_error_that_creates_nothing);
	tcase_add_test(own, sigterm_does_not_wait_for_a_delay);
	suite_add_tcase(s, own);
	return s;
}
