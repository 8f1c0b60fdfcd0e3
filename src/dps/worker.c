#include "dps/worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/ops.h"
#include "dps/said.h"

struct job_node {
	struct dps_job *job;
	struct job_node *next;
};

struct job_queue {
	struct job_node *head;
	struct job_node *tail;
};

struct dps_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct job_queue todo;
	struct job_queue done;
	struct dps_job *running;
	struct dps_job_progress progress;	/* of `running`, when has_progress */
	bool has_progress;
	bool stopping;
	unsigned next_id;
	int event_fd;
	struct dps_conn conn;
	struct dps_client_opts opts;
	struct dps_opts_strings held;	/* what opts points to */
};

static void
queue_push(struct job_queue *q, struct dps_job *job)
{
	struct job_node *n = xcalloc(1, sizeof(*n));
	n->job = job;
	if (q->tail)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
}

static struct dps_job *
queue_pop(struct job_queue *q)
{
	struct job_node *n = q->head;
	if (!n)
		return NULL;
	q->head = n->next;
	if (!q->head)
		q->tail = NULL;
	struct dps_job *job = n->job;
	free(n);
	return job;
}

void
dps_job_free(struct dps_job *job)
{
	if (!job)
		return;
	free(job->reg_id);
	secret_str_free(job->body);
	free(job->if_match);
	if (job->free_arg)
		job->free_arg(job->arg);
	dps_response_clear(&job->resp);
	free(job);
}

/* Called by curl's progress callback and between retries, on the worker. */
static bool
running_cancelled(void *ctx)
{
	struct dps_worker *w = ctx;
	pthread_mutex_lock(&w->lock);
	bool c = w->stopping || (w->running && w->running->cancelled);
	pthread_mutex_unlock(&w->lock);
	return c;
}

static void signal_done(struct dps_worker *w);

/* On the worker, before a wait between attempts: the news for the UI. */
static void
running_retries(void *ctx, const struct dps_retry *r)
{
	struct dps_worker *w = ctx;
	struct timespec at;
	clock_gettime(CLOCK_MONOTONIC, &at);
	at.tv_sec += r->wait_ms / 1000;
	at.tv_nsec += (long)(r->wait_ms % 1000) * 1000000L;
	if (at.tv_nsec >= 1000000000L) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->lock);
	w->progress = (struct dps_job_progress){ .retry = *r, .retry_at = at };
	w->has_progress = w->running != NULL;
	pthread_mutex_unlock(&w->lock);
	signal_done(w);
}

void
dps_job_run(struct dps_client *c, struct dps_job *j)
{
	switch (j->op) {
	case DPS_OP_PUT:
		dps_enrollment_put(c, j->reg_id, j->body, j->if_match, &j->resp);
		break;
	case DPS_OP_GET:
		dps_enrollment_get(c, j->reg_id, &j->resp);
		break;
	case DPS_OP_DELETE:
		dps_enrollment_delete(c, j->reg_id, j->if_match, &j->resp);
		break;
	case DPS_OP_ATTESTATION:
		dps_enrollment_attestation(c, j->reg_id, &j->resp);
		break;
	case DPS_OP_REGSTATE:
		dps_regstate_get(c, j->reg_id, &j->resp);
		break;
	case DPS_OP_QUERY:
		dps_enrollment_query_all(c, 100, &j->resp);
		break;
	case DPS_OP_CALL:
		j->run(c, j);
		break;
	}
}

