/* The fleet list's figures, on one dpsemu filled by bulk create to N/100
 * and then N enrollments (default 100,000):
 *
 * - peak resident size of a real `dpsenroll list` (and `list
 *   --with-state` at N/100 and N/10) at each size: streaming pages keeps
 *   them flat;
 * - the row store for every enrollment (rows from the query's pages,
 *   each with a registration state as the service words one): its bytes;
 * - the time from the first page's answer to the first screen's rows
 *   (rows added, view filtered and sorted), and a filter and a sort over
 *   all N rows, which the screen does without the network.
 *
 * Prints figures; not a pass/fail test, though it fails when a list does
 * not print every enrollment.
 *
 *   DPSEMU=build/dpsemu DPSENROLL=build/dpsenroll \
 *     build/bench/fleet_bench [N]          (default 100000) */

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
#include "app/fleet_row.h"
#include "base/xalloc.h"
#include "dps/ops.h"
#include "sys/fileio.h"

enum { DEFAULT_N = 100000, MIN_N = 1000, SCREEN_ROWS = 30 };

static long
count_lines(const char *path)
{
	char *text = file_read_all(path, NULL);
	long n = 0;
	for (const char *p = text; p && *p; p++)
		n += *p == '\n';
	free(text);
	return text ? n : -1;
}

/* Runs `dpsenroll list` into `out`; its peak RSS in KiB, or -1 when it
 * failed or did not print `expect` lines. */
static long
list_peak_kib(struct bench_spawner *s, const struct emu_proc *e,
	      const char *out, bool with_state, long expect, double *seconds)
{
	int code;
	long kib = bench_spawner_run(s, e, out, with_state
				     ? "list --with-state --ops-per-minute 0"
				     : "list --ops-per-minute 0", &code, seconds);
	long got = count_lines(out);
	if (code != 0 || got != expect) {
		fprintf(stderr, "fleet_bench: dpsenroll list exited %d, printed "
			"%ld of %ld\n", code, got, expect);
		return -1;
	}
	return kib;
}

struct first_screen {
	struct fleet_rows *rows;
	struct fleet_view view;
	double first_page_s;	/* from the answer to the screen's rows */
	long pages;
};

/* As the screen does: each page into the store and the view; the first
 * one timed, from its answer to the rows of the first screen. */
static bool
on_page(void *ctx, const cJSON *items)
{
	struct first_screen *f = ctx;
	double t0 = bench_now_s();
	fleet_rows_add_page(f->rows, items);
	fleet_view_update(&f->view, f->rows);
	if (f->pages++ == 0) {
		size_t n = f->view.count < SCREEN_ROWS ? f->view.count
						       : SCREEN_ROWS;
		size_t bytes = 0;
		for (size_t i = 0; i < n; i++)
			for (int c = 0; c < FLEET_COL_COUNT; c++)
				bytes += strlen(fleet_row_text(
					f->rows, fleet_rows_at(f->rows,
							       f->view.idx[i]),
					(enum fleet_col)c));
		f->first_page_s = bench_now_s() - t0;
		if (!bytes)
			return false;
	}
	return true;
}

/* A state as the service words one, for every row: fetching 100,000
 * would take the budget 105 minutes, and the bytes are the same. */
static void
give_states(struct fleet_rows *rows)
{
	cJSON *st = cJSON_Parse(
		"{\"registrationId\":\"x\",\"createdDateTimeUtc\":"
		"\"2026-12-04T10:00:00.1234567Z\",\"assignedHub\":"
		"\"contoso-west-hub-3.azure-devices.net\",\"deviceId\":\"x\","
		"\"status\":\"assigned\",\"substatus\":\"initialAssignment\","
		"\"lastUpdatedDateTimeUtc\":\"\",\"etag\":\"\"}");
	char when[96], etag[96];
	for (size_t i = 0; i < fleet_rows_count(rows); i++) {
		snprintf(when, sizeof(when), "2026-12-04T10:%02zu:%02zu.%07zuZ",
			 i / 60 % 60, i % 60, i % 10000000);
		snprintf(etag, sizeof(etag), "\"IjY%08zx-0000-4000-8000-%012zu\"",
			 i * 2654435761u, i);
		cJSON_SetValuestring(cJSON_GetObjectItem(
			st, "lastUpdatedDateTimeUtc"), when);
		cJSON_SetValuestring(cJSON_GetObjectItem(st, "etag"), etag);
		fleet_rows_set_state(rows, i, st, 1);
	}
	cJSON_Delete(st);
}

