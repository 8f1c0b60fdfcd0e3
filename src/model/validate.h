#ifndef DPSENROLL_MODEL_VALIDATE_H
#define DPSENROLL_MODEL_VALIDATE_H

/* Validation of an enrollment, the same for the form, the CLI and the
 * emulator: the schema's rows (types, enums, required, field checks), then
 * the checks that need the whole document. */

#include "model/doc.h"
#include "model/findings.h"
#include "model/schema.h"

/* The service's message size limit, which the document must fit in. */
enum { ENROLLMENT_MAX_BYTES = 96 * 1024 };

void validate_enrollment(const struct doc *d, struct findings *out);

/* One field as the form holds it: `text` is what the user typed (for a
 * JSON object the JSON text, for a string list items separated by commas
 * or new lines, for a bool "true", "false" or ""). Blank is an error only
 * for required rows. */
void validate_field_text(const struct field_def *f, const char *text,
			 struct findings *out);

/* The checks that look at more than one field (validate_cross.c). */
void validate_cross_fields(const struct doc *d, struct findings *out);

#endif
