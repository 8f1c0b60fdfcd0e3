#include "model/import_row.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "model/json.h"

/* The JSON object row that `path` is a member of ("initialTwin.tags" for
 * "initialTwin.tags.site"), or NULL. */
static const struct field_def *
object_row_holding(const char *path)
{
	char *p = xstrdup(path);
	const struct field_def *found = NULL;
	for (char *dot = strrchr(p, '.'); dot && !found; dot = strrchr(p, '.')) {
		*dot = '\0';
		const struct field_def *f = schema_find(p);
		if (f && f->kind == FK_JSON_OBJECT)
			found = f;
		else if (f)
			break;	/* a group's unknown member belongs to no field */
	}
	free(p);
	return found;
}

static bool
given_before(const struct import_columns *c, const char *path)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->items[i].path, path) == 0)
			return true;
	return false;
}

static void
unknown_column(const char *name, struct findings *problems)
{
	char *parent = json_path_parent(name);
	const char *last = strrchr(name, '.') ? strrchr(name, '.') + 1 : name;
	const struct field_def *near = schema_suggest(parent ? parent : "", last);
	if (near)
		findings_add(problems, name, SEV_ERROR, _("not a field of an "
			     "enrollment; did you mean '%s'?"), near->path);
	else
		findings_add(problems, name, SEV_ERROR, _("not a field of an "
			     "enrollment; a column is named by the field's path, "
			     "e.g. registrationId or attestation.tpm.endorsementKey"));
	free(parent);
}

/* One column's name; false with a finding when it cannot be one. */
static bool
read_column(const char *name, struct import_column *col,
	    struct findings *problems)
{
	const struct field_def *f = schema_find(name);
	*col = (struct import_column){ .row = f };
	if (!f && (col->row = object_row_holding(name)))
		col->member = true;
	if (!col->row) {
		unknown_column(name, problems);
		return false;
	}
	if (f && f->kind == FK_GROUP) {
		findings_add(problems, name, SEV_ERROR, _("a group of fields; "
			     "give each field its own column (%s.NAME)"), name);
		return false;
	}
	if (f && field_is_readonly(f)) {
		findings_add(problems, name, SEV_ERROR, _("set by the service; "
			     "leave the column out"));
		return false;
	}
	col->path = xstrdup(name);
	return true;
}

bool
import_columns_read(char *const *names, size_t count,
		    struct import_columns *out, struct findings *problems)
{
	bool ok = true;
	for (size_t i = 0; i < count; i++) {
		const char *name = names[i];
		struct import_column col;
		if (!*name) {
			findings_add(problems, "", SEV_ERROR, _("column %zu has no "
				     "name; the first line names each column's "
				     "field"), i + 1);
			ok = false;
		} else if (given_before(out, name)) {
			findings_add(problems, name, SEV_ERROR, _("given twice; "
				     "keep one column per field"));
			ok = false;
		} else if (read_column(name, &col, problems)) {
			out->items = array_grow(out->items, out->count, &out->cap,
						sizeof(*out->items));
			out->items[out->count++] = col;
		} else {
			ok = false;
		}
	}
	return ok;
}

void
import_columns_clear(struct import_columns *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->items[i].path);
	free(c->items);
	memset(c, 0, sizeof(*c));
}

static bool
is_blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

static void
set_object(struct doc *d, const struct import_column *c, const char *text,
	   struct findings *out)
{
	struct json_error err;
	cJSON *v = json_parse_located(text, strlen(text), &err);
	if (!v) {
		findings_add(out, c->path, SEV_ERROR, _("not valid JSON: "
			     "column %d: %s"), err.column, err.message);
		return;
	}
	if (!cJSON_IsObject(v)) {
		findings_add(out, c->path, SEV_ERROR, _("must be a JSON object "
			     "{ ... }, not %s"), json_type_name(v));
		cJSON_Delete(v);
		return;
	}
	doc_set_json(d, c->path, v);
}

void
import_cell_set(struct doc *d, const struct import_column *c,
		const char *text, struct findings *out)
{
	if (is_blank(text))
		return;
	if (c->member) {
		if (!json_path_set(d->root, c->path, cJSON_CreateString(text)))
			findings_add(out, c->path, SEV_ERROR, _("cannot be set: the "
				     "template holds something other than an "
				     "object on its way"));
		return;
	}
	switch (c->row->kind) {
	case FK_BOOL:
		if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
			doc_set_bool(d, c->path, text[0] == 't');
		else
			doc_set_string(d, c->path, text);
		break;
	case FK_STRING_LIST:
		doc_set_json(d, c->path, schema_list_items(text));
		break;
	case FK_JSON_OBJECT:
		set_object(d, c, text, out);
		break;
	default:
		doc_set_string(d, c->path, text);
		break;
	}
}

static void
merge_into(cJSON *into, const cJSON *over)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, over) {
		cJSON *have = cJSON_GetObjectItemCaseSensitive(into, m->string);
		if (cJSON_IsObject(have) && cJSON_IsObject(m))
			merge_into(have, m);
		else if (have)
			cJSON_ReplaceItemInObjectCaseSensitive(
				into, m->string, cJSON_Duplicate(m, 1));
		else
			cJSON_AddItemToObject(into, m->string,
					      cJSON_Duplicate(m, 1));
	}
}

void
import_merge(struct doc *d, const cJSON *over)
{
	merge_into(d->root, over);
}

static bool
holds(const char *outer, const char *path)
{
	size_t n = strlen(outer);
	return strncmp(outer, path, n) == 0 &&
	       (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

const struct import_column *
import_column_of(const struct import_columns *c, const char *path)
{
	const struct import_column *best = NULL;
	for (size_t i = 0; i < c->count; i++)
		if (holds(c->items[i].path, path) &&
		    (!best || strlen(c->items[i].path) > strlen(best->path)))
			best = &c->items[i];
	return best;
}
