#include "app/draft_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "base/array.h"
#include "base/clock.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "model/checks.h"
#include "model/json.h"
#include "sys/fileio.h"

/* The note in the lock file is rewritten in place (a rename would leave
 * the lock behind on the old file), always NOTE_SIZE bytes in one write,
 * so a reader never finds it empty or cut short. */
enum { NOTE_SIZE = 512 };

struct draft_session {
	char *dir;
	char *name;
	char *path;		/* dir/name.json */
	char *lock_path;	/* dir/name.lock */
	int lock_fd;
	char since[STATE_TIME_SIZE];
};

char *
draft_store_dir(void)
{
	char *state = state_dir();
	char *dir = xasprintf("%s/drafts", state);
	free(state);
	return dir;
}

static char *
file_in(const char *dir, const char *name, const char *ext)
{
	return xasprintf("%s/%s%s", dir, name, ext);
}

static bool
exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* The folder, made private inside the private state folder. */
static char *
store_make(char **why)
{
	char *state = state_dir_make(why);
	if (!state)
		return NULL;
	free(state);
	char *dir = draft_store_dir();
	if (!dir_make(dir, 0700, why)) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* A name the store may hold: no folders, no hidden or temporary files. */
static bool
name_ok(const char *name)
{
	return *name && *name != '.' && !strchr(name, '/');
}

/* Whether a running form holds the lock at `path`. A missing lock file
 * means none does (a draft moved in from the earlier layout has none). */
static bool
held(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool busy = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	close(fd);
	return busy;
}

/* Whether fd is the file at `path` still: a lock on a file removed
 * meanwhile guards nothing. */
static bool
still_there(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Takes the lock at `path` (made when missing) without waiting: the fd,
 * or -1 with *why (owned). */
static int
take_lock(const char *path, char **why)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		*why = xasprintf(_("cannot open %s: %s"),
				 path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		*why = errno == EWOULDBLOCK
			? xstrdup(_("another dpsenroll window has it open"))
			: xasprintf(_("cannot lock %s: %s"),
				    path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!still_there(fd, path)) {
		*why = xstrdup(_("it was deleted meanwhile"));
		close(fd);
		return -1;
	}
	return fd;
}

/* Only valid ids are noted: they are short and need no care. */
static bool
valid_id(const char *id)
{
	if (!id || !*id)
		return false;
	struct findings f;
	findings_init(&f);
	check_registration_id("registrationId", id, &f);
	bool ok = f.count == 0;
	findings_clear(&f);
	return ok;
}

static void
write_note(struct draft_session *s, const char *registration_id)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "pid", (double)getpid());
	cJSON_AddStringToObject(o, "since", s->since);
	if (valid_id(registration_id))
		cJSON_AddStringToObject(o, "registrationId", registration_id);
	char *text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	char rec[NOTE_SIZE];
	memset(rec, ' ', sizeof(rec));
	rec[NOTE_SIZE - 1] = '\n';
	size_t n = strlen(text);
	memcpy(rec, text, n < NOTE_SIZE - 1 ? n : 0);
	free(text);
	/* A note that cannot be written only costs another window its
	 * warning; the draft itself does not depend on it. */
	ssize_t written = pwrite(s->lock_fd, rec, sizeof(rec), 0);
	(void)written;
}

/* "2024-05-01T12:00:00Z" -> "20240501T120000Z-PID[-N]" */
static char *
fresh_name(const char *since, int n)
{
	char compact[STATE_TIME_SIZE], *o = compact;
	for (const char *p = since; *p; p++)
		if (*p != '-' && *p != ':')
			*o++ = *p;
	*o = '\0';
	return n > 1 ? xasprintf("%s-%ld-%d", compact, (long)getpid(), n)
		     : xasprintf("%s-%ld", compact, (long)getpid());
}

static void
set_name(struct draft_session *s, char *name)
{
	free(s->name);
	free(s->path);
	free(s->lock_path);
	s->name = name;
	s->path = file_in(s->dir, name, ".json");
	s->lock_path = file_in(s->dir, name, ".lock");
}

/* Makes the lock file of a name nobody has used; the lock is waited for
 * since only a passing listing can hold it a moment. */
static int
claim_fresh(struct draft_session *s, char **why)
{
	for (int n = 1; n <= 100; n++) {
		set_name(s, fresh_name(s->since, n));
		if (exists(s->path))
			continue;
		int fd = open(s->lock_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
			      0600);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0) {
			*why = xasprintf(_("cannot create %s: %s"),
					 s->lock_path, strerror(errno));
			return -1;
		}
		if (flock(fd, LOCK_EX) == 0 && still_there(fd, s->lock_path))
			return fd;
		close(fd);
	}
	*why = xasprintf(_("no free draft name in %s"), s->dir);
	return -1;
}

/* The temporary file of NAME.json that a form killed mid-save left:
 * NAME for it, else NULL. */
static char *
temp_draft_name(const char *file)
{
	const char *ext = strstr(file, ".json.");
	if (!ext || strstr(ext + 1, ".json."))
		return NULL;
	char *target = xstrndup(file, (size_t)(ext - file) + strlen(".json"));
	char *name = file_is_atomic_temp(file, target) && name_ok(target)
		? xstrndup(file, (size_t)(ext - file)) : NULL;
	free(target);
	return name;
}

