/* PUT throughput and latency against a fresh dpsemu: N sequential creates
 * straight through dps_client (one kept-alive connection), then N through
 * the dps_worker queue the way the TUI will use it (submit one, poll the
 * fd, take, next). The difference is what the thread hand-off costs.
 * Prints figures; it is not a pass/fail test.
 *
 *   DPSEMU=build/dpsemu build/bench/client_put_bench [N]   (default 2000) */

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../integration/harness.h"
#include "base/xalloc.h"
#include "dps/ops.h"
#include "dps/worker.h"

enum { DEFAULT_N = 2000, TAKE_WAIT_MS = 30000 };

struct series {
	const char *name;
	double *ms;		/* one latency per PUT */
	int n;
	double seconds;		/* wall time of the whole run */
};

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static struct dps_conn
conn_of(const struct emu_proc *e)
{
	return (struct dps_conn){ .host = e->host_name, .policy = e->policy_name,
				  .key = e->policy_key };
}

static bool
put_ok(const struct dps_response *r, const char *id)
{
	if (r->failure == DPS_ANSWERED && r->status == 200)
		return true;
	char *d = dps_response_describe(r);
	fprintf(stderr, "client_put_bench: PUT %s: %s\n", id, d);
	free(d);
	return false;
}

/* One PUT of `body` for `id` through one of the two paths; true on 200. */
typedef bool (*put_fn)(void *path, const char *id, const char *body);

/* N sequential creates, each timed from the call to its answer. */
static bool
time_puts(struct series *s, const char *prefix, put_fn put, void *path)
{
	bool ok = true;
	double start = now_ms();
	for (int i = 0; i < s->n && ok; i++) {
		char *id = xasprintf("%s-%d", prefix, i);
		char *body = enrollment_text(id, "");
		double t0 = now_ms();
		ok = put(path, id, body);
		s->ms[i] = now_ms() - t0;
		free(body);
		free(id);
	}
	s->seconds = (now_ms() - start) / 1e3;
	return ok;
}

static bool
put_direct(void *path, const char *id, const char *body)
{
	struct dps_response r;
	dps_enrollment_put(path, id, body, NULL, &r);
	bool ok = put_ok(&r, id);
	dps_response_clear(&r);
	return ok;
}

/* Waits on the fd as a UI's poll loop would; NULL after TAKE_WAIT_MS. */
static struct dps_job *
wait_for_job(struct dps_worker *w)
{
	struct pollfd p = { .fd = dps_worker_fd(w), .events = POLLIN };
	struct dps_job *j;
	while (!(j = dps_worker_take(w)))
		if (poll(&p, 1, TAKE_WAIT_MS) <= 0)
			return NULL;
	return j;
}

static bool
put_through_worker(void *path, const char *id, const char *body)
{
	dps_worker_submit(path, DPS_OP_PUT, id, body, NULL);
	struct dps_job *j = wait_for_job(path);
	bool ok = j && put_ok(&j->resp, id);
	if (!j)
		fprintf(stderr, "client_put_bench: no answer for %s\n", id);
	dps_job_free(j);
	return ok;
}

static bool
run_direct(const struct emu_proc *e, struct series *s)
{
	struct dps_conn conn = conn_of(e);
	struct dps_client_opts opts = { .cacert = e->ca_path,
					 .ops_per_minute = -1 };
	char *why = NULL;
	struct dps_client *c = dps_client_new(&conn, &opts, &why);
	if (!c) {
		fprintf(stderr, "client_put_bench: %s\n", why);
		free(why);
		return false;
	}
	bool ok = time_puts(s, "bench-direct", put_direct, c);
	dps_client_free(c);
	return ok;
}

static bool
run_worker(const struct emu_proc *e, struct series *s)
{
	struct dps_conn conn = conn_of(e);
	struct dps_client_opts opts = { .cacert = e->ca_path,
					 .ops_per_minute = -1 };
	char *why = NULL;
	struct dps_worker *w = dps_worker_new(&conn, &opts, &why);
	if (!w) {
		fprintf(stderr, "client_put_bench: %s\n", why);
		free(why);
		return false;
	}
	bool ok = time_puts(s, "bench-worker", put_through_worker, w);
	dps_worker_free(w);
	return ok;
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted series. */
static double
percentile(const struct series *s, int p)
{
	int rank = (s->n * p + 99) / 100;
	return s->ms[rank > 0 ? rank - 1 : 0];
}

static double
per_second(const struct series *s)
{
	return s->seconds > 0 ? s->n / s->seconds : 0;
}

static void
report(struct series *s)
{
	qsort(s->ms, (size_t)s->n, sizeof(*s->ms), by_value);
	printf("%-7s %6d PUTs in %7.2f s: %8.1f req/s  p50 %7.3f ms  "
	       "p99 %7.3f ms\n", s->name, s->n, s->seconds, per_second(s),
	       percentile(s, 50), percentile(s, 99));
}

static void
report_ratio(const struct series *direct, const struct series *worker)
{
	printf("worker/direct: req/s x%.3f  p50 x%.3f  p99 x%.3f\n",
	       per_second(worker) / per_second(direct),
	       percentile(worker, 50) / percentile(direct, 50),
	       percentile(worker, 99) / percentile(direct, 99));
}

static int
parse_count(int argc, char **argv)
{
	if (argc < 2)
		return DEFAULT_N;
	char *end;
	long n = strtol(argv[1], &end, 10);
	if (*end || n < 1 || n > 1000000) {
		fprintf(stderr, "usage: client_put_bench [N]   (1 to 1000000)\n");
		return -1;
	}
	return (int)n;
}

static int
bench(struct emu_proc *e, int n)
{
	struct series direct = { "direct", xcalloc((size_t)n, sizeof(double)), n,
				 0 };
	struct series worker = { "worker", xcalloc((size_t)n, sizeof(double)), n,
				 0 };
	bool ok = run_direct(e, &direct) && run_worker(e, &worker);
	if (ok) {
		report(&direct);
		report(&worker);
		report_ratio(&direct, &worker);
	}
	free(direct.ms);
	free(worker.ms);
	return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

int
main(int argc, char **argv)
{
	int n = parse_count(argc, argv);
	if (n < 0)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	harness_init();
	char *why = NULL;
	struct emu_proc *e = emu_try_start(NULL, &why);
	int rc = EXIT_FAILURE;
	if (e)
		rc = bench(e, n);
	else
		fprintf(stderr, "client_put_bench: %s\n", why);
	free(why);
	emu_free(e);
	harness_cleanup();
	curl_global_cleanup();
	return rc;
}
