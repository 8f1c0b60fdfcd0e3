/* Peak memory of `dpsenroll query` as the store grows: one dpsemu filled
 * to N/100, N/10 and N enrollments (by bulk create, 10 per request, the
 * way `dpsenroll bulk` sends them), and after each fill a real `dpsenroll
 * query` whose peak resident size (ru_maxrss from wait4) is printed with
 * its ratio to the first. Streaming pages should keep the three figures
 * within about 2 MiB of each other. Prints figures; not a pass/fail test,
 * though it fails when a query does not print every enrollment.
 *
 *   DPSEMU=build/dpsemu DPSENROLL=build/dpsenroll \
 *     build/bench/query_memory_bench [N]          (default 100000) */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../integration/harness.h"
#include "lib/bench_lib.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/ops.h"
#include "sys/fileio.h"

enum { DEFAULT_N = 100000, MIN_N = 100, STEPS = 3 };

/* How many enrollments the output file's JSON array holds; -1 when it is
 * not one JSON array. */
static long
count_items(const char *path)
{
	char *text = file_read_all(path, NULL);
	cJSON *list = text ? cJSON_ParseWithOpts(text, NULL, false) : NULL;
	long n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : -1;
	cJSON_Delete(list);
	free(text);
	return n;
}

/* Runs `dpsenroll query` with its output in `out`; its peak RSS in KiB,
 * or -1 when it failed. */
static long
query_peak_kib(struct bench_spawner *s, const struct emu_proc *e,
	       const char *out, double *seconds)
{
	int code;
	long kib = bench_spawner_run(s, e, out, "query", &code, seconds);
	if (code != 0) {
		fprintf(stderr, "query_memory_bench: dpsenroll query exited %d\n",
			code);
		return -1;
	}
	return kib;
}

static long
parse_n(int argc, char **argv)
{
	char *end = NULL;
	long n = argc > 1 && *argv[1] ? strtol(argv[1], &end, 10) : DEFAULT_N;
	if ((end && *end) || n < MIN_N) {
		fprintf(stderr, "usage: query_memory_bench [N]  (N >= %d; runs "
			"N/100, N/10 and N enrollments)\n", MIN_N);
		return -1;
	}
	return n;
}

static int
bench(struct bench_spawner *s, struct emu_proc *e, const char *bin, long n)
{
	struct dps_conn conn = { .host = e->host_name, .policy = e->policy_name,
				 .key = e->policy_key };
	struct dps_client_opts opts = { .cacert = e->ca_path,
					 .ops_per_minute = -1 };
	char *why = NULL;
	struct dps_client *c = dps_client_new(&conn, &opts, &why);
	if (!c) {
		fprintf(stderr, "query_memory_bench: %s\n", why);
		free(why);
		return EXIT_FAILURE;
	}
	char *out = xasprintf("%s/query.json", e->root);
	long counts[STEPS] = { n / 100, n / 10, n }, peak[STEPS], have = 0;
	printf("dpsenroll %s\n", bin);
	int rc = EXIT_SUCCESS;
	for (int i = 0; i < STEPS && rc == EXIT_SUCCESS; i++) {
		double t0 = bench_now_s(), q = 0;
		if (!bench_fill(c, "query_memory_bench", "qbench", have, counts[i], false)) {
			rc = EXIT_FAILURE;
			break;
		}
		have = counts[i];
		double filled = bench_now_s() - t0;
		peak[i] = query_peak_kib(s, e, out, &q);
		long got = peak[i] < 0 ? -1 : count_items(out);
		if (got != counts[i]) {
			fprintf(stderr, "query_memory_bench: the query printed %ld "
				"of %ld enrollments\n", got, counts[i]);
			rc = EXIT_FAILURE;
			break;
		}
		printf("%7ld enrollments  peak RSS %8.1f MiB  x%.2f of the first  "
		       "(+%.1f MiB; fill %.1f s, query %.1f s)\n", counts[i],
		       peak[i] / 1024.0, (double)peak[i] / (double)peak[0],
		       (peak[i] - peak[0]) / 1024.0, filled, q);
		fflush(stdout);
	}
	unlink(out);
	free(out);
	dps_client_free(c);
	return rc;
}

int
main(int argc, char **argv)
{
	long n = parse_n(argc, argv);
	if (n < 0)
		return 2;
	const char *bin = getenv("DPSENROLL") ? getenv("DPSENROLL")
					      : "build/dpsenroll";
	struct bench_spawner s = { 0 };
	if (!bench_spawner_start(&s, bin)) {
		fprintf(stderr, "query_memory_bench: cannot start the spawner\n");
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	harness_init();
	char *why = NULL;
	/* The server's own pace, not Azure's 1,000 a minute. */
	static const char *const no_limit[] = { "--throttle", "0", NULL };
	struct emu_proc *e = emu_try_start(no_limit, &why);
	int rc = EXIT_FAILURE;
	if (e)
		rc = bench(&s, e, bin, n);
	else
		fprintf(stderr, "query_memory_bench: %s\n", why);
	free(why);
	emu_free(e);
	harness_cleanup();
	curl_global_cleanup();
	bench_spawner_stop(&s);
	return rc;
}
