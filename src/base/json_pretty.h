#ifndef DPSENROLL_BASE_JSON_PRETTY_H
#define DPSENROLL_BASE_JSON_PRETTY_H

/* JSON laid out for people to read. cJSON's own layout indents with tabs,
 * which the screen cannot show at a known width. */

#include <cjson/cJSON.h>

/* For editing: two spaces a level, one member or item a line, empty
 * objects and arrays as {} and []. The caller frees. */
char *json_pretty(const cJSON *v);

/* For reading an answer: cJSON's layout (arrays of plain values on one
 * line) with each tab a space. NULL when cJSON cannot print `v`; the
 * caller frees. */
char *json_pretty_spaced(const cJSON *v);

#endif
