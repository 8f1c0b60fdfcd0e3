/* Fault injection and throttling. The dispatcher consults both before it
 * takes emu->lock, from one thread per connection, so each keeps its own
 * mutex and never calls back into the store. */

#include "emu/emu_faults.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/array.h"
#include "base/xalloc.h"

enum fault_kind {
	FAULT_DELAY,
	FAULT_STATUS,
	FAULT_DROP,
	FAULT_MALFORMED,
	FAULT_OVERSIZED,
	FAULT_CONT_LOOP,
	FAULT_CONT_ENDLESS,
};

enum {
	MAX_DELAY_MS = 600000,	/* longer than any client timeout worth testing */
	MAX_COUNT = 1000000000,
	MAX_RETRY_AFTER = 86400,
	UNLIMITED = -1,
	UNSET = -1,
};

struct fault {
	char *spec;		/* as given, for listing and error messages */
	enum fault_kind kind;
	unsigned value;		/* delay in ms, the status code, or pages sent */
	long remaining;		/* UNLIMITED until cleared */
	long retry_after;	/* UNSET: no Retry-After */
	char *method;		/* NULL: any */
	char *path;		/* prefix; NULL: any */
	bool after;		/* the handler runs before the drop or delay */
};

struct emu_faults {
	pthread_mutex_t lock;
	struct fault *items;
	size_t count;
	size_t cap;
};

struct emu_throttle {
	pthread_mutex_t lock;
	double capacity;	/* 0: off */
	double per_second;
	double tokens;
	struct timespec last;
};

struct emu_faults *
emu_faults_new(void)
{
	struct emu_faults *f = xcalloc(1, sizeof(*f));
	pthread_mutex_init(&f->lock, NULL);
	return f;
}

static void
fault_clear(struct fault *fault)
{
	free(fault->spec);
	free(fault->method);
	free(fault->path);
	memset(fault, 0, sizeof(*fault));
}

