#include "base/quiet_timer.h"

void
quiet_timer_touch(struct quiet_timer *t, int64_t now_ms)
{
	if (!t->pending) {
		t->pending = true;
		t->first_ms = now_ms;
	}
	t->last_ms = now_ms;
}

int64_t
quiet_timer_wait_ms(const struct quiet_timer *t, int64_t now_ms)
{
	if (!t->pending)
		return -1;
	int64_t quiet = t->last_ms + t->quiet_ms;
	int64_t cap = t->first_ms + t->max_ms;
	int64_t at = quiet < cap ? quiet : cap;
	return at > now_ms ? at - now_ms : 0;
}

bool
quiet_timer_due(const struct quiet_timer *t, int64_t now_ms)
{
	return quiet_timer_wait_ms(t, now_ms) == 0;
}

void
quiet_timer_done(struct quiet_timer *t)
{
	t->pending = false;
}
