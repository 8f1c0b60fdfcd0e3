#include "model/validate.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "model/keymat.h"

static const char *
kind_expects(enum field_kind kind)
{
	switch (kind) {
	case FK_GROUP:
	case FK_JSON_OBJECT:
		return _("a JSON object { ... }");
	case FK_BOOL:
		return _("true or false");
	case FK_STRING_LIST:
		return _("a list of text [\"...\"]");
	default:
		return _("text in double quotes");
	}
}

static bool
type_fits(enum field_kind kind, const cJSON *v)
{
	if (cJSON_IsNull(v))
		return true;	/* the service treats null as absent */
	switch (kind) {
	case FK_GROUP:
		return cJSON_IsObject(v);
	case FK_BOOL:
		return cJSON_IsBool(v);
	case FK_STRING_LIST:
		return cJSON_IsArray(v);
	case FK_JSON_OBJECT:
	case FK_READONLY:
		return true;	/* the object check explains; read-only is ignored */
	default:
		return cJSON_IsString(v);
	}
}

static void
check_enum_text(const struct field_def *f, const char *text,
		struct findings *out)
{
	if (enum_index(f->enumdef, text) >= 0)
		return;
	char allowed[256];
	enum_list(f->enumdef, allowed, sizeof(allowed));
	for (size_t i = 0; i < f->enumdef->count; i++) {
		if (strcasecmp(f->enumdef->values[i].wire, text) == 0) {
			findings_add(out, f->path, SEV_ERROR,
				     _("'%s' is not a valid %s; did you mean '%s'? "
				     "(write it as the spec spells it, the way "
				     "the service answers it)"),
				     text, field_label(f), f->enumdef->values[i].wire);
			return;
		}
	}
	findings_add(out, f->path, SEV_ERROR,
		     _("'%s' is not a valid %s; use one of: %s"), text, field_label(f),
		     allowed);
}

static void
check_list(const struct field_def *f, const cJSON *list, struct findings *out)
{
	const cJSON *item;
	int i = 0;
	cJSON_ArrayForEach(item, list) {
		i++;
		if (!cJSON_IsString(item)) {
			findings_add(out, f->path, SEV_ERROR,
				     _("item %d is %s; each item must be text"), i,
				     json_type_name(item));
		} else if (f->check_text) {
			f->check_text(f->path, item->valuestring, out);
		}
	}
}

/* The row's own check for a value of the right type. */
static void
check_value(const struct field_def *f, const cJSON *v, struct findings *out)
{
	if (cJSON_IsNull(v) || field_is_readonly(f))
		return;
	if (f->kind == FK_ENUM)
		check_enum_text(f, v->valuestring, out);
	else if (f->kind == FK_STRING_LIST)
		check_list(f, v, out);
	else if (f->check_json)
		f->check_json(f->path, v, out);
	else if (f->check_text && cJSON_IsString(v) && *v->valuestring)
		f->check_text(f->path, v->valuestring, out);
}

static bool
is_blank(const cJSON *v)
{
	return !v || cJSON_IsNull(v) ||
	       (cJSON_IsString(v) && v->valuestring[0] == '\0');
}

static bool
parent_present(const struct field_def *f, const struct doc *d)
{
	const struct field_def *p = schema_parent(f);
	return !p || cJSON_IsObject(doc_get(d, p->path));
}

static void
check_required(const struct field_def *f, const struct doc *d,
	       const cJSON *v, struct findings *out)
{
	if (!is_blank(v) || !parent_present(f, d))
		return;
	if (f->need == NEED_REQUIRED && f->applies.path)
		findings_add(out, f->path, SEV_ERROR,
			     _("%s is required when %s is %s"), field_label(f),
			     f->applies.path, f->applies.equals);
	else if (f->need == NEED_REQUIRED)
		findings_add(out, f->path, SEV_ERROR, _("%s is required"),
			     field_label(f));
	else if (f->need == NEED_WITH_PARENT && schema_parent(f))
		findings_add(out, f->path, SEV_ERROR,
			     _("%s is required whenever %s is sent (%s)"), field_label(f),
			     field_label(schema_parent(f)), kind_expects(f->kind));
}

static void
report_not_applying(const struct field_def *f, const struct doc *d,
		    struct findings *out)
{
	const char *cond = doc_get_string(d, f->applies.path);
	if (cond)
		/* TRANSLATORS: a field's label, then a field's path and its
		 * value, then the same path and the value it needs. */
		findings_add(out, f->path, SEV_WARNING,
			     _("%s is ignored because %s is '%s'; remove it or "
			       "set %s to %s"), field_label(f), f->applies.path,
			     cond, f->applies.path, f->applies.equals);
	else
		/* TRANSLATORS: a field's label, then a field's path, then
		 * the same path and the value it needs. */
		findings_add(out, f->path, SEV_WARNING,
			     _("%s is ignored because %s is not set; remove it "
			       "or set %s to %s"), field_label(f),
			     f->applies.path, f->applies.path,
			     f->applies.equals);
}

