/* Strict, because a value a proxy mangled must not decide how long a
 * command stands still: anything but the two forms is ignored. */

#define _XOPEN_SOURCE 700	/* strptime */

#include "dps/retry_after.h"

#include <limits.h>
#include <string.h>
#include <time.h>

static int
delta_seconds(const char *v)
{
	long long n = 0;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (*p - '0');
		if (n > INT_MAX)
			n = INT_MAX;
	}
	return *v ? (int)n : -1;
}

/* IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient
 * must still accept. The whole value must match. */
static const char *const date_forms[] = {
	"%a, %d %b %Y %H:%M:%S GMT",
	"%A, %d-%b-%y %H:%M:%S GMT",
	"%a %b %e %H:%M:%S %Y",
};

bool
http_date_parse(const char *v, time_t *at)
{
	for (size_t i = 0; v && i < sizeof(date_forms) / sizeof(date_forms[0]);
	     i++) {
		struct tm tm;
		memset(&tm, 0, sizeof(tm));
		const char *end = strptime(v, date_forms[i], &tm);
		if (!end || *end)
			continue;
		*at = timegm(&tm);
		return *at != (time_t)-1;
	}
	return false;
}

static int
http_date(const char *v, time_t now)
{
	time_t at;
	if (!http_date_parse(v, &at))
		return -1;
	if (at <= now)
		return 0;
	return at - now > INT_MAX ? INT_MAX : (int)(at - now);
}

int
retry_after_parse(const char *value, time_t now)
{
	if (!value || !*value)
		return -1;
	if (*value >= '0' && *value <= '9')
		return delta_seconds(value);
	return http_date(value, now);
}
