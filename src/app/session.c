/* The editing session's state machine; see session.h for the rules. */

#include <stdlib.h>
#include <string.h>

#include "app/session.h"
#include "app/keepkeys.h"
#include "app/putreq.h"
#include "model/json.h"
#include "base/secret.h"
#include "base/xalloc.h"

#define KEYS_PATH "attestation.symmetricKey"

struct session {
	struct session_port port;
	enum session_state state;
	unsigned job;
	char *id;		/* what the request in flight is about */
	struct doc *base;	/* the service's copy; NULL: new */
	struct doc *previous;	/* the base before a 412's new copy */
	cJSON *fresh;		/* a copy read, while its keys are read */
	struct doc *outgoing;	/* the submit in flight, or the last sent */
	char *if_match;		/* its If-Match; NULL: a create */
	bool keys_missing;
	bool rereading;		/* the keys read are the base's, again */
	char *why;		/* why the keys could not be read */
};

static const char *const state_names[] = {
	[SESSION_IDLE] = "idle",
	[SESSION_LOADING] = "loading",
	[SESSION_LOADING_KEYS] = "loading keys",
	[SESSION_READING_KEYS] = "reading keys",
	[SESSION_SUBMITTING] = "submitting",
	[SESSION_REFRESHING] = "refreshing",
	[SESSION_REFRESHING_KEYS] = "refreshing keys",
};

const char *
session_state_name(enum session_state st)
{
	return state_names[st];
}

struct session *
session_new(const struct session_port *port)
{
	struct session *s = xcalloc(1, sizeof(*s));
	s->port = *port;
	return s;
}

/* Frees a tree that may hold keys. */
static void
wipe_json(cJSON *j)
{
	doc_free(j ? doc_adopt(j) : NULL);
}

static void
set_base(struct session *s, struct doc *d)
{
	doc_free(s->base);
	s->base = d;
}

static void
drop_fresh(struct session *s)
{
	wipe_json(s->fresh);
	s->fresh = NULL;
}

static void
set_outgoing(struct session *s, struct doc *d, const char *if_match)
{
	doc_free(s->outgoing);
	s->outgoing = d;
	free(s->if_match);
	s->if_match = if_match ? xstrdup(if_match) : NULL;
}

void
session_free(struct session *s)
{
	if (!s)
		return;
	free(s->id);
	doc_free(s->base);
	doc_free(s->previous);
	drop_fresh(s);
	set_outgoing(s, NULL, NULL);
	free(s->why);
	free(s);
}

enum session_state
session_state(const struct session *s)
{
	return s->state;
}

bool
session_busy(const struct session *s)
{
	return s->state != SESSION_IDLE;
}

unsigned
session_job(const struct session *s)
{
	return s->job;
}

const struct doc *
session_base(const struct session *s)
{
	return s->base;
}

const char *
session_etag(const struct session *s)
{
	return s->base ? doc_get_string(s->base, "etag") : NULL;
}

const struct doc *
session_previous(const struct session *s)
{
	return s->previous;
}

bool
session_keys_missing(const struct session *s)
{
	return s->keys_missing;
}

const char *
session_id(const struct session *s)
{
	return s->id ? s->id : "";
}

const char *
session_why(const struct session *s)
{
	return s->why;
}

const struct doc *
session_sent(const struct session *s)
{
	return s->outgoing;
}

bool
session_reset(struct session *s)
{
	if (session_busy(s))
		return false;
	set_base(s, NULL);
	doc_free(s->previous);
	s->previous = NULL;
	s->keys_missing = false;
	return true;
}

bool
session_adopt(struct session *s, cJSON *base)
{
	if (!session_reset(s)) {
		wipe_json(base);
		return false;
	}
	if (base)
		set_base(s, doc_adopt(base));
	return true;
}

static void
send_request(struct session *s, enum session_state next, enum dps_op op,
	     const char *body, const char *if_match)
{
	s->state = next;
	s->job = s->port.submit(s->port.ctx, op, s->id, body, if_match);
}

static void
set_id(struct session *s, const char *id)
{
	char *copy = xstrdup(id ? id : "");
	free(s->id);
	s->id = copy;
}

bool
session_load(struct session *s, const char *id)
{
	if (session_busy(s))
		return false;
	set_id(s, id);
	s->rereading = false;
	send_request(s, SESSION_LOADING, DPS_OP_GET, NULL, NULL);
	return true;
}

static bool
is_symmetric_key(const cJSON *enrollment)
{
	const cJSON *type = json_path_get(enrollment, "attestation.type");
	return cJSON_IsString(type) && !strcmp(type->valuestring, "symmetricKey");
}

