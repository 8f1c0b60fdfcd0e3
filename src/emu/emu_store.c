#include "emu/emu_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/xalloc.h"

enum stmt_id {
	ST_GET_SETTING,
	ST_SET_SETTING,
	ST_GET_ENR, ST_PUT_ENR, ST_DEL_ENR, ST_LIST_ENR,
	ST_GET_REG, ST_PUT_REG, ST_DEL_REG, ST_LIST_REG,
	ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
	ST_SAVEPOINT, ST_RELEASE, ST_ROLLBACK_TO,
	ST_COUNT,
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_GET_SETTING] = "SELECT value FROM settings WHERE name = ?1",
	[ST_SET_SETTING] = "INSERT INTO settings(name, value) VALUES(?1, ?2) "
			   "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
	[ST_GET_ENR] = "SELECT doc FROM enrollments WHERE id = ?1",
	[ST_PUT_ENR] = "INSERT INTO enrollments(id, doc) VALUES(?1, ?2) "
		       "ON CONFLICT(id) DO UPDATE SET doc = excluded.doc",
	[ST_DEL_ENR] = "DELETE FROM enrollments WHERE id = ?1",
	[ST_LIST_ENR] = "SELECT id, doc FROM enrollments WHERE id > ?1 "
			"ORDER BY id LIMIT ?2",
	[ST_GET_REG] = "SELECT doc FROM registrations WHERE id = ?1",
	[ST_PUT_REG] = "INSERT INTO registrations(id, doc) VALUES(?1, ?2) "
		       "ON CONFLICT(id) DO UPDATE SET doc = excluded.doc",
	[ST_DEL_REG] = "DELETE FROM registrations WHERE id = ?1",
	[ST_LIST_REG] = "SELECT id, doc FROM registrations WHERE id > ?1 "
			"ORDER BY id LIMIT ?2",
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_SAVEPOINT] = "SAVEPOINT part",
	[ST_RELEASE] = "RELEASE part",
	[ST_ROLLBACK_TO] = "ROLLBACK TO part",
};

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS settings(name TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS enrollments(id TEXT PRIMARY KEY, doc TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS registrations(id TEXT PRIMARY KEY, doc TEXT NOT NULL);";

struct emu_store {
	sqlite3 *db;
	sqlite3_stmt *stmt[ST_COUNT];
	char *path;
};

const char *
emu_store_error(const struct emu_store *s)
{
	return s && s->db ? sqlite3_errmsg(s->db) : "no database";
}

/* Made before SQLite opens it, so the file is never readable by others
 * (it holds the policy key and device keys). */
static bool
create_private(const char *path, char **why)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		*why = xasprintf("cannot open %s: %s", path, strerror(errno));
		return false;
	}
	fchmod(fd, 0600);
	close(fd);
	/* SQLite gives its journal files the database's mode only when it
	 * makes them; ones left from before are closed here. */
	static const char *const sidecars[] = { "-wal", "-shm" };
	for (int i = 0; i < 2; i++) {
		char *side = xasprintf("%s%s", path, sidecars[i]);
		chmod(side, 0600);
		free(side);
	}
	return true;
}

static bool
exec_text(sqlite3 *db, const char *sql, char *out, size_t outlen)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	bool ok = sqlite3_step(st) == SQLITE_ROW;
	if (ok && out)
		snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return ok;
}

static char *
damaged(struct emu_store *s, const char *detail)
{
	return xasprintf("%s is damaged or is not a dpsemu database (%s). "
			 "Nothing was changed; move it away (with its -wal and "
			 "-shm files) to start with an empty one", s->path, detail);
}

/* A damaged file must be refused, never silently replaced. */
static bool
check_integrity(struct emu_store *s, char **why)
{
	char result[256] = "";
	if (!exec_text(s->db, "PRAGMA quick_check", result, sizeof(result))) {
		*why = damaged(s, sqlite3_errmsg(s->db));
		return false;
	}
	if (strcmp(result, "ok") != 0) {
		*why = damaged(s, result);
		return false;
	}
	return true;
}

/* A database with tables of its own is someone else's: refuse it rather
 * than add ours to it. */
static bool
is_ours(struct emu_store *s, char **why)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT name FROM sqlite_master WHERE "
			       "type = 'table' AND name NOT IN ('settings', "
			       "'enrollments', 'registrations')", -1, &st,
			       NULL) != SQLITE_OK) {
		*why = damaged(s, sqlite3_errmsg(s->db));
		return false;
	}
	bool ours = sqlite3_step(st) != SQLITE_ROW;
	if (!ours) {
		char *detail = xasprintf("it has a table '%s'",
					 (const char *)sqlite3_column_text(st, 0));
		*why = damaged(s, detail);
		free(detail);
	}
	sqlite3_finalize(st);
	return ours;
}

static bool
configure(struct emu_store *s, char **why)
{
	char mode[32] = "";
	if (!exec_text(s->db, "PRAGMA journal_mode=WAL", mode, sizeof(mode)) ||
	    strcmp(mode, "wal") != 0) {
		*why = damaged(s, sqlite3_errmsg(s->db));
		return false;
	}
	/* In WAL mode NORMAL keeps every committed write across a crash of
	 * the process; only a power loss may lose the last ones. */
	char *err = NULL;
	if (sqlite3_exec(s->db, "PRAGMA synchronous=NORMAL;", NULL, NULL, &err) ||
	    sqlite3_exec(s->db, schema_sql, NULL, NULL, &err)) {
		*why = damaged(s, err ? err : "cannot create tables");
		sqlite3_free(err);
		return false;
	}
	for (int i = 0; i < ST_COUNT; i++) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT, &s->stmt[i],
				       NULL) != SQLITE_OK) {
			*why = damaged(s, sqlite3_errmsg(s->db));
			return false;
		}
	}
	return true;
}

