#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "base/xalloc.h"
#include "dps/url_curl.h"
#include "sys/fileio.h"

char *
fixture_path(const char *rel)
{
	const char *dir = getenv("DPSENROLL_FIXTURES");
	return xasprintf("%s/%s", dir ? dir : "tests/fixtures", rel);
}

char *
read_fixture(const char *rel, size_t *len)
{
	char *path = fixture_path(rel);
	char *text = file_read_all(path, len);
	free(path);
	return text;
}

char *
repeat_text(const char *unit, size_t times)
{
	size_t len = strlen(unit);
	char *s = xmalloc(len * times + 1);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * len, unit, len);
	s[len * times] = '\0';
	return s;
}

int
main(void)
{
	url_curl_install();
	SRunner *sr = srunner_create(NULL);
#define ADD_SUITE(name) srunner_add_suite(sr, name##_suite());
	UNIT_SUITES(ADD_SUITE)
#undef ADD_SUITE
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
