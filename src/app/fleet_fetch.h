#ifndef DPSENROLL_APP_FLEET_FETCH_H
#define DPSENROLL_APP_FLEET_FETCH_H

/* Registration states for the fleet list. The service's query does not
 * carry them, so each takes one GET /registrations/{id}; the client's
 * rate budget paces them (dps/budget.h). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/fleet_row.h"
#include "dps/client.h"

/* What one state answer meant for its row. */
enum fleet_fetch_result {
	FLEET_FETCH_STATE,	/* 200: the state is set */
	FLEET_FETCH_NONE,	/* 404: the device has not registered */
	FLEET_FETCH_FAILED,	/* anything else: the row says why */
};

/* Sets row `i` from the answer `r` to its GET /registrations/{id}. */
enum fleet_fetch_result fleet_rows_apply_answer(struct fleet_rows *s,
						size_t i,
						const struct dps_response *r,
						int64_t now_ms);

/* Told each answer as it comes: k is its place in the list. The
 * function may keep the answer by moving it out (and zeroing *r). False
 * stops the fetching. */
typedef bool (*fleet_state_fn)(void *ctx, size_t k, const char *id,
			       struct dps_response *r);

/* Fetches the state of each of ids[0..n), in that order (the rows on
 * screen first), on this thread through `c`. A failed answer does not
 * stop the rest; a cancelled one does, and so does `fn` saying false.
 * Returns how many answers `fn` was told. */
size_t fleet_fetch_states(struct dps_client *c, const char *const *ids,
			  size_t n, fleet_state_fn fn, void *ctx);

/* Milliseconds on CLOCK_MONOTONIC, the clock of the rows' fetch times. */
int64_t fleet_now_ms(void);

#endif
