#ifndef DPSENROLL_APP_DRAFT_H
#define DPSENROLL_APP_DRAFT_H

/* The form saved as it is typed, so nothing is lost to a crash, a closed
 * terminal or a failed request: a file of mode 0600 in a 0700 folder,
 * always replaced whole (temp file, fsync, rename). Where the files live,
 * one for each running form, is draft_store.h's business.
 *
 * The draft holds the field texts exactly as typed, not the document
 * built from them, so text that is invalid or not even JSON survives. It
 * holds secrets (symmetric keys are texts like any other): every string
 * is wiped when it is freed. Private key material is the exception: it
 * is never written, and never read back from an older draft. */

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/quiet_timer.h"

struct draft {
	char *saved_at;		/* ISO-8601 UTC of the save it came from */
	char *registration_id;	/* to name the draft when offering it; or NULL */
	char *etag;		/* of the loaded copy, for If-Match; NULL: new */
	cJSON *base;		/* the loaded server copy (an object); NULL: new */
	cJSON *fields;		/* object: schema path -> text as typed */
	/* private key blocks draft_load took out of what it read (a draft
	 * never holds one: draft_save leaves them out) */
	size_t keys_dropped;
};

/* Sets one field's text (copied), making `fields` when it is NULL; an
 * earlier text for the path is wiped. */
void draft_set_text(struct draft *d, const char *path, const char *text);
/* The text saved for `path` (borrowed), or NULL. */
const char *draft_text(const struct draft *d, const char *path);

/* Writes the draft to `path`, stamped with the current time
 * (d->saved_at is not read). `base` and `fields` must be objects when
 * set. False with *why (owned) naming the file. */
bool draft_write(const char *path, const struct draft *d, char **why);

/* Reads the draft at `path` into *out (owned by the caller: draft_clear
 * it). False with *why NULL when there is none. False with *why (owned)
 * when it cannot be read, or when it is damaged: a damaged draft is
 * renamed PATH.damaged-TIME beside it, never deleted, and *why says so. */
bool draft_read(const char *path, struct draft *out, char **why);

/* Wipes and frees every member; *d is then empty and reusable. */
void draft_clear(struct draft *d);

/* When to save, for a caller that sees every change: 500 ms after the
 * last change (typing goes on undisturbed), but no later than 2 s after
 * the first unsaved one (steady typing is still saved). Pure logic over
 * the caller's monotonic milliseconds. */
enum {
	DRAFT_QUIET_MS = 500,
	DRAFT_MAX_WAIT_MS = 2000,
};

/* The draft is saved once the typing pauses (quiet_timer). */
#define DRAFT_TIMER_INIT \
	((struct quiet_timer){ .quiet_ms = DRAFT_QUIET_MS, \
			       .max_ms = DRAFT_MAX_WAIT_MS })

#endif