struct emu_store *
emu_store_open(const char *dir, char **why)
{
	struct emu_store *s = xcalloc(1, sizeof(*s));
	s->path = xasprintf("%s/dpsemu.db", dir);
	if (!create_private(s->path, why)) {
		emu_store_close(s);
		return NULL;
	}
	if (sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE,
			    NULL) != SQLITE_OK) {
		*why = xasprintf("cannot open %s: %s", s->path,
				 emu_store_error(s));
		emu_store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if (!check_integrity(s, why) || !is_ours(s, why) || !configure(s, why)) {
		emu_store_close(s);
		return NULL;
	}
	return s;
}

void
emu_store_close(struct emu_store *s)
{
	if (!s)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static sqlite3_stmt *
prepared(struct emu_store *s, enum stmt_id id)
{
	sqlite3_stmt *st = s->stmt[id];
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

static enum emu_store_result
get_text(struct emu_store *s, enum stmt_id id, const char *key, char **out)
{
	sqlite3_stmt *st = prepared(s, id);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	enum emu_store_result r = STORE_ERROR;
	if (rc == SQLITE_ROW) {
		*out = xstrdup((const char *)sqlite3_column_text(st, 0));
		r = STORE_OK;
	} else if (rc == SQLITE_DONE) {
		r = STORE_NOT_FOUND;
	}
	sqlite3_reset(st);
	return r;
}

static enum emu_store_result
write_text(struct emu_store *s, enum stmt_id id, const char *key,
	   const char *value)
{
	sqlite3_stmt *st = prepared(s, id);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (value)
		sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int changes = sqlite3_changes(s->db);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return STORE_ERROR;
	return changes ? STORE_OK : STORE_NOT_FOUND;
}

enum emu_store_result
emu_store_get_setting(struct emu_store *s, const char *name, char **value)
{
	return get_text(s, ST_GET_SETTING, name, value);
}

enum emu_store_result
emu_store_set_setting(struct emu_store *s, const char *name, const char *value)
{
	return write_text(s, ST_SET_SETTING, name, value);
}

static enum stmt_id
table_stmt(enum emu_table t, enum stmt_id enrollment_stmt)
{
	return t == EMU_ENROLLMENTS ? enrollment_stmt
				    : enrollment_stmt + (ST_GET_REG - ST_GET_ENR);
}

enum emu_store_result
emu_store_get(struct emu_store *s, enum emu_table t, const char *id,
	      char **json)
{
	return get_text(s, table_stmt(t, ST_GET_ENR), id, json);
}

enum emu_store_result
emu_store_put(struct emu_store *s, enum emu_table t, const char *id,
	      const char *json)
{
	return write_text(s, table_stmt(t, ST_PUT_ENR), id, json);
}

enum emu_store_result
emu_store_delete(struct emu_store *s, enum emu_table t, const char *id)
{
	return write_text(s, table_stmt(t, ST_DEL_ENR), id, NULL);
}

enum emu_store_result
emu_store_list(struct emu_store *s, enum emu_table t, const char *after,
	       size_t limit, char ***docs, size_t *count, bool *more,
	       char **last_id)
{
	sqlite3_stmt *st = prepared(s, table_stmt(t, ST_LIST_ENR));
	sqlite3_bind_text(st, 1, after ? after : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit + 1);
	*docs = xcalloc(limit + 1, sizeof(char *));
	*count = 0;
	*more = false;
	*last_id = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == limit) {
			*more = true;
			break;
		}
		free(*last_id);
		*last_id = xstrdup((const char *)sqlite3_column_text(st, 0));
		(*docs)[(*count)++] =
			xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		emu_store_free_list(*docs, *count);
		free(*last_id);
		*docs = NULL;
		*last_id = NULL;
		return STORE_ERROR;
	}
	return STORE_OK;
}

static enum emu_store_result
run_control(struct emu_store *s, enum stmt_id id)
{
	sqlite3_stmt *st = prepared(s, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

enum emu_store_result
emu_store_begin(struct emu_store *s)
{
	return run_control(s, ST_BEGIN);
}

enum emu_store_result
emu_store_commit(struct emu_store *s)
{
	if (run_control(s, ST_COMMIT) == STORE_OK)
		return STORE_OK;
	emu_store_rollback(s);
	return STORE_ERROR;
}

void
emu_store_rollback(struct emu_store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		run_control(s, ST_ROLLBACK);
}

enum emu_store_result
emu_store_part_begin(struct emu_store *s)
{
	return run_control(s, ST_SAVEPOINT);
}

enum emu_store_result
emu_store_part_end(struct emu_store *s, bool keep)
{
	if (!keep && run_control(s, ST_ROLLBACK_TO) != STORE_OK)
		return STORE_ERROR;
	return run_control(s, ST_RELEASE);
}

void
emu_store_free_list(char **docs, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(docs[i]);
	free(docs);
}
