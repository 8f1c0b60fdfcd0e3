#ifndef DPSENROLL_EMU_STORE_H
#define DPSENROLL_EMU_STORE_H

/* Persistence of dpsemu in SQLite (WAL): enrollments and registration
 * states as JSON text keyed by the lower-cased registration id, plus
 * settings (policy key, ID scope). A write that returned success is on
 * disk in the WAL and survives the process being killed. Callers hold
 * emu->lock; the store itself is not thread-safe. */

#include <stdbool.h>
#include <stddef.h>

struct emu_store;

enum emu_store_result {
	STORE_OK,
	STORE_NOT_FOUND,
	STORE_ERROR,
};

/* Opens or creates DIR/dpsemu.db (mode 0600). A damaged or foreign file
 * is refused with *why naming the file and what to do; it is never reset. */
struct emu_store *emu_store_open(const char *dir, char **why);
void emu_store_close(struct emu_store *s);
/* The last error's text, for logs. */
const char *emu_store_error(const struct emu_store *s);

/* Settings. *value is owned by the caller. */
enum emu_store_result emu_store_get_setting(struct emu_store *s,
					    const char *name, char **value);
enum emu_store_result emu_store_set_setting(struct emu_store *s,
					    const char *name, const char *value);

/* Tables: EMU_ENROLLMENTS and EMU_REGISTRATIONS hold JSON documents by id
 * (the caller lower-cases ids). */
enum emu_table {
	EMU_ENROLLMENTS,
	EMU_REGISTRATIONS,
};

enum emu_store_result emu_store_get(struct emu_store *s, enum emu_table t,
				    const char *id, char **json);
enum emu_store_result emu_store_put(struct emu_store *s, enum emu_table t,
				    const char *id, const char *json);
enum emu_store_result emu_store_delete(struct emu_store *s, enum emu_table t,
				       const char *id);

/* Up to `limit` documents with ids greater than `after` (NULL: from the
 * start), in id order. *docs is an owned array of owned strings; *more
 * says whether documents remain after the last one returned; *last_id
 * (owned) is the id of the last one, for the continuation. */
enum emu_store_result emu_store_list(struct emu_store *s, enum emu_table t,
				     const char *after, size_t limit,
				     char ***docs, size_t *count, bool *more,
				     char **last_id);
void emu_store_free_list(char **docs, size_t count);

/* Transactions: the writes between begin and commit reach the disk
 * together or not at all; commit rolls back when it fails. Inside one, a
 * part (a savepoint; one at a time) can be undone on its own: part_end
 * keeps its writes or undoes them. */
enum emu_store_result emu_store_begin(struct emu_store *s);
enum emu_store_result emu_store_commit(struct emu_store *s);
void emu_store_rollback(struct emu_store *s);
enum emu_store_result emu_store_part_begin(struct emu_store *s);
enum emu_store_result emu_store_part_end(struct emu_store *s, bool keep);

#endif