static void
send_put(struct session *s)
{
	struct put_request r;
	if (s->if_match)
		put_request_update(s->outgoing, s->if_match, &r);
	else
		put_request_create(s->outgoing, &r);
	send_request(s, SESSION_SUBMITTING, DPS_OP_PUT, r.body, r.if_match);
	put_request_clear(&r);
}

/* The one place that decides what a submit sends first. */
static bool
start_submit(struct session *s, struct doc *d, const char *if_match)
{
	const char *id = doc_get_string(d, "registrationId");
	set_id(s, id);
	set_outgoing(s, d, if_match);
	doc_free(s->previous);
	s->previous = NULL;
	if (if_match && keepkeys_missing(d->root))
		send_request(s, SESSION_READING_KEYS, DPS_OP_ATTESTATION, NULL,
			     NULL);
	else
		send_put(s);
	return true;
}

bool
session_submit_update(struct session *s, const struct doc *doc,
		      const char *if_match)
{
	if (session_busy(s))
		return false;
	return start_submit(s, doc_clone(doc), if_match);
}

bool
session_submit_create(struct session *s, const struct doc *doc)
{
	if (session_busy(s))
		return false;
	return start_submit(s, doc_clone(doc), NULL);
}

bool
session_submit(struct session *s, const struct doc *doc)
{
	const char *etag = session_etag(s);
	if (!etag)
		return session_submit_create(s, doc);
	char *copy = xstrdup(etag);
	bool ok = session_submit_update(s, doc, copy);
	free(copy);
	return ok;
}

bool
session_read_keys(struct session *s)
{
	if (session_busy(s) || !s->base)
		return false;
	set_id(s, doc_get_string(s->base, "registrationId"));
	s->fresh = cJSON_Duplicate(s->base->root, 1);
	s->rereading = true;
	send_request(s, SESSION_LOADING_KEYS, DPS_OP_ATTESTATION, NULL, NULL);
	return true;
}

bool
session_refresh(struct session *s)
{
	if (session_busy(s) || !s->base)
		return false;
	send_request(s, SESSION_REFRESHING, DPS_OP_GET, NULL, NULL);
	return true;
}

bool
session_cancel(struct session *s)
{
	return s->job && s->port.cancel(s->port.ctx, s->job);
}

/* ---- results ---- */

static bool
answered(const struct dps_job *j, long status)
{
	return j->resp.failure == DPS_ANSWERED && j->resp.status == status;
}

/* "Enrollment not found" (or a bare 404): deleted on the service. Other
 * 404s (a wrong path, a proxy) say nothing about the enrollment. */
static bool
not_found(const struct dps_job *j)
{
	int code = j->resp.error.error_code;
	return answered(j, 404) && (code == 404201 || code == 0);
}

static bool
got_enrollment(const struct dps_job *j)
{
	return answered(j, 200) && cJSON_IsObject(j->resp.body);
}

/* The attestation mechanism's keys (owned), or NULL with the reason kept
 * for session_why: any failure counts, to fail closed. */
static cJSON *
take_keys(struct session *s, const struct dps_job *j)
{
	free(s->why);
	return keepkeys_from_answer(&j->resp, &s->why);
}

static struct session_news
news(enum session_news_kind kind, enum session_state step,
     const struct dps_job *j)
{
	return (struct session_news){ .kind = kind, .step = step, .job = j };
}

/* A copy: the face still shows and prints the answer. */
static cJSON *
body_copy(const struct dps_job *j)
{
	return cJSON_Duplicate(j->resp.body, 1);
}

static enum session_news_kind
finish_load(struct session *s, cJSON *enrollment, bool keys_missing)
{
	set_base(s, doc_adopt(enrollment));
	doc_free(s->previous);
	s->previous = NULL;
	s->keys_missing = keys_missing;
	return keys_missing ? NEWS_LOADED_NO_KEYS : NEWS_LOADED;
}

static enum session_news_kind
on_loaded(struct session *s, struct dps_job *j)
{
	if (!got_enrollment(j))
		return NEWS_FAILED;
	cJSON *e = body_copy(j);
	if (!is_symmetric_key(e))
		return finish_load(s, e, false);
	s->fresh = e;
	send_request(s, SESSION_LOADING_KEYS, DPS_OP_ATTESTATION, NULL, NULL);
	return NEWS_STEP;
}

static enum session_news_kind
on_load_keys(struct session *s, struct dps_job *j)
{
	/* Reading the keys of the loaded copy again: gone means deleted, and
	 * the face may offer to create it again from what it has. */
	if (s->rereading && not_found(j)) {
		drop_fresh(s);
		return NEWS_GONE;
	}
	cJSON *keys = take_keys(s, j);
	cJSON *e = s->fresh;
	s->fresh = NULL;
	if (keys)
		json_path_set(e, KEYS_PATH, keys);
	return finish_load(s, e, !keys);
}

