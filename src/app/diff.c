#include "app/diff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "base/array.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "model/checks.h"
#include "model/doc.h"
#include "model/json.h"
#include "model/keys.h"
#include "model/schema.h"
#include "model/x509info.h"

/* ---- values ---- */

/* cJSON answers exhaustion with NULL; send it through xalloc's handler so
 * the process stops the way it does everywhere else (the TUI restores the
 * terminal first) instead of losing part of an edit. */
static void *
must(void *p)
{
	if (!p)
		xreallocarray(NULL, SIZE_MAX, SIZE_MAX);
	return p;
}

static cJSON *
dup_json(const cJSON *v)
{
	return must(cJSON_Duplicate(v, true));
}

/* The service treats null as absent. */
static bool
present(const cJSON *v)
{
	return v && !cJSON_IsNull(v);
}

static bool
same_value(const cJSON *a, const cJSON *b)
{
	if (!present(a) || !present(b))
		return present(a) == present(b);
	return cJSON_Compare(a, b, true);
}

/* Inside a twin null is a value of its own. */
static bool
same_twin_value(const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return a == b;
	return cJSON_Compare(a, b, true);
}

static const cJSON *
object_or_null(const cJSON *v)
{
	return cJSON_IsObject(v) ? v : NULL;
}

static const cJSON *
member(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static char *
json_text(const cJSON *v)
{
	return v ? must(cJSON_PrintUnformatted(v)) : NULL;
}

static char *
list_text(const cJSON *list)
{
	struct strbuf out = STRBUF_INIT;
	const cJSON *item;
	cJSON_ArrayForEach(item, list) {
		char *one = cJSON_IsString(item) ? xstrdup(item->valuestring)
						 : json_text(item);
		strbuf_add_sep(&out, ", ", one);
		free(one);
	}
	if (!out.len)
		strbuf_add(&out, "(empty list)");
	return strbuf_take(&out);
}

/* A row's value as a technician reads it: text as typed, a list joined,
 * anything else as JSON. */
static char *
value_text(const struct field_def *f, const cJSON *v)
{
	if (!present(v))
		return NULL;
	if (cJSON_IsString(v))
		return xstrdup(*v->valuestring ? v->valuestring : "(blank)");
	if (f->kind == FK_STRING_LIST && cJSON_IsArray(v))
		return list_text(v);
	return json_text(v);
}

/* Whatever a field unknown to the schema holds, as JSON, so that "3" and
 * 3 read differently. */
static char *
unknown_text(const cJSON *v)
{
	return present(v) ? json_text(v) : NULL;
}

static bool
type_is(const cJSON *doc, const char *type)
{
	const cJSON *t = json_path_get(doc, "attestation.type");
	return cJSON_IsString(t) && strcmp(t->valuestring, type) == 0;
}

/* ---- keys ---- */

static char *
key_text(const struct field_def *f, const cJSON *v)
{
	(void)f;
	if (!present(v))
		return NULL;
	char print[20];
	if (!cJSON_IsString(v) || !symkey_fingerprint(v->valuestring, print))
		return xstrdup("(a key that is not valid base64)");
	return xasprintf("(key %s)", print);
}

/* ---- certificates ---- */

struct cert_view {
	bool present;
	bool readable;
	bool from_primary;	/* the secondary was not given */
	char thumb[65];
	char *subject;		/* owned; NULL when unknown */
	const char *text;	/* borrowed; compared when unreadable */
};

static void
read_certificate(const char *text, struct cert_view *v)
{
	struct cert_info info;
	char *why = NULL;
	v->present = true;
	v->text = text;
	if (!cert_info_read((const unsigned char *)text, strlen(text), &info,
			    &why)) {
		free(why);
		return;
	}
	v->readable = true;
	snprintf(v->thumb, sizeof(v->thumb), "%s", info.sha256);
	v->subject = info.subject;
	info.subject = NULL;
	cert_info_clear(&info);
}

/* The certificate's text when given, else the info the service read. */
static void
cert_view_at(const cJSON *doc, const char *group, struct cert_view *v)
{
	memset(v, 0, sizeof(*v));
	const cJSON *g = json_path_get(doc, group);
	const cJSON *text = member(g, "certificate");
	if (cJSON_IsString(text) && *text->valuestring) {
		read_certificate(text->valuestring, v);
		return;
	}
	const cJSON *info = member(g, "info");
	const cJSON *thumb = member(info, "sha256Thumbprint");
	if (!cJSON_IsString(thumb) || !*thumb->valuestring)
		return;
	v->present = v->readable = true;
	snprintf(v->thumb, sizeof(v->thumb), "%s", thumb->valuestring);
	const cJSON *subject = member(info, "subjectName");
	if (cJSON_IsString(subject))
		v->subject = xstrdup(subject->valuestring);
}

/* The service fills a secondary that is not given with the primary, so
 * an absent secondary stands for the primary. */
static void
cert_view(const cJSON *doc, const char *group, struct cert_view *v)
{
	cert_view_at(doc, group, v);
	if (v->present || !str_ends_with(group, ".secondary"))
		return;
	size_t stem = strlen(group) - strlen(".secondary");
	char *primary = xasprintf("%.*s.primary", (int)stem, group);
	cert_view_at(doc, primary, v);
	v->from_primary = v->present;
	free(primary);
}

static void
cert_view_clear(struct cert_view *v)
{
	free(v->subject);
	memset(v, 0, sizeof(*v));
}

static bool
same_cert(const struct cert_view *a, const struct cert_view *b)
{
	if (!a->present || !b->present)
		return a->present == b->present;
	if (a->readable && b->readable)
		return strcasecmp(a->thumb, b->thumb) == 0;
	if (!a->readable && !b->readable)
		return strcmp(a->text, b->text) == 0;
	return false;
}

/* Text that is not a certificate still differs from other such text;
 * a short hash tells two apart without showing either. */
static void
text_print(const char *text, char out[9])
{
	unsigned char md[EVP_MAX_MD_SIZE] = { 0 };
	unsigned int n = 0;
	EVP_Digest(text, strlen(text), md, &n, EVP_sha256(), NULL);
	snprintf(out, 9, "%02X%02X%02X%02X", md[0], md[1], md[2], md[3]);
}

static char *
cert_text(const struct cert_view *v)
{
	if (!v->present)
		return NULL;
	if (!v->readable) {
		char print[9];
		text_print(v->text, print);
		return xasprintf("(a certificate that cannot be read; text %s)",
				 print);
	}
	return xasprintf("%s%sSHA-256 %s%s", v->subject ? v->subject : "",
			 v->subject ? ", " : "", v->thumb,
			 v->from_primary ? " (the primary's)" : "");
}

/* "Client certificates: Primary certificate" */
static char *
cert_label(const struct field_def *f)
{
	const struct field_def *which = schema_parent(f);
	const struct field_def *pair = which ? schema_parent(which) : NULL;
	if (!pair)
		return xstrdup(field_label(f));
	/* TRANSLATORS: "Client certificates: Primary certificate" */
	return xasprintf(_("%s: %s certificate"), field_label(pair),
			 field_label(which));
}

/* ---- entries ---- */

static enum diff_kind
change_kind(bool had, bool has)
{
	return !had ? DIFF_ADDED : !has ? DIFF_REMOVED : DIFF_CHANGED;
}

/* Takes ownership of both texts. */
static void
add_entry(struct diff *d, const char *path, const char *label,
	  enum diff_kind kind, char *old_text, char *new_text)
{
	d->items = array_grow(d->items, d->count, &d->cap, sizeof(*d->items));
	d->items[d->count++] = (struct diff_entry){
		.path = xstrdup(path),
		.label = xstrdup(label),
		.kind = kind,
		.old_text = old_text,
		.new_text = new_text,
	};
}

void
diff_clear(struct diff *d)
{
	for (size_t i = 0; i < d->count; i++) {
		free(d->items[i].path);
		free(d->items[i].label);
		free(d->items[i].old_text);
		free(d->items[i].new_text);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}

/* How a row is compared. */
enum unit {
	UNIT_NONE,	/* groups and what the service sets */
	UNIT_VALUE,
	UNIT_KEY,
	UNIT_CERT,
	UNIT_TWIN,
};

static enum unit
unit_of(const struct field_def *f)
{
	if (f->kind == FK_GROUP || field_is_readonly(f))
		return UNIT_NONE;
	if (field_is_secret(f))
		return UNIT_KEY;
	if (f->kind == FK_JSON_OBJECT)
		return UNIT_TWIN;
	if (field_holds_certificate(f))
		return UNIT_CERT;
	return UNIT_VALUE;
}

typedef char *(*text_fn)(const struct field_def *f, const cJSON *v);

/* Where a twin value is: its full path, the key path below the row and
 * the label shown ("Twin tags: loc.room"). Owns its strings. */
struct twin_at {
	const struct field_def *row;
	char *path;
	char *rel;	/* NULL at the row itself */
	char *label;
};

static struct twin_at
twin_at_row(const struct field_def *f)
{
	return (struct twin_at){ f, xstrdup(f->path), NULL, xstrdup(field_label(f)) };
}

static struct twin_at
twin_at_key(const struct twin_at *at, const char *key)
{
	char *rel = at->rel ? xasprintf("%s.%s", at->rel, key) : xstrdup(key);
	return (struct twin_at){ at->row, xasprintf("%s.%s", at->path, key),
				 rel, xasprintf("%s: %s", field_label(at->row), rel) };
}

static void
twin_at_clear(struct twin_at *at)
{
	free(at->path);
	free(at->rel);
	free(at->label);
}

/* ---- two-way ---- */

static void
diff_leaf(const struct field_def *f, const cJSON *a, const cJSON *b,
	  text_fn text, struct diff *out)
{
	if (same_value(a, b))
		return;
	add_entry(out, f->path, field_label(f), change_kind(present(a), present(b)),
		  text(f, a), text(f, b));
}

static void
diff_key(const struct field_def *f, const cJSON *a, const cJSON *b,
	 const cJSON *new_doc, struct diff *out)
{
	if (same_value(a, b))
		return;
	/* an update without a key makes the service generate one, which is
	 * a change of key the device must follow */
	if (present(a) && !present(b) && type_is(new_doc, "symmetricKey")) {
		add_entry(out, f->path, field_label(f), DIFF_CHANGED, key_text(f, a),
			  xstrdup("(a new key the service generates)"));
		return;
	}
	diff_leaf(f, a, b, key_text, out);
}

static void
diff_cert(const struct field_def *f, const cJSON *old_doc,
	  const cJSON *new_doc, struct diff *out)
{
	char *group = json_path_parent(f->path);
	struct cert_view a, b;
	cert_view(old_doc, group, &a);
	cert_view(new_doc, group, &b);
	if (!same_cert(&a, &b)) {
		char *label = cert_label(f);
		add_entry(out, f->path, label, change_kind(a.present, b.present),
			  cert_text(&a), cert_text(&b));
		free(label);
	}
	cert_view_clear(&a);
	cert_view_clear(&b);
	free(group);
}

static void diff_twin_value(const struct twin_at *at, const cJSON *a,
			    const cJSON *b, struct diff *out);

static void
diff_twin_key(const struct twin_at *at, const char *key, const cJSON *a,
	      const cJSON *b, struct diff *out)
{
	struct twin_at child = twin_at_key(at, key);
	diff_twin_value(&child, a, b, out);
	twin_at_clear(&child);
}

static void
diff_twin_value(const struct twin_at *at, const cJSON *a, const cJSON *b,
		struct diff *out)
{
	if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
		const cJSON *item;
		cJSON_ArrayForEach(item, a)
			diff_twin_key(at, item->string, item,
				      member(b, item->string), out);
		cJSON_ArrayForEach(item, b)
			if (!member(a, item->string))
				diff_twin_key(at, item->string, NULL, item, out);
		return;
	}
	if (same_twin_value(a, b))
		return;
	add_entry(out, at->path, at->label, change_kind(a != NULL, b != NULL),
		  json_text(a), json_text(b));
}

static void
diff_row(const struct field_def *f, const cJSON *old_doc,
	 const cJSON *new_doc, struct diff *out)
{
	const cJSON *a = json_path_get(old_doc, f->path);
	const cJSON *b = json_path_get(new_doc, f->path);
	switch (unit_of(f)) {
	case UNIT_NONE:
		break;
	case UNIT_VALUE:
		diff_leaf(f, a, b, value_text, out);
		break;
	case UNIT_KEY:
		diff_key(f, a, b, new_doc, out);
		break;
	case UNIT_CERT:
		diff_cert(f, old_doc, new_doc, out);
		break;
	case UNIT_TWIN: {
		struct twin_at at = twin_at_row(f);
		diff_twin_value(&at, present(a) ? a : NULL,
				present(b) ? b : NULL, out);
		twin_at_clear(&at);
		break;
	}
	}
}

static char *
join_path(const char *prefix, const char *key)
{
	return prefix ? xasprintf("%s.%s", prefix, key) : xstrdup(key);
}

static void diff_unknown(const cJSON *a, const cJSON *b, const char *prefix,
			 struct diff *out);

static void
diff_unknown_key(const char *prefix, const char *key, const cJSON *a,
		 const cJSON *b, struct diff *out)
{
	char *path = join_path(prefix, key);
	const struct field_def *f = schema_find(path);
	if (!f) {
		if (!same_value(a, b))
			add_entry(out, path, "unknown field",
				  change_kind(present(a), present(b)),
				  unknown_text(a), unknown_text(b));
	} else if (f->kind == FK_GROUP && !field_is_readonly(f)) {
		diff_unknown(object_or_null(a), object_or_null(b), path, out);
	}
	free(path);
}

/* Names the schema does not know, at the top and inside known groups. */
static void
diff_unknown(const cJSON *a, const cJSON *b, const char *prefix,
	     struct diff *out)
{
	const cJSON *item;
	cJSON_ArrayForEach(item, a)
		diff_unknown_key(prefix, item->string, item,
				 member(b, item->string), out);
	cJSON_ArrayForEach(item, b)
		if (!member(a, item->string))
			diff_unknown_key(prefix, item->string, NULL, item, out);
}

void
diff_documents(const cJSON *old_doc, const cJSON *new_doc, struct diff *out)
{
	memset(out, 0, sizeof(*out));
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++)
		diff_row(&rows[i], old_doc, new_doc, out);
	diff_unknown(object_or_null(old_doc), object_or_null(new_doc), NULL,
		     out);
}

