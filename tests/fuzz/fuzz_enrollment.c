/* Enrollment JSON as a file, a paste or the service gives it: parsed,
 * validated (every schema row and cross-field check), and written back. */

#include <stdlib.h>

#include "base/secret.h"
#include "model/doc.h"
#include "model/findings.h"
#include "model/json.h"
#include "model/validate.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_error err;
	struct doc *d = doc_parse((const char *)data, size, &err);
	if (!d)
		return 0;
	struct findings f;
	findings_init(&f);
	validate_enrollment(d, &f);
	findings_clear(&f);
	secret_str_free(doc_serialize(d, true));
	doc_free(d);
	return 0;
}
