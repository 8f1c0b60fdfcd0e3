#ifndef DPSENROLL_APP_SESSION_H
#define DPSENROLL_APP_SESSION_H

/* The editing session: the enrollment being worked on, the service's copy
 * it is based on (its etag with it), and the compound operations on it,
 * as one explicit state machine shared by the form and `dpsenroll put`.
 *
 *   load    GET, then the attestation mechanism when the enrollment has
 *           symmetric keys (GET hides them, and an update without them
 *           would make the service generate new ones);
 *   submit  create (no etag anywhere), or update with If-Match; an update
 *           of a symmetric-key enrollment that carries no keys reads the
 *           existing keys first and sends nothing when it cannot;
 *   412     reported; refresh then fetches the new copy and its keys, which
 *           becomes the base, the previous base kept for the rebase of the
 *           edits;
 *   409     on a create: the id is taken, the caller may offer to load it;
 *   404     on an update, its refresh, or reading the loaded copy's keys
 *           again: deleted on the service, the caller may offer a create
 *           from what it has.
 *
 * The session never talks to a terminal: it sends requests through a
 * port (the worker thread, a synchronous client, or a test's fake) and
 * returns news that the face (form or command) shows. */

#include <stdbool.h>

#include "dps/worker.h"
#include "model/doc.h"

enum session_state {
	SESSION_IDLE,
	SESSION_LOADING,		/* GET */
	SESSION_LOADING_KEYS,		/* its symmetric keys */
	SESSION_READING_KEYS,		/* existing keys for an update without */
	SESSION_SUBMITTING,		/* PUT */
	SESSION_REFRESHING,		/* GET after a 412 */
	SESSION_REFRESHING_KEYS,	/* the new copy's keys */
};

enum session_news_kind {
	NEWS_NONE,		/* not this session's job, or nothing to say */
	NEWS_STEP,		/* one step done, the next request is out */
	NEWS_LOADED,		/* the base is the enrollment, keys included */
	NEWS_LOADED_NO_KEYS,	/* loaded, its keys unreadable: updates wait */
	NEWS_SUBMITTED,		/* the service took it; the base is its answer */
	NEWS_KEYS_UNREADABLE,	/* the keys an update needs could not be read:
				 * nothing was sent */
	NEWS_CHANGED,		/* 412: changed on the service since loaded */
	NEWS_CONFLICT,		/* after a refresh: the base is the new copy
				 * (with keys), session_previous() the one
				 * the edits were made against */
	NEWS_EXISTS,		/* 409 on a create */
	NEWS_GONE,		/* 404 on an update or its refresh */
	NEWS_FAILED,		/* any other outcome; the job's response says */
	NEWS_CANCELLED,
};

struct session_news {
	enum session_news_kind kind;
	enum session_state step;	/* the step that ended */
	const struct dps_job *job;	/* borrowed: the job that ended it */
};

/* Where requests go. submit returns the job's id (never 0); its result
 * comes back through session_take. */
struct session_port {
	unsigned (*submit)(void *ctx, enum dps_op op, const char *id,
			   const char *body, const char *if_match);
	bool (*cancel)(void *ctx, unsigned job);
	void *ctx;
};

struct session;

/* A session on a new enrollment; the port is copied, its ctx borrowed. */
struct session *session_new(const struct session_port *port);
void session_free(struct session *s);

enum session_state session_state(const struct session *s);
bool session_busy(const struct session *s);
/* The job in flight, 0 when idle. */
unsigned session_job(const struct session *s);
/* The service's copy being edited, keys included when read; NULL for a
 * new enrollment. Borrowed, valid until the next call that changes it. */
const struct doc *session_base(const struct session *s);
/* The base's etag, for If-Match; NULL for a new enrollment. */
const char *session_etag(const struct session *s);
/* After NEWS_CONFLICT: the copy the edits were made against. */
const struct doc *session_previous(const struct session *s);
/* The loaded enrollment's keys could not be read (an update reads them
 * again before it is sent). */
bool session_keys_missing(const struct session *s);

/* The registration id the last request was about ("" before any). */
const char *session_id(const struct session *s);
/* After NEWS_LOADED_NO_KEYS or NEWS_KEYS_UNREADABLE: why the keys could
 * not be read. */
const char *session_why(const struct session *s);

/* Back to a new enrollment (no base); false while a request runs. */
bool session_reset(struct session *s);
/* Takes `base` (an enrollment object; NULL for none) as the service's copy
 * without asking the service: a draft's base. False while busy. */
bool session_adopt(struct session *s, cJSON *base);

/* Starts a load; false while busy. */
bool session_load(struct session *s, const char *id);
/* Starts an update of the base with If-Match its etag, or a create when
 * there is no base. `doc` is copied. False while busy. */
bool session_submit(struct session *s, const struct doc *doc);
/* A create whatever the base: a renamed enrollment, or one deleted on the
 * service. Neither the body nor the request carries an etag. */
bool session_submit_create(struct session *s, const struct doc *doc);
/* An update with this If-Match ("*" replaces whatever is there), for
 * `put --if-match` and `put --force`. */
bool session_submit_update(struct session *s, const struct doc *doc,
			   const char *if_match);
/* Reads the loaded enrollment's keys again (after NEWS_LOADED_NO_KEYS);
 * ends in NEWS_LOADED or NEWS_LOADED_NO_KEYS. False while busy or with no
 * base. */
bool session_read_keys(struct session *s);
/* After NEWS_CHANGED: fetches the new copy (and its keys) of the loaded
 * enrollment, ending in NEWS_CONFLICT. False while busy or with no base. */
bool session_refresh(struct session *s);
/* Asks the port to cancel the job in flight; its result still arrives. */
bool session_cancel(struct session *s);

/* Feeds a finished job (borrowed, left as it came). Returns what it
 * means for the face; NEWS_NONE for a job that is not the session's. */
struct session_news session_take(struct session *s, struct dps_job *job);

/* The document sent by the last submit (for what was typed meanwhile);
 * NULL when none. */
const struct doc *session_sent(const struct session *s);

const char *session_state_name(enum session_state st);

/* A registration state newer than the base's (the device registered
 * since it was loaded): the base holds it from now on, so the next
 * answer that lacks one keeps it. */
void session_note_registration(struct session *s, const cJSON *state);

#endif
