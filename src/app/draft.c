#include "app/draft.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "app/state.h"
#include "base/clock.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "model/json.h"
#include "model/keymat.h"
#include "sys/fileio.h"

/* Bumped when the file's shape changes; another value is not guessed at. */
enum { DRAFT_FORMAT = 1 };

/* Any string in the tree may be a key; wipe them all before cJSON frees. */
static void
wipe_strings(cJSON *node)
{
	for (; node; node = node->next) {
		if (cJSON_IsString(node) && node->valuestring)
			OPENSSL_cleanse(node->valuestring, strlen(node->valuestring));
		wipe_strings(node->child);
	}
}

/* For a detached tree (no siblings). */
static void
delete_wiped(cJSON *tree)
{
	wipe_strings(tree);
	cJSON_Delete(tree);
}

void
draft_set_text(struct draft *d, const char *path, const char *text)
{
	if (!d->fields)
		d->fields = cJSON_CreateObject();
	cJSON *old = cJSON_DetachItemFromObjectCaseSensitive(d->fields, path);
	delete_wiped(old);
	cJSON_AddItemToObject(d->fields, path, cJSON_CreateString(text));
}

const char *
draft_text(const struct draft *d, const char *path)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(d->fields, path);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static cJSON *
text_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* References, not copies: the secrets are not duplicated on the heap. */
static cJSON *
object_ref_or(const cJSON *obj, cJSON *fallback)
{
	if (!cJSON_IsObject(obj))
		return fallback;
	cJSON_Delete(fallback);
	return cJSON_CreateObjectReference(obj->child);
}

static cJSON *
draft_to_json(const struct draft *d, const char *saved_at)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "format", DRAFT_FORMAT);
	cJSON_AddStringToObject(o, "savedAt", saved_at);
	cJSON_AddItemToObject(o, "registrationId", text_or_null(d->registration_id));
	cJSON_AddItemToObject(o, "etag", text_or_null(d->etag));
	cJSON_AddItemToObject(o, "base", object_ref_or(d->base, cJSON_CreateNull()));
	cJSON_AddItemToObject(o, "fields",
			      object_ref_or(d->fields, cJSON_CreateObject()));
	return o;
}

/* A field whose whole text is a key given bare (base64 of its DER, no PEM
 * lines): counted, and with `strip` emptied (the old text wiped). */
static size_t
bare_keys(cJSON *fields, bool strip)
{
	size_t n = 0;
	cJSON *t;
	cJSON_ArrayForEach(t, fields) {
		if (!cJSON_IsString(t) || !keymat_in_data(
			(const unsigned char *)t->valuestring,
			strlen(t->valuestring)))
			continue;
		n++;
		if (strip) {
			OPENSSL_cleanse(t->valuestring, strlen(t->valuestring));
			cJSON_SetValuestring(t, "");
		}
	}
	return n;
}

bool
draft_write(const char *path, const struct draft *d, char **why)
{
	char now[STATE_TIME_SIZE];
	state_time_text(clock_now(), now);
	cJSON *o = draft_to_json(d, now);
	/* A paste still open in its editor may hold a private key. */
	bool copied = keymat_in_json(o) ||
		      bare_keys(cJSON_GetObjectItemCaseSensitive(o, "fields"), false);
	if (copied) {
		cJSON *refs = o;
		o = cJSON_Duplicate(refs, 1);
		cJSON_Delete(refs);
		keymat_strip_json(o);
		bare_keys(cJSON_GetObjectItemCaseSensitive(o, "fields"), true);
	}
	char *text = cJSON_Print(o);
	if (copied)
		delete_wiped(o);
	else
		cJSON_Delete(o);
	bool ok = file_write_atomic(path, text, strlen(text), 0600, why);
	secret_str_free(text);
	return ok;
}

static bool
text_or_absent(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return !v || cJSON_IsNull(v) || cJSON_IsString(v);
}

static bool
all_strings(const cJSON *obj)
{
	for (const cJSON *v = obj->child; v; v = v->next)
		if (!cJSON_IsString(v))
			return false;
	return true;
}

