#include "emu/emu_wake.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "base/xalloc.h"

struct sleeper {
	struct MHD_Connection *conn;
	struct timespec due;	/* CLOCK_MONOTONIC */
};

struct emu_wake {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	pthread_t thread;
	struct sleeper *items;
	size_t count, cap;
	bool stopping;
};

static bool
before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Resumes every sleeper due by `now`; the lock is held. */
static void
resume_due(struct emu_wake *w, const struct timespec *now)
{
	size_t kept = 0;
	for (size_t i = 0; i < w->count; i++) {
		if (w->stopping || !before(now, &w->items[i].due))
			MHD_resume_connection(w->items[i].conn);
		else
			w->items[kept++] = w->items[i];
	}
	w->count = kept;
}

static const struct timespec *
earliest(const struct emu_wake *w)
{
	const struct timespec *first = NULL;
	for (size_t i = 0; i < w->count; i++)
		if (!first || before(&w->items[i].due, first))
			first = &w->items[i].due;
	return first;
}

static void *
run(void *arg)
{
	struct emu_wake *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		resume_due(w, &now);
		if (w->stopping)
			break;
		const struct timespec *next = earliest(w);
		if (next) {
			struct timespec due = *next;
			pthread_cond_timedwait(&w->changed, &w->lock, &due);
		} else {
			pthread_cond_wait(&w->changed, &w->lock);
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct emu_wake *
emu_wake_new(void)
{
	struct emu_wake *w = xcalloc(1, sizeof(*w));
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w->changed, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
		pthread_cond_destroy(&w->changed);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	return w;
}

bool
emu_wake_after(struct emu_wake *w, struct MHD_Connection *c, unsigned ms)
{
	pthread_mutex_lock(&w->lock);
	bool ok = !w->stopping;
	if (ok) {
		struct sleeper s = { .conn = c };
		clock_gettime(CLOCK_MONOTONIC, &s.due);
		s.due.tv_sec += ms / 1000;
		s.due.tv_nsec += (long)(ms % 1000) * 1000000L;
		if (s.due.tv_nsec >= 1000000000L) {
			s.due.tv_sec++;
			s.due.tv_nsec -= 1000000000L;
		}
		if (w->count == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 16;
			w->items = xreallocarray(w->items, w->cap, sizeof(*w->items));
		}
		/* Suspended before the thread can see it: a resume must never
		 * come first. */
		MHD_suspend_connection(c);
		w->items[w->count++] = s;
		pthread_cond_signal(&w->changed);
	}
	pthread_mutex_unlock(&w->lock);
	return ok;
}

void
emu_wake_stop(struct emu_wake *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	bool joined = w->stopping;
	w->stopping = true;
	pthread_cond_signal(&w->changed);
	pthread_mutex_unlock(&w->lock);
	if (!joined)
		pthread_join(w->thread, NULL);
}

void
emu_wake_free(struct emu_wake *w)
{
	if (!w)
		return;
	emu_wake_stop(w);
	free(w->items);
	pthread_cond_destroy(&w->changed);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
