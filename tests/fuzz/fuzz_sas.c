/* A SharedAccessSignature Authorization header as a client sends it: its
 * fields, the expiry check and the signature check against a known key. */

#include <stdlib.h>
#include <time.h>

#include "base/sas.h"
#include "tests/fuzz/fuzz.h"

/* Any valid base64 key: the check has to run, not to succeed. */
#define KEY "c2VjcmV0LWtleS1mb3ItZnV6emluZy0wMTIzNDU2Nzg5YWJj"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *header = fuzz_text(data, size);
	struct sas_fields f = { 0 };
	if (sas_fields_parse(header, &f)) {
		(void)sas_expired(f.se, (time_t)1700000000, 300);
		(void)sas_fields_verify(&f, KEY, (time_t)1700000000, 300);
	}
	sas_fields_clear(&f);
	/* The same text as a key and as a resource to sign. */
	const char *why = NULL;
	free(sas_sign(header, "resource\n1700000000", &why));
	free(sas_token_new(header, KEY, "policy", (time_t)1700000000, &why));
	free(header);
	return 0;
}
