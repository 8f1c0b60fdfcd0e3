#include "app/station.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "base/i18n.h"
#include "base/secret.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "model/json.h"
#include "model/keys.h"
#include "model/schema.h"
#include "sys/fileio.h"

static bool
take_pattern(const cJSON *st, struct station_rules *r, char **why)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(st, "idPattern");
	if (!p)
		return true;
	if (!cJSON_IsString(p) || !*p->valuestring) {
		*why = xstrdup(_("station.idPattern must be text, a regular "
				 "expression such as ^bench-[0-9]{6}$"));
		return false;
	}
	int rc = regcomp(&r->id_re, p->valuestring, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		char msg[128];
		regerror(rc, &r->id_re, msg, sizeof(msg));
		*why = xasprintf(_("station.idPattern '%s' is not a regular "
				   "expression: %s"), p->valuestring, msg);
		return false;
	}
	r->id_pattern = xstrdup(p->valuestring);
	return true;
}

static bool
take_split(const cJSON *st, struct station_rules *r, char **why)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(st, "split");
	if (!s)
		return true;
	const cJSON *sep = cJSON_GetObjectItemCaseSensitive(s, "separator");
	const cJSON *fields = cJSON_GetObjectItemCaseSensitive(s, "fields");
	if (!cJSON_IsString(sep) || strlen(sep->valuestring) != 1 ||
	    !cJSON_IsArray(fields) || cJSON_GetArraySize(fields) < 2) {
		*why = xstrdup(_("station.split needs a one-character "
				 "\"separator\" and \"fields\": at least two "
				 "field paths, e.g. [\"registrationId\", "
				 "\"attestation.tpm.endorsementKey\"]"));
		return false;
	}
	r->separator = sep->valuestring[0];
	r->split_fields = xcalloc((size_t)cJSON_GetArraySize(fields),
				  sizeof(*r->split_fields));
	const cJSON *f;
	cJSON_ArrayForEach(f, fields) {
		if (!cJSON_IsString(f) || !schema_find(f->valuestring)) {
			*why = cJSON_IsString(f)
			       ? xasprintf(_("station.split.fields: '%s' is "
					     "not a field of an enrollment"),
					   f->valuestring)
			       : xstrdup(_("station.split.fields: an item is "
					   "not text; give field paths, e.g. "
					   "\"registrationId\""));
			return false;
		}
		r->split_fields[r->split_count++] = xstrdup(f->valuestring);
	}
	return true;
}

bool
station_rules_take(cJSON *tmpl, struct station_rules *r, char **why)
{
	memset(r, 0, sizeof(*r));
	cJSON *st = cJSON_DetachItemFromObjectCaseSensitive(tmpl, "station");
	if (!st)
		return true;
	bool ok = cJSON_IsObject(st);
	if (!ok)
		*why = xstrdup(_("station must be an object { \"idPattern\": "
				 "... }"));
	ok = ok && take_pattern(st, r, why) && take_split(st, r, why);
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(st, "keysFolder");
	if (ok && k && (!cJSON_IsString(k) || !*k->valuestring)) {
		*why = xstrdup(_("station.keysFolder must be the name of a "
				 "folder"));
		ok = false;
	} else if (ok && k) {
		r->keys_folder = xstrdup(k->valuestring);
	}
	cJSON_Delete(st);
	if (!ok)
		station_rules_clear(r);
	return ok;
}

/* Calls `fn` with each per-device field's path, a group once for all
 * below it. */
static void
each_per_device(void (*fn)(const char *path, void *ctx), void *ctx)
{
	size_t n;
	const struct field_def *f = schema_fields(&n);
	for (size_t i = 0; i < n; i++) {
		const struct field_def *parent = schema_parent(&f[i]);
		if ((f[i].flags & FF_PER_DEVICE) &&
		    !(parent && (parent->flags & FF_PER_DEVICE)))
			fn(f[i].path, ctx);
	}
}

struct held {
	const cJSON *tmpl;
	struct strbuf paths;
};

static void
note_held(const char *path, void *ctx)
{
	struct held *h = ctx;
	const cJSON *v = json_path_get(h->tmpl, path);
	if (v && !cJSON_IsNull(v))
		strbuf_add_sep(&h->paths, ", ", path);
}

char *
station_per_device_held(const cJSON *tmpl)
{
	struct held h = { tmpl, STRBUF_INIT };
	each_per_device(note_held, &h);
	if (h.paths.len)
		return strbuf_take(&h.paths);
	strbuf_free(&h.paths);
	return NULL;
}

static void
remove_path(const char *path, void *ctx)
{
	json_path_remove(ctx, path);
}

void
station_drop_per_device(cJSON *tmpl)
{
	each_per_device(remove_path, tmpl);
}

void
station_rules_clear(struct station_rules *r)
{
	if (r->id_pattern)
		regfree(&r->id_re);
	free(r->id_pattern);
	for (size_t i = 0; i < r->split_count; i++)
		free(r->split_fields[i]);
	free(r->split_fields);
	free(r->keys_folder);
	memset(r, 0, sizeof(*r));
}

bool
station_id_fits(const struct station_rules *r, const char *id)
{
	return !r->id_pattern || regexec(&r->id_re, id, 0, NULL, 0) == 0;
}

size_t
station_split(const struct station_rules *r, const char *scan, char **parts)
{
	if (!r->separator || !strchr(scan, r->separator))
		return 0;
	size_t n = 0;
	const char *p = scan;
	while (n < r->split_count) {
		const char *end = n + 1 < r->split_count
				  ? strchr(p, r->separator) : NULL;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		parts[n++] = xstrndup(p, len);
		if (!end)
			break;
		p = end + 1;
	}
	return n;
}

static void
add_key(cJSON *o, const char *name, const char *fp_name, const char *key)
{
	char fp[20];
	if (!key || !*key)
		return;
	cJSON_AddStringToObject(o, name, key);
	if (symkey_fingerprint(key, fp))
		cJSON_AddStringToObject(o, fp_name, fp);
}

bool
station_write_keys(const struct station_rules *r, const char *id,
		   const char *primary, const char *secondary, char **path,
		   char **why)
{
	*path = xasprintf("%s/%s-keys.json", r->keys_folder, id);
	struct stat st;
	if (!dir_make(r->keys_folder, 0700, why))
		return false;
	if (stat(*path, &st) == 0) {
		*why = xasprintf(_("%s exists already; it was not replaced"),
				 *path);
		return false;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "registrationId", id);
	add_key(o, "primaryKey", "primaryKeyFingerprint", primary);
	add_key(o, "secondaryKey", "secondaryKeyFingerprint", secondary);
	char *text = cJSON_Print(o);
	bool ok = file_write_atomic(*path, text, strlen(text), 0600, why);
	secret_str_free(text);
	cJSON_Delete(o);	/* the hooks wipe the keys it holds */
	return ok;
}
