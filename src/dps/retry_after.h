#ifndef DPSENROLL_DPS_RETRY_AFTER_H
#define DPSENROLL_DPS_RETRY_AFTER_H

/* Retry-After (RFC 9110 10.2.3): delta-seconds or an HTTP-date. */

#include <stdbool.h>
#include <time.h>

/* The seconds to wait from `now`, or -1 when the value is neither form
 * (the caller then backs off as without the header). A date in the past
 * is 0; a huge delta is INT_MAX. */
int retry_after_parse(const char *value, time_t now);

/* An HTTP-date (a Date header) as a Unix time; false when it is none of
 * the three forms. */
bool http_date_parse(const char *value, time_t *at);

#endif
