/* A cause and a next step for each DPS error and each failed connection. */

#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "app/explain.h"

static struct advice
for_answer(long status, int code, const char *message)
{
	struct dps_response r = {
		.failure = DPS_ANSWERED,
		.status = status,
		.retry_after = -1,
		.attempts = 1,
		.error = { .error_code = code, .message = (char *)message },
	};
	return explain_response(&r);
}

static struct advice
for_failure(enum dps_failure failure)
{
	struct dps_response r = { .failure = failure, .retry_after = -1 };
	return explain_response(&r);
}

/* Both parts are there, the cause holds `cause` and the next step holds
 * `next` (case matters; "" matches anything). */
static void
expect_advice(struct advice a, const char *what, const char *cause,
	      const char *next)
{
	ck_assert_msg(a.cause && *a.cause && a.next_step && *a.next_step,
		      "%s: no advice", what);
	ck_assert_msg(strstr(a.cause, cause), "%s: cause \"%s\" lacks \"%s\"",
		      what, a.cause, cause);
	ck_assert_msg(strstr(a.next_step, next),
		      "%s: next step \"%s\" lacks \"%s\"", what, a.next_step,
		      next);
	advice_clear(&a);
}

START_TEST(retry_waits_count_down_in_whole_seconds)
{
	struct dps_retry r = { .failure = DPS_ANSWERED, .status = 429,
			       .wait_ms = 13000, .next_attempt = 2,
			       .max_attempts = 4 };
	struct { long ms; const char *want; } at[] = {
		{ 13000, "429 throttled by the service; retrying in 13 s (2 of 4)" },
		{ 12001, "429 throttled by the service; retrying in 13 s (2 of 4)" },
		{ 12000, "429 throttled by the service; retrying in 12 s (2 of 4)" },
		{ 200, "429 throttled by the service; retrying in 1 s (2 of 4)" },
		{ 0, "429 throttled by the service; retrying in 0 s (2 of 4)" },
		{ -50, "429 throttled by the service; retrying in 0 s (2 of 4)" },
	};
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		char *text = explain_retry(&r, at[i].ms);
		ck_assert_str_eq(text, at[i].want);
		free(text);
	}
}
END_TEST