/* ---- three-way ---- */

struct rebase {
	const cJSON *base;
	const cJSON *mine;
	const cJSON *theirs;
	cJSON *merged;
	struct diff *conflicts;
};

/* Puts mine's value at a schema path of merged, or removes it there
 * (with parents left empty); replaced keys are wiped. */
static void
put_path(struct rebase *rb, const char *path, const cJSON *mine)
{
	struct doc m = { .root = rb->merged };
	if (!present(mine))
		doc_remove(&m, path);
	else if (cJSON_IsString(mine))
		doc_set_string(&m, path, mine->valuestring);
	else
		doc_set_json(&m, path, dup_json(mine));
}

/* Same as put_path, one key of an object, for names that may hold dots. */
static void
put_key(cJSON *obj, const char *key, const cJSON *mine)
{
	if (!mine) {
		cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
		return;
	}
	cJSON *copy = dup_json(mine);
	if (member(obj, key))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, copy);
	else if (!cJSON_AddItemToObject(obj, key, copy))
		must(NULL);
}

static void
rebase_leaf(struct rebase *rb, const struct field_def *f, text_fn text)
{
	const cJSON *b = json_path_get(rb->base, f->path);
	const cJSON *y = json_path_get(rb->mine, f->path);
	const cJSON *t = json_path_get(rb->theirs, f->path);
	if (same_value(b, y))
		return;
	if (!same_value(t, b) && !same_value(t, y))
		add_entry(rb->conflicts, f->path, field_label(f),
			  change_kind(present(t), present(y)), text(f, t),
			  text(f, y));
	put_path(rb, f->path, y);
}

