#ifndef DPSENROLL_BASE_QUIET_TIMER_H
#define DPSENROLL_BASE_QUIET_TIMER_H

/* Work put off while changes keep coming: due once they stop for
 * quiet_ms, and at the latest max_ms after the first one not yet acted
 * on, so a steady stream still gets it now and then. Times are
 * milliseconds on one clock (clock_monotonic_ms). */

#include <stdbool.h>
#include <stdint.h>

struct quiet_timer {
	int quiet_ms, max_ms;	/* set once */
	bool pending;		/* a change not yet acted on */
	int64_t first_ms;	/* first such change */
	int64_t last_ms;	/* latest change */
};

/* Something changed at now_ms. */
void quiet_timer_touch(struct quiet_timer *t, int64_t now_ms);
/* Whether to act now. */
bool quiet_timer_due(const struct quiet_timer *t, int64_t now_ms);
/* Milliseconds until due (0: now), or -1 when nothing is pending; for a
 * poll timeout. */
int64_t quiet_timer_wait_ms(const struct quiet_timer *t, int64_t now_ms);
/* Acted on (or tried): nothing is pending until the next change. */
void quiet_timer_done(struct quiet_timer *t);

#endif
