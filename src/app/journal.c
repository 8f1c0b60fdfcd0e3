#include "app/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/config.h"
#include "app/state.h"
#include "base/clock.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/strbuf.h"
#include "base/textpos.h"
#include "base/xalloc.h"
#include "model/json.h"

char *
journal_path(void)
{
	char *dir = state_dir();
	char *path = xasprintf("%s/journal.jsonl", dir);
	free(dir);
	return path;
}

char *
journal_operator(void)
{
	/* An unreadable config must not keep a submission out of the
	 * journal; the config's own users report it. */
	char *why = NULL;
	char *name = config_setting("operator", &why);
	free(why);
	if (name && *name)
		return name;
	free(name);
	const char *user = getenv("USER");
	return xstrdup(user && *user ? user : "unknown");
}

const char *
journal_outcome_name(enum journal_outcome o)
{
	switch (o) {
	case JOURNAL_OK:
		return "ok";
	case JOURNAL_CANCELLED:
		return "cancelled";
	case JOURNAL_FAILED:
		break;
	}
	return "failed";
}

static enum journal_outcome
outcome_of(const struct dps_response *r)
{
	if (r->failure == DPS_FAIL_CANCELLED)
		return JOURNAL_CANCELLED;
	if (r->failure == DPS_ANSWERED && r->status >= 200 && r->status < 300)
		return JOURNAL_OK;
	return JOURNAL_FAILED;
}

void
journal_entry_from_response(struct journal_entry *e,
			    const struct dps_response *r)
{
	e->outcome = outcome_of(r);
	e->status = r->status > 0 ? r->status : 0;
	e->error_code = r->error.error_code;
	e->tracking_id = r->error.tracking_id;
	e->etag = NULL;
	e->message = NULL;
	if (e->outcome == JOURNAL_OK) {
		const cJSON *etag = cJSON_GetObjectItemCaseSensitive(r->body, "etag");
		if (cJSON_IsString(etag))
			e->etag = etag->valuestring;
	} else {
		e->message = r->error.message ? r->error.message : r->failure_text;
	}
}

static cJSON *
text_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *
number_or_null(long n)
{
	return n ? cJSON_CreateNumber((double)n) : cJSON_CreateNull();
}

/* At most JOURNAL_MESSAGE_MAX bytes, not cutting a UTF-8 sequence. */
static cJSON *
short_message(const char *msg)
{
	if (!msg)
		return cJSON_CreateNull();
	/* the journal is kept long: never a key, even one quoted by an error */
	char *clean = secret_redact(msg);
	size_t n = strlen(clean);
	if (n > JOURNAL_MESSAGE_MAX) {
		n = JOURNAL_MESSAGE_MAX;
		while (n > 0 && ((unsigned char)clean[n] & 0xC0) == 0x80)
			n--;
		clean[n] = '\0';
	}
	cJSON *v = cJSON_CreateString(clean);
	secret_str_free(clean);
	return v;
}

/* The entry as one line of JSON with its newline; the caller frees. */
static char *
entry_line(const struct journal_entry *e)
{
	char when[STATE_TIME_SIZE];
	state_time_text(e->time ? e->time : clock_now(), when);
	char *op = e->operator ? xstrdup(e->operator) : journal_operator();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "time", when);
	cJSON_AddStringToObject(o, "operator", op);
	cJSON_AddItemToObject(o, "registrationId", text_or_null(e->registration_id));
	cJSON_AddItemToObject(o, "operation", text_or_null(e->operation));
	cJSON_AddStringToObject(o, "outcome", journal_outcome_name(e->outcome));
	cJSON_AddItemToObject(o, "status", number_or_null(e->status));
	cJSON_AddItemToObject(o, "errorCode", number_or_null(e->error_code));
	cJSON_AddItemToObject(o, "etag", text_or_null(e->etag));
	cJSON_AddItemToObject(o, "trackingId", text_or_null(e->tracking_id));
	cJSON_AddItemToObject(o, "message", short_message(e->message));
	char *json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	free(op);
	char *line = xasprintf("%s\n", json);
	free(json);
	return line;
}

/* A crash mid-write can leave a last line without its newline; start on
 * a fresh line so the new entry is not glued to the damaged one. */
static bool
ends_unfinished(int fd, off_t size)
{
	char last;
	return size > 0 && pread(fd, &last, 1, size - 1) == 1 && last != '\n';
}

