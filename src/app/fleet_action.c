#include "app/fleet_action.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "app/journal.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/said.h"
#include "dps/ops.h"
#include "model/checks.h"
#include "model/json.h"

enum { BULK_SLICE = 10 };

const char *
fleet_action_name(enum fleet_action a)
{
	switch (a) {
	case FLEET_ENABLE: return "enable";
	case FLEET_DISABLE: return "disable";
	case FLEET_DELETE_STATE: return "deleteRegistrationState";
	case FLEET_DELETE: return "delete";
	}
	return "?";
}

struct fleet_batch *
fleet_batch_new(enum fleet_action a)
{
	struct fleet_batch *b = xcalloc(1, sizeof(*b));
	b->action = a;
	return b;
}

void
fleet_batch_add(struct fleet_batch *b, const char *id, const char *etag)
{
	b->targets = xreallocarray(b->targets, b->count + 1, sizeof(*b->targets));
	b->targets[b->count++] = (struct fleet_target){
		.id = xstrdup(id),
		.etag = etag && *etag ? xstrdup(etag) : NULL,
	};
}

void
fleet_batch_free(struct fleet_batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->count; i++) {
		free(b->targets[i].id);
		free(b->targets[i].etag);
		free(b->targets[i].message);
		free(b->targets[i].record);
		cJSON_Delete(b->targets[i].enrollment);
	}
	free(b->targets);
	free(b->journal_problem);
	free(b);
}

void
fleet_batch_stop(struct fleet_batch *b)
{
	atomic_store(&b->stop, true);
}

static bool
stopped(struct fleet_batch *b)
{
	return atomic_load(&b->stop);
}

size_t
fleet_batch_count(const struct fleet_batch *b, enum fleet_outcome o)
{
	size_t n = 0;
	for (size_t i = 0; i < b->count; i++)
		n += b->targets[i].outcome == o;
	return n;
}

/* ---- outcomes ---- */

static void
set_outcome(struct fleet_target *t, enum fleet_outcome o, char *message)
{
	t->outcome = o;
	free(t->message);
	free(t->record);
	t->message = message;
	t->record = NULL;
}

/* The outcome with its why from `fmt` (marked with N_): in the user's
 * language for the screen, in English for the journal. */
