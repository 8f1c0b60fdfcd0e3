#include "base/clock.h"

#include <stdlib.h>

time_t
clock_now(void)
{
	const char *pinned = getenv("DPSENROLL_TIME_NOW");
	if (pinned && *pinned) {
		char *end;
		long long t = strtoll(pinned, &end, 10);
		if (*end == '\0')
			return (time_t)t;
	}
	return time(NULL);
}

int64_t
clock_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
