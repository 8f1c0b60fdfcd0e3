#include "dps/budget.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "base/xalloc.h"

enum { WAIT_STEP_MS = 50 };

struct dps_budget {
	pthread_mutex_t lock;
	int64_t (*now_ms)(void);
	unsigned per_minute;
	double capacity;	/* B */
	double reserve;		/* left to DPS_BUDGET_USER */
	double per_ms;		/* refill rate */
	double tokens;
	int64_t last_ms;	/* when tokens was last brought up to date */
	struct dps_budget_stats stats;
};

static int64_t
monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct dps_budget *
dps_budget_new(unsigned per_minute, int64_t (*now_ms)(void))
{
	struct dps_budget *b = xcalloc(1, sizeof(*b));
	pthread_mutex_init(&b->lock, NULL);
	b->now_ms = now_ms ? now_ms : monotonic_ms;
	b->per_minute = per_minute ? per_minute : 1;
	unsigned burst = b->per_minute / 20 ? b->per_minute / 20 : 1;
	b->capacity = burst;
	b->reserve = burst / 4;
	/* A bucket of 1 refills at the whole rate: it never holds more
	 * than the one operation a window may start with. */
	unsigned refill = b->per_minute > burst ? b->per_minute - burst : 1;
	b->per_ms = refill / 60000.0;
	b->tokens = b->capacity;
	b->last_ms = b->now_ms();
	return b;
}

void
dps_budget_free(struct dps_budget *b)
{
	if (!b)
		return;
	pthread_mutex_destroy(&b->lock);
	free(b);
}

unsigned
dps_budget_per_minute(const struct dps_budget *b)
{
	return b->per_minute;
}

/* Called with the lock held. */
static void
refill(struct dps_budget *b)
{
	int64_t now = b->now_ms();
	if (now > b->last_ms) {
		b->tokens += (double)(now - b->last_ms) * b->per_ms;
		if (b->tokens > b->capacity)
			b->tokens = b->capacity;
	}
	b->last_ms = now;
}

static double
floor_of(const struct dps_budget *b, enum dps_budget_kind kind)
{
	return kind == DPS_BUDGET_BACKGROUND ? b->reserve : 0;
}

/* Milliseconds until `need` tokens stand above the kind's floor. */
static long
ms_until(const struct dps_budget *b, enum dps_budget_kind kind, double need)
{
	double missing = floor_of(b, kind) + need - b->tokens;
	if (missing <= 0)
		return 0;
	double ms = missing / b->per_ms;
	return ms < 1 ? 1 : (long)(ms + 0.999);
}

static bool
take_locked(struct dps_budget *b, enum dps_budget_kind kind, long *wait_ms)
{
	refill(b);
	/* A hair of slack: the refill's arithmetic is in doubles. */
	if (b->tokens + 1e-9 >= floor_of(b, kind) + 1) {
		b->tokens -= 1;
		b->stats.taken++;
		return true;
	}
	if (wait_ms)
		*wait_ms = ms_until(b, kind, 1);
	return false;
}

bool
dps_budget_try_take(struct dps_budget *b, enum dps_budget_kind kind,
		    long *wait_ms)
{
	pthread_mutex_lock(&b->lock);
	bool ok = take_locked(b, kind, wait_ms);
	pthread_mutex_unlock(&b->lock);
	return ok;
}

bool
dps_budget_take(struct dps_budget *b, enum dps_budget_kind kind,
		bool (*cancelled)(void *ctx), void *ctx)
{
	long wait = 0;
	pthread_mutex_lock(&b->lock);
	bool ok = take_locked(b, kind, &wait);
	if (!ok) {
		b->stats.waiting++;
		b->stats.held_back++;
	}
	pthread_mutex_unlock(&b->lock);
	bool gave_up = false;
	while (!ok) {
		if (cancelled && cancelled(ctx)) {
			gave_up = true;
			break;
		}
		long step = wait < WAIT_STEP_MS ? wait : WAIT_STEP_MS;
		struct timespec ts = { 0, (step > 0 ? step : 1) * 1000000L };
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&b->lock);
		ok = take_locked(b, kind, &wait);
		if (ok)
			b->stats.waiting--;
		pthread_mutex_unlock(&b->lock);
	}
	if (gave_up) {
		pthread_mutex_lock(&b->lock);
		b->stats.waiting--;
		pthread_mutex_unlock(&b->lock);
	}
	return ok;
}

long
dps_budget_eta_ms(struct dps_budget *b, enum dps_budget_kind kind,
		  unsigned long n)
{
	pthread_mutex_lock(&b->lock);
	refill(b);
	long ms = n ? ms_until(b, kind, (double)n) : 0;
	pthread_mutex_unlock(&b->lock);
	return ms;
}

void
dps_budget_stats(struct dps_budget *b, struct dps_budget_stats *out)
{
	pthread_mutex_lock(&b->lock);
	*out = b->stats;
	pthread_mutex_unlock(&b->lock);
}
