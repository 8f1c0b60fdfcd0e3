#include "base/str.h"

#include <string.h>
#include <strings.h>

bool
str_ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && strcmp(s + n - m, tail) == 0;
}

bool
name_has_extension(const char *name, const char *ext, bool any_case)
{
	size_t n = strlen(name), m = strlen(ext);
	if (n <= m)
		return false;
	return any_case ? strcasecmp(name + n - m, ext) == 0
			: strcmp(name + n - m, ext) == 0;
}