/* A draft written whole where it can be: where the file system has no
 * unnamed files, a crash mid-save leaves a copy under a temporary name,
 * keys and all. It goes when its form no longer runs. */
static void
sweep_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char *name = temp_draft_name(e->d_name);
		char *lock = name ? file_in(dir, name, ".lock") : NULL;
		if (name && !held(lock)) {
			char *path = file_in(dir, e->d_name, "");
			unlink(path);
			free(path);
		}
		free(lock);
		free(name);
	}
	if (d)
		closedir(d);
}

struct draft_session *
draft_session_open(char **why)
{
	char *dir = store_make(why);
	if (!dir)
		return NULL;
	sweep_temps(dir);
	struct draft_session *s = xcalloc(1, sizeof(*s));
	s->dir = dir;
	state_time_text(clock_now(), s->since);
	s->lock_fd = claim_fresh(s, why);
	if (s->lock_fd < 0) {
		draft_session_close(s);
		return NULL;
	}
	write_note(s, NULL);
	return s;
}

/* Lets the lock go, removing the lock file while it is still held when
 * no draft needs it. */
static void
release(struct draft_session *s)
{
	if (s->lock_fd < 0)
		return;
	if (!exists(s->path))
		unlink(s->lock_path);
	close(s->lock_fd);
	s->lock_fd = -1;
}

void
draft_session_close(struct draft_session *s)
{
	if (!s)
		return;
	release(s);
	free(s->dir);
	free(s->name);
	free(s->path);
	free(s->lock_path);
	free(s);
}

const char *
draft_session_name(const struct draft_session *s)
{
	return s->name;
}

const char *
draft_session_path(const struct draft_session *s)
{
	return s->path;
}

bool
draft_session_save(struct draft_session *s, const struct draft *d, char **why)
{
	/* The folder may have been removed under a running form. */
	char *dir = store_make(why);
	if (!dir)
		return false;
	free(dir);
	return draft_write(s->path, d, why);
}

void
draft_session_discard(struct draft_session *s)
{
	unlink(s->path);
}

void
draft_session_note(struct draft_session *s, const char *registration_id)
{
	write_note(s, registration_id);
}

bool
draft_session_adopt(struct draft_session *s, const char *name,
		    struct draft *out, char **why)
{
	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (!name_ok(name)) {
		*why = xasprintf(_("there is no draft named '%s'"), name);
		return false;
	}
	char *lock = file_in(s->dir, name, ".lock");
	char *path = file_in(s->dir, name, ".json");
	int fd = take_lock(lock, why);
	bool ok = fd >= 0 && draft_read(path, out, why);
	if (fd >= 0 && !ok) {
		if (!*why)
			*why = xstrdup(_("it is gone (submitted or deleted "
					 "meanwhile)"));
		if (!exists(path))
			unlink(lock);
		close(fd);
	}
	if (ok) {
		release(s);
		set_name(s, xstrdup(name));
		s->lock_fd = fd;
		write_note(s, NULL);
	}
	free(lock);
	free(path);
	return ok;
}

bool
draft_delete_unclaimed(const char *name, char **why)
{
	*why = NULL;
	if (!name_ok(name)) {
		*why = xasprintf(_("there is no draft named '%s'"), name);
		return false;
	}
	char *dir = draft_store_dir();
	char *lock = file_in(dir, name, ".lock");
	int fd = take_lock(lock, why);
	if (fd >= 0) {
		char *path = file_in(dir, name, ".json");
		unlink(path);
		unlink(lock);
		close(fd);
		free(path);
	}
	free(lock);
	free(dir);
	return fd >= 0;
}

/* The single draft.json of earlier versions joins the store under a name
 * of its own, with no lock: so it is offered like a crashed form's. */
static void
move_in_old_draft(struct strbuf *problems)
{
	char *state = state_dir();
	char *old = xasprintf("%s/draft.json", state);
	free(state);
	char *why = NULL, *dir = exists(old) ? store_make(&why) : NULL;
	if (why)
		strbuf_add_sep(problems, "; ", why);
	char now[STATE_TIME_SIZE];
	state_time_text(clock_now(), now);
	for (int n = 1; dir && n <= 100; n++) {
		char *name = xasprintf("earlier-%s-%d", now, n);
		char *path = file_in(dir, name, ".json");
		bool free_name = !exists(path);
		if (free_name && rename(old, path) != 0) {
			char *msg = xasprintf(_("cannot move %s to %s: %s"),
					      old, path, strerror(errno));
			strbuf_add_sep(problems, "; ", msg);
			free(msg);
		}
		free(path);
		free(name);
		if (free_name)
			break;
	}
	free(dir);
	free(old);
}

/* A lock file with no draft, left by a form that crashed before it
 * saved anything. */