/* GET hides keys: a server copy of a symmetric-key enrollment without
 * them says nothing about its keys, and taking it at its word would make
 * the update regenerate them. */
static void
rebase_key(struct rebase *rb, const struct field_def *f)
{
	const cJSON *t = json_path_get(rb->theirs, f->path);
	if (present(t) || !type_is(rb->theirs, "symmetricKey")) {
		rebase_leaf(rb, f, key_text);
		return;
	}
	const cJSON *y = json_path_get(rb->mine, f->path);
	if (present(y))
		put_path(rb, f->path, y);
}

/* A certificate goes over whole (text and info) when mine changed it. */
static void
rebase_cert(struct rebase *rb, const struct field_def *f)
{
	char *group = json_path_parent(f->path);
	struct cert_view b, y, t;
	cert_view(rb->base, group, &b);
	cert_view(rb->mine, group, &y);
	cert_view(rb->theirs, group, &t);
	if (!same_cert(&b, &y)) {
		if (!same_cert(&t, &b) && !same_cert(&t, &y)) {
			char *label = cert_label(f);
			add_entry(rb->conflicts, f->path, label,
				  change_kind(t.present, y.present),
				  cert_text(&t), cert_text(&y));
			free(label);
		}
		put_path(rb, group, json_path_get(rb->mine, group));
	}
	cert_view_clear(&b);
	cert_view_clear(&y);
	cert_view_clear(&t);
	free(group);
}

