#ifndef DPSENROLL_TESTS_BENCH_LIB_H
#define DPSENROLL_TESTS_BENCH_LIB_H

/* What the benchmarks that fill a dpsemu and measure a real dpsenroll
 * share: a clock, the fill, and the spawner that runs dpsenroll for its
 * peak memory. */

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "../../integration/harness.h"
#include "dps/client.h"

double bench_now_s(void);

/* Creates symmetric-key enrollments PREFIX-FROM .. PREFIX-(TO-1) (seven
 * digits), 10 per bulk request; with `device_ids`, each with a device id
 * as long as a bench's. False, said on stderr under `who`, on a failure. */
bool bench_fill(struct dps_client *c, const char *who, const char *prefix,
		long from, long to, bool device_ids);

/* The runs start from a small process forked before anything else: a
 * child's peak RSS counts the pages it inherits at fork, so a run forked
 * from the bench, grown by the fills, would be charged for them. The
 * spawner reads requests on one pipe and answers on another. */
struct bench_spawner {
	pid_t pid;
	FILE *to;
	FILE *from;
};

bool bench_spawner_start(struct bench_spawner *s, const char *bin);
void bench_spawner_stop(struct bench_spawner *s);

/* Runs `bin ARGS` (words separated by spaces) against the dpsemu `e`,
 * the key in its environment, its output in `out`. Its exit status in
 * *code (-1: it did not run), the time in *seconds; returns its peak RSS
 * in KiB. */
long bench_spawner_run(struct bench_spawner *s, const struct emu_proc *e,
		       const char *out, const char *args, int *code,
		       double *seconds);

#endif
