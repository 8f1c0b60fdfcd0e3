/* A bearer token: what dpsemu --token-key checks from the network, and
 * what dpsenroll reads the expiry of from a token command's output. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/jwt.h"
#include "emu/emu.h"
#include "emu/emu_jwt.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	const char *why;
	for (int part = 0; part < 2; part++) {
		cJSON *j = jwt_part(text, part, &why);
		time_t exp;
		(void)jwt_exp(j, &exp);
		cJSON_Delete(j);
	}
	static unsigned char key[] = "fuzz-token-key-0123456789";
	struct emu emu = { .token_key = key, .token_key_len = sizeof(key) - 1 };
	struct emu_response resp = { 0 };
	(void)emu_jwt_authorize(&emu, text, &resp);
	emu_response_clear(&resp);
	free(text);
	return 0;
}
