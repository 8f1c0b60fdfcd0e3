#ifndef DPSENROLL_APP_EXPLAIN_H
#define DPSENROLL_APP_EXPLAIN_H

/* A DPS error or a failed connection in words a technician can act on:
 * what most likely happened and what to do next. The raw answer (status,
 * errorCode, message, tracking id) is the caller's to show beside it; the
 * advice never repeats or replaces it. */

#include "dps/client.h"

struct advice {
	char *cause;		/* owned; NULL when nothing went wrong */
	char *next_step;	/* owned; NULL when nothing went wrong */
};

/* Advice for a finished call: by the service's errorCode first, then the
 * HTTP status, with the message refining a few codes (an invalid
 * endorsement key or etag under 400004); by the failure when no answer
 * came (naming the port the connection string gives when nothing
 * accepted the connection). A 2xx or 3xx answer gives { NULL, NULL }.
 * Free the result with advice_clear. */
struct advice explain_response(const struct dps_response *r);
void advice_clear(struct advice *a);

/* What a write without a sure answer turned out to have done, read
 * back: "the answer was lost, so it may have been applied; read back:
 * not applied (...)". NULL for DPS_OUTCOME_SURE. Static text. */
const char *explain_outcome(enum dps_outcome o);
/* The read-back's verdict alone: "applied", "not applied", "changed by
 * someone else", "unknown"; for short lines. */
const char *explain_outcome_word(enum dps_outcome o);

/* A retry being waited for, counting down: "429 throttled by the service;
 * retrying in 9 s (2 of 4)". `ms_left` is the time before the next
 * attempt, in whole seconds rounded up (0.2 s left reads "1 s"). The
 * caller frees. */
char *explain_retry(const struct dps_retry *r, long ms_left);

#endif
