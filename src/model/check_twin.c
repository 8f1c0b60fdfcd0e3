#include "model/checks.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/textpos.h"
#include "base/xalloc.h"

/* IoT Hub twin rules (device twin docs): names up to 1 KB, values up to
 * 4 KB, at most 10 levels of nesting; the collection size limits are the
 * documented ones, which the hub may since have raised. */
#define NAME_MAX_BYTES 1024
#define VALUE_MAX_BYTES 4096
#define DEPTH_MAX 10
#define TAGS_MAX_BYTES 8192
#define DESIRED_MAX_BYTES 32768
/* Enough of a property name to recognise it in a message. */
#define NAME_EXCERPT_CHARS 40

/* Every message starts with the key path inside the collection, rooted
 * at the collection's own name ("tags.location.building: ..."), while the
 * finding's path stays the field's path so the UI can attach it there. */
struct twin_walk {
	const char *path;
	struct findings *out;
};

static const char *
type_name(const cJSON *value)
{
	if (cJSON_IsArray(value))
		return _("an array");
	if (cJSON_IsString(value))
		return _("text");
	if (cJSON_IsNumber(value))
		return _("a number");
	if (cJSON_IsBool(value))
		return _("true or false");
	if (cJSON_IsNull(value))
		return "null";
	if (cJSON_IsObject(value))
		return _("an object");
	return _("not a JSON value");
}

static const char *
last_component(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot ? dot + 1 : path;
}

/* A name that would make the dotted path ambiguous (it holds a dot, a
 * space or a bracket, or is empty) is written as ["name"] instead. */
static char *
child_path(const char *parent, const char *name)
{
	char *shown = text_excerpt(name, NAME_EXCERPT_CHARS);
	bool plain = *name && !strpbrk(name, ". []");
	char *p = plain ? xasprintf("%s.%s", parent, shown)
			: xasprintf("%s[\"%s\"]", parent, shown);
	free(shown);
	return p;
}

static bool
is_reserved_top_name(const char *name)
{
	return strcmp(name, "$metadata") == 0 || strcmp(name, "$version") == 0;
}

/* The service's TwinCollection declares these three as its own members
 * beside the user's names, so a property called so may be read as the
 * collection's bookkeeping (a tag named "version" broke updates made with
 * the Azure CLI, Azure/azure-cli#30610). */
static const char *
collection_member_meaning(const char *name)
{
	if (strcmp(name, "version") == 0)
		return N_("version");
	if (strcmp(name, "count") == 0)
		return N_("property count");
	if (strcmp(name, "metadata") == 0)
		return N_("metadata");
	return NULL;
}

static void
check_collection_member(struct twin_walk *w, const char *where,
			const char *name)
{
	const char *meaning = collection_member_meaning(name);
	if (meaning)
		findings_add(w->out, w->path, SEV_WARNING,
			     _("%s: '%s' is a reserved name of twin collections; "
			     "the service may read it as the collection's %s: "
			     "rename it"), where, name, _(meaning));
}

static bool
name_char_allowed(struct text_char c, size_t offset)
{
	if (!c.valid || text_cp_is_control(c.cp))
		return false;
	if (c.cp == '.' || c.cp == ' ')
		return false;
	/* A leading '$' is reported as a reserved name instead. */
	return c.cp != '$' || offset == 0;
}

static void
check_name_chars(struct twin_walk *w, const char *where, const char *name)
{
	size_t first = 0, bad = 0;
	for (size_t i = 0; name[i];) {
		struct text_char c = text_char_decode(name + i);
		if (!name_char_allowed(c, i) && bad++ == 0)
			first = i;
		i += c.len;
	}
	if (bad == 0)
		return;

	char shown[TEXT_CHAR_SHOWN];
	char *quoted = text_excerpt(name, NAME_EXCERPT_CHARS);
	text_char_show(name, first, shown);
	if (bad == 1)
		findings_add(w->out, w->path, SEV_ERROR,
			     _("%s: in property name '%s', character %zu %s is not "
			     "allowed; twin property names cannot contain '.', "
			     "'$', spaces or control characters"),
			     where, quoted, text_char_pos(name, first), shown);
	else
		findings_add(w->out, w->path, SEV_ERROR,
			     ngettext("%s: in property name '%s', character %zu %s "
				      "is not allowed, nor is %zu more after it; twin "
				      "property names cannot contain '.', '$', spaces "
				      "or control characters",
				      "%s: in property name '%s', character %zu %s "
				      "is not allowed, nor are %zu more after it; twin "
				      "property names cannot contain '.', '$', spaces "
				      "or control characters", bad - 1),
			     where, quoted, text_char_pos(name, first), shown,
			     bad - 1);
	free(quoted);
}

/* Returns false when the value below this name should not be walked:
 * IoT Hub's own bookkeeping, whose contents follow other rules. */
