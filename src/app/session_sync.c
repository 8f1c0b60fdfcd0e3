/* The commands' session port: requests run synchronously. */

#include "app/session_sync.h"

static unsigned
sync_submit(void *ctx, enum dps_op op, const char *id, const char *body,
	    const char *if_match)
{
	struct session_sync *y = ctx;
	struct dps_job *j = dps_job_new(op, id, body, if_match);
	j->id = ++y->next_id;
	dps_job_run(y->client, j);
	dps_job_free(y->done);	/* never set: the session waits for each */
	y->done = j;
	return j->id;
}

/* Nothing runs between calls, so there is nothing to cancel. */
static bool
sync_cancel(void *ctx, unsigned job)
{
	(void)ctx;
	(void)job;
	return false;
}

struct session_port
session_sync_port(struct session_sync *y)
{
	return (struct session_port){ sync_submit, sync_cancel, y };
}

struct session_news
session_sync_finish(struct session *s, struct session_sync *y)
{
	struct session_news n = { .kind = NEWS_NONE };
	while (y->done) {
		dps_job_free(y->last);
		y->last = y->done;
		y->done = NULL;
		n = session_take(s, y->last);
	}
	return n;
}

void
session_sync_clear(struct session_sync *y)
{
	dps_job_free(y->done);
	dps_job_free(y->last);
	y->done = y->last = NULL;
}