static int
row_store(struct dps_client *c, long n)
{
	struct first_screen f = { .rows = fleet_rows_new(),
				  .view = FLEET_VIEW_INIT };
	struct dps_response r;
	double t0 = bench_now_s();
	enum dps_query_end end = dps_enrollment_query_each(
		c, 100, DPS_QUERY_MAX_ITEMS, on_page, &f, &r);
	double all_s = bench_now_s() - t0;
	dps_response_clear(&r);
	if (end != DPS_QUERY_DONE || (long)fleet_rows_count(f.rows) != n) {
		fprintf(stderr, "fleet_bench: the query gave %zu of %ld rows\n",
			fleet_rows_count(f.rows), n);
		return EXIT_FAILURE;
	}
	size_t bare = fleet_rows_memory(f.rows);
	give_states(f.rows);
	size_t full = fleet_rows_memory(f.rows);
	printf("row store, %ld rows: %.1f MiB (%.0f bytes a row); with a "
	       "registration state each: %.1f MiB (%.0f bytes a row)\n", n,
	       bare / 1048576.0, (double)bare / n, full / 1048576.0,
	       (double)full / n);
	printf("first screen's rows after the first page's answer: %.3f ms "
	       "(every page into the store and view: %.1f s for %ld pages, "
	       "the network included)\n", f.first_page_s * 1e3, all_s, f.pages);
	t0 = bench_now_s();
	fleet_view_set_filter(&f.view, f.rows, "device-0012");
	double filter_s = bench_now_s() - t0;
	size_t matched = f.view.count;
	t0 = bench_now_s();
	fleet_view_set_filter(&f.view, f.rows, "device-00123");
	double narrow_s = bench_now_s() - t0;
	size_t narrowed = f.view.count;
	fleet_view_set_filter(&f.view, f.rows, NULL);
	t0 = bench_now_s();
	fleet_view_set_sort(&f.view, f.rows, FLEET_COL_UPDATED, true);
	double sort_s = bench_now_s() - t0;
	printf("over %ld rows: a typed filter %.1f ms (%zu match), one more "
	       "letter %.2f ms (%zu match), a sort by last updated %.1f ms\n",
	       n, filter_s * 1e3, matched, narrow_s * 1e3, narrowed,
	       sort_s * 1e3);
	fleet_view_clear(&f.view);
	fleet_rows_free(f.rows);
	return EXIT_SUCCESS;
}

static long
parse_n(int argc, char **argv)
{
	char *end = NULL;
	long n = argc > 1 && *argv[1] ? strtol(argv[1], &end, 10) : DEFAULT_N;
	if ((end && *end) || n < MIN_N) {
		fprintf(stderr, "usage: fleet_bench [N]  (N >= %d)\n", MIN_N);
		return -1;
	}
	return n;
}

static void
print_list(long count, bool state, long kib, long first_kib, double s)
{
	printf("list%s %7ld enrollments: peak RSS %6.1f MiB  x%.2f of the "
	       "first (%.1f s)\n", state ? " --with-state" : "             ",
	       count, kib / 1024.0, (double)kib / (double)first_kib, s);
	fflush(stdout);
}

static int
bench(struct bench_spawner *s, struct emu_proc *e, long n)
{
	struct dps_conn conn = { .host = e->host_name, .policy = e->policy_name,
				 .key = e->policy_key };
	struct dps_client_opts opts = { .cacert = e->ca_path,
					 .ops_per_minute = -1 };
	char *why = NULL;
	struct dps_client *c = dps_client_new(&conn, &opts, &why);
	if (!c) {
		fprintf(stderr, "fleet_bench: %s\n", why);
		free(why);
		return EXIT_FAILURE;
	}
	char *out = xasprintf("%s/list.jsonl", e->root);
	long small = n / 100, mid = n / 10, first = 0, first_state = 0;
	double sec;
	int rc = EXIT_FAILURE;
	if (!bench_fill(c, "fleet_bench", "fbench", 0, small, true))
		goto done;
	if ((first = list_peak_kib(s, e, out, false, small, &sec)) < 0)
		goto done;
	print_list(small, false, first, first, sec);
	if ((first_state = list_peak_kib(s, e, out, true, small, &sec)) < 0)
		goto done;
	print_list(small, true, first_state, first_state, sec);
	if (!bench_fill(c, "fleet_bench", "fbench", small, mid, true))
		goto done;
	long kib = list_peak_kib(s, e, out, true, mid, &sec);
	if (kib < 0)
		goto done;
	print_list(mid, true, kib, first_state, sec);
	double t0 = bench_now_s();
	if (!bench_fill(c, "fleet_bench", "fbench", mid, n, true))
		goto done;
	printf("(filled to %ld in %.1f s)\n", n, bench_now_s() - t0);
	if ((kib = list_peak_kib(s, e, out, false, n, &sec)) < 0)
		goto done;
	print_list(n, false, kib, first, sec);
	rc = row_store(c, n);
done:
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
		fprintf(stderr, "fleet_bench: cannot start the spawner\n");
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	harness_init();
	/* No rate limit in the emulator, where it has one by default. */
	static const char *const unthrottled[] = { "--throttle", "0", NULL };
	char *why = NULL;
	struct emu_proc *e = emu_try_start(unthrottled, &why);
	if (!e) {
		free(why);
		why = NULL;
		e = emu_try_start(NULL, &why);
	}
	int rc = EXIT_FAILURE;
	if (e)
		rc = bench(&s, e, n);
	else
		fprintf(stderr, "fleet_bench: %s\n", why);
	free(why);
	emu_free(e);
	harness_cleanup();
	curl_global_cleanup();
	bench_spawner_stop(&s);
	return rc;
}
