/* Runs every integration suite against a dpsemu that each suite starts
 * itself (DPSEMU names the binary). */

#include <stdlib.h>

#include <curl/curl.h>

#include "harness.h"
#include "suites.h"

int
main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	harness_init();
	SRunner *sr = srunner_create(NULL);
#define ADD_SUITE(name) srunner_add_suite(sr, name##_suite());
	ITEST_SUITES(ADD_SUITE)
#undef ADD_SUITE
	srunner_run_all(sr, CK_ENV);	/* CK_VERBOSITY=verbose lists each test */
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	harness_cleanup();
	curl_global_cleanup();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
