/* The network worker (dps/worker.h) against dpsemu: jobs finish in the
 * order they were submitted, the eventfd tells when one waits, a cancel
 * ends a job early whether it runs or waits, and shutting down with work
 * pending is prompt. Leaks show in the sanitizer build. */

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "suites.h"
#include "dps/worker.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

enum { TAKE_WAIT_MS = 10000 };


static struct dps_worker *
worker_with(const char *cacert)
{
	struct dps_conn conn = { .host = test_emu->host_name,
				 .policy = test_emu->policy_name,
				 .key = test_emu->policy_key };
	struct dps_client_opts opts = { .cacert = cacert, .backoff_ms = 10,
					.timeout_ms = 10000 };
	char *why = NULL;
	struct dps_worker *w = dps_worker_new(&conn, &opts, &why);
	ck_assert_msg(w, "dps_worker_new: %s", why ? why : "?");
	return w;
}

static struct dps_worker *
new_worker(void)
{
	return worker_with(test_emu->ca_path);
}

static bool
fd_readable(const struct dps_worker *w, int timeout_ms)
{
	struct pollfd p = { .fd = dps_worker_fd(w), .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);
	ck_assert_int_ge(n, 0);
	return n == 1 && (p.revents & POLLIN);
}

/* Whether `n` finished jobs wait to be taken, within `ms`. Read from the
 * eventfd's counter in /proc/self/fdinfo, which looking does not drain
 * (each finished job adds one; take drains it). */
static bool
finished_at_least(const struct dps_worker *w, unsigned long long n, int ms)
{
	char *path = xasprintf("/proc/self/fdinfo/%d", dps_worker_fd(w));
	double until = now_s() + ms / 1000.0;
	bool reached;
	for (;;) {
		char *info = file_read_all(path, NULL);
		ck_assert_msg(info, "cannot read %s", path);
		const char *count = strstr(info, "eventfd-count:");
		ck_assert_msg(count, "%s has no eventfd-count", path);
		reached = strtoull(count + strlen("eventfd-count:"), NULL, 16) >= n;
		free(info);
		if (reached || now_s() >= until)
			break;
		pause_ms(5);
	}
	free(path);
	return reached;
}

/* The next finished job, waiting on the fd as a UI would. */
static struct dps_job *
take_one(struct dps_worker *w, int timeout_ms)
{
	double until = now_s() + timeout_ms / 1000.0;
	for (;;) {
		struct dps_job *j = dps_worker_take(w);
		if (j)
			return j;
		int left = (int)((until - now_s()) * 1000);
		ck_assert_msg(left > 0, "no job finished within %d ms",
			      timeout_ms);
		fd_readable(w, left);
	}
}

static void
expect_job(const struct dps_job *j, unsigned id, long status)
{
	ck_assert_msg(j->id == id, "job %u came back where %u was expected",
		      j->id, id);
	char *d = dps_response_describe(&j->resp);
	ck_assert_msg(j->resp.failure == DPS_ANSWERED && j->resp.status == status,
		      "job %u: expected HTTP %ld, got %s", j->id, status, d);
	free(d);
}

static void
expect_cancelled(const struct dps_job *j, unsigned id)
{
	ck_assert_uint_eq(j->id, id);
	ck_assert_msg(j->cancelled, "job %u is not marked cancelled", id);
	char *d = dps_response_describe(&j->resp);
	ck_assert_msg(j->resp.failure == DPS_FAIL_CANCELLED,
		      "job %u: expected DPS_FAIL_CANCELLED, got %d: %s", id,
		      (int)j->resp.failure, d);
	free(d);
}

/* Lines of the emulator's log naming `id`, every request sent so far
 * counted (see emu_log_barrier). */
static int
requests_for(const char *id)
{
	emu_log_barrier(test_emu);
	char *re = xasprintf("/enrollments/%s ", id);
	int n = emu_log_wait(test_emu, re, 0);
	free(re);
	return n;
}

