#ifndef DPSENROLL_APP_JOURNAL_H
#define DPSENROLL_APP_JOURNAL_H

/* A local record of every submission: state_dir()/journal.jsonl, one JSON
 * object a line, mode 0600, only ever appended to. Each line is written
 * with one write() on an O_APPEND descriptor and fsync'd, so a line is
 * either whole or (after a crash mid-write) a damaged tail, which readers
 * are told about, like any other damaged line.
 *
 * The journal never holds keys, certificates, connection strings or
 * tokens: an entry is exactly the members below, all chosen by the
 * caller; there is no way to hand it a document or a raw answer. */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "dps/client.h"

enum journal_outcome {
	JOURNAL_OK,
	JOURNAL_FAILED,
	JOURNAL_CANCELLED,
};

/* Every pointer is borrowed. */
struct journal_entry {
	time_t time;			/* 0: now */
	const char *operator;		/* NULL: journal_operator() */
	const char *registration_id;
	const char *operation;		/* "create", "update", "delete"... */
	enum journal_outcome outcome;
	long status;			/* HTTP status; 0: none (null) */
	long error_code;		/* the service's errorCode; 0: none */
	const char *etag;		/* the new etag; NULL: none */
	const char *tracking_id;
	const char *message;		/* cut to JOURNAL_MESSAGE_MAX bytes */
};

enum { JOURNAL_MESSAGE_MAX = 200 };

/* state_dir()/journal.jsonl; the caller frees. */
char *journal_path(void);

/* Who is at the bench: the config's "operator", else $USER, else
 * "unknown". The caller frees. */
char *journal_operator(void);

/* "ok", "failed", "cancelled". */
const char *journal_outcome_name(enum journal_outcome o);

/* Sets the outcome members of *e from a service answer: outcome, status,
 * error_code, tracking_id, message and (after a success) the etag of the
 * stored copy. Only those fields are read; the pointers borrow from `r`,
 * so append before clearing it. */
void journal_entry_from_response(struct journal_entry *e,
				 const struct dps_response *r);

/* Appends one line. False with *why (owned) naming the file. */
bool journal_append(const struct journal_entry *e, char **why);
/* Appends `count` lines with one write and one fsync, for a batch. */
bool journal_append_many(const struct journal_entry *e, size_t count,
			 char **why);

/* What journal_read hands over, line by line in file order. */
struct journal_reader {
	/* A line holding a JSON object: the object and the line as stored
	 * (without its newline), both borrowed for the call. */
	void (*entry)(const cJSON *obj, const char *line, void *ctx);
	/* A line that is not an entry as journal_append writes them
	 * (`lineno` counts from 1): NUL bytes (what a crash can leave where
	 * a line was to be), bytes that are not UTF-8, JSON cut short or
	 * broken, or JSON that is not an entry. `why` (borrowed) says which. */
	void (*damaged)(size_t lineno, const char *why, void *ctx);
	void *ctx;
};

/* Reads the journal; empty lines (or spaces alone) are passed over. An absent journal is
 * empty, not an error. *damaged (may be NULL) counts the damaged lines.
 * False with *why (owned) when it cannot be read. */
bool journal_read(const struct journal_reader *r, size_t *damaged,
		  char **why);

#endif
