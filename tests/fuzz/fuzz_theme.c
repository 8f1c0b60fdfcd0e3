/* A theme file (the parser needs no terminal: colours and attributes are
 * only read into styles here). */

#include <stdlib.h>

#include "tests/fuzz/fuzz.h"
#include "ui/theme.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct theme t;
	theme_init(&t);
	char *problems = NULL;
	theme_parse(&t, text, "fuzz.theme", &problems);
	free(problems);
	theme_make_monochrome(&t);
	for (int r = 0; r < ROLE_COUNT; r++)
		(void)theme_style_of(&t, (enum theme_role)r);
	theme_clear(&t);
	free(text);
	return 0;
}
