#ifndef DPSENROLL_APP_WATCH_H
#define DPSENROLL_APP_WATCH_H

/* Watching a device register: the registration state is polled (GET
 * /registrations/{id}) until it shows an outcome newer than the watch.
 * This judges each answer and paces the polls; the caller makes the calls
 * and waits, so the command and the form share one rule.
 *
 * A state that was already there when the watch started is not the
 * answer: it is the state seen by the first poll (same etag) and it was
 * last updated before the watch started, by the service's clock (the
 * Date header tells how far this computer's clock is off). */

#include <stdbool.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "dps/client.h"

enum watch_verdict {
	WATCH_WAITING,		/* no state yet, an old one, or assigning */
	WATCH_ASSIGNED,
	WATCH_FAILED,
	WATCH_DISABLED,
	WATCH_ERROR,		/* the poll itself failed; see the response */
};

struct watch {
	double start;		/* this computer's clock at the start */
	double skew;		/* the service's clock minus ours */
	bool polled;		/* the first answer came */
	char *first_etag;	/* the state the first poll saw; NULL: none */
	bool stale;		/* an old state is there */
	unsigned delay_ms;	/* before the next poll */
	cJSON *state;		/* the outcome's state (owned), once decided */
};

/* The first poll goes out at once; `now` is time(NULL) or a test's. */
void watch_init(struct watch *w, double now);
void watch_clear(struct watch *w);

/* Judges one answer of GET /registrations/{id} received at `now`. 404
 * (never registered) is waiting; 429 after the client's own retries is
 * waiting too, the next poll then no sooner than its Retry-After. */
enum watch_verdict watch_feed(struct watch *w, const struct dps_response *r,
			      double now);

/* How long to wait before the next poll: 2 s, growing by half up to 5 s. */
unsigned watch_next_delay_ms(const struct watch *w);

/* The outcome in one line, from w->state: "assigned to HUB as device
 * DEV (initialAssignment)", "failed: 400209 MESSAGE", "disabled: ...",
 * in the user's language (it is shown, not journaled). Owned. */
char *watch_outcome_text(const struct watch *w, enum watch_verdict v);

/* "2023-05-19T23:21:53.4777930Z" as Unix seconds; false when it is not
 * such a time. */
bool watch_parse_utc(const char *s, double *out);

#endif