void
emu_faults_free(struct emu_faults *f)
{
	if (!f)
		return;
	emu_faults_clear(f);
	free(f->items);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

/* ---- parsing ---- */

static char *
trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* A numeric value: its name, unit and bounds, for parsing and for saying
 * what was wrong. */
struct range {
	const char *name;
	const char *unit;
	long min;
	long max;
	const char *example;
};

static const struct range delay_range = {
	"delay", "milliseconds", 0, MAX_DELAY_MS, "delay=3000" };
static const struct range status_range = {
	"status", "an HTTP error status", 400, 599, "status=503" };
static const struct range count_range = {
	"count", "a number of requests", 1, MAX_COUNT, "count=2" };
static const struct range retry_range = {
	"retry-after", "seconds", 0, MAX_RETRY_AFTER, "retry-after=1" };

static bool
parse_whole(const struct range *r, const char *value, long *out, char **why)
{
	if (!value || !*value) {
		*why = xasprintf("'%s' needs %s from %ld to %ld, e.g. %s",
				 r->name, r->unit, r->min, r->max, r->example);
		return false;
	}
	errno = 0;
	char *end;
	long v = strtol(value, &end, 10);
	if (!isdigit((unsigned char)*value) || errno || *end || v < r->min ||
	    v > r->max) {
		*why = xasprintf("%s takes %s from %ld to %ld, not '%s'", r->name,
				 r->unit, r->min, r->max, value);
		return false;
	}
	*out = v;
	return true;
}

static bool
has_no_value(const char *name, const char *value, char **why)
{
	if (!value)
		return true;
	*why = xasprintf("'%s' takes no value; remove '=%s'", name, value);
	return false;
}

static bool
parse_kind(struct fault *fault, const char *name, const char *value,
	   char **why)
{
	static const struct {
		const char *name;
		enum fault_kind kind;
	} kinds[] = {
		{ "delay", FAULT_DELAY }, { "status", FAULT_STATUS },
		{ "drop", FAULT_DROP }, { "malformed", FAULT_MALFORMED },
		{ "oversized", FAULT_OVERSIZED },
		{ "continuation-loop", FAULT_CONT_LOOP },
		{ "continuation-endless", FAULT_CONT_ENDLESS },
	};
	size_t i = 0;
	while (i < sizeof(kinds) / sizeof(kinds[0]) &&
	       strcmp(kinds[i].name, name) != 0)
		i++;
	if (i == sizeof(kinds) / sizeof(kinds[0])) {
		*why = xasprintf("unknown fault kind '%s'; use delay=MS, "
				 "status=CODE, drop, malformed, oversized, "
				 "continuation-loop or continuation-endless",
				 name);
		return false;
	}
	fault->kind = kinds[i].kind;
	long v = 0;
	bool ok;
	if (fault->kind == FAULT_DELAY)
		ok = parse_whole(&delay_range, value, &v, why);
	else if (fault->kind == FAULT_STATUS)
		ok = parse_whole(&status_range, value, &v, why);
	else
		ok = has_no_value(name, value, why);
	fault->value = (unsigned)v;
	return ok;
}

static bool
set_count(struct fault *fault, const char *value, char **why)
{
	return parse_whole(&count_range, value, &fault->remaining, why);
}

static bool
set_retry_after(struct fault *fault, const char *value, char **why)
{
	return parse_whole(&retry_range, value, &fault->retry_after, why);
}

static bool
set_method(struct fault *fault, const char *value, char **why)
{
	size_t n = value ? strlen(value) : 0;
	for (size_t i = 0; i < n; i++)
		if (!isalpha((unsigned char)value[i]))
			n = 0;
	if (n == 0) {
		*why = value && *value
			       ? xasprintf("method takes an HTTP method such as "
					   "PUT, not '%s'", value)
			       : xstrdup("'method' needs an HTTP method, e.g. "
					 "method=PUT");
		return false;
	}
	fault->method = xstrdup(value);
	for (char *p = fault->method; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return true;
}

static bool
set_path(struct fault *fault, const char *value, char **why)
{
	if (!value || value[0] != '/') {
		*why = value && *value
			       ? xasprintf("path takes a prefix starting with "
					   "'/', not '%s'", value)
			       : xstrdup("'path' needs a path prefix, e.g. "
					 "path=/enrollments");
		return false;
	}
	fault->path = xstrdup(value);
	return true;
}

static bool
set_after(struct fault *fault, const char *value, char **why)
{
	fault->after = has_no_value("after", value, why);
	return fault->after;
}

static bool
already_set(const struct fault *fault, const char *name)
{
	if (strcmp(name, "count") == 0)
		return fault->remaining != UNLIMITED;
	if (strcmp(name, "retry-after") == 0)
		return fault->retry_after != UNSET;
	if (strcmp(name, "method") == 0)
		return fault->method != NULL;
	if (strcmp(name, "path") == 0)
		return fault->path != NULL;
	return fault->after;
}

static bool
parse_option(struct fault *fault, const char *name, const char *value,
	     char **why)
{
	static const struct {
		const char *name;
		bool (*set)(struct fault *, const char *, char **);
	} options[] = {
		{ "count", set_count }, { "retry-after", set_retry_after },
		{ "method", set_method }, { "path", set_path },
		{ "after", set_after },
	};
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		if (strcmp(options[i].name, name) != 0)
			continue;
		if (already_set(fault, name)) {
			*why = xasprintf("option '%s' is given twice", name);
			return false;
		}
		return options[i].set(fault, value, why);
	}
	*why = xasprintf("unknown option '%s'; use count=N, retry-after=S, "
			 "method=M, path=PREFIX or after", name);
	return false;
}

/* Options that make no sense with the kind are refused rather than
 * ignored, so a test never silently runs without the fault it asked for. */
static bool
check_combination(const struct fault *fault, char **why)
{
	if (fault->retry_after != UNSET && fault->kind != FAULT_STATUS) {
		*why = xstrdup("retry-after goes only with status=CODE");
		return false;
	}
	if (fault->after && fault->kind != FAULT_DROP &&
	    fault->kind != FAULT_DELAY) {
		*why = xstrdup("'after' goes only with drop or delay=MS");
		return false;
	}
	return true;
}

/* Splits "name=value" in place; value is NULL without '='. */
static const char *
split_value(char *part)
{
	char *eq = strchr(part, '=');
	if (!eq)
		return NULL;
	*eq = '\0';
	return trim(eq + 1);
}

static bool
parse_spec(struct fault *fault, char *text, char **why)
{
	bool first = true;
	char *save = NULL;
	for (char *part = strtok_r(text, ",", &save); part;
	     part = strtok_r(NULL, ",", &save)) {
		part = trim(part);
		if (!*part)
			continue;
		const char *value = split_value(part);
		const char *name = trim(part);
		bool ok = first ? parse_kind(fault, name, value, why)
				: parse_option(fault, name, value, why);
		if (!ok)
			return false;
		first = false;
	}
	if (first) {
		*why = xstrdup("the fault spec is empty; use KIND[,option...], "
			       "e.g. status=503,retry-after=1,count=2");
		return false;
	}
	return check_combination(fault, why);
}

static void
append_fault(struct emu_faults *f, struct fault *fault)
{
	pthread_mutex_lock(&f->lock);
	f->items = array_grow(f->items, f->count, &f->cap, sizeof(*f->items));
	f->items[f->count++] = *fault;
	pthread_mutex_unlock(&f->lock);
}

bool
emu_faults_add(struct emu_faults *f, const char *spec, char **why)
{
	char *copy = xstrdup(spec ? spec : "");
	char *text = trim(copy);
	struct fault fault = {
		.spec = xstrdup(text),
		.remaining = UNLIMITED,
		.retry_after = UNSET,
	};
	bool ok = parse_spec(&fault, text, why);
	free(copy);
	if (ok)
		append_fault(f, &fault);
	else
		fault_clear(&fault);
	return ok;
}

void
emu_faults_clear(struct emu_faults *f)
{
	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->count; i++)
		fault_clear(&f->items[i]);
	f->count = 0;
	pthread_mutex_unlock(&f->lock);
}