static void
validate_row(const struct field_def *f, const struct doc *d,
	     struct findings *out)
{
	const cJSON *v = doc_get(d, f->path);
	if (!schema_field_applies(f, d)) {
		const struct field_def *p = schema_parent(f);
		bool parent_applies = !p || schema_field_applies(p, d);
		if (v && !cJSON_IsNull(v) && parent_applies)
			report_not_applying(f, d, out);
		return;
	}
	if (v && !type_fits(f->kind, v)) {
		findings_add(out, f->path, SEV_ERROR, _("%s must be %s, not %s"),
			     field_label(f), kind_expects(f->kind), json_type_name(v));
		return;
	}
	check_required(f, d, v, out);
	if (v)
		check_value(f, v, out);
}

void
validate_field(const struct field_def *f, const struct doc *d,
	       struct findings *out)
{
	validate_row(f, d, out);
	validate_cross_at(f, d, out);
}

/* Names the schema does not know: a typo ("registrationID") or a field
 * of a newer API. Either way it is sent as it is; say so. */
static void
check_unknown_names(const cJSON *obj, const char *prefix, struct findings *out)
{
	const cJSON *item;
	cJSON_ArrayForEach(item, obj) {
		char *path = *prefix ? xasprintf("%s.%s", prefix, item->string)
				     : xstrdup(item->string);
		const struct field_def *f = schema_find(path);
		if (!f) {
			const struct field_def *near =
				schema_suggest(prefix, item->string);
			if (near)
				findings_add(out, path, SEV_WARNING,
					     _("'%s' is not a field of api-version 2021-10-01; "
					     "did you mean '%s'?"), item->string,
					     near->path);
			else
				findings_add(out, path, SEV_WARNING,
					     _("'%s' is not a field of api-version 2021-10-01; "
					     "it is sent as it is"), item->string);
		} else if (f->kind == FK_GROUP && cJSON_IsObject(item)) {
			check_unknown_names(item, path, out);
		}
		free(path);
	}
}

static void
validate_document(const struct doc *d, struct findings *out)
{
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++)
		validate_row(&rows[i], d, out);
	check_unknown_names(d->root, "", out);
	validate_cross_fields(d, out);
}

/* A field that held nothing but a key is not missing as well: the key's
 * error says what to give. */
static bool
emptied_by_strip(const struct doc *clean, const struct findings *keys,
		 const char *path)
{
	const char *v = doc_get_string(clean, path);
	return v && !*v && findings_has_path(keys, path, SEV_ERROR);
}

void
validate_enrollment(const struct doc *d, struct findings *out)
{
	struct findings keys;
	findings_init(&keys);
	keymat_check_json("", d->root, &keys);
	if (!keys.count) {
		validate_document(d, out);
		return;
	}
	/* The other checks quote what they were given, so they look at the
	 * document with its keys taken out. */
	struct doc *clean = doc_clone(d);
	keymat_strip_json(clean->root);
	struct findings rest;
	findings_init(&rest);
	validate_document(clean, &rest);
	for (size_t i = 0; i < keys.count; i++)
		findings_add(out, keys.items[i].path, SEV_ERROR, "%s",
			     keys.items[i].message);
	for (size_t i = 0; i < rest.count; i++) {
		const struct finding *it = &rest.items[i];
		if (!emptied_by_strip(clean, &keys, it->path))
			findings_add(out, it->path, it->severity, "%s",
				     it->message);
	}
	findings_clear(&rest);
	findings_clear(&keys);
	doc_free(clean);
}

static void
validate_json_text(const struct field_def *f, const char *text,
		   struct findings *out)
{
	struct json_error err;
	cJSON *v = json_parse_located(text, strlen(text), &err);
	if (!v) {
		findings_add(out, f->path, SEV_ERROR, _("line %d, column %d: %s"),
			     err.line, err.column, err.message);
		return;
	}
	f->check_json(f->path, v, out);
	cJSON_Delete(v);
}

static void
validate_list_text(const struct field_def *f, const char *text,
		   struct findings *out)
{
	if (!f->check_text)
		return;
	cJSON *items = schema_list_items(text);
	const cJSON *item;
	cJSON_ArrayForEach(item, items)
		f->check_text(f->path, item->valuestring, out);
	cJSON_Delete(items);
}

static bool
text_is_blank(const char *text)
{
	for (; *text; text++)
		if (!isspace((unsigned char)*text))
			return false;
	return true;
}

void
validate_field_text(const struct field_def *f, const char *text,
		    struct findings *out)
{
	if (keymat_in_text(text)) {
		/* Nothing else is said: other messages quote the text. */
		keymat_check_text(f->path, text, out);
		return;
	}
	if (text_is_blank(text)) {
		if (f->need == NEED_REQUIRED)
			findings_add(out, f->path, SEV_ERROR, _("%s is required"),
				     field_label(f));
		return;
	}
	if (f->kind == FK_ENUM)
		check_enum_text(f, text, out);
	else if (f->kind == FK_JSON_OBJECT)
		validate_json_text(f, text, out);
	else if (f->kind == FK_STRING_LIST)
		validate_list_text(f, text, out);
	else if (f->kind == FK_BOOL && strcmp(text, "true") && strcmp(text, "false"))
		findings_add(out, f->path, SEV_ERROR,
			     _("%s must be true or false"), field_label(f));
	else if (f->check_text)
		f->check_text(f->path, text, out);
}