static void
signal_done(struct dps_worker *w)
{
	uint64_t one = 1;
	while (write(w->event_fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
}

static void
mark_cancelled(struct dps_job *j)
{
	j->resp.failure = DPS_FAIL_CANCELLED;
	struct dps_said words = { xstrdup("cancelled"), xstrdup(_("cancelled")) };
	dps_response_say(&j->resp, &words);
}

static void
finish(struct dps_worker *w, struct dps_job *j)
{
	pthread_mutex_lock(&w->lock);
	w->running = NULL;
	w->has_progress = false;
	if (j->cancelled && j->resp.failure == DPS_ANSWERED && !j->resp.status)
		mark_cancelled(j);
	queue_push(&w->done, j);
	pthread_mutex_unlock(&w->lock);
	signal_done(w);
}

static struct dps_job *
next_job(struct dps_worker *w)
{
	pthread_mutex_lock(&w->lock);
	while (!w->stopping && !w->todo.head)
		pthread_cond_wait(&w->wake, &w->lock);
	struct dps_job *j = w->stopping ? NULL : queue_pop(&w->todo);
	w->running = j;
	pthread_mutex_unlock(&w->lock);
	return j;
}

static void *
worker_main(void *arg)
{
	struct dps_worker *w = arg;
	w->opts.cancelled = running_cancelled;
	w->opts.cancel_ctx = w;
	w->opts.on_retry = running_retries;
	w->opts.retry_ctx = w;
	char *why = NULL;
	struct dps_client *client = dps_client_new(&w->conn, &w->opts, &why);
	struct dps_job *j;
	while ((j = next_job(w))) {
		if (running_cancelled(w))
			mark_cancelled(j);
		else if (!client) {
			/* libcurl's trouble, in English (dps_client_new) */
			j->resp.failure = DPS_FAIL_OTHER;
			j->resp.failure_text = xstrdup(why);
		} else
			dps_job_run(client, j);
		finish(w, j);
	}
	free(why);
	dps_client_free(client);
	return NULL;
}

struct dps_worker *
dps_worker_new(const struct dps_conn *conn, const struct dps_client_opts *opts,
	       char **why)
{
	struct dps_worker *w = xcalloc(1, sizeof(*w));
	w->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->event_fd < 0) {
		/* TRANSLATORS: %s is the system's reason. */
		*why = xasprintf(_("cannot make an eventfd: %s"), strerror(errno));
		free(w);
		return NULL;
	}
	/* the token source goes with it: a token command runs on the
	 * worker's thread, never the caller's */
	dps_conn_copy(&w->conn, conn);
	if (opts)
		w->opts = *opts;
	dps_opts_hold(&w->opts, &w->held);
	w->next_id = 1;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		*why = xstrdup(_("cannot start the network thread"));
		w->thread = 0;
		dps_worker_free(w);
		return NULL;
	}
	return w;
}

static void
free_queue(struct job_queue *q)
{
	struct dps_job *j;
	while ((j = queue_pop(q)))
		dps_job_free(j);
}

void
dps_worker_free(struct dps_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
	if (w->thread)
		pthread_join(w->thread, NULL);
	free_queue(&w->todo);
	free_queue(&w->done);
	close(w->event_fd);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	dps_conn_clear(&w->conn);
	dps_opts_release(&w->held);
	free(w);
}

int
dps_worker_fd(const struct dps_worker *w)
{
	return w->event_fd;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct dps_job *
dps_job_new(enum dps_op op, const char *reg_id, const char *body,
	    const char *if_match)
{
	struct dps_job *j = xcalloc(1, sizeof(*j));
	j->op = op;
	j->reg_id = dup_or_null(reg_id);
	j->body = dup_or_null(body);
	j->if_match = dup_or_null(if_match);
	return j;
}

static unsigned
enqueue(struct dps_worker *w, struct dps_job *j)
{
	pthread_mutex_lock(&w->lock);
	j->id = w->next_id++;
	queue_push(&w->todo, j);
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return j->id;
}

unsigned
dps_worker_submit(struct dps_worker *w, enum dps_op op, const char *reg_id,
		  const char *body, const char *if_match)
{
	return enqueue(w, dps_job_new(op, reg_id, body, if_match));
}

unsigned
dps_worker_submit_call(struct dps_worker *w, const char *reg_id,
		       void (*run)(struct dps_client *c, struct dps_job *j),
		       void *arg, void (*free_arg)(void *arg))
{
	struct dps_job *j = dps_job_new(DPS_OP_CALL, reg_id, NULL, NULL);
	j->run = run;
	j->arg = arg;
	j->free_arg = free_arg;
	return enqueue(w, j);
}

bool
dps_worker_cancel(struct dps_worker *w, unsigned id)
{
	bool found = false;
	pthread_mutex_lock(&w->lock);
	if (w->running && w->running->id == id) {
		w->running->cancelled = true;
		found = true;
	}
	for (struct job_node *n = w->todo.head; n && !found; n = n->next) {
		if (n->job->id == id) {
			n->job->cancelled = true;
			found = true;
		}
	}
	pthread_mutex_unlock(&w->lock);
	return found;
}

struct dps_job *
dps_worker_take(struct dps_worker *w)
{
	uint64_t count;
	/* Drain the counter first, so a job finishing right after this call
	 * makes the fd readable again. */
	while (read(w->event_fd, &count, sizeof(count)) < 0 && errno == EINTR)
		;
	pthread_mutex_lock(&w->lock);
	struct dps_job *j = queue_pop(&w->done);
	bool more = w->done.head != NULL;
	pthread_mutex_unlock(&w->lock);
	if (more)
		signal_done(w);
	return j;
}

bool
dps_worker_progress(struct dps_worker *w, unsigned id,
		    struct dps_job_progress *out)
{
	pthread_mutex_lock(&w->lock);
	bool has = w->has_progress && w->running && w->running->id == id;
	if (has)
		*out = w->progress;
	pthread_mutex_unlock(&w->lock);
	return has;
}
