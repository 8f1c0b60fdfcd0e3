#ifndef DPSENROLL_MODEL_DOC_H
#define DPSENROLL_MODEL_DOC_H

/* The enrollment document: an IndividualEnrollment held as a cJSON tree.
 * Fields we do not know (a newer API's) stay in the tree untouched, so
 * parse -> serialize is lossless. Secret fields are wiped when freed. */

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "model/json.h"

struct doc {
	cJSON *root;	/* owned; always an object */
};

/* An empty enrollment, {}. */
struct doc *doc_new(void);
/* Parses enrollment JSON; NULL with *err (line and column) when the text
 * is not JSON or not an object. */
struct doc *doc_parse(const char *text, size_t len, struct json_error *err);
/* Takes ownership of `root`, which must be an object. */
struct doc *doc_adopt(cJSON *root);
struct doc *doc_clone(const struct doc *d);
void doc_free(struct doc *d);

/* Serialized text; the caller frees (with secret_str_free: it may hold
 * keys). */
char *doc_serialize(const struct doc *d, bool pretty);

/* Borrowed views into the tree; valid until the next change. */
const cJSON *doc_get(const struct doc *d, const char *path);
/* The string at path, or NULL when absent or not a string. */
const char *doc_get_string(const struct doc *d, const char *path);

bool doc_set_string(struct doc *d, const char *path, const char *value);
bool doc_set_bool(struct doc *d, const char *path, bool value);
/* Takes ownership of `value`. */
bool doc_set_json(struct doc *d, const char *path, cJSON *value);
/* Removes the value; parent objects left empty are removed too, so
 * clearing the last field of a section does not send an empty object. */
bool doc_remove(struct doc *d, const char *path);

#endif
