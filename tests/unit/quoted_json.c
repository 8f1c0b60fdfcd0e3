#include "quoted_json.h"

#include <check.h>
#include <stdlib.h>

#include "base/xalloc.h"

cJSON *
quoted_json(const char *text)
{
	char *json = xstrdup(text);
	for (char *p = json; *p; p++)
		if (*p == '\'')
			*p = '"';
	cJSON *v = cJSON_Parse(json);
	ck_assert_msg(v != NULL, "test JSON does not parse: %s", json);
	free(json);
	return v;
}