static bool
check_name(struct twin_walk *w, const char *where, const char *name,
	   int depth)
{
	if (!*name) {
		findings_add(w->out, w->path, SEV_ERROR,
			     _("%s: a property has an empty name; give it a name"),
			     where);
		return true;
	}
	size_t bytes = strlen(name);
	if (bytes > NAME_MAX_BYTES) {
		char *quoted = text_excerpt(name, NAME_EXCERPT_CHARS);
		findings_add(w->out, w->path, SEV_ERROR,
			     _("%s: property name '%s' is %zu bytes long; IoT Hub "
			     "allows at most %d"), where, quoted, bytes,
			     NAME_MAX_BYTES);
		free(quoted);
	}
	if (name[0] == '$') {
		char *quoted = text_excerpt(name, NAME_EXCERPT_CHARS);
		bool ignored = depth == 0 && is_reserved_top_name(name);
		if (ignored)
			findings_add(w->out, w->path, SEV_WARNING,
				     _("%s: '%s' is set by IoT Hub, which ignores "
				     "what is sent here; remove it"),
				     where, quoted);
		else
			findings_add(w->out, w->path, SEV_ERROR,
				     _("%s: property name '%s' starts with '$', "
				     "which IoT Hub reserves for its own names; "
				     "rename it"), where, quoted);
		free(quoted);
		if (ignored)
			return false;
	}
	if (depth == 0)
		check_collection_member(w, where, name);
	check_name_chars(w, where, name);
	return true;
}

static void walk_value(struct twin_walk *w, const cJSON *value,
		       const char *where, int depth);

static void
walk_object(struct twin_walk *w, const cJSON *obj, const char *where,
	    int depth)
{
	for (const cJSON *item = obj->child; item; item = item->next) {
		const char *name = item->string ? item->string : "";
		bool walk = check_name(w, where, name, depth);
		if (!walk)
			continue;
		char *sub = child_path(where, name);
		walk_value(w, item, sub, depth + 1);
		free(sub);
	}
}

static void
walk_array(struct twin_walk *w, const cJSON *arr, const char *where,
	   int depth)
{
	size_t index = 0;
	for (const cJSON *item = arr->child; item; item = item->next) {
		char *sub = xasprintf("%s[%zu]", where, index++);
		walk_value(w, item, sub, depth + 1);
		free(sub);
	}
}

/* `depth` is how many containers enclose `value` inside the collection:
 * the collection's own members are at depth 1, and an object or array at
 * depth 10 is the deepest IoT Hub takes. */
static void
walk_value(struct twin_walk *w, const cJSON *value, const char *where,
	   int depth)
{
	if (cJSON_IsString(value)) {
		size_t bytes = strlen(value->valuestring);
		if (bytes > VALUE_MAX_BYTES)
			findings_add(w->out, w->path, SEV_ERROR,
				     _("%s: the text is %zu bytes long; IoT Hub "
				     "allows at most %d bytes in a twin value"),
				     where, bytes, VALUE_MAX_BYTES);
		return;
	}
	if (!cJSON_IsObject(value) && !cJSON_IsArray(value))
		return;
	if (depth > DEPTH_MAX) {
		/* Said once at the first level too deep; what is further
		 * down would only repeat it. */
		findings_add(w->out, w->path, SEV_ERROR,
			     _("%s: nesting is %d levels deep here; IoT Hub allows "
			     "at most %d levels of objects"), where, depth,
			     DEPTH_MAX);
		return;
	}
	if (cJSON_IsObject(value))
		walk_object(w, value, where, depth);
	else
		walk_array(w, value, where, depth);
}

static void
check_size(const char *path, const char *root, const cJSON *value,
	   struct findings *out)
{
	long limit;
	if (strcmp(root, "tags") == 0)
		limit = TAGS_MAX_BYTES;
	else if (strcmp(root, "desired") == 0)
		limit = DESIRED_MAX_BYTES;
	else
		return;

	char *text = cJSON_PrintUnformatted(value);
	if (!text) {
		findings_add(out, path, SEV_WARNING,
			     _("%s: the size could not be measured (out of memory)"),
			     root);
		return;
	}
	size_t bytes = strlen(text);
	cJSON_free(text);
	if (bytes > (size_t)limit)
		findings_add(out, path, SEV_WARNING,
			     _("%s: %zu bytes as sent, over IoT Hub's documented "
			     "limit for %s of %ld KB (%ld bytes); the hub may "
			     "refuse the twin unless it has raised the limit, so "
			     "move large data elsewhere"), root, bytes, root,
			     limit / 1024, limit);
}

void
check_twin_collection(const char *path, const cJSON *value,
		      struct findings *out)
{
	/* Absent or null means "not set", which every twin field allows. */
	if (!value || cJSON_IsNull(value))
		return;
	const char *root = last_component(path);
	if (!cJSON_IsObject(value)) {
		findings_add(out, path, SEV_ERROR,
			     _("%s: expected an object of names and values, like "
			     "{\"location\": \"plant 3\"}, but it is %s"),
			     root, type_name(value));
		return;
	}
	struct twin_walk w = { .path = path, .out = out };
	walk_object(&w, value, root, 0);
	check_size(path, root, value, out);
}
