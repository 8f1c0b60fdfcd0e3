/* A service connection string as pasted or read from the environment. */

#include <stdlib.h>

#include "dps/connstr.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct dps_conn c = { 0 };
	char *why = NULL;
	if (dps_conn_parse(text, &c, &why))
		(void)dps_conn_port(&c);
	dps_conn_clear(&c);
	free(why);
	free(text);
	return 0;
}