START_TEST(jobs_finish_in_submission_order)
{
	struct dps_worker *w = new_worker();
	char *id = unique_id("w-order");
	char *body = enrollment_text(id, "");
	unsigned ids[5];
	ids[0] = dps_worker_submit(w, DPS_OP_PUT, id, body, NULL);
	ids[1] = dps_worker_submit(w, DPS_OP_GET, id, NULL, NULL);
	ids[2] = dps_worker_submit(w, DPS_OP_ATTESTATION, id, NULL, NULL);
	ids[3] = dps_worker_submit(w, DPS_OP_GET, "w-nobody", NULL, NULL);
	ids[4] = dps_worker_submit(w, DPS_OP_DELETE, id, NULL, NULL);
	free(body);
	for (int i = 1; i < 5; i++)
		ck_assert_uint_gt(ids[i], ids[i - 1]);
	static const long want[5] = { 200, 200, 200, 404, 204 };
	char *key = NULL;
	for (int i = 0; i < 5; i++) {
		struct dps_job *j = take_one(w, TAKE_WAIT_MS);
		expect_job(j, ids[i], want[i]);
		if (i == 0)
			key = xstrdup(jstr(j->resp.body, "attestation."
					   "symmetricKey.primaryKey"));
		if (i == 2)
			ck_assert_str_eq(jstr(j->resp.body,
					      "symmetricKey.primaryKey"), key);
		if (i != 3)
			ck_assert_str_eq(j->reg_id, id);
		dps_job_free(j);
	}
	ck_assert_ptr_null(dps_worker_take(w));
	free(key);
	dps_worker_free(w);
	free(id);
}
END_TEST

START_TEST(query_and_regstate_jobs_run)
{
	struct dps_worker *w = new_worker();
	char *id = unique_id("w-ops");
	cJSON_Delete(create_enrollment(test_emu, id, ""));
	unsigned q = dps_worker_submit(w, DPS_OP_QUERY, NULL, NULL, NULL);
	unsigned rs = dps_worker_submit(w, DPS_OP_REGSTATE, id, NULL, NULL);
	struct dps_job *j = take_one(w, TAKE_WAIT_MS);
	expect_job(j, q, 200);
	ck_assert(cJSON_IsArray(j->resp.body));
	ck_assert_int_eq(cJSON_GetArraySize(j->resp.body), 1);
	ck_assert_str_eq(jstr(cJSON_GetArrayItem(j->resp.body, 0),
			      "registrationId"), id);
	dps_job_free(j);
	j = take_one(w, TAKE_WAIT_MS);
	expect_job(j, rs, 404);
	dps_job_free(j);
	dps_worker_free(w);
	free(id);
}
END_TEST

START_TEST(fd_is_readable_while_finished_jobs_wait)
{
	struct dps_worker *w = new_worker();
	ck_assert(!fd_readable(w, 0));
	ck_assert_ptr_null(dps_worker_take(w));

	unsigned one = dps_worker_submit(w, DPS_OP_GET, "w-fd-0", NULL, NULL);
	ck_assert_msg(fd_readable(w, 5000), "the fd did not become readable");
	struct dps_job *j = dps_worker_take(w);
	ck_assert_ptr_nonnull(j);
	expect_job(j, one, 404);
	dps_job_free(j);
	ck_assert(!fd_readable(w, 0));
	ck_assert_ptr_null(dps_worker_take(w));

	unsigned ids[3];
	for (int i = 0; i < 3; i++) {
		char *id = xasprintf("w-fd-%d", i + 1);
		ids[i] = dps_worker_submit(w, DPS_OP_GET, id, NULL, NULL);
		free(id);
	}
	/* let all three finish before taking any */
	ck_assert_msg(finished_at_least(w, 3, 5000),
		      "three jobs did not finish within 5 s");
	for (int i = 0; i < 3; i++) {
		ck_assert_msg(fd_readable(w, 0), "the fd is quiet with %d jobs "
			      "left to take", 3 - i);
		j = dps_worker_take(w);
		ck_assert_ptr_nonnull(j);
		expect_job(j, ids[i], 404);
		dps_job_free(j);
	}
	ck_assert_msg(!fd_readable(w, 0), "the fd stays readable once drained");
	ck_assert_ptr_null(dps_worker_take(w));
	dps_worker_free(w);
}
END_TEST

