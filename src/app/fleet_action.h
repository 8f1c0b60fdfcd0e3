#ifndef DPSENROLL_APP_FLEET_ACTION_H
#define DPSENROLL_APP_FLEET_ACTION_H

/* What the fleet list does to the enrollments it has marked, as one job
 * on the worker thread (dps_worker_submit_call), so the screen stays live
 * while it runs and only renders the outcome of each enrollment:
 *
 *   enable, disable   each enrollment is read (with its symmetric keys,
 *                     which a write without them would replace), compared
 *                     with the etag the list holds, and written back with
 *                     the new provisioning status by bulk updateIfMatchETag
 *                     (ten a request). One that changed on the service
 *                     since the list read it is reported, not overwritten.
 *   delete state      DELETE of the device's registration state, with the
 *                     state's etag.
 *   delete            DELETE of the enrollment, with its etag.
 *
 * Every enrollment's outcome goes into the journal as it is known. */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "dps/worker.h"

enum fleet_action {
	FLEET_ENABLE,
	FLEET_DISABLE,
	FLEET_DELETE_STATE,
	FLEET_DELETE,
};

/* "enable", "disable", "deleteRegistrationState", "delete": the
 * journal's operation. */
const char *fleet_action_name(enum fleet_action a);

enum fleet_outcome {
	FLEET_NOT_RUN,		/* stopped or cancelled before its turn */
	FLEET_DONE,
	FLEET_UNCHANGED,	/* already as asked: nothing sent */
	FLEET_CHANGED,		/* changed on the service since listed: left */
	FLEET_GONE,		/* not on the service (404) */
	FLEET_FAILED,
};

struct fleet_target {
	char *id;		/* owned */
	char *etag;		/* owned: the enrollment's, or for
				 * FLEET_DELETE_STATE the state's; NULL: none */
	/* Filled by the job. */
	enum fleet_outcome outcome;
	char *message;		/* owned: why, for the screen; NULL */
	char *record;		/* owned: the same in English, for the
				 * journal; NULL: message is English */
	cJSON *enrollment;	/* owned: the stored copy after enable or
				 * disable (keys taken out), for the row */
};

struct fleet_batch {
	enum fleet_action action;
	struct fleet_target *targets;
	size_t count;
	/* When the journal could not be written: why (owned), else NULL. */
	char *journal_problem;
	/* Set by fleet_batch_stop from another thread: no enrollment is
	 * started after it (the one in hand is finished). */
	atomic_bool stop;
};

/* An empty batch; add targets, then submit with fleet_batch_submit. */
struct fleet_batch *fleet_batch_new(enum fleet_action a);
/* `etag` may be NULL. Both copied. */
void fleet_batch_add(struct fleet_batch *b, const char *id, const char *etag);
void fleet_batch_free(struct fleet_batch *b);
/* Queues the batch on `w`, which owns it from now on; the finished job's
 * arg is the batch, its outcomes filled. Returns the job id. */
unsigned fleet_batch_submit(struct dps_worker *w, struct fleet_batch *b);
/* The batch of a finished job made by fleet_batch_submit, or NULL. */
struct fleet_batch *fleet_batch_of(const struct dps_job *j);
/* Asks a running batch to stop between two enrollments; those not
 * started end FLEET_NOT_RUN. Safe from any thread while the job lives. */
void fleet_batch_stop(struct fleet_batch *b);
/* How many targets ended with outcome `o`. */
size_t fleet_batch_count(const struct fleet_batch *b, enum fleet_outcome o);

/* One page of the enrollment query as a job: `continuation` NULL for the
 * first. The finished job's resp holds the page (body, continuation). */
unsigned fleet_page_submit(struct dps_worker *w, const char *continuation,
			   int page_size);
/* Whether a finished job is a page of fleet_page_submit. */
bool fleet_page_is(const struct dps_job *j);

#endif
