#ifndef DPSENROLL_ITEST_SUITES_H
#define DPSENROLL_ITEST_SUITES_H

/* One libcheck suite per area of the emulator's contract; main.c runs
 * them all. */

#include <check.h>

#define ITEST_SUITES(_) \
	_(lifecycle) \
	_(enroll) \
	_(auth) \
	_(bulk) \
	_(bulk_tx) \
	_(query) \
	_(device) \
	_(faults) \
	_(throttle) \
	_(media_type) \
	_(enum_case) \
	_(messages) \
	_(logs) \
	_(dps_client) \
	_(dps_cli) \
	_(import) \
	_(keymat) \
	_(french_model) \
	_(worker) \
	_(secrets) \
	_(guard) \
	_(fleet) \
	_(token) \
	_(verify) \
	_(fleet_action) \
	_(dps_french)

#define DECLARE_SUITE(name) Suite *name##_suite(void);
ITEST_SUITES(DECLARE_SUITE)
#undef DECLARE_SUITE

#endif