static enum session_news_kind
on_read_keys(struct session *s, struct dps_job *j)
{
	cJSON *keys = take_keys(s, j);
	if (!keys)
		return NEWS_KEYS_UNREADABLE;
	doc_set_json(s->outgoing, KEYS_PATH, keys);
	send_put(s);
	return NEWS_STEP;
}

/* The PUT answer has neither the registration state nor, when they were
 * sent, always the keys; the next review needs both. */
static cJSON *
answer_as_base(const struct session *s, cJSON *answer)
{
	/* A create is a record of its own: the state of the one it was
	 * copied from is not its. */
	const cJSON *state = s->base && s->if_match
			     ? doc_get(s->base, "registrationState") : NULL;
	if (state && !cJSON_GetObjectItemCaseSensitive(answer, "registrationState"))
		cJSON_AddItemToObject(answer, "registrationState",
				      cJSON_Duplicate(state, 1));
	const cJSON *sent = doc_get(s->outgoing, KEYS_PATH);
	if (keepkeys_missing(answer) && sent)
		json_path_set(answer, KEYS_PATH, cJSON_Duplicate(sent, 1));
	return answer;
}

static enum session_news_kind
on_submitted(struct session *s, struct dps_job *j)
{
	if (got_enrollment(j)) {
		set_base(s, doc_adopt(answer_as_base(s, body_copy(j))));
		s->keys_missing = false;
		return NEWS_SUBMITTED;
	}
	if (answered(j, 412) && s->if_match)
		return NEWS_CHANGED;
	if (answered(j, 409) && !s->if_match)
		return NEWS_EXISTS;
	if (not_found(j) && s->if_match)
		return NEWS_GONE;
	return NEWS_FAILED;
}

static enum session_news_kind
conflict(struct session *s, cJSON *fresh)
{
	doc_free(s->previous);
	s->previous = s->base;
	s->base = doc_adopt(fresh);
	s->keys_missing = false;
	return NEWS_CONFLICT;
}

static enum session_news_kind
on_refreshed(struct session *s, struct dps_job *j)
{
	if (not_found(j))
		return NEWS_GONE;
	if (!got_enrollment(j))
		return NEWS_FAILED;
	cJSON *e = body_copy(j);
	if (!is_symmetric_key(e))
		return conflict(s, e);
	s->fresh = e;
	send_request(s, SESSION_REFRESHING_KEYS, DPS_OP_ATTESTATION, NULL, NULL);
	return NEWS_STEP;
}

/* Rebasing on a copy without its keys would make every key look changed
 * and an update send none: nothing moves until they can be read. */
static enum session_news_kind
on_refresh_keys(struct session *s, struct dps_job *j)
{
	cJSON *keys = take_keys(s, j);
	cJSON *e = s->fresh;
	s->fresh = NULL;
	if (!keys) {
		wipe_json(e);
		return NEWS_KEYS_UNREADABLE;
	}
	json_path_set(e, KEYS_PATH, keys);
	return conflict(s, e);
}

static enum session_news_kind
advance(struct session *s, enum session_state step, struct dps_job *j)
{
	switch (step) {
	case SESSION_LOADING: return on_loaded(s, j);
	case SESSION_LOADING_KEYS: return on_load_keys(s, j);
	case SESSION_READING_KEYS: return on_read_keys(s, j);
	case SESSION_SUBMITTING: return on_submitted(s, j);
	case SESSION_REFRESHING: return on_refreshed(s, j);
	case SESSION_REFRESHING_KEYS: return on_refresh_keys(s, j);
	case SESSION_IDLE: break;
	}
	return NEWS_NONE;
}

struct session_news
session_take(struct session *s, struct dps_job *j)
{
	if (!s->job || j->id != s->job)
		return news(NEWS_NONE, s->state, j);
	enum session_state step = s->state;
	s->job = 0;
	s->state = SESSION_IDLE;
	if (j->resp.failure == DPS_FAIL_CANCELLED) {
		/* A cancelled load or refresh leaves the session as it was. */
		drop_fresh(s);
		return news(NEWS_CANCELLED, step, j);
	}
	enum session_news_kind kind = advance(s, step, j);
	if (kind != NEWS_STEP)
		drop_fresh(s);
	return news(kind, step, j);
}

void
session_note_registration(struct session *s, const cJSON *state)
{
	if (!s->base || !cJSON_IsObject(state))
		return;
	cJSON *copy = cJSON_Duplicate(state, 1);
	cJSON_DeleteItemFromObjectCaseSensitive(s->base->root, "registrationState");
	cJSON_AddItemToObject(s->base->root, "registrationState", copy);
}
