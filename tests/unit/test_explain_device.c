/* The device side's errors in words: what a registration's errorCode and
 * the device API's refusals mean, by how the device proves itself. */

#include <string.h>

#include "suites.h"
#include "app/explain_device.h"

static void
expect_cause(struct advice a, const char *part)
{
	ck_assert_msg(a.cause && strstr(a.cause, part), "cause '%s' lacks '%s'",
		      a.cause ? a.cause : "(none)", part);
	ck_assert_ptr_nonnull(a.next_step);
	advice_clear(&a);
}

START_TEST(registration_codes_are_explained)
{
	expect_cause(explain_registration(400208, NULL, PROOF_NONE),
		     "no IoT hub linked");
	expect_cause(explain_registration(400209, NULL, PROOF_NONE),
		     "did not accept it");
	expect_cause(explain_registration(401002, NULL, PROOF_X509),
		     "device's certificate");
	expect_cause(explain_registration(401002, NULL, PROOF_SAS),
		     "device's token");
	expect_cause(explain_registration(401002, NULL, PROOF_NONE),
		     "credentials");
	/* the service's own codes keep their service meaning */
	expect_cause(explain_registration(429001, NULL, PROOF_NONE),
		     "throttling");
}
END_TEST

START_TEST(a_401_without_a_code_is_the_proof)
{
	struct dps_response r = { .failure = DPS_ANSWERED, .status = 401 };
	expect_cause(explain_device_response(&r, PROOF_X509),
		     "device's certificate");
	struct dps_response ok = { .failure = DPS_ANSWERED, .status = 202 };
	struct advice a = explain_device_response(&ok, PROOF_SAS);
	ck_assert_ptr_null(a.cause);
}
END_TEST

/* The device endpoint is not the connection string's host. */
START_TEST(an_unreachable_endpoint_names_the_endpoint)
{
	struct dps_response r = { .failure = DPS_FAIL_RESOLVE };
	struct advice a = explain_device_response(&r, PROOF_SAS);
	ck_assert_msg(strstr(a.next_step, "--global-endpoint"), "%s",
		      a.next_step);
	ck_assert_msg(!strstr(a.cause, "connection string"), "%s", a.cause);
	advice_clear(&a);
}
END_TEST

Suite *
explain_device_suite(void)
{
	Suite *s = suite_create("explain_device");
	TCase *tc = tcase_create("explain_device");
	tcase_add_test(tc, registration_codes_are_explained);
	tcase_add_test(tc, a_401_without_a_code_is_the_proof);
	tcase_add_test(tc, an_unreachable_endpoint_names_the_endpoint);
	suite_add_tcase(s, tc);
	return s;
}
