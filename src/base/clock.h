#ifndef DPSENROLL_BASE_CLOCK_H
#define DPSENROLL_BASE_CLOCK_H

/* The wall clock, pinnable for tests: when DPSENROLL_TIME_NOW holds a
 * decimal Unix time, that is "now" (certificate expiry, timestamps). */

#include <time.h>

time_t clock_now(void);

#endif
