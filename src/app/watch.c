#include "app/watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/register.h"
#include "base/i18n.h"
#include "base/xalloc.h"

enum {
	FIRST_DELAY_MS = 2000,
	MAX_DELAY_MS = 5000,
	/* the Date header counts whole seconds: one second of doubt */
	DATE_GRAIN_S = 1,
};

void
watch_init(struct watch *w, double now)
{
	memset(w, 0, sizeof(*w));
	w->start = now;
	w->delay_ms = 0;
}

void
watch_clear(struct watch *w)
{
	free(w->first_etag);
	cJSON_Delete(w->state);
	memset(w, 0, sizeof(*w));
}

bool
watch_parse_utc(const char *s, double *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	int used = 0;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year,
			 &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
			 &tm.tm_sec, &used) != 6)
		return false;
	double frac = 0, scale = 0.1;
	const char *p = s + used;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			frac += (*p - '0') * scale;
	if (*p != 'Z' || p[1])
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return false;
	*out = (double)t + frac;
	return true;
}

static const char *
member(const cJSON *o, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));
}

/* Whether `state` came after the watch started. */
static bool
is_new(struct watch *w, const cJSON *state)
{
	const char *etag = member(state, "etag");
	if (!w->polled) {
		w->polled = true;
		w->first_etag = etag ? xstrdup(etag) : NULL;
	} else if (!w->first_etag || !etag || strcmp(etag, w->first_etag)) {
		return true;	/* written since the first poll */
	}
	double updated;
	if (!watch_parse_utc(member(state, "lastUpdatedDateTimeUtc"), &updated))
		return false;
	return updated > w->start + w->skew + DATE_GRAIN_S;
}

static enum watch_verdict
verdict_of(const char *status)
{
	if (!status)
		return WATCH_WAITING;
	if (strcmp(status, "assigned") == 0)
		return WATCH_ASSIGNED;
	if (strcmp(status, "failed") == 0)
		return WATCH_FAILED;
	if (strcmp(status, "disabled") == 0)
		return WATCH_DISABLED;
	return WATCH_WAITING;	/* unassigned, assigning */
}

static void
grow_delay(struct watch *w, int retry_after)
{
	unsigned next = w->delay_ms ? w->delay_ms + w->delay_ms / 2
				    : FIRST_DELAY_MS;
	if (next > MAX_DELAY_MS)
		next = MAX_DELAY_MS;
	if (retry_after > 0 && (unsigned)retry_after * 1000u > next)
		next = (unsigned)retry_after * 1000u;
	w->delay_ms = next;
}

enum watch_verdict
watch_feed(struct watch *w, const struct dps_response *r, double now)
{
	if (!w->polled && r->failure == DPS_ANSWERED && r->date)
		w->skew = (double)r->date - now;
	if (r->failure == DPS_ANSWERED && (r->status == 404 || r->status == 429)) {
		if (!w->polled)
			w->polled = true;
		grow_delay(w, r->status == 429 ? r->retry_after : -1);
		return WATCH_WAITING;
	}
	if (r->failure != DPS_ANSWERED || r->status != 200 ||
	    !cJSON_IsObject(r->body))
		return WATCH_ERROR;
	grow_delay(w, -1);
	if (!is_new(w, r->body)) {
		w->stale = true;
		return WATCH_WAITING;
	}
	w->stale = false;
	enum watch_verdict v = verdict_of(member(r->body, "status"));
	if (v != WATCH_WAITING) {
		cJSON_Delete(w->state);
		w->state = cJSON_Duplicate(r->body, true);
	}
	return v;
}

unsigned
watch_next_delay_ms(const struct watch *w)
{
	return w->delay_ms;
}

char *
watch_outcome_text(const struct watch *w, enum watch_verdict v)
{
	if (v == WATCH_WAITING || v == WATCH_ERROR || !w->state)
		/* TRANSLATORS: a watched device has not registered yet. */
		return xstrdup(_("waiting"));
	return register_state_words(w->state);
}
