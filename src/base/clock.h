#ifndef DPSENROLL_BASE_CLOCK_H
#define DPSENROLL_BASE_CLOCK_H

/* The wall clock, pinnable for tests: when DPSENROLL_TIME_NOW holds a
 * decimal Unix time, that is "now" (certificate expiry, timestamps). */

#include <stdint.h>
#include <time.h>

time_t clock_now(void);

/* Milliseconds on CLOCK_MONOTONIC: the clock of timeouts and of how
 * long ago something happened (never pinned, never jumps). */
int64_t clock_monotonic_ms(void);

#endif