START_TEST(cancel_ends_a_running_job_early)
{
	struct dps_worker *w = new_worker();
	set_fault(test_emu, "delay=3000,count=1,path=/enrollments/w-slow");
	unsigned id = dps_worker_submit(w, DPS_OP_GET, "w-slow", NULL, NULL);
	wait_faults_used(test_emu, 5000);	/* in flight: the emulator sits on it */
	ck_assert(!fd_readable(w, 0));
	double t0 = now_s();
	ck_assert(dps_worker_cancel(w, id));
	struct dps_job *j = take_one(w, 2500);
	double took = now_s() - t0;
	expect_cancelled(j, id);
	ck_assert_msg(took < 1.5, "the cancel took %.2f s", took);
	dps_job_free(j);
	ck_assert_msg(!dps_worker_cancel(w, id), "a finished job was cancelled");

	/* the worker goes on with the next job */
	unsigned next = dps_worker_submit(w, DPS_OP_GET, "w-after", NULL, NULL);
	j = take_one(w, 2000);
	expect_job(j, next, 404);
	dps_job_free(j);
	dps_worker_free(w);
}
END_TEST

START_TEST(cancel_of_a_queued_job_sends_nothing)
{
	struct dps_worker *w = new_worker();
	set_fault(test_emu, "delay=1000,count=1,path=/enrollments/w-first");
	char *id = unique_id("w-queued");
	char *body = enrollment_text(id, "");
	unsigned first = dps_worker_submit(w, DPS_OP_GET, "w-first", NULL, NULL);
	unsigned queued = dps_worker_submit(w, DPS_OP_PUT, id, body, NULL);
	free(body);
	wait_faults_used(test_emu, 5000);	/* the first is in flight */
	ck_assert(dps_worker_cancel(w, queued));
	struct dps_job *j = take_one(w, 5000);
	expect_job(j, first, 404);
	dps_job_free(j);
	j = take_one(w, 2000);
	expect_cancelled(j, queued);
	dps_job_free(j);
	ck_assert_int_eq(requests_for(id), 0);
	dps_worker_free(w);
	free(id);
}
END_TEST

START_TEST(cancel_of_an_unknown_job_is_false)
{
	struct dps_worker *w = new_worker();
	ck_assert(!dps_worker_cancel(w, 12345));
	dps_worker_free(w);
}
END_TEST

START_TEST(shutdown_with_work_pending_is_prompt)
{
	struct dps_worker *w = new_worker();
	set_fault(test_emu, "delay=5000,count=1,path=/enrollments/w-stuck");
	dps_worker_submit(w, DPS_OP_GET, "w-stuck", NULL, NULL);
	char *ids[3];
	for (int i = 0; i < 3; i++) {
		ids[i] = unique_id("w-pending");
		char *body = enrollment_text(ids[i], "");
		dps_worker_submit(w, DPS_OP_PUT, ids[i], body, NULL);
		free(body);
	}
	wait_faults_used(test_emu, 5000);	/* the first is in flight */
	double t0 = now_s();
	dps_worker_free(w);
	double took = now_s() - t0;
	ck_assert_msg(took < 2.0, "shutting down took %.2f s", took);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(requests_for(ids[i]), 0);
		free(ids[i]);
	}
}
END_TEST

START_TEST(shutdown_frees_results_not_taken)
{
	struct dps_worker *w = new_worker();
	for (int i = 0; i < 3; i++)
		dps_worker_submit(w, DPS_OP_QUERY, NULL, NULL, NULL);
	ck_assert_msg(finished_at_least(w, 3, 5000),
		      "three jobs did not finish within 5 s");
	dps_worker_free(w);
}
END_TEST