/* A new journal's name must survive a crash as well as its line. */
static void
sync_state_dir(void)
{
	char *dir = state_dir();
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

static bool
write_line(int fd, const char *line, char **why, const char *path)
{
	struct stat st;
	if (fstat(fd, &st) != 0) {
		*why = xasprintf(_("cannot append to %s: %s"),
				 path, strerror(errno));
		return false;
	}
	/* A journal opened up by hand is made private again; it holds no
	 * secrets, so failing to is not worth losing the entry over. */
	if ((st.st_mode & 07777) != 0600)
		(void)fchmod(fd, 0600);
	char *text = ends_unfinished(fd, st.st_size) ? xasprintf("\n%s", line)
						     : xstrdup(line);
	size_t len = strlen(text);
	ssize_t n;
	while ((n = write(fd, text, len)) < 0 && errno == EINTR)
		;
	bool ok = n == (ssize_t)len && fsync(fd) == 0;
	if (!ok && n >= 0 && n != (ssize_t)len)
		*why = xasprintf(_("cannot append to %s: only %zd of %zu bytes "
				   "written (is the disk full?)"),
				 path, n, len);
	else if (!ok)
		*why = xasprintf(_("cannot append to %s: %s"),
				 path, strerror(errno));
	free(text);
	if (ok && st.st_size == 0)
		sync_state_dir();
	return ok;
}

bool
journal_append(const struct journal_entry *e, char **why)
{
	return journal_append_many(e, 1, why);
}

bool
journal_append_many(const struct journal_entry *e, size_t count, char **why)
{
	if (count == 0)
		return true;
	char *dir = state_dir_make(why);
	if (!dir)
		return false;
	free(dir);
	char *path = journal_path();
	/* Read access only to look at the last byte (ends_unfinished). */
	int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	bool ok = false;
	if (fd < 0) {
		*why = xasprintf(_("cannot open %s: %s"),
				 path, strerror(errno));
	} else {
		struct strbuf lines = STRBUF_INIT;
		char *op = journal_operator();
		for (size_t i = 0; i < count; i++) {
			struct journal_entry one = e[i];
			if (!one.operator)
				one.operator = op;
			char *line = entry_line(&one);
			strbuf_add(&lines, line);
			free(line);
		}
		free(op);
		char *text = strbuf_take(&lines);
		ok = write_line(fd, text, why, path);
		free(text);
		if (close(fd) != 0 && ok) {
			*why = xasprintf(_("cannot append to %s: %s"), path,
					 strerror(errno));
			ok = false;
		}
	}
	free(path);
	return ok;
}

static bool
blank(const char *s)
{
	return s[strspn(s, " \t\r")] == '\0';
}

static bool
utf8_whole(const char *s)
{
	while (*s) {
		struct text_char c = text_char_decode(s);
		if (!c.valid)
			return false;
		s += c.len;
	}
	return true;
}

/* The members journal_append writes, each a string or null, or a number
 * or null; "time" and "outcome" are always strings. */
static bool
is_entry(const cJSON *o)
{
	static const char *const texts[] = { "operator", "registrationId",
		"operation", "etag", "trackingId", "message", NULL };
	static const char *const numbers[] = { "status", "errorCode", NULL };
	if (!cJSON_IsObject(o) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "time")) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "outcome")))
		return false;
	for (size_t i = 0; texts[i]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, texts[i]);
		if (v && !cJSON_IsString(v) && !cJSON_IsNull(v))
			return false;
	}
	for (size_t i = 0; numbers[i]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, numbers[i]);
		if (v && !cJSON_IsNumber(v) && !cJSON_IsNull(v))
			return false;
	}
	return true;
}

/* Why the line of `len` bytes is not an entry, or NULL with *obj the
 * entry (owned). */
static const char *
line_problem(const char *line, size_t len, cJSON **obj)
{
	*obj = NULL;
	if (memchr(line, '\0', len))
		return _("holds NUL bytes");
	if (!utf8_whole(line))
		return _("not valid UTF-8");
	struct json_error err;
	*obj = json_parse_located(line, len, &err);
	if (!*obj)
		return _("not valid JSON (cut short or broken)");
	if (!is_entry(*obj)) {
		cJSON_Delete(*obj);
		*obj = NULL;
		return _("not a journal entry");
	}
	return NULL;
}

static void
visit_line(const struct journal_reader *r, char *line, size_t len,
	   size_t lineno, size_t *damaged)
{
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (!memchr(line, '\0', len) && blank(line))
		return;
	cJSON *obj;
	const char *why = line_problem(line, len, &obj);
	if (!why) {
		if (r->entry)
			r->entry(obj, line, r->ctx);
	} else {
		(*damaged)++;
		if (r->damaged)
			r->damaged(lineno, why, r->ctx);
	}
	cJSON_Delete(obj);
}

bool
journal_read(const struct journal_reader *r, size_t *damaged, char **why)
{
	size_t count = 0;
	char *path = journal_path();
	FILE *f = fopen(path, "re");
	bool ok = true;
	if (!f && errno != ENOENT) {
		*why = xasprintf(_("cannot read %s: %s"),
				 path, strerror(errno));
		ok = false;
	} else if (f) {
		char *line = NULL;
		size_t cap = 0;
		size_t lineno = 0;
		ssize_t n;
		while ((n = getline(&line, &cap, f)) >= 0)
			visit_line(r, line, (size_t)n, ++lineno, &count);
		if (ferror(f)) {
			*why = xasprintf(_("cannot read %s: %s"),
					 path, strerror(errno));
			ok = false;
		}
		free(line);
		fclose(f);
	}
	free(path);
	if (damaged)
		*damaged = count;
	return ok;
}