/* The reason the tree is not a draft this version wrote, or NULL. */
static const char *
shape_problem(const cJSON *root)
{
	if (!cJSON_IsObject(root))
		return _("not a JSON object");
	const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format");
	if (!cJSON_IsNumber(format) || format->valuedouble != DRAFT_FORMAT)
		return _("not a draft of this dpsenroll version");
	const cJSON *fields = cJSON_GetObjectItemCaseSensitive(root, "fields");
	if (!cJSON_IsObject(fields) || !all_strings(fields))
		return _("\"fields\" is not an object of texts");
	const cJSON *base = cJSON_GetObjectItemCaseSensitive(root, "base");
	if (base && !cJSON_IsNull(base) && !cJSON_IsObject(base))
		return _("\"base\" is not an enrollment object");
	if (!text_or_absent(root, "savedAt") ||
	    !text_or_absent(root, "registrationId") ||
	    !text_or_absent(root, "etag"))
		return _("\"savedAt\", \"registrationId\" or \"etag\" is not "
			 "text");
	return NULL;
}

/* Fills *out from the file's text; false with *problem (owned). */
static bool
draft_from_text(const char *text, size_t len, struct draft *out,
		char **problem)
{
	struct json_error err;
	cJSON *root = json_parse_located(text, len, &err);
	if (!root) {
		*problem = xasprintf(_("not valid JSON at line %d, column "
				       "%d: %s"),
				     err.line, err.column, err.message);
		return false;
	}
	const char *bad = shape_problem(root);
	if (bad) {
		*problem = xstrdup(bad);
	} else {
		out->saved_at = json_member_dup(root, "savedAt");
		out->registration_id = json_member_dup(root, "registrationId");
		out->etag = json_member_dup(root, "etag");
		out->fields = cJSON_DetachItemFromObjectCaseSensitive(root, "fields");
		cJSON *base = cJSON_DetachItemFromObjectCaseSensitive(root, "base");
		if (cJSON_IsObject(base))
			out->base = base;
		else
			cJSON_Delete(base);
		out->keys_dropped = keymat_strip_json(out->fields) +
				    keymat_strip_json(out->base) +
				    bare_keys(out->fields, true);
	}
	delete_wiped(root);
	return !bad;
}

/* PATH.damaged-TIME, with -2, -3... when that name is taken, so an
 * earlier damaged copy is never overwritten. */
static char *
aside_name(const char *path)
{
	char now[STATE_TIME_SIZE];
	state_time_text(clock_now(), now);
	char *name = xasprintf("%s.damaged-%s", path, now);
	for (int n = 2; access(name, F_OK) == 0; n++) {
		free(name);
		name = xasprintf("%s.damaged-%s-%d", path, now, n);
	}
	return name;
}

static char *
set_aside(const char *path, const char *problem)
{
	char *aside = aside_name(path);
	char *why;
	if (rename(path, aside) == 0)
		why = xasprintf(_("%s was damaged (%s); it was kept as %s"),
				path, problem, aside);
	else
		why = xasprintf(_("%s is damaged (%s) and could not be moved "
				  "aside: %s"),
				path, problem, strerror(errno));
	free(aside);
	return why;
}

bool
draft_read(const char *path, struct draft *out, char **why)
{
	memset(out, 0, sizeof(*out));
	*why = NULL;
	size_t len;
	char *text = file_read_all(path, &len);
	if (!text) {
		if (errno != ENOENT)
			*why = xasprintf(_("cannot read %s: %s"),
					 path, strerror(errno));
		return false;
	}
	char *problem = NULL;
	bool ok = draft_from_text(text, len, out, &problem);
	secret_free(text, len);
	if (!ok) {
		*why = set_aside(path, problem);
		free(problem);
	}
	return ok;
}

void
draft_clear(struct draft *d)
{
	free(d->saved_at);
	free(d->registration_id);
	free(d->etag);
	delete_wiped(d->base);
	delete_wiped(d->fields);
	memset(d, 0, sizeof(*d));
}
