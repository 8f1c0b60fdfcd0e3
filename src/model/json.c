#include "model/json.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "base/i18n.h"
#include "base/textpos.h"
#include "base/xalloc.h"

static void
locate(const char *text, size_t offset, struct json_error *err)
{
	int line = 1, col = 1;
	for (size_t i = 0; i < offset; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\n') {
			line++;
			col = 1;
		} else if ((c & 0xC0) != 0x80) {
			col++;	/* count characters, not UTF-8 continuation bytes */
		}
	}
	err->line = line;
	err->column = col;
}

static void
describe_at(const char *text, size_t len, size_t offset,
	    struct json_error *err)
{
	locate(text, offset, err);
	if (offset >= len) {
		snprintf(err->message, sizeof(err->message),
			 "%s", _("the text ends too early: a closing }, ] or "
				  "\" is missing"));
		return;
	}
	unsigned char c = (unsigned char)text[offset];
	if (c == '\0')
		snprintf(err->message, sizeof(err->message),
			 "%s", _("a NUL byte is not allowed in JSON"));
	else if (c < 0x20 || c == 0x7f)
		snprintf(err->message, sizeof(err->message),
			 _("unexpected control character U+%04X"), c);
	else if (c >= 0x80)
		snprintf(err->message, sizeof(err->message),
			 "%s", _("unexpected non-ASCII character outside a "
				  "string"));
	else
		snprintf(err->message, sizeof(err->message),
			 _("unexpected '%c'"), c);
}

enum text_end {
	END_CLOSED,
	END_IN_STRING,
	END_IN_BRACKETS,
};

/* How the text stops: inside a string, with a bracket still open, or
 * closed. cJSON blames the last character when text runs out, but the
 * problem is what is missing after it. */
static enum text_end
text_end_state(const char *text, size_t len)
{
	int depth = 0;
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	if (in_string)
		return END_IN_STRING;
	return depth > 0 ? END_IN_BRACKETS : END_CLOSED;
}

/* cJSON reports a missing object key one character late (it has already
 * stepped past the character that should have been '"'); step back so the
 * position names the offending character itself. */
static size_t
adjust_key_error(const char *text, size_t len, size_t off)
{
	if (off == 0 || off > len)
		return off;
	unsigned char bad = (unsigned char)text[off - 1];
	if (isspace(bad) || bad == '"')
		return off;
	size_t i = off - 1;
	while (i > 0 && isspace((unsigned char)text[i - 1]))
		i--;
	if (i > 0 && (text[i - 1] == '{' || text[i - 1] == ','))
		return off - 1;
	return off;
}

/* JSON is UTF-8; cJSON does not check, and bytes that are not UTF-8 would
 * be stored and served back to clients that then cannot parse them. */
static size_t
first_bad_utf8(const char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		if ((unsigned char)text[i] < 0x80) {
			i++;
			continue;
		}
		char tmp[5] = "";
		memcpy(tmp, text + i, len - i < 4 ? len - i : 4);
		struct text_char c = text_char_decode(tmp);
		if (!c.valid)
			return i;
		i += c.len;
	}
	return len;
}

cJSON *
json_parse_located(const char *text, size_t len, struct json_error *err)
{
	memset(err, 0, sizeof(*err));
	size_t bad = first_bad_utf8(text, len);
	if (bad < len) {
		locate(text, bad, err);
		snprintf(err->message, sizeof(err->message),
			 _("byte 0x%02X is not UTF-8; save the file as UTF-8"),
			 (unsigned char)text[bad]);
		return NULL;
	}
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!root) {
		size_t off = end && end >= text ? (size_t)(end - text) : 0;
		off = adjust_key_error(text, len, off);
		enum text_end state = text_end_state(text, len);
		if (state == END_IN_STRING ||
		    (state == END_IN_BRACKETS && off + 1 >= len))
			off = len;
		describe_at(text, len, off, err);
		return NULL;
	}
	size_t off = (size_t)(end - text);
	while (off < len && isspace((unsigned char)text[off]))
		off++;
	if (off < len) {
		cJSON_Delete(root);
		locate(text, off, err);
		snprintf(err->message, sizeof(err->message),
			 "%s", _("more text after the end of the JSON value"));
		return NULL;
	}
	return root;
}

/* Walks `path` one dotted segment at a time; returns the object that holds
 * the last segment and points *last at that segment's name. */
static cJSON *
walk_to_parent(const cJSON *root, const char *path, char *buf, size_t buflen,
	       const char **last, bool create)
{
	if (strlen(path) >= buflen)
		return NULL;
	strcpy(buf, path);
	cJSON *node = (cJSON *)root;
	char *seg = buf;
	for (char *dot; (dot = strchr(seg, '.')); seg = dot + 1) {
		*dot = '\0';
		cJSON *next = cJSON_GetObjectItemCaseSensitive(node, seg);
		if (!next && create) {
			next = cJSON_AddObjectToObject(node, seg);
		}
		if (!cJSON_IsObject(next))
			return NULL;
		node = next;
	}
	*last = seg;
	return cJSON_IsObject(node) ? node : NULL;
}

cJSON *
json_path_get(const cJSON *root, const char *path)
{
	char buf[512];
	const char *last;
	cJSON *parent = walk_to_parent(root, path, buf, sizeof(buf), &last, false);
	return parent ? cJSON_GetObjectItemCaseSensitive(parent, last) : NULL;
}

bool
json_path_set(cJSON *root, const char *path, cJSON *value)
{
	char buf[512];
	const char *last;
	cJSON *parent = walk_to_parent(root, path, buf, sizeof(buf), &last, true);
	if (!parent) {
		cJSON_Delete(value);
		return false;
	}
	if (cJSON_GetObjectItemCaseSensitive(parent, last))
		return cJSON_ReplaceItemInObjectCaseSensitive(parent, last, value);
	return cJSON_AddItemToObject(parent, last, value);
}

bool
json_path_remove(cJSON *root, const char *path)
{
	char buf[512];
	const char *last;
	cJSON *parent = walk_to_parent(root, path, buf, sizeof(buf), &last, false);
	if (!parent || !cJSON_GetObjectItemCaseSensitive(parent, last))
		return false;
	cJSON_DeleteItemFromObjectCaseSensitive(parent, last);
	return true;
}

char *
json_path_parent(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot ? xstrndup(path, (size_t)(dot - path)) : NULL;
}

void
json_wipe_strings(cJSON *node)
{
	for (; node; node = node->next) {
		if (cJSON_IsString(node) && node->valuestring)
			OPENSSL_cleanse(node->valuestring, strlen(node->valuestring));
		json_wipe_strings(node->child);
	}
}

char *
json_member_dup(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

const char *
json_type_name(const cJSON *value)
{
	/* TRANSLATORS: this and the names below say what a JSON value is,
	 * in sentences such as "must be a JSON object { ... }, not %s". */
	if (!value)
		return _("nothing");
	if (cJSON_IsString(value))
		return _("text");
	if (cJSON_IsNumber(value))
		return _("a number");
	if (cJSON_IsBool(value))
		return _("true/false");
	if (cJSON_IsNull(value))
		return _("null");
	if (cJSON_IsArray(value))
		return _("a list");
	if (cJSON_IsObject(value))
		return _("an object");
	return _("an unknown value");
}
