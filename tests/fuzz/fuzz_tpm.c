/* A TPM endorsement key in any form a device tool writes: the DPS form,
 * TPMT_PUBLIC, PEM or DER public keys, as text or as a binary file. */

#include <stdlib.h>

#include "model/tpm.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct tpm_key_info info;
	char *why = NULL, *note = NULL;
	(void)tpm_key_parse(text, &info, &why);
	free(why);
	why = NULL;
	free(tpm_key_convert(text, &note, &why));
	free(note);
	free(why);
	note = why = NULL;
	free(tpm_key_convert_data(data, size, &note, &why));
	free(note);
	free(why);
	free(text);
	return 0;
}
