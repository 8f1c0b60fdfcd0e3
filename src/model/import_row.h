#ifndef DPSENROLL_MODEL_IMPORT_ROW_H
#define DPSENROLL_MODEL_IMPORT_ROW_H

/* Turning a row of a manufacturing file into an enrollment: a CSV header
 * names a field path per column (the schema's paths, or a member of a
 * JSON object field such as initialTwin.tags.site), and each cell is set
 * over a copy of the template the way the form sets typed text. A JSON
 * line is merged over the template instead. Nothing here reads files. */

#include <stdbool.h>
#include <stddef.h>

#include "model/doc.h"
#include "model/findings.h"
#include "model/schema.h"

struct import_column {
	char *path;			/* as the header names it */
	const struct field_def *row;	/* its row, or the JSON object row
					 * it is a member of */
	bool member;			/* a member inside row's object */
};

struct import_columns {
	struct import_column *items;
	size_t count;
	size_t cap;
};

/* Reads the header's names. Each problem (an unknown path, a group, a
 * field the service sets, a column given twice) is a finding at the
 * column's name; false when there is one. */
bool import_columns_read(char *const *names, size_t count,
			 struct import_columns *out, struct findings *problems);
void import_columns_clear(struct import_columns *c);

/* Sets the cell's text into d. A blank cell leaves what the template
 * says. Text that cannot be the field's value (a JSON object field whose
 * text is not an object) is a finding at the column's path; a bool that
 * is not true or false is set as text, so validation names it. */
void import_cell_set(struct doc *d, const struct import_column *c,
		     const char *text, struct findings *out);

/* Merges `over` (an object) into d: objects member by member, anything
 * else replaced. `over` is borrowed. */
void import_merge(struct doc *d, const cJSON *over);

/* The column a finding at `path` belongs to: its own, or the JSON object
 * or list column that holds it; NULL when the value came from the
 * template. */
const struct import_column *import_column_of(const struct import_columns *c,
					     const char *path);

#endif