static void
set_outcome_said(struct fleet_target *t, enum fleet_outcome o,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
set_outcome_said(struct fleet_target *t, enum fleet_outcome o,
		 const char *fmt, ...)
{
	struct dps_said said = { 0 };
	va_list ap;
	va_start(ap, fmt);
	dps_said_vprintf(&said, fmt, ap);
	va_end(ap);
	set_outcome(t, o, said.shown);
	t->record = said.record;
}

/* Not run: its request `cancelled`, or the batch stopped before it. */
static void
set_not_run(struct fleet_target *t, bool cancelled)
{
	if (cancelled)
		/* TRANSLATORS: what became of an enrollment of the list's
		 * action: its request was cancelled. */
		set_outcome_said(t, FLEET_NOT_RUN, N_("cancelled"));
	else
		/* TRANSLATORS: what became of an enrollment of the list's
		 * action: the action stopped before its turn. */
		set_outcome_said(t, FLEET_NOT_RUN, N_("stopped"));
}

static void
set_changed(struct fleet_target *t)
{
	set_outcome_said(t, FLEET_CHANGED,
			 N_("changed on the service since the list read it: "
			    "left as it is (reload the list to see it)"));
}

static bool
was_cancelled(const struct dps_response *r)
{
	return r->failure == DPS_FAIL_CANCELLED;
}

/* A failed call's outcome: gone for a 404, else failed with its words. */
static void
set_failed(struct fleet_target *t, const struct dps_response *r)
{
	if (was_cancelled(r))
		set_not_run(t, true);
	else if (r->failure == DPS_ANSWERED && r->status == 404)
		set_outcome_said(t, FLEET_GONE,
				 N_("not on the service (HTTP 404)"));
	else if (r->failure == DPS_ANSWERED && r->status == 412)
		set_outcome_said(t, FLEET_CHANGED,
				 N_("changed on the service since the list "
				    "read it (HTTP 412): left as it is"));
	else
		set_outcome(t, FLEET_FAILED, dps_response_describe(r));
}

static enum journal_outcome
journal_outcome_of(enum fleet_outcome o)
{
	switch (o) {
	case FLEET_DONE:
	case FLEET_UNCHANGED:
		return JOURNAL_OK;
	case FLEET_NOT_RUN:
		return JOURNAL_CANCELLED;
	default:
		return JOURNAL_FAILED;
	}
}

static void
journal_target(struct fleet_batch *b, const struct fleet_target *t,
	       long status)
{
	const cJSON *etag = cJSON_GetObjectItemCaseSensitive(t->enrollment, "etag");
	struct journal_entry e = {
		.registration_id = t->id,
		.operation = fleet_action_name(b->action),
		.outcome = journal_outcome_of(t->outcome),
		.status = status,
		.etag = cJSON_IsString(etag) ? etag->valuestring : NULL,
		.message = t->record ? t->record : t->message,
	};
	char *why = NULL;
	if (!journal_append(&e, &why) && !b->journal_problem)
		b->journal_problem = why;
	else
		free(why);
}

/* ---- deletes ---- */

static void
run_delete(struct dps_client *c, struct fleet_batch *b, bool state)
{
	bool stop = false;
	for (size_t i = 0; i < b->count; i++) {
		struct fleet_target *t = &b->targets[i];
		if (stop || stopped(b)) {
			set_not_run(t, stop);
			journal_target(b, t, 0);
			continue;
		}
		struct dps_response r;
		if (state)
			dps_regstate_delete(c, t->id, t->etag, &r);
		else
			dps_enrollment_delete(c, t->id, t->etag, &r);
		if (r.failure == DPS_ANSWERED && r.status >= 200 && r.status < 300)
			set_outcome(t, FLEET_DONE, NULL);
		else
			set_failed(t, &r);
		stop = was_cancelled(&r);
		journal_target(b, t, r.status);
		dps_response_clear(&r);
	}
}

/* ---- enable and disable ---- */

static const char *
wanted_status(const struct fleet_batch *b)
{
	return b->action == FLEET_ENABLE ? "enabled" : "disabled";
}

static const char *
string_member(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A symmetric-key enrollment's keys into `doc`: GET hides them, and
 * without them the service would make new ones and every device would
 * be locked out. False, with the target's outcome set, when they could
 * not be read. */
static bool
add_keys(struct dps_client *c, struct fleet_target *t, cJSON *doc)
{
	const cJSON *att = cJSON_GetObjectItemCaseSensitive(doc, "attestation");
	const char *type = string_member(att, "type");
	if (!type || strcmp(type, "symmetricKey") != 0)
		return true;
	struct dps_response r;
	dps_enrollment_attestation(c, t->id, &r);
	bool ok = r.failure == DPS_ANSWERED && r.status == 200 &&
		  cJSON_IsObject(r.body);
	if (ok) {
		cJSON_ReplaceItemInObjectCaseSensitive(doc, "attestation", r.body);
		r.body = NULL;
	} else if (was_cancelled(&r)) {
		set_not_run(t, true);
	} else {
		char *why = dps_response_describe(&r);
		set_outcome_said(t, FLEET_FAILED,
				 /* TRANSLATORS: %s is the service's answer,
				  * in English. */
				 N_("its keys could not be read, so nothing "
				    "was sent: %s"), why);
		free(why);
	}
	dps_response_clear(&r);
	return ok;
}

/* The enrollment as it must be sent, keys included; NULL with the
 * target's outcome set when it is not to be sent. */
static cJSON *
prepare(struct dps_client *c, const struct fleet_batch *b,
	struct fleet_target *t)
{
	struct dps_response r;
	dps_enrollment_get(c, t->id, &r);
	if (r.failure != DPS_ANSWERED || r.status != 200 || !r.body) {
		set_failed(t, &r);
		dps_response_clear(&r);
		return NULL;
	}
	cJSON *doc = r.body;
	r.body = NULL;
	dps_response_clear(&r);
	const char *now = string_member(doc, "etag");
	const char *status = string_member(doc, "provisioningStatus");
	if (t->etag && (!now || strcmp(now, t->etag) != 0)) {
		set_changed(t);
	} else if (!strcmp(status ? status : "enabled", wanted_status(b))) {
		if (b->action == FLEET_ENABLE)
			set_outcome_said(t, FLEET_UNCHANGED, N_("already enabled"));
		else
			set_outcome_said(t, FLEET_UNCHANGED,
					 N_("already disabled"));
	} else if (add_keys(c, t, doc)) {
		cJSON_DeleteItemFromObjectCaseSensitive(doc, "registrationState");
		cJSON_DeleteItemFromObjectCaseSensitive(doc, "provisioningStatus");
		cJSON_AddStringToObject(doc, "provisioningStatus",
					wanted_status(b));
		return doc;
	}
	json_wipe_strings(doc);
	cJSON_Delete(doc);
	return NULL;
}

static struct fleet_target *
target_named(struct fleet_batch *b, size_t from, size_t to, const char *id)
{
	for (size_t i = from; i < to && id; i++)
		if (registration_id_equal(b->targets[i].id, id))
			return &b->targets[i];
	return NULL;
}

/* The bulk answer's word on each target it carried. */
static void
take_bulk(struct fleet_batch *b, size_t from, size_t to,
	  const struct dps_response *r)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r->body, "errors")) {
		struct fleet_target *t = target_named(b, from, to,
			string_member(e, "registrationId"));
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "errorCode");
		long n = cJSON_IsNumber(code) ? (long)code->valuedouble : 0;
		const char *words = string_member(e, "errorStatus");
		if (!t || t->outcome != FLEET_DONE)
			continue;
		if (n / 1000 == 412)
			set_changed(t);
		else if (n / 1000 == 404)
			set_outcome_said(t, FLEET_GONE, N_("not on the service"));
		else if (words)
			set_outcome(t, FLEET_FAILED, xasprintf("%ld: %s", n,
							       words));
		else
			/* TRANSLATORS: %ld is the service's error code. */
			set_outcome_said(t, FLEET_FAILED, N_("%ld: refused"), n);
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r->body, "readBack")) {
		struct fleet_target *t = target_named(b, from, to,
			string_member(e, "registrationId"));
		const char *o = string_member(e, "outcome");
		if (!t || t->outcome != FLEET_DONE || !o || !strcmp(o, "applied"))
			continue;
		set_outcome_said(t, !strcmp(o, "changedBySomeoneElse")
				 ? FLEET_CHANGED : FLEET_FAILED,
				 /* TRANSLATORS: %s is the read-back outcome, a
				  * wire value (changedBySomeoneElse,
				  * notApplied...). */
				 N_("the answer was lost; read back: %s"), o);
	}
}

