#ifndef DPSENROLL_MODEL_JSON_H
#define DPSENROLL_MODEL_JSON_H

/* JSON helpers over cJSON: parsing with an error position a person can
 * find in their file, and dotted-path access. */

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

struct json_error {
	int line;		/* 1-based; 0 when the error has no position */
	int column;		/* 1-based, in characters (UTF-8 aware) */
	char message[160];	/* "unexpected '}'", "text ends inside a string" */
};

/* Parses `len` bytes of `text` (need not be NUL-terminated). Returns an
 * owned tree, or NULL with *err filled in. Trailing non-space text after
 * the value is an error. */
cJSON *json_parse_located(const char *text, size_t len,
			  struct json_error *err);

/* Looks up "a.b.c" below `root`; NULL when any step is absent or not an
 * object. Keys match exactly (the service's names are case-sensitive). */
cJSON *json_path_get(const cJSON *root, const char *path);

/* Replaces or adds the value at `path`, creating missing objects on the
 * way; takes ownership of `value` (freed on failure). Fails when a step
 * exists and is not an object. */
bool json_path_set(cJSON *root, const char *path, cJSON *value);

/* Detaches and frees the value at `path`; true when something was there. */
bool json_path_remove(cJSON *root, const char *path);

/* "a.b.c" -> "a.b"; the caller frees. NULL for a top-level path. */
char *json_path_parent(const char *path);

/* A copy of obj's text member `name` (owned), or NULL when it is absent or
 * not text. */
char *json_member_dup(const cJSON *obj, const char *name);

/* Overwrites every text value below `node` (and its siblings) with
 * zeros, for trees that held keys, before they are freed. */
void json_wipe_strings(cJSON *node);

/* Name of a cJSON type for messages: "text", "a number", "an object". */
const char *json_type_name(const cJSON *value);

#endif