static void rebase_object(struct rebase *rb, const struct twin_at *at,
			  const cJSON *b, const cJSON *y, const cJSON *t,
			  cJSON *m);

static void
rebase_twin_key(struct rebase *rb, const struct twin_at *at, const char *key,
		const cJSON *b, const cJSON *y, const cJSON *t, cJSON *m)
{
	if (same_twin_value(b, y))
		return;
	struct twin_at child = twin_at_key(at, key);
	cJSON *mc = cJSON_GetObjectItemCaseSensitive(m, key);
	/* both sides still hold an object here: merge inside it, so keys
	 * each side added or changed below it all survive */
	if (cJSON_IsObject(y) && cJSON_IsObject(t) && cJSON_IsObject(mc) &&
	    (!b || cJSON_IsObject(b))) {
		rebase_object(rb, &child, b, y, t, mc);
	} else {
		if (!same_twin_value(t, b) && !same_twin_value(t, y))
			add_entry(rb->conflicts, child.path, child.label,
				  change_kind(t != NULL, y != NULL),
				  json_text(t), json_text(y));
		put_key(m, key, y);
	}
	twin_at_clear(&child);
}

/* Keys only theirs has were not touched by mine and stay as they are. */
static void
rebase_object(struct rebase *rb, const struct twin_at *at, const cJSON *b,
	      const cJSON *y, const cJSON *t, cJSON *m)
{
	const cJSON *item;
	cJSON_ArrayForEach(item, b)
		rebase_twin_key(rb, at, item->string, item,
				member(y, item->string),
				member(t, item->string), m);
	cJSON_ArrayForEach(item, y)
		if (!member(b, item->string))
			rebase_twin_key(rb, at, item->string, NULL, item,
					member(t, item->string), m);
}

