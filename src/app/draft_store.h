#ifndef DPSENROLL_APP_DRAFT_STORE_H
#define DPSENROLL_APP_DRAFT_STORE_H

/* Where the drafts live, so two forms open at once never share one:
 * state_dir()/drafts/NAME.json, one draft for each running form (a
 * "session"), and NAME.lock beside it, which the session holds (flock)
 * for as long as it runs. The kernel drops the lock of a process that
 * dies, however it dies, so:
 *   - a running form's draft is never offered to another one;
 *   - a crashed or closed form's draft (lock free) is offered back.
 * The lock file also notes the enrollment the session has open, so a
 * second window opening the same one can be warned.
 *
 * A draft of the earlier layout (state_dir()/draft.json, one for all) is
 * moved in on the first listing, so nobody loses a draft on upgrade. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "app/draft.h"
#include "app/state.h"

/* state_dir()/drafts; the caller frees. */
char *draft_store_dir(void);

struct draft_session;

/* A new session under a fresh name, its lock taken. NULL with *why
 * (owned) when the folder cannot be made or the lock file written. */
struct draft_session *draft_session_open(char **why);
/* Lets the lock go; the session's draft stays (it is then offered to the
 * next form), and the lock file goes when there is no draft. NULL is
 * ignored. */
void draft_session_close(struct draft_session *s);
/* The session's file name without ".json" (for messages and tests). */
const char *draft_session_name(const struct draft_session *s);
/* The session's draft file path (borrowed). */
const char *draft_session_path(const struct draft_session *s);

/* Writes the session's draft (see draft_write). */
bool draft_session_save(struct draft_session *s, const struct draft *d,
			char **why);
/* Removes the session's draft: the service has the enrollment. */
void draft_session_discard(struct draft_session *s);
/* Takes over the unclaimed draft NAME (a crashed form's) and reads it
 * into *out: from now on the session saves there. The session's own
 * empty name is given up. False with *why (owned) when another form took
 * it first, it is gone, or it cannot be read (see draft_read). */
bool draft_session_adopt(struct draft_session *s, const char *name,
			 struct draft *out, char **why);
/* Notes the registration id the form has open (NULL or invalid: none),
 * for draft_find_editor in other processes. */
void draft_session_note(struct draft_session *s, const char *registration_id);

struct draft_summary {
	char *name;		/* to adopt or delete it */
	char *registration_id;	/* or NULL */
	char *attestation_type;	/* or NULL */
	char *saved_at;		/* ISO-8601 UTC, or NULL */
	bool keys_dropped;	/* a private key it held was taken out */
};

/* The drafts no running form holds, newest first; *count is set. A draft
 * that cannot be read is set aside (see draft_read) and left out, and
 * *problems (owned, or NULL) says so. */
struct draft_summary *draft_list_unclaimed(size_t *count, char **problems);
void draft_summary_clear(struct draft_summary *s);
void draft_summaries_free(struct draft_summary *list, size_t count);

/* Deletes the unclaimed draft NAME. False with *why (owned) when a
 * running form holds it. */
bool draft_delete_unclaimed(const char *name, char **why);

/* A running form other than `self` that has `registration_id` open. */
struct draft_editor {
	pid_t pid;
	char since[STATE_TIME_SIZE];	/* when that form started */
};
bool draft_find_editor(const struct draft_session *self,
		       const char *registration_id, struct draft_editor *out);

#endif
