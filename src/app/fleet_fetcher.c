#include "app/fleet_fetcher.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "app/fleet_fetch.h"
#include "base/array.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "dps/ops.h"

struct fleet_fetcher {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	char **wanted;		/* owned ids, fetched from `next` on */
	size_t count;
	size_t next;
	bool busy;		/* a request is in flight */
	struct fleet_state_answer **done;
	size_t ndone;
	size_t done_cap;
	bool stopping;
	int event_fd;
	struct dps_conn conn;
	struct dps_client_opts opts;
	char *cacert;
};

static void
free_wanted(struct fleet_fetcher *f)
{
	for (size_t i = 0; i < f->count; i++)
		free(f->wanted[i]);
	free(f->wanted);
	f->wanted = NULL;
	f->count = f->next = 0;
}

static bool
stopping(void *ctx)
{
	struct fleet_fetcher *f = ctx;
	pthread_mutex_lock(&f->lock);
	bool s = f->stopping;
	pthread_mutex_unlock(&f->lock);
	return s;
}

static void
signal_fd(struct fleet_fetcher *f)
{
	uint64_t one = 1;
	while (write(f->event_fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
}

/* The next id to fetch (owned), or NULL when stopping. */
static char *
next_id(struct fleet_fetcher *f)
{
	pthread_mutex_lock(&f->lock);
	while (!f->stopping && f->next >= f->count)
		pthread_cond_wait(&f->wake, &f->lock);
	char *id = NULL;
	if (!f->stopping) {
		id = f->wanted[f->next];
		f->wanted[f->next++] = NULL;
		f->busy = true;
	}
	pthread_mutex_unlock(&f->lock);
	return id;
}

static void
hand_back(struct fleet_fetcher *f, struct fleet_state_answer *a)
{
	pthread_mutex_lock(&f->lock);
	f->done = array_grow(f->done, f->ndone, &f->done_cap,
			     sizeof(*f->done));
	f->done[f->ndone++] = a;
	/* In the same hold as the answer: pending counts it once. */
	f->busy = false;
	pthread_mutex_unlock(&f->lock);
	signal_fd(f);
}

static void *
fetcher_main(void *arg)
{
	struct fleet_fetcher *f = arg;
	char *why = NULL;
	struct dps_client *client = dps_client_new(&f->conn, &f->opts, &why);
	char *id;
	while ((id = next_id(f))) {
		struct fleet_state_answer *a = xcalloc(1, sizeof(*a));
		a->id = id;
		if (client) {
			dps_regstate_get(client, id, &a->resp);
		} else {
			a->resp.failure = DPS_FAIL_OTHER;
			a->resp.failure_text = xstrdup(why);
		}
		a->at_ms = fleet_now_ms();
		hand_back(f, a);
	}
	free(why);
	dps_client_free(client);
	return NULL;
}

struct fleet_fetcher *
fleet_fetcher_new(const struct dps_conn *conn,
		  const struct dps_client_opts *opts, char **why)
{
	struct fleet_fetcher *f = xcalloc(1, sizeof(*f));
	f->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (f->event_fd < 0) {
		*why = xasprintf(_("cannot make an eventfd: %s"),
				 strerror(errno));
		free(f);
		return NULL;
	}
	f->conn.host = xstrdup(conn->host);
	f->conn.policy = xstrdup(conn->policy);
	f->conn.key = xstrdup(conn->key);
	if (opts)
		f->opts = *opts;
	f->cacert = f->opts.cacert ? xstrdup(f->opts.cacert) : NULL;
	f->opts.cacert = f->cacert;
	f->opts.background = true;
	f->opts.cancelled = stopping;
	f->opts.cancel_ctx = f;
	f->opts.on_retry = NULL;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->wake, NULL);
	if (pthread_create(&f->thread, NULL, fetcher_main, f) != 0) {
		*why = xstrdup(_("cannot start the state fetching thread"));
		f->thread = 0;
		fleet_fetcher_free(f);
		return NULL;
	}
	return f;
}

void
fleet_fetcher_free(struct fleet_fetcher *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->lock);
	f->stopping = true;
	pthread_cond_broadcast(&f->wake);
	pthread_mutex_unlock(&f->lock);
	if (f->thread)
		pthread_join(f->thread, NULL);
	free_wanted(f);
	for (size_t i = 0; i < f->ndone; i++)
		fleet_state_answer_free(f->done[i]);
	free(f->done);
	close(f->event_fd);
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->wake);
	dps_conn_clear(&f->conn);
	free(f->cacert);
	free(f);
}

int
fleet_fetcher_fd(const struct fleet_fetcher *f)
{
	return f->event_fd;
}

void
fleet_fetcher_want(struct fleet_fetcher *f, const char *const *ids, size_t n)
{
	char **copy = xreallocarray(NULL, n ? n : 1, sizeof(*copy));
	for (size_t i = 0; i < n; i++)
		copy[i] = xstrdup(ids[i]);
	pthread_mutex_lock(&f->lock);
	free_wanted(f);
	f->wanted = copy;
	f->count = n;
	pthread_cond_signal(&f->wake);
	pthread_mutex_unlock(&f->lock);
}

size_t
fleet_fetcher_pending(struct fleet_fetcher *f)
{
	pthread_mutex_lock(&f->lock);
	size_t n = f->count - f->next + (f->busy ? 1 : 0);
	pthread_mutex_unlock(&f->lock);
	return n;
}

struct fleet_state_answer *
fleet_fetcher_take(struct fleet_fetcher *f)
{
	uint64_t count;
	/* Drained first, so an answer handed back right after this call
	 * makes the fd readable again. */
	while (read(f->event_fd, &count, sizeof(count)) < 0 && errno == EINTR)
		;
	pthread_mutex_lock(&f->lock);
	struct fleet_state_answer *a = NULL;
	if (f->ndone) {
		a = f->done[0];
		memmove(f->done, f->done + 1, (f->ndone - 1) * sizeof(*f->done));
		f->ndone--;
	}
	bool more = f->ndone > 0;
	pthread_mutex_unlock(&f->lock);
	if (more)
		signal_fd(f);
	return a;
}

void
fleet_state_answer_free(struct fleet_state_answer *a)
{
	if (!a)
		return;
	free(a->id);
	dps_response_clear(&a->resp);
	free(a);
}