static void
rebase_twin(struct rebase *rb, const struct field_def *f)
{
	const cJSON *b = json_path_get(rb->base, f->path);
	const cJSON *y = json_path_get(rb->mine, f->path);
	const cJSON *t = json_path_get(rb->theirs, f->path);
	cJSON *m = json_path_get(rb->merged, f->path);
	if ((!present(b) || cJSON_IsObject(b)) && cJSON_IsObject(y) &&
	    cJSON_IsObject(t) && cJSON_IsObject(m)) {
		struct twin_at at = twin_at_row(f);
		rebase_object(rb, &at, present(b) ? b : NULL, y, t, m);
		twin_at_clear(&at);
		return;
	}
	rebase_leaf(rb, f, value_text);
}

static void
rebase_row(struct rebase *rb, const struct field_def *f)
{
	switch (unit_of(f)) {
	case UNIT_NONE:
		break;
	case UNIT_VALUE:
		rebase_leaf(rb, f, value_text);
		break;
	case UNIT_KEY:
		rebase_key(rb, f);
		break;
	case UNIT_CERT:
		rebase_cert(rb, f);
		break;
	case UNIT_TWIN:
		rebase_twin(rb, f);
		break;
	}
}

static cJSON *
merged_object(struct rebase *rb, const char *prefix)
{
	if (!prefix)
		return rb->merged;
	cJSON *obj = json_path_get(rb->merged, prefix);
	if (!obj)
		json_path_set(rb->merged, prefix, must(cJSON_CreateObject()));
	obj = json_path_get(rb->merged, prefix);
	return cJSON_IsObject(obj) ? obj : NULL;
}

