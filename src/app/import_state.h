#ifndef DPSENROLL_APP_IMPORT_STATE_H
#define DPSENROLL_APP_IMPORT_STATE_H

/* What an import has done so far, kept in a file beside its result file
 * (mode 0600, replaced whole at each save), so an import stopped by
 * Ctrl-C, a crash or a lost network can be run again: rows confirmed
 * done are not sent again, and rows that may have been sent without an
 * answer (the "in flight" ones at the last save) are read back first.
 *
 * A row is known by its registrationId and the SHA-256 of the enrollment
 * as sent, so a row changed in the file since is sent again. The file
 * holds no enrollment, no key: ids, digests and outcomes. */

#include <stdbool.h>
#include <stddef.h>

enum { IMPORT_DIGEST_SIZE = 65 };

struct import_done {
	char *id;
	char digest[IMPORT_DIGEST_SIZE];	/* hex SHA-256 of what was sent */
	size_t line;
	char *outcome;		/* "created", "updated", "applied" */
	long status;
};

struct import_state {
	/* The DPS host the rows were sent to (owned; NULL in a file from
	 * before hosts were kept): done there is not done on another DPS. */
	char *host;
	struct import_done *done;	/* sorted by id once loaded */
	size_t done_count;
	size_t done_cap;
	char **in_flight;		/* ids; sorted once loaded */
	size_t in_flight_count;
	size_t in_flight_cap;
};

/* Hex SHA-256 of `text`. */
void import_digest(const char *text, char out[IMPORT_DIGEST_SIZE]);

/* Reads the state at `path`; an absent file is an empty state. False
 * with *why (owned) when it cannot be read or is not a state file. */
bool import_state_load(const char *path, struct import_state *s, char **why);

/* Writes it atomically with mode 0600. `mode` is the import's mode, kept
 * for whoever reads the file; s->host is written when set. */
bool import_state_save(const char *path, const struct import_state *s,
		       const char *mode, char **why);

/* Additions; the strings are copied. Lookups need the state sorted. */
void import_state_add_done(struct import_state *s, const char *id,
			   const char *digest, size_t line,
			   const char *outcome, long status);
void import_state_add_in_flight(struct import_state *s, const char *id);
void import_state_sort(struct import_state *s);
const struct import_done *import_state_done(const struct import_state *s,
					    const char *id);
bool import_state_in_flight(const struct import_state *s, const char *id);

/* Empties the in-flight list (the done list stays). */
void import_state_clear_in_flight(struct import_state *s);
void import_state_clear(struct import_state *s);

#endif