cJSON *
emu_faults_list(struct emu_faults *f)
{
	cJSON *list = cJSON_CreateArray();
	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->count; i++) {
		const struct fault *fault = &f->items[i];
		cJSON *item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "spec", fault->spec);
		if (fault->remaining == UNLIMITED)
			cJSON_AddNullToObject(item, "remaining");
		else
			cJSON_AddNumberToObject(item, "remaining",
						(double)fault->remaining);
		cJSON_AddItemToArray(list, item);
	}
	pthread_mutex_unlock(&f->lock);
	return list;
}

/* ---- applying ---- */

static bool
fault_matches(const struct fault *fault, const struct emu_request *req)
{
	if (fault->method && strcmp(fault->method, req->method) != 0)
		return false;
	return !fault->path ||
	       strncmp(req->path, fault->path, strlen(fault->path)) == 0;
}

/* A query page of one made-up enrollment that always leads on: with the
 * same token each time (loop), or a new one each time (endless), so a
 * client that follows continuations without limit never stops. */
static void
endless_page(struct fault *fault, struct emu_response *resp)
{
	char token[32];
	unsigned n = fault->value++;
	if (fault->kind == FAULT_CONT_LOOP)
		n = 0;
	snprintf(token, sizeof(token), "injected-page-%u", n);
	cJSON *page = cJSON_CreateArray();
	cJSON *item = cJSON_CreateObject();
	cJSON_AddStringToObject(item, "registrationId", token);
	cJSON *att = cJSON_AddObjectToObject(item, "attestation");
	cJSON_AddStringToObject(att, "type", "symmetricKey");
	cJSON_AddStringToObject(item, "provisioningStatus", "enabled");
	cJSON_AddItemToArray(page, item);
	emu_reply_json(resp, 200, page);
	emu_reply_header(resp, "x-ms-item-type", "Enrollment");
	emu_reply_header(resp, "x-ms-continuation", token);
}

/* Fills resp for the fault; true when the handler must not run (yet). */
static bool
inject(struct fault *fault, struct emu_response *resp)
{
	char text[24];
	switch (fault->kind) {
	case FAULT_DELAY:
		if (fault->after) {
			resp->delay_ms = fault->value;
			return false;
		}
		resp->pause_ms = fault->value;
		return true;
	case FAULT_DROP:
		resp->special = EMU_DROP;
		return !fault->after;
	case FAULT_STATUS:
		emu_reply_error(resp, fault->value, (int)fault->value * 1000,
				"injected fault: %s", fault->spec);
		if (fault->retry_after != UNSET) {
			snprintf(text, sizeof(text), "%ld", fault->retry_after);
			emu_reply_header(resp, "Retry-After", text);
		}
		return true;
	case FAULT_MALFORMED:
		resp->special = EMU_MALFORMED;
		break;
	case FAULT_OVERSIZED:
		resp->special = EMU_OVERSIZED;
		break;
	case FAULT_CONT_LOOP:
	case FAULT_CONT_ENDLESS:
		endless_page(fault, resp);
		return true;
	}
	resp->status = 200;
	return true;
}

static void
use_once(struct emu_faults *f, size_t i)
{
	struct fault *fault = &f->items[i];
	if (fault->remaining == UNLIMITED || --fault->remaining > 0)
		return;
	fault_clear(fault);
	memmove(fault, fault + 1, (f->count - i - 1) * sizeof(*fault));
	f->count--;
}

bool
emu_faults_apply(struct emu_faults *f, const struct emu_request *req,
		 struct emu_response *resp)
{
	if (!f || strncmp(req->path, "/admin/", 7) == 0)
		return false;
	bool stop = false;
	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->count; i++) {
		if (!fault_matches(&f->items[i], req))
			continue;
		stop = inject(&f->items[i], resp);
		use_once(f, i);
		break;
	}
	pthread_mutex_unlock(&f->lock);
	return stop;
}

/* ---- throttling ---- */

struct emu_throttle *
emu_throttle_new(int per_minute)
{
	struct emu_throttle *t = xcalloc(1, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
	t->capacity = per_minute > 0 ? per_minute : 0;
	t->per_second = t->capacity / 60.0;
	t->tokens = t->capacity;
	clock_gettime(CLOCK_MONOTONIC, &t->last);
	return t;
}

void
emu_throttle_free(struct emu_throttle *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static void
refill(struct emu_throttle *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double elapsed = (double)(now.tv_sec - t->last.tv_sec) +
			 (double)(now.tv_nsec - t->last.tv_nsec) / 1e9;
	t->last = now;
	t->tokens += elapsed * t->per_second;
	if (t->tokens > t->capacity)
		t->tokens = t->capacity;
}

bool
emu_throttle_take(struct emu_throttle *t, int *retry_after)
{
	if (!t || t->capacity == 0)
		return true;
	pthread_mutex_lock(&t->lock);
	refill(t);
	bool ok = t->tokens >= 1.0;
	if (ok) {
		t->tokens -= 1.0;
	} else {
		double wait = (1.0 - t->tokens) / t->per_second;
		int whole = (int)wait;
		*retry_after = whole < wait ? whole + 1 : whole;
		if (*retry_after < 1)
			*retry_after = 1;
	}
	pthread_mutex_unlock(&t->lock);
	return ok;
}
