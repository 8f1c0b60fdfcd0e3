#ifndef DPSENROLL_DPS_WORKER_H
#define DPSENROLL_DPS_WORKER_H

/* One thread that owns the DPS client (and so libcurl and its TLS set-up)
 * and runs jobs in order. The UI thread submits jobs that carry their own
 * serialized copy of what they send, and learns of finished jobs through
 * a file descriptor it polls beside the keyboard. */

#include <stdbool.h>
#include <time.h>

#include "dps/client.h"

enum dps_op {
	DPS_OP_PUT,		/* id, body, if_match */
	DPS_OP_GET,		/* id */
	DPS_OP_DELETE,		/* id, if_match */
	DPS_OP_ATTESTATION,	/* id */
	DPS_OP_REGSTATE,	/* id */
	DPS_OP_QUERY,		/* every page */
	DPS_OP_RUN,		/* run(): a caller's steps (dps_worker_submit_run) */
};

struct dps_job {
	unsigned id;		/* given by dps_worker_submit */
	enum dps_op op;
	char *reg_id;		/* owned */
	char *body;		/* owned, serialized JSON; may hold keys */
	char *if_match;		/* owned */
	bool cancelled;		/* set when the job was cancelled */
	struct dps_response resp;	/* filled by the worker */
	/* DPS_OP_RUN: called on the worker with its client; it fills resp
	 * (and may leave its findings in arg). free_arg frees arg with the
	 * job. */
	void (*run)(struct dps_client *c, struct dps_job *j);
	void *arg;
	void (*free_arg)(void *arg);
};

/* A new job (arguments copied), not yet run; id 0. */
struct dps_job *dps_job_new(enum dps_op op, const char *reg_id,
			    const char *body, const char *if_match);
/* Runs the job's call on `c` on this thread, filling j->resp. */
void dps_job_run(struct dps_client *c, struct dps_job *j);
/* Frees a finished job (wiping its body). */
void dps_job_free(struct dps_job *job);

struct dps_worker;

/* Starts the thread. The client is made on the worker, so curl and
 * OpenSSL initialise there, not on the caller's thread. */
struct dps_worker *dps_worker_new(const struct dps_conn *conn,
				  const struct dps_client_opts *opts,
				  char **why);
/* Cancels what is queued or running, joins the thread, frees everything
 * (finished jobs not yet taken included). */
void dps_worker_free(struct dps_worker *w);

/* Readable while finished jobs wait to be taken, and when a running job
 * has news (dps_worker_progress). */
int dps_worker_fd(const struct dps_worker *w);

/* Copies the arguments into a new job and queues it; returns its id. */
unsigned dps_worker_submit(struct dps_worker *w, enum dps_op op,
			   const char *reg_id, const char *body,
			   const char *if_match);
/* Queues a job that runs `run` on the worker with `arg` (owned by the
 * job from now on: free_arg frees it, NULL when it needs no freeing);
 * returns its id. For compound steps (several calls as one job), so
 * that their order is the worker's and the UI thread never waits. */
unsigned dps_worker_submit_run(struct dps_worker *w,
			       void (*run)(struct dps_client *c,
					   struct dps_job *j),
			       void *arg, void (*free_arg)(void *arg));
/* Cancels a queued or running job: it finishes soon with
 * DPS_FAIL_CANCELLED. False when no such job is pending. */
bool dps_worker_cancel(struct dps_worker *w, unsigned id);
/* The next finished job in completion order, or NULL; the caller frees it
 * with dps_job_free. */
struct dps_job *dps_worker_take(struct dps_worker *w);

/* A running job's news: the retry it waits for (after a 429, a 5xx or a
 * refused connection). */
struct dps_job_progress {
	struct dps_retry retry;
	struct timespec retry_at;	/* CLOCK_MONOTONIC: the next attempt */
};
/* The latest news of job `id` while it runs: false when it has none, or
 * is not running. Never waits for the network: the worker only holds the
 * lock to write the news, and signals the fd after. */
bool dps_worker_progress(struct dps_worker *w, unsigned id,
			 struct dps_job_progress *out);

#endif