/* The stored copy after the write, for the list's row (new etag). */
static void
read_after(struct dps_client *c, struct fleet_target *t)
{
	struct dps_response r;
	dps_enrollment_get(c, t->id, &r);
	if (r.failure == DPS_ANSWERED && r.status == 200 && cJSON_IsObject(r.body)) {
		t->enrollment = r.body;
		r.body = NULL;
	}
	dps_response_clear(&r);
}

static bool
run_slice(struct dps_client *c, struct fleet_batch *b, size_t from, size_t to)
{
	cJSON *list = cJSON_CreateArray();
	bool cancelled = false;
	for (size_t i = from; i < to; i++) {
		struct fleet_target *t = &b->targets[i];
		if (cancelled || stopped(b)) {
			set_not_run(t, cancelled);
			continue;
		}
		cJSON *doc = prepare(c, b, t);
		if (!doc) {
			/* prepare leaves it not run only when cancelled */
			cancelled = t->outcome == FLEET_NOT_RUN;
			continue;
		}
		set_outcome(t, FLEET_DONE, NULL);
		cJSON_AddItemToArray(list, doc);
	}
	long status = 0;
	if (cJSON_GetArraySize(list) > 0) {
		struct dps_response r;
		dps_enrollment_bulk(c, "updateIfMatchETag", list, &r);
		status = r.status;
		if (r.failure == DPS_ANSWERED && r.status == 200)
			take_bulk(b, from, to, &r);
		else
			for (size_t i = from; i < to; i++)
				if (b->targets[i].outcome == FLEET_DONE)
					set_failed(&b->targets[i], &r);
		cancelled = cancelled || was_cancelled(&r);
		dps_response_clear(&r);
	}
	json_wipe_strings(list);
	cJSON_Delete(list);
	for (size_t i = from; i < to; i++) {
		struct fleet_target *t = &b->targets[i];
		if (t->outcome == FLEET_DONE && !cancelled)
			read_after(c, t);
		journal_target(b, t, t->outcome == FLEET_DONE ? status : 0);
	}
	return !cancelled && !stopped(b);
}

static void
run_status(struct dps_client *c, struct fleet_batch *b)
{
	bool go_on = true;
	for (size_t from = 0; from < b->count; from += BULK_SLICE) {
		size_t to = from + BULK_SLICE < b->count ? from + BULK_SLICE
							 : b->count;
		if (go_on) {
			go_on = run_slice(c, b, from, to);
			continue;
		}
		for (size_t i = from; i < to; i++) {
			set_not_run(&b->targets[i], !stopped(b));
			journal_target(b, &b->targets[i], 0);
		}
	}
}

static void
run_batch(struct dps_client *c, struct dps_job *j)
{
	struct fleet_batch *b = j->arg;
	if (b->action == FLEET_DELETE_STATE || b->action == FLEET_DELETE)
		run_delete(c, b, b->action == FLEET_DELETE_STATE);
	else
		run_status(c, b);
	j->resp.status = 200;
}

static void
free_batch(void *arg)
{
	fleet_batch_free(arg);
}

unsigned
fleet_batch_submit(struct dps_worker *w, struct fleet_batch *b)
{
	return dps_worker_submit_call(w, NULL, run_batch, b, free_batch);
}

struct fleet_batch *
fleet_batch_of(const struct dps_job *j)
{
	return j->op == DPS_OP_CALL && j->run == run_batch ? j->arg : NULL;
}

/* ---- pages ---- */

struct page_arg {
	char *continuation;
	int size;
};

static void
run_page(struct dps_client *c, struct dps_job *j)
{
	const struct page_arg *p = j->arg;
	dps_enrollment_query_page(c, p->size, p->continuation, &j->resp);
}

static void
free_page(void *arg)
{
	struct page_arg *p = arg;
	free(p->continuation);
	free(p);
}

unsigned
fleet_page_submit(struct dps_worker *w, const char *continuation,
		  int page_size)
{
	struct page_arg *p = xcalloc(1, sizeof(*p));
	p->continuation = continuation ? xstrdup(continuation) : NULL;
	p->size = page_size;
	return dps_worker_submit_call(w, NULL, run_page, p, free_page);
}

bool
fleet_page_is(const struct dps_job *j)
{
	return j->op == DPS_OP_CALL && j->run == run_page;
}