static void
sweep_lock(const char *dir, const char *name)
{
	char *path = file_in(dir, name, ".json");
	char *lock = file_in(dir, name, ".lock");
	char *why = NULL;
	int fd = exists(path) ? -1 : take_lock(lock, &why);
	if (fd >= 0) {
		unlink(lock);
		close(fd);
	}
	free(why);
	free(lock);
	free(path);
}

/* NAME for a file called NAME.json, else NULL (temporary files, locks,
 * damaged drafts set aside). */
static char *
draft_name_of(const char *file, const char *ext)
{
	if (!name_has_extension(file, ext, false) || !name_ok(file))
		return NULL;
	return xstrndup(file, strlen(file) - strlen(ext));
}

static bool
summarize(const char *dir, const char *name, struct draft_summary *out,
	  struct strbuf *problems)
{
	char *lock = file_in(dir, name, ".lock");
	bool busy = held(lock);
	free(lock);
	if (busy)
		return false;
	char *path = file_in(dir, name, ".json");
	struct draft d;
	char *why = NULL;
	bool ok = draft_read(path, &d, &why);
	/* An older version could save a pasted private key: it goes from the
	 * disk as soon as the draft is seen, restored or not. */
	if (ok && d.keys_dropped && !draft_write(path, &d, &why))
		strbuf_add_sep(problems, "; ", why);
	free(path);
	if (why)
		strbuf_add_sep(problems, "; ", why);
	free(why);
	if (!ok)
		return false;
	const char *type = draft_text(&d, "attestation.type");
	out->name = xstrdup(name);
	out->registration_id = d.registration_id ? xstrdup(d.registration_id)
						 : NULL;
	out->attestation_type = type && *type ? xstrdup(type) : NULL;
	out->saved_at = d.saved_at ? xstrdup(d.saved_at) : NULL;
	out->keys_dropped = d.keys_dropped > 0;
	draft_clear(&d);
	return true;
}

static int
newest_first(const void *pa, const void *pb)
{
	const struct draft_summary *a = pa, *b = pb;
	int c = strcmp(b->saved_at ? b->saved_at : "",
		       a->saved_at ? a->saved_at : "");
	return c ? c : strcmp(a->name, b->name);
}

struct draft_summary *
draft_list_unclaimed(size_t *count, char **problems)
{
	*count = 0;
	struct strbuf found = STRBUF_INIT;
	move_in_old_draft(&found);
	char *dir = draft_store_dir();
	DIR *d = opendir(dir);
	struct draft_summary *list = NULL;
	size_t cap = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char *name = draft_name_of(e->d_name, ".json");
		struct draft_summary sum;
		if (name && summarize(dir, name, &sum, &found)) {
			list = array_grow(list, *count, &cap, sizeof(*list));
			list[(*count)++] = sum;
		}
		free(name);
		name = draft_name_of(e->d_name, ".lock");
		if (name)
			sweep_lock(dir, name);
		free(name);
	}
	if (d)
		closedir(d);
	free(dir);
	if (*count)
		qsort(list, *count, sizeof(*list), newest_first);
	*problems = found.len ? strbuf_take(&found) : NULL;
	strbuf_free(&found);
	return list;
}

void
draft_summary_clear(struct draft_summary *s)
{
	free(s->name);
	free(s->registration_id);
	free(s->attestation_type);
	free(s->saved_at);
	memset(s, 0, sizeof(*s));
}

void
draft_summaries_free(struct draft_summary *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		draft_summary_clear(&list[i]);
	free(list);
}

/* The note of a running form's lock file, or false when the form is not
 * running (the lock is free) or the note cannot be read. */
static bool
read_note(const char *lock, struct draft_editor *out, char **id)
{
	int fd = open(lock, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	char rec[NOTE_SIZE + 1];
	ssize_t n = -1;
	if (flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK)
		n = pread(fd, rec, NOTE_SIZE, 0);
	close(fd);
	struct json_error err;
	cJSON *o = n > 0 ? json_parse_located(rec, (size_t)n, &err) : NULL;
	const cJSON *pid = cJSON_GetObjectItemCaseSensitive(o, "pid");
	const cJSON *since = cJSON_GetObjectItemCaseSensitive(o, "since");
	*id = json_member_dup(o, "registrationId");
	bool ok = *id && cJSON_IsNumber(pid) && cJSON_IsString(since);
	if (ok) {
		out->pid = (pid_t)pid->valuedouble;
		snprintf(out->since, sizeof(out->since), "%s", since->valuestring);
	}
	cJSON_Delete(o);
	return ok;
}

bool
draft_find_editor(const struct draft_session *self,
		  const char *registration_id, struct draft_editor *out)
{
	if (!valid_id(registration_id))
		return false;
	char *dir = draft_store_dir();
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;
	while (!found && d && (e = readdir(d))) {
		char *name = draft_name_of(e->d_name, ".lock");
		char *id = NULL;
		if (name && (!self || strcmp(name, self->name) != 0)) {
			char *lock = file_in(dir, name, ".lock");
			found = read_note(lock, out, &id) &&
				registration_id_equal(id, registration_id);
			free(lock);
		}
		free(id);
		free(name);
	}
	if (d)
		closedir(d);
	free(dir);
	return found;
}
