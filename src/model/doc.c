#include "model/doc.h"

#include <string.h>

#include "model/schema.h"
#include <openssl/crypto.h>

#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"

struct doc *
doc_adopt(cJSON *root)
{
	struct doc *d = xcalloc(1, sizeof(*d));
	d->root = root;
	return d;
}

struct doc *
doc_new(void)
{
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return NULL;
	return doc_adopt(root);
}

struct doc *
doc_parse(const char *text, size_t len, struct json_error *err)
{
	cJSON *root = json_parse_located(text, len, err);
	if (!root)
		return NULL;
	if (!cJSON_IsObject(root)) {
		err->line = 1;
		err->column = 1;
		snprintf(err->message, sizeof(err->message), "%s",
			 _("an enrollment must be a JSON object { ... }"));
		cJSON_Delete(root);
		return NULL;
	}
	return doc_adopt(root);
}

struct doc *
doc_clone(const struct doc *d)
{
	cJSON *copy = cJSON_Duplicate(d->root, 1);
	return copy ? doc_adopt(copy) : NULL;
}

/* Keys must not linger in freed heap: wipe every secret row's text before
 * cJSON releases it. */
static void
wipe_secrets(cJSON *root)
{
	size_t n;
	const struct field_def *f = schema_fields(&n);
	for (size_t i = 0; i < n; i++) {
		if (!field_is_secret(&f[i]))
			continue;
		cJSON *v = json_path_get(root, f[i].path);
		if (cJSON_IsString(v) && v->valuestring)
			OPENSSL_cleanse(v->valuestring, strlen(v->valuestring));
	}
}

void
doc_free(struct doc *d)
{
	if (!d)
		return;
	wipe_secrets(d->root);
	cJSON_Delete(d->root);
	free(d);
}

char *
doc_serialize(const struct doc *d, bool pretty)
{
	char *text = pretty ? cJSON_Print(d->root)
			    : cJSON_PrintUnformatted(d->root);
	if (!text)
		return NULL;
	/* cJSON allocates with its own hooks (plain malloc here); hand back
	 * memory the caller can free() like any other owned string. */
	return text;
}

const cJSON *
doc_get(const struct doc *d, const char *path)
{
	return d ? json_path_get(d->root, path) : NULL;	/* none: no values */
}

const char *
doc_get_string(const struct doc *d, const char *path)
{
	const cJSON *v = doc_get(d, path);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void wipe_if_secret(struct doc *d, const char *path);

bool
doc_set_string(struct doc *d, const char *path, const char *value)
{
	wipe_if_secret(d, path);
	cJSON *v = cJSON_CreateString(value);
	return v && json_path_set(d->root, path, v);
}

bool
doc_set_bool(struct doc *d, const char *path, bool value)
{
	cJSON *v = cJSON_CreateBool(value);
	return v && json_path_set(d->root, path, v);
}

bool
doc_set_json(struct doc *d, const char *path, cJSON *value)
{
	return value && json_path_set(d->root, path, value);
}

static void
wipe_if_secret(struct doc *d, const char *path)
{
	const struct field_def *f = schema_find(path);
	cJSON *v = json_path_get(d->root, path);
	if (f && field_is_secret(f) && cJSON_IsString(v) && v->valuestring)
		OPENSSL_cleanse(v->valuestring, strlen(v->valuestring));
}

bool
doc_remove(struct doc *d, const char *path)
{
	wipe_if_secret(d, path);
	if (!json_path_remove(d->root, path))
		return false;
	for (char *p = json_path_parent(path); p;) {
		cJSON *parent = json_path_get(d->root, p);
		if (!cJSON_IsObject(parent) || parent->child) {
			free(p);
			break;
		}
		json_path_remove(d->root, p);
		char *up = json_path_parent(p);
		free(p);
		p = up;
	}
	return true;
}
