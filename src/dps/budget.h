#ifndef DPSENROLL_DPS_BUDGET_H
#define DPSENROLL_DPS_BUDGET_H

/* The client's own rate budget: a token bucket that keeps what one
 * session sends under the service's limit (1,000 operations a minute on
 * Azure), so that a long job (registration states for a whole fleet)
 * is paced rather than met with 429s. Every attempt of every call takes
 * one operation (dps_client_call); clients may share one budget across
 * threads.
 *
 * With a limit of L a minute the bucket holds B = L/20 operations (at
 * least 1) and refills at L - B a minute, so no 60 seconds ever see more
 * than L operations, however they fall.
 *
 * Background work (fetching states) leaves a reserve of the bucket to
 * the user's own requests, so a save is not queued behind a fleet. */

#include <stdbool.h>
#include <stdint.h>

#define DPS_BUDGET_DEFAULT_PER_MINUTE 1000

enum dps_budget_kind {
	DPS_BUDGET_USER,	/* what the user asked for: may drain the bucket */
	DPS_BUDGET_BACKGROUND,	/* leaves the reserve */
};

struct dps_budget;

/* `per_minute` operations a minute (> 0). now_ms: a monotonic clock in
 * milliseconds, NULL for CLOCK_MONOTONIC (tests pass their own). */
struct dps_budget *dps_budget_new(unsigned per_minute, int64_t (*now_ms)(void));
void dps_budget_free(struct dps_budget *b);

unsigned dps_budget_per_minute(const struct dps_budget *b);

/* Takes one operation now if there is one: true, or false with *wait_ms
 * the time until there will be (for this kind). Never waits. */
bool dps_budget_try_take(struct dps_budget *b, enum dps_budget_kind kind,
			 long *wait_ms);
/* Takes one operation, waiting while the budget is spent, in steps short
 * enough to see `cancelled` (may be NULL); false when cancelled. While
 * it waits, the budget counts it as held back. */
bool dps_budget_take(struct dps_budget *b, enum dps_budget_kind kind,
		     bool (*cancelled)(void *ctx), void *ctx);

/* How long `n` more operations of this kind take from now, in ms, at
 * the budget's pace (0 when the bucket holds them). */
long dps_budget_eta_ms(struct dps_budget *b, enum dps_budget_kind kind,
		       unsigned long n);

/* How many callers wait for the budget right now, and how many times
 * since it was made a caller had to wait: a footer says "held back"
 * while `waiting` is not 0. */
struct dps_budget_stats {
	unsigned waiting;
	unsigned long held_back;
	unsigned long taken;
};
void dps_budget_stats(struct dps_budget *b, struct dps_budget_stats *out);

#endif