START_TEST(retry_waits_name_their_cause)
{
	struct { struct dps_retry r; const char *want; } cases[] = {
		{ { DPS_ANSWERED, 503, 1000, 3, 4 },
		  "503 the service is unavailable; retrying in 1 s (3 of 4)" },
		{ { DPS_ANSWERED, 500, 2500, 2, 21 },
		  "500 the service failed; retrying in 3 s (2 of 21)" },
		{ { DPS_FAIL_CONNECT, 0, 500, 2, 4 },
		  "nothing accepted the connection; retrying in 1 s (2 of 4)" },
		{ { DPS_FAIL_DROPPED, 0, 500, 2, 4 },
		  "the connection closed before the answer; retrying in 1 s (2 of 4)" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = explain_retry(&cases[i].r, cases[i].r.wait_ms);
		ck_assert_str_eq(text, cases[i].want);
		free(text);
	}
}
END_TEST

START_TEST(success_needs_no_advice)
{
	struct advice a = for_answer(200, 0, NULL);
	ck_assert_ptr_null(a.cause);
	ck_assert_ptr_null(a.next_step);
	advice_clear(&a);
}
END_TEST

START_TEST(invalid_argument_and_its_messages)
{
	expect_advice(for_answer(400, 400004, "The registrationId is bad."),
		      "400004", "invalid", "message");
	expect_advice(for_answer(400, 400004, "Endorsement key is invalid, or "
				 "does not match the Enrollment."),
		      "400004 EK", "endorsement key", "TPM2B_PUBLIC");
	expect_advice(for_answer(400, 400004, "ETag is invalid"), "400004 etag",
		      "ETag", "reload");
	expect_advice(for_answer(400, 400004, "the certificate could not be "
				 "parsed"), "400004 certificate", "X.509",
		      "leaf");
	/* without an errorCode the status and the message still tell */
	expect_advice(for_answer(400, 0, "endorsement key is invalid"),
		      "400 EK", "endorsement key", "TPM2B_PUBLIC");
}
END_TEST

START_TEST(authorization)
{
	expect_advice(for_answer(401, 401002, "Unauthorized"), "401002",
		      "connection string", "time");
	expect_advice(for_answer(401, 0, NULL), "401", "clock", "policies");
	expect_advice(for_answer(403, 403000, "forbidden"), "403", "rights",
		      "EnrollmentWrite");
}
END_TEST

START_TEST(not_found_and_exists)
{
	expect_advice(for_answer(404, 404201, "Enrollment not found"), "404201",
		      "no individual enrollment", "create");
	expect_advice(for_answer(404, 404202, "Registration not found"),
		      "404202", "never registered", "first registers");
	expect_advice(for_answer(404, 0, "Registration not found: dev-1"),
		      "404 registration", "never registered", "");
	expect_advice(for_answer(404, 0, NULL), "404", "no such resource",
		      "HostName");
	expect_advice(for_answer(409, 409201, "Enrollment already exists."),
		      "409201", "already exists", "load it and update");
	expect_advice(for_answer(409, 0, NULL), "409", "already exists",
		      "another registration id");
}
END_TEST

START_TEST(precondition_size_and_throttling)
{
	expect_advice(for_answer(412, 412001, "Precondition failed"), "412001",
		      "changed the enrollment since you loaded it", "reload");
	expect_advice(for_answer(412, 0, NULL), "412", "since you loaded it",
		      "submit again");
	expect_advice(for_answer(413, 413001, NULL), "413", "96 KB",
		      "shorten the initial twin");
	expect_advice(for_answer(429, 429001, NULL), "429", "throttling",
		      "Retry-After");

	struct dps_response r = {
		.failure = DPS_ANSWERED, .status = 429, .attempts = 4,
		.retry_after = 3,
	};
	expect_advice(explain_response(&r), "429 after retries", "throttling",
		      "already retried");
}
END_TEST

START_TEST(service_errors)
{
	expect_advice(for_answer(500, 500000, "boom"), "500", "problem of its own",
		      "tracking id");
	expect_advice(for_answer(503, 0, NULL), "503", "problem of its own",
		      "try again");
	expect_advice(for_answer(418, 0, NULL), "418", "refused", "message");
}
END_TEST

START_TEST(errorcode_comes_before_status)
{
	/* a proxy's status on top of the service's body: trust the code */
	expect_advice(for_answer(400, 412001, NULL), "412001 under 400",
		      "since you loaded it", "");
}
END_TEST

START_TEST(transport_failures)
{
	expect_advice(for_failure(DPS_FAIL_RESOLVE), "resolve", "does not resolve",
		      "HostName");
	expect_advice(for_failure(DPS_FAIL_CONNECT), "connect", "firewall",
		      "dpsemu");
	expect_advice(for_failure(DPS_FAIL_TLS_CA), "tls ca", "corporate proxy",
		      "--cacert");
	expect_advice(for_failure(DPS_FAIL_TLS), "tls", "TLS handshake", "port");
	expect_advice(for_failure(DPS_FAIL_TIMEOUT), "timeout", "in time",
		      "--timeout");
	expect_advice(for_failure(DPS_FAIL_DROPPED), "dropped", "closed",
		      "reload first");
	expect_advice(for_failure(DPS_FAIL_TOO_LARGE), "too large",
		      "not a DPS", "HostName");
	expect_advice(for_failure(DPS_FAIL_BAD_ANSWER), "bad answer",
		      "captive portal", "try again");
	expect_advice(for_failure(DPS_FAIL_CANCELLED), "cancelled", "cancelled",
		      "");
	expect_advice(for_failure(DPS_FAIL_OTHER), "other", "failed", "");
}
END_TEST

/* The advice names the port the connection string gives, not always 443. */
START_TEST(refused_connection_names_the_port_dialled)
{
	struct dps_response r = { .failure = DPS_FAIL_CONNECT, .retry_after = -1,
				  .port = 8443 };
	struct advice a = explain_response(&r);
	ck_assert_msg(strstr(a.cause, "blocks port 8443,"), "%s", a.cause);
	advice_clear(&a);
	r.port = 443;
	a = explain_response(&r);
	ck_assert_msg(strstr(a.cause, "blocks port 443,"), "%s", a.cause);
	advice_clear(&a);
	/* a HostName whose port is not a number (dps_conn_port: 0) */
	r.port = 0;
	a = explain_response(&r);
	ck_assert_msg(strstr(a.cause, "blocks the port in the connection string"),
		      "%s", a.cause);
	advice_clear(&a);
}
END_TEST

Suite *
explain_suite(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("explain");
	tcase_add_test(tc, success_needs_no_advice);
	tcase_add_test(tc, retry_waits_count_down_in_whole_seconds);
	tcase_add_test(tc, retry_waits_name_their_cause);
	tcase_add_test(tc, invalid_argument_and_its_messages);
	tcase_add_test(tc, authorization);
	tcase_add_test(tc, not_found_and_exists);
	tcase_add_test(tc, precondition_size_and_throttling);
	tcase_add_test(tc, service_errors);
	tcase_add_test(tc, errorcode_comes_before_status);
	tcase_add_test(tc, transport_failures);
	tcase_add_test(tc, refused_connection_names_the_port_dialled);
	suite_add_tcase(s, tc);
	return s;
}
