#ifndef DPSENROLL_DPS_RETRY_AFTER_H
#define DPSENROLL_DPS_RETRY_AFTER_H

/* Retry-After (RFC 9110 10.2.3): delta-seconds or an HTTP-date. */

#include <time.h>

/* The seconds to wait from `now`, or -1 when the value is neither form
 * (the caller then backs off as without the header). A date in the past
 * is 0; a huge delta is INT_MAX. */
int retry_after_parse(const char *value, time_t now);

#endif