static void rebase_unknown(struct rebase *rb, const char *prefix,
			   const cJSON *b, const cJSON *y);

static void
rebase_unknown_key(struct rebase *rb, const char *prefix, const char *key,
		   const cJSON *b, const cJSON *y)
{
	char *path = join_path(prefix, key);
	const struct field_def *f = schema_find(path);
	if (f && f->kind == FK_GROUP && !field_is_readonly(f)) {
		rebase_unknown(rb, path, object_or_null(b), object_or_null(y));
	} else if (!f && !same_value(b, y)) {
		const cJSON *in = prefix ? json_path_get(rb->theirs, prefix)
					 : rb->theirs;
		const cJSON *t = member(object_or_null(in), key);
		if (!same_value(t, b) && !same_value(t, y))
			add_entry(rb->conflicts, path, "unknown field",
				  change_kind(present(t), present(y)),
				  unknown_text(t), unknown_text(y));
		cJSON *parent = present(y) || t ? merged_object(rb, prefix)
						: NULL;
		if (parent)
			put_key(parent, key, present(y) ? y : NULL);
	}
	free(path);
}

static void
rebase_unknown(struct rebase *rb, const char *prefix, const cJSON *b,
	       const cJSON *y)
{
	const cJSON *item;
	cJSON_ArrayForEach(item, b)
		rebase_unknown_key(rb, prefix, item->string, item,
				   member(y, item->string));
	cJSON_ArrayForEach(item, y)
		if (!member(b, item->string))
			rebase_unknown_key(rb, prefix, item->string, NULL,
					   item);
}

/* Removing mine's last field of a group must not leave an empty object
 * that the service would take as the group sent without its fields;
 * deepest groups come last in the table, so walk it backwards. */
static void
prune_empty_groups(struct rebase *rb)
{
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	while (n--) {
		const struct field_def *f = &rows[n];
		if (f->kind != FK_GROUP || field_is_readonly(f))
			continue;
		const cJSON *m = json_path_get(rb->merged, f->path);
		const cJSON *y = json_path_get(rb->mine, f->path);
		bool mine_empty = cJSON_IsObject(y) && !y->child;
		if (cJSON_IsObject(m) && !m->child && !mine_empty)
			json_path_remove(rb->merged, f->path);
	}
}

void
diff_rebase(const cJSON *base, const cJSON *mine, const cJSON *theirs,
	    cJSON **merged, struct diff *conflicts)
{
	memset(conflicts, 0, sizeof(*conflicts));
	*merged = cJSON_IsObject(theirs) ? dup_json(theirs)
					 : must(cJSON_CreateObject());
	struct rebase rb = { base, mine, theirs, *merged, conflicts };
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++)
		rebase_row(&rb, &rows[i]);
	rebase_unknown(&rb, NULL, object_or_null(base), object_or_null(mine));
	prune_empty_groups(&rb);
}

bool
diff_has(const struct diff *d, const char *path)
{
	for (size_t i = 0; i < d->count; i++)
		if (strcmp(d->items[i].path, path) == 0)
			return true;
	return false;
}
