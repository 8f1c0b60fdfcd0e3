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

/* Validation a row at a time, for a form that revalidates only what a
 * change can affect. For a document without private key material,
 * validate_enrollment's findings at a row's path are exactly what
 * validate_field gives for it, in the same order: the row's own checks,
 * then the cross-field rules that report there. Its other findings are
 * the names the schema does not know, then validate_size's. (Private key
 * material changes what every check is shown; validate the whole
 * document then.) */
void validate_field(const struct field_def *f, const struct doc *d,
		    struct findings *out);
/* The cross-field rules that report at row f, in validate_cross_fields'
 * order. */
void validate_cross_at(const struct field_def *f, const struct doc *d,
		       struct findings *out);
/* Whether the document fits the service's size limit. */
void validate_size(const struct doc *d, struct findings *out);

#endif