static double
seconds_until(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(t->tv_sec - now.tv_sec) +
	       (double)(t->tv_nsec - now.tv_nsec) / 1e9;
}

/* A job that waits out a Retry-After says so through the fd, so the UI
 * can count down instead of spinning in silence. */
START_TEST(a_retry_wait_is_news_on_the_fd)
{
	struct dps_worker *w = new_worker();
	set_fault(test_emu, "status=429,retry-after=2,count=1,"
		  "path=/enrollments/w-throttled");
	unsigned id = dps_worker_submit(w, DPS_OP_GET, "w-throttled", NULL, NULL);
	ck_assert_msg(fd_readable(w, 5000), "no news while the job waits");
	ck_assert_ptr_null(dps_worker_take(w));
	struct dps_job_progress p;
	ck_assert_msg(dps_worker_progress(w, id, &p), "the waiting job has no news");
	ck_assert_int_eq(p.retry.failure, DPS_ANSWERED);
	ck_assert_int_eq(p.retry.status, 429);
	ck_assert_uint_eq(p.retry.wait_ms, 2000);
	ck_assert_int_eq(p.retry.next_attempt, 2);
	ck_assert_int_eq(p.retry.max_attempts, 4);
	ck_assert_msg(seconds_until(&p.retry_at) <= 2.0, "the retry is due in "
		      "%.2f s, after its 2 s wait", seconds_until(&p.retry_at));
	ck_assert(!dps_worker_progress(w, id + 1, &p));

	struct dps_job *j = take_one(w, TAKE_WAIT_MS);
	expect_job(j, id, 404);
	ck_assert_int_eq(j->resp.attempts, 2);
	dps_job_free(j);
	ck_assert_msg(!dps_worker_progress(w, id, &p), "a finished job has news");
	dps_worker_free(w);
}
END_TEST

START_TEST(failures_are_reported_per_job)
{
	/* without the emulator's CA */
	struct dps_worker *w = worker_with(NULL);
	unsigned a = dps_worker_submit(w, DPS_OP_GET, "w-a", NULL, NULL);
	unsigned b = dps_worker_submit(w, DPS_OP_GET, "w-b", NULL, NULL);
	for (unsigned id = a; id <= b; id++) {
		struct dps_job *j = take_one(w, TAKE_WAIT_MS);
		ck_assert_uint_eq(j->id, id);
		ck_assert_int_eq(j->resp.failure, DPS_FAIL_TLS_CA);
		ck_assert_msg(j->resp.hint && strstr(j->resp.hint, "--cacert"),
			      "hint: %s", j->resp.hint ? j->resp.hint : "(none)");
		dps_job_free(j);
	}
	dps_worker_free(w);
}
END_TEST

Suite *
worker_suite(void)
{
	Suite *s = suite_create("worker");
	TCase *tc = itest_tcase("worker");
	tcase_add_checked_fixture(tc, test_emu_up, test_emu_down);
	tcase_add_test(tc, jobs_finish_in_submission_order);
	tcase_add_test(tc, query_and_regstate_jobs_run);
	tcase_add_test(tc, fd_is_readable_while_finished_jobs_wait);
	tcase_add_test(tc, cancel_ends_a_running_job_early);
	tcase_add_test(tc, cancel_of_a_queued_job_sends_nothing);
	tcase_add_test(tc, cancel_of_an_unknown_job_is_false);
	tcase_add_test(tc, shutdown_with_work_pending_is_prompt);
	tcase_add_test(tc, shutdown_frees_results_not_taken);
	tcase_add_test(tc, failures_are_reported_per_job);
	tcase_add_test(tc, a_retry_wait_is_news_on_the_fd);
	suite_add_tcase(s, tc);
	return s;
}
