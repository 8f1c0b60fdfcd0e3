/* A field's text as typed or pasted into the form (a JSON object, a host
 * list, a certificate, a key...), checked as the form checks it.
 *
 * Input: the first byte picks the field (its index in the schema, modulo
 * the row count), the rest is the text. */

#include <stdlib.h>

#include "model/findings.h"
#include "model/schema.h"
#include "model/validate.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t count = 0;
	const struct field_def *fields = schema_fields(&count);
	if (!count)
		return 0;
	char *text = fuzz_text(data + 1, size - 1);
	struct findings f;
	findings_init(&f);
	validate_field_text(&fields[data[0] % count], text, &f);
	findings_clear(&f);
	free(text);
	return 0;
}
