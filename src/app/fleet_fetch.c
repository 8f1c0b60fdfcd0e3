#include "app/fleet_fetch.h"

#include <stdlib.h>
#include <time.h>

#include "base/clock.h"
#include "dps/ops.h"

enum fleet_fetch_result
fleet_rows_apply_answer(struct fleet_rows *s, size_t i,
			const struct dps_response *r, int64_t now_ms)
{
	if (r->failure == DPS_ANSWERED && r->status == 200 &&
	    cJSON_IsObject(r->body)) {
		fleet_rows_set_state(s, i, r->body, now_ms);
		return FLEET_FETCH_STATE;
	}
	if (r->failure == DPS_ANSWERED && r->status == 404) {
		fleet_rows_set_no_state(s, i, now_ms);
		return FLEET_FETCH_NONE;
	}
	char *why = dps_response_describe(r);
	fleet_rows_set_fetch_failed(s, i, why, now_ms);
	free(why);
	return FLEET_FETCH_FAILED;
}

size_t
fleet_fetch_states(struct dps_client *c, const char *const *ids, size_t n,
		   fleet_state_fn fn, void *ctx)
{
	size_t told = 0;
	for (size_t k = 0; k < n; k++) {
		struct dps_response r;
		dps_regstate_get(c, ids[k], &r);
		bool cancelled = r.failure == DPS_FAIL_CANCELLED;
		bool go_on = fn(ctx, k, ids[k], &r);
		told++;
		dps_response_clear(&r);
		if (!go_on || cancelled)
			break;
	}
	return told;
}

int64_t
fleet_now_ms(void)
{
	return clock_monotonic_ms();
}
