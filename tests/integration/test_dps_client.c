/* The DPS client layer (dps/client.h, dps/ops.h) against dpsemu: every
 * operation dpsenroll uses, and every failure class the client must tell
 * apart, retry or refuse. Each test has an emulator of its own, so faults
 * and query counts cannot leak between tests. */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"
#include "dps/ops.h"
#include "base/secret.h"
#include "base/xalloc.h"

/* Small, so the retry tests stay fast; Retry-After still wins. */
enum { FAST_BACKOFF_MS = 10 };

/* Shaped like the service's etags (base64 of a quoted token), so it is
 * refused as stale (412), not as malformed (400). */
static const char STALE_ETAG[] = "InN0YWxlIg==";

#define PRIMARY_KEY "attestation.symmetricKey.primaryKey"
#define SECONDARY_KEY "attestation.symmetricKey.secondaryKey"


static struct dps_client_opts
fast_opts(void)
{
	return (struct dps_client_opts){
		.cacert = test_emu->ca_path,
		.backoff_ms = FAST_BACKOFF_MS,
		.timeout_ms = 10000,
	};
}

static struct dps_client *
client_for(const char *host, const char *key,
	   const struct dps_client_opts *opts)
{
	struct dps_conn conn = { .host = (char *)host,
				 .policy = test_emu->policy_name,
				 .key = (char *)key };
	char *why = NULL;
	struct dps_client *c = dps_client_new(&conn, opts, &why);
	ck_assert_msg(c, "dps_client_new: %s", why ? why : "?");
	return c;
}

static struct dps_client *
client_with(const struct dps_client_opts *opts)
{
	return client_for(test_emu->host_name, test_emu->policy_key, opts);
}

static struct dps_client *
fast_client(void)
{
	struct dps_client_opts o = fast_opts();
	return client_with(&o);
}

/* KIND scoped to requests on /enrollments/ID. */
static void
set_fault_on(const char *kind, const char *id)
{
	char *spec = xasprintf("%s,path=/enrollments/%s", kind, id);
	set_fault(test_emu, spec);
	free(spec);
}

static void
answer_status_at(const char *file, int line, const struct dps_response *r,
		 long status)
{
	char *d = dps_response_describe(r);
	ck_assert_msg(r->failure == DPS_ANSWERED && r->status == status,
		      "%s:%d: expected HTTP %ld, got failure %d: %s (after %d "
		      "attempts): %.300s", file, line, status, (int)r->failure, d,
		      r->attempts, r->raw ? r->raw : "");
	free(d);
}

static void
answer_failure_at(const char *file, int line, const struct dps_response *r,
		  enum dps_failure failure)
{
	char *d = dps_response_describe(r);
	ck_assert_msg(r->failure == failure,
		      "%s:%d: expected failure %d, got %d, status %ld: %s", file,
		      line, (int)failure, (int)r->failure, r->status, d);
	free(d);
}

#define EXPECT_STATUS_OF(r, s) answer_status_at(__FILE__, __LINE__, (r), (s))
#define EXPECT_FAILURE(r, f) answer_failure_at(__FILE__, __LINE__, (r), (f))

static const char *
body_str(const struct dps_response *r, const char *path)
{
	return jstr(r->body, path);
}

/* Creates a keyless symmetric-key enrollment through the client; the
 * answer stays in *out. */
static void
create(struct dps_client *c, const char *id, const char *extra,
       struct dps_response *out)
{
	char *body = enrollment_text(id, extra);
	dps_enrollment_put(c, id, body, NULL, out);
	free(body);
	EXPECT_STATUS_OF(out, 200);
}

static char *
created_etag(struct dps_client *c, const char *id, const char *extra)
{
	struct dps_response r;
	create(c, id, extra, &r);
	ck_assert_msg(is_etag(body_str(&r, "etag")), "etag: %s", r.raw);
	char *etag = xstrdup(body_str(&r, "etag"));
	dps_response_clear(&r);
	return etag;
}

static long
get_status(struct dps_client *c, const char *id)
{
	struct dps_response r;
	dps_enrollment_get(c, id, &r);
	long status = r.failure == DPS_ANSWERED ? r.status : -1;
	dps_response_clear(&r);
	return status;
}

/* How many request lines of the emulator's log match `re`, all requests
 * made so far counted (a barrier, not a pause, makes the count final). */
static int
served(const char *re)
{
	emu_log_barrier(test_emu);
	return emu_log_wait(test_emu, re, 0);
}

/* ---- operations ---- */

START_TEST(create_answers_the_enrollment_with_generated_keys)
{
	struct dps_client *c = fast_client();
	char *id = unique_id("op-create");
	struct dps_response r;
	create(c, id, "", &r);
	ck_assert_int_eq(r.attempts, 1);
	ck_assert(!r.recovered && !r.answer_lost);
	ck_assert_str_eq(body_str(&r, "registrationId"), id);
	ck_assert_int_eq(b64_len(body_str(&r, PRIMARY_KEY)), 64);
	ck_assert_int_eq(b64_len(body_str(&r, SECONDARY_KEY)), 64);
	ck_assert(is_etag(body_str(&r, "etag")));
	dps_response_clear(&r);
	dps_client_free(c);
	free(id);
}
END_TEST

START_TEST(get_shows_the_stored_enrollment)
{
	struct dps_client *c = fast_client();
	char *id = unique_id("op-get");
	char *etag = created_etag(c, id, ",\"deviceId\":\"d-1\"");
	struct dps_response r;
	dps_enrollment_get(c, id, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert_str_eq(body_str(&r, "registrationId"), id);
	ck_assert_str_eq(body_str(&r, "deviceId"), "d-1");
	ck_assert_str_eq(body_str(&r, "etag"), etag);
	ck_assert_str_eq(body_str(&r, "attestation.type"), "symmetricKey");
	dps_response_clear(&r);
	free(etag);
	dps_client_free(c);
	free(id);
}
END_TEST

START_TEST(update_with_if_match_needs_the_current_etag)
{
	struct dps_client *c = fast_client();
	char *id = unique_id("op-update");
	char *etag = created_etag(c, id, "");
	char *body = enrollment_text(id, ",\"provisioningStatus\":\"disabled\"");
	struct dps_response r;
	dps_enrollment_put(c, id, body, etag, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert_str_eq(body_str(&r, "provisioningStatus"), "disabled");
	ck_assert_msg(strcmp(body_str(&r, "etag"), etag) != 0,
		      "the etag did not change on update");
	dps_response_clear(&r);

	/* the first etag is stale now */
	dps_enrollment_put(c, id, body, etag, &r);
	EXPECT_STATUS_OF(&r, 412);
	ck_assert_int_eq(r.attempts, 1);
	ck_assert_int_eq(r.error.error_code / 1000, 412);
	ck_assert_ptr_nonnull(r.error.message);
	ck_assert_ptr_nonnull(r.error.tracking_id);
	dps_response_clear(&r);

	dps_enrollment_put(c, id, body, "*", &r);
	EXPECT_STATUS_OF(&r, 200);
	dps_response_clear(&r);
	free(body);
	free(etag);
	dps_client_free(c);
	free(id);
}
END_TEST

START_TEST(create_of_an_existing_id_is_409)
{
	struct dps_client *c = fast_client();
	char *id = unique_id("op-409");
	char *etag = created_etag(c, id, "");
	char *body = enrollment_text(id, "");
	struct dps_response r;
	dps_enrollment_put(c, id, body, NULL, &r);
	EXPECT_STATUS_OF(&r, 409);
	ck_assert_int_eq(r.error.error_code, 409201);
	ck_assert_str_eq(r.ms_error_code, "409201");
	ck_assert_int_eq(r.attempts, 1);
	ck_assert(!r.recovered && !r.answer_lost);
	char *d = dps_response_describe(&r);
	ck_assert_msg(strstr(d, "409") && strstr(d, "tracking id"), "%s", d);
	free(d);
	dps_response_clear(&r);
	free(body);
	free(etag);
	dps_client_free(c);
	free(id);
}
END_TEST

START_TEST(delete_with_and_without_if_match)
{
	struct dps_client *c = fast_client();
	char *a = unique_id("op-del-a");
	char *etag = created_etag(c, a, "");
	struct dps_response r;
	dps_enrollment_delete(c, a, STALE_ETAG, &r);
	EXPECT_STATUS_OF(&r, 412);
	dps_response_clear(&r);
	ck_assert_int_eq(get_status(c, a), 200);
	dps_enrollment_delete(c, a, etag, &r);
	EXPECT_STATUS_OF(&r, 204);
	ck_assert_ptr_null(r.body);
	dps_response_clear(&r);
	ck_assert_int_eq(get_status(c, a), 404);

	char *b = unique_id("op-del-b");
	char *etag_b = created_etag(c, b, "");
	dps_enrollment_delete(c, b, NULL, &r);
	EXPECT_STATUS_OF(&r, 204);
	dps_response_clear(&r);
	dps_enrollment_delete(c, b, NULL, &r);
	EXPECT_STATUS_OF(&r, 404);
	ck_assert_int_eq(r.error.error_code, 404201);
	dps_response_clear(&r);
	free(etag_b);
	free(b);
	free(etag);
	free(a);
	dps_client_free(c);
}
END_TEST

START_TEST(get_of_a_missing_id_is_404)
{
	struct dps_client *c = fast_client();
	struct dps_response r;
	dps_enrollment_get(c, "nobody-here", &r);
	EXPECT_STATUS_OF(&r, 404);
	ck_assert_int_eq(r.error.error_code, 404201);
	ck_assert_int_eq(r.attempts, 1);
	dps_response_clear(&r);
	dps_client_free(c);
}
END_TEST

START_TEST(attestation_mechanism_carries_the_keys)
{
	struct dps_client *c = fast_client();
	char *id = unique_id("op-mech");
	struct dps_response put;
	create(c, id, "", &put);
	struct dps_response r;
	dps_enrollment_attestation(c, id, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert_str_eq(body_str(&r, "type"), "symmetricKey");
	ck_assert_str_eq(body_str(&r, "symmetricKey.primaryKey"),
			 body_str(&put, PRIMARY_KEY));
	ck_assert_str_eq(body_str(&r, "symmetricKey.secondaryKey"),
			 body_str(&put, SECONDARY_KEY));
	dps_response_clear(&r);
	dps_response_clear(&put);
	dps_enrollment_attestation(c, "nobody-here", &r);
	EXPECT_STATUS_OF(&r, 404);
	dps_response_clear(&r);
	dps_client_free(c);
	free(id);
}
END_TEST

static void
create_many(struct dps_client *c, const char *prefix, int n)
{
	for (int i = 0; i < n; i++) {
		char *id = xasprintf("%s-%02d", prefix, i);
		struct dps_response r;
		create(c, id, "", &r);
		dps_response_clear(&r);
		free(id);
	}
}

/* Whether `list` holds each of prefix-00 .. prefix-(n-1) exactly once. */
static void
expect_ids(const cJSON *list, const char *prefix, int n)
{
	ck_assert_int_eq(cJSON_GetArraySize(list), n);
	for (int i = 0; i < n; i++) {
		char *id = xasprintf("%s-%02d", prefix, i);
		int seen = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, list)
			seen += jstr(e, "registrationId") &&
				strcmp(jstr(e, "registrationId"), id) == 0;
		ck_assert_msg(seen == 1, "%s seen %d times", id, seen);
		free(id);
	}
}

START_TEST(query_one_page_leads_on)
{
	struct dps_client *c = fast_client();
	create_many(c, "qp", 7);
	struct dps_response r;
	dps_enrollment_query_page(c, 3, NULL, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert(cJSON_IsArray(r.body));
	ck_assert_int_eq(cJSON_GetArraySize(r.body), 3);
	ck_assert_msg(r.continuation && *r.continuation,
		      "the first of three pages has no x-ms-continuation");
	ck_assert_ptr_nonnull(r.item_type);
	cJSON *all = cJSON_CreateArray();
	int pages = 1;
	for (;;) {
		cJSON *item;
		while ((item = cJSON_DetachItemFromArray(r.body, 0)))
			cJSON_AddItemToArray(all, item);
		if (!r.continuation)
			break;
		char *next = xstrdup(r.continuation);
		dps_response_clear(&r);
		dps_enrollment_query_page(c, 3, next, &r);
		free(next);
		EXPECT_STATUS_OF(&r, 200);
		ck_assert_int_le(++pages, 3);
	}
	ck_assert_int_eq(pages, 3);
	expect_ids(all, "qp", 7);
	cJSON_Delete(all);
	dps_response_clear(&r);
	dps_client_free(c);
}
END_TEST

START_TEST(query_all_follows_every_page)
{
	struct dps_client *c = fast_client();
	create_many(c, "qa", 7);
	struct dps_response r;
	dps_enrollment_query_all(c, 2, &r);
	EXPECT_STATUS_OF(&r, 200);
	expect_ids(r.body, "qa", 7);
	dps_response_clear(&r);
	ck_assert_int_eq(served("^POST /enrollments/query 200 "), 4);

	dps_enrollment_query_all(c, 100, &r);
	EXPECT_STATUS_OF(&r, 200);
	expect_ids(r.body, "qa", 7);
	dps_response_clear(&r);
	dps_client_free(c);
}
END_TEST

START_TEST(query_of_nothing_is_an_empty_array)
{
	struct dps_client *c = fast_client();
	struct dps_response r;
	dps_enrollment_query_all(c, 5, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert(cJSON_IsArray(r.body));
	ck_assert_int_eq(cJSON_GetArraySize(r.body), 0);
	dps_response_clear(&r);
	dps_client_free(c);
}
END_TEST

static cJSON *
bulk_list(const char *prefix, int n)
{
	cJSON *list = cJSON_CreateArray();
	for (int i = 0; i < n; i++) {
		char *id = xasprintf("%s-%02d", prefix, i);
		char *text = enrollment_text(id, "");
		cJSON_AddItemToArray(list, cJSON_Parse(text));
		free(text);
		free(id);
	}
	return list;
}

START_TEST(bulk_splits_a_long_list_and_merges_the_results)
{
	struct dps_client *c = fast_client();
	cJSON *list = bulk_list("bk", 23);
	struct dps_response r;
	dps_enrollment_bulk(c, "create", list, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert_msg(cJSON_IsTrue(jget(r.body, "isSuccessful")), "%s", r.raw);
	ck_assert_int_eq(cJSON_GetArraySize(jget(r.body, "errors")), 0);
	dps_response_clear(&r);
	ck_assert_int_eq(served("^POST /enrollments 200 "), 3);

	dps_enrollment_query_all(c, 100, &r);
	expect_ids(r.body, "bk", 23);
	dps_response_clear(&r);

	/* every item fails now: the errors of all three requests are merged */
	dps_enrollment_bulk(c, "create", list, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert(cJSON_IsFalse(jget(r.body, "isSuccessful")));
	expect_ids(jget(r.body, "errors"), "bk", 23);
	dps_response_clear(&r);

	dps_enrollment_bulk(c, "delete", list, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert(cJSON_IsTrue(jget(r.body, "isSuccessful")));
	dps_response_clear(&r);
	dps_enrollment_query_all(c, 100, &r);
	ck_assert_int_eq(cJSON_GetArraySize(r.body), 0);
	dps_response_clear(&r);
	cJSON_Delete(list);
	dps_client_free(c);
}
END_TEST

START_TEST(bulk_of_ten_is_one_request)
{
	struct dps_client *c = fast_client();
	cJSON *list = bulk_list("b10", 10);
	struct dps_response r;
	dps_enrollment_bulk(c, "create", list, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert(cJSON_IsTrue(jget(r.body, "isSuccessful")));
	dps_response_clear(&r);
	ck_assert_int_eq(served("^POST /enrollments [0-9]+ "), 1);
	cJSON_Delete(list);
	dps_client_free(c);
}
END_TEST

START_TEST(registration_state_get_and_delete)
{
	struct dps_client *c = fast_client();
	char *id = unique_id("op-reg");
	char *etag = created_etag(c, id, "");
	struct dps_response r;
	dps_regstate_get(c, id, &r);
	EXPECT_STATUS_OF(&r, 404);
	dps_response_clear(&r);

	simulate_registration(test_emu, id);
	dps_regstate_get(c, id, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert_str_eq(body_str(&r, "registrationId"), id);
	ck_assert_str_eq(body_str(&r, "status"), "assigned");
	char *state_etag = xstrdup(body_str(&r, "etag"));
	dps_response_clear(&r);

	dps_regstate_delete(c, id, STALE_ETAG, &r);
	EXPECT_STATUS_OF(&r, 412);
	dps_response_clear(&r);
	dps_regstate_delete(c, id, state_etag, &r);
	EXPECT_STATUS_OF(&r, 204);
	dps_response_clear(&r);
	dps_regstate_get(c, id, &r);
	EXPECT_STATUS_OF(&r, 404);
	dps_response_clear(&r);

	simulate_registration(test_emu, id);
	dps_regstate_delete(c, id, NULL, &r);
	EXPECT_STATUS_OF(&r, 204);
	dps_response_clear(&r);
	free(state_etag);
	free(etag);
	dps_client_free(c);
	free(id);
}
END_TEST

/* ---- failures ---- */

START_TEST(wrong_key_is_401_and_not_retried)
{
	struct dps_client_opts o = fast_opts();
	char *key = random_key(32);
	struct dps_client *c = client_for(test_emu->host_name, key, &o);
	struct dps_response r;
	dps_enrollment_get(c, "anyone", &r);
	EXPECT_STATUS_OF(&r, 401);
	ck_assert_int_eq(r.attempts, 1);
	char *d = dps_response_describe(&r);
	ck_assert_msg(!strstr(d, key), "the description repeats the key");
	free(d);
	dps_response_clear(&r);
	dps_client_free(c);
	secret_str_free(key);
}
END_TEST

START_TEST(tokens_are_accepted_across_many_calls)
{
	struct dps_client *c = fast_client();
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(get_status(c, "nobody-here"), 404);
	ck_assert_int_eq(served("^GET /enrollments/nobody-here 404 "), 5);
	ck_assert_int_eq(emu_log_wait(test_emu, " 401 ", 0), 0);
	dps_client_free(c);
}
END_TEST

START_TEST(throttled_429_waits_retry_after_then_succeeds)
{
	struct dps_client *c = fast_client();
	char *id = unique_id("f-429");
	char *etag = created_etag(c, id, "");
	set_fault_on("status=429,retry-after=1,count=1", id);
	double t0 = now_s();
	struct dps_response r;
	dps_enrollment_get(c, id, &r);
	double took = now_s() - t0;
	EXPECT_STATUS_OF(&r, 200);
	ck_assert_int_eq(r.attempts, 2);
	ck_assert_msg(took >= 0.95 && took < 3.0,
		      "Retry-After: 1 was not honoured: %.2f s", took);
	dps_response_clear(&r);
	free(etag);
	dps_client_free(c);
	free(id);
}
END_TEST

static void
expect_server_error_retried(const char *status)
{
	struct dps_client *c = fast_client();
	char *id = unique_id("f-5xx");
	char *etag = created_etag(c, id, "");
	char *kind = xasprintf("status=%s,count=2", status);
	set_fault_on(kind, id);
	struct dps_response r;
	dps_enrollment_get(c, id, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert_int_eq(r.attempts, 3);
	dps_response_clear(&r);
	free(kind);
	free(etag);
	dps_client_free(c);
	free(id);
}

START_TEST(status_500_is_retried)
{
	expect_server_error_retried("500");
}
END_TEST

START_TEST(status_503_is_retried)
{
	expect_server_error_retried("503");
}
END_TEST

static void
expect_retries_exhausted(int max_attempts, int expected)
{
	struct dps_client_opts o = fast_opts();
	o.max_attempts = max_attempts;
	struct dps_client *c = client_with(&o);
	set_fault_on("status=503", "f-exhaust");
	struct dps_response r;
	dps_enrollment_get(c, "f-exhaust", &r);
	EXPECT_STATUS_OF(&r, 503);
	ck_assert_int_eq(r.attempts, expected);
	ck_assert_int_eq(served("^GET /enrollments/f-exhaust 503 "),
			 expected);
	dps_response_clear(&r);
	dps_client_free(c);
}

START_TEST(retries_stop_at_max_attempts)
{
	expect_retries_exhausted(3, 3);
}
END_TEST

START_TEST(retries_default_to_four_attempts)
{
	expect_retries_exhausted(0, 4);
}
END_TEST

START_TEST(slow_answer_times_out)
{
	struct dps_client_opts o = fast_opts();
	o.timeout_ms = 500;
	struct dps_client *c = client_with(&o);
	set_fault_on("delay=3000", "f-slow");
	double t0 = now_s();
	struct dps_response r;
	dps_enrollment_get(c, "f-slow", &r);
	double took = now_s() - t0;
	EXPECT_FAILURE(&r, DPS_FAIL_TIMEOUT);
	ck_assert_int_eq(r.attempts, 1);
	ck_assert_msg(took < 2.0, "timed out after %.2f s", took);
	ck_assert_ptr_nonnull(r.hint);
	dps_response_clear(&r);
	dps_client_free(c);
}
END_TEST

START_TEST(unknown_ca_is_refused_with_a_cacert_hint)
{
	struct dps_client_opts o = fast_opts();
	o.cacert = NULL;
	struct dps_client *c = client_with(&o);
	struct dps_response r;
	dps_enrollment_get(c, "anyone", &r);
	EXPECT_FAILURE(&r, DPS_FAIL_TLS_CA);
	ck_assert_int_eq(r.attempts, 1);
	ck_assert_msg(r.hint && strstr(r.hint, "--cacert"), "hint: %s",
		      r.hint ? r.hint : "(none)");
	char *d = dps_response_describe(&r);
	ck_assert_msg(strstr(d, "--cacert"), "%s", d);
	free(d);
	dps_response_clear(&r);
	dps_client_free(c);
}
END_TEST

/* Peak resident set in KB, from /proc/self/status. */
static long
peak_rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	ck_assert_ptr_nonnull(f);
	char line[256];
	long kb = -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	ck_assert_int_gt(kb, 0);
	return kb;
}

START_TEST(oversized_answer_is_refused_unbuffered)
{
	struct dps_client *c = fast_client();
	set_fault_on("oversized", "f-big");
	long before = peak_rss_kb();
	struct dps_response r;
	dps_enrollment_get(c, "f-big", &r);
	long grew = peak_rss_kb() - before;
	EXPECT_FAILURE(&r, DPS_FAIL_TOO_LARGE);
	ck_assert_int_eq(r.attempts, 1);
	ck_assert_ptr_null(r.raw);
	ck_assert_ptr_null(r.body);
	ck_assert_msg(grew < 16 * 1024, "the process grew by %ld KB", grew);
	dps_response_clear(&r);
	dps_client_free(c);
}
END_TEST

START_TEST(max_response_bytes_is_honoured)
{
	struct dps_client *c = fast_client();
	char *id = unique_id("f-cap");
	char *extra = xasprintf(",\"initialTwin\":{\"tags\":{\"note\":\"%0*d\"}}",
				3000, 0);
	char *etag = created_etag(c, id, extra);
	struct dps_client_opts o = fast_opts();
	o.max_response_bytes = 1024;
	struct dps_client *small = client_with(&o);
	struct dps_response r;
	dps_enrollment_get(small, id, &r);
	EXPECT_FAILURE(&r, DPS_FAIL_TOO_LARGE);
	ck_assert_ptr_null(r.raw);
	dps_response_clear(&r);
	/* the same answer fits the default cap */
	ck_assert_int_eq(get_status(c, id), 200);
	dps_client_free(small);
	free(etag);
	free(extra);
	dps_client_free(c);
	free(id);
}
END_TEST

/* A bulk request whose answer is lost may have been carried out: the
 * handler runs, then the connection drops (and libcurl may resend it on
 * a reused connection, which then meets "already exists" for every
 * item). Each item of the batch is read back: all were applied. */
static void
expect_bulk_drop_read_back(struct dps_client *c, const char *prefix)
{
	set_fault(test_emu, "drop,after,count=1,method=POST,path=/enrollments");
	cJSON *list = bulk_list(prefix, 3);
	struct dps_response r;
	dps_enrollment_bulk(c, "create", list, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert(r.answer_lost);
	ck_assert_msg(cJSON_IsTrue(jget(r.body, "isSuccessful")), "%s",
		      r.raw ? r.raw : "");
	ck_assert_int_eq(cJSON_GetArraySize(jget(r.body, "errors")), 0);
	const cJSON *rb = jget(r.body, "readBack");
	ck_assert_int_eq(cJSON_GetArraySize(rb), 3);
	for (int i = 0; i < 3; i++) {
		char *id = xasprintf("%s-%02d", prefix, i);
		const cJSON *e = cJSON_GetArrayItem(rb, i);
		ck_assert_str_eq(jstr(e, "registrationId"), id);
		ck_assert_str_eq(jstr(e, "outcome"), "applied");
		ck_assert_int_eq(get_status(c, id), 200);
		free(id);
	}
	dps_response_clear(&r);
	cJSON_Delete(list);
}

START_TEST(dropped_bulk_answer_is_read_back)
{
	struct dps_client *c = fast_client();
	expect_bulk_drop_read_back(c, "dr");
	dps_client_free(c);
}
END_TEST

/* One connection serves the client's calls, bulk included. */
START_TEST(dropped_bulk_answer_read_back_on_reuse)
{
	struct dps_client *c = fast_client();
	ck_assert_int_eq(get_status(c, "nobody-here"), 404);
	expect_bulk_drop_read_back(c, "drw");
	dps_client_free(c);
}
END_TEST

START_TEST(dropped_answer_of_a_plain_call_is_reported)
{
	struct dps_client *c = fast_client();
	set_fault_on("drop", "f-drop");
	struct dps_call call = { .method = "GET", .path = "/enrollments/f-drop" };
	struct dps_response r;
	dps_client_call(c, &call, &r);
	EXPECT_FAILURE(&r, DPS_FAIL_DROPPED);
	ck_assert_int_eq(r.attempts, 1);
	dps_response_clear(&r);
	dps_client_free(c);
}
END_TEST

/* The enrollment is made through the harness's own connection, so
 * `warm` decides whether the client has a connection open already. */
static void
expect_safe_drop_retried(bool warm)
{
	char *id = unique_id("f-drop-get");
	cJSON_Delete(create_enrollment(test_emu, id, ""));
	struct dps_client *c = fast_client();
	if (warm)
		ck_assert_int_eq(get_status(c, "nobody-here"), 404);
	set_fault_on("drop,count=1", id);
	struct dps_response r;
	dps_enrollment_get(c, id, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert_str_eq(body_str(&r, "registrationId"), id);
	ck_assert_msg(r.answer_lost, "the lost answer went unnoticed "
		      "(attempts %d)", r.attempts);
	/* On a reused connection libcurl may resend by itself, inside one
	 * attempt; only the client's own retry is sure to count. */
	if (!warm)
		ck_assert_int_eq(r.attempts, 2);
	dps_response_clear(&r);
	dps_client_free(c);
	free(id);
}

START_TEST(dropped_safe_answer_is_retried)
{
	expect_safe_drop_retried(false);
}
END_TEST

START_TEST(dropped_safe_answer_noticed_on_reuse)
{
	expect_safe_drop_retried(true);
}
END_TEST

/* A loopback port that nothing listens on. */
static int
dead_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(s, 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&a, &len), 0);
	close(s);
	return ntohs(a.sin_port);
}

START_TEST(refused_connection_is_retried_max_attempts)
{
	int port = dead_port();
	char *host = xasprintf("127.0.0.1:%d", port);
	struct dps_client_opts o = fast_opts();
	o.max_attempts = 3;
	struct dps_client *c = client_for(host, test_emu->policy_key, &o);
	struct dps_response r;
	dps_enrollment_get(c, "anyone", &r);
	EXPECT_FAILURE(&r, DPS_FAIL_CONNECT);
	ck_assert_int_eq(r.attempts, 3);
	ck_assert_ptr_nonnull(r.hint);
	ck_assert_int_eq(r.port, port);	/* for the advice */
	dps_response_clear(&r);
	dps_client_free(c);
	free(host);
}
END_TEST

static void
expect_lost_create_recovered(struct dps_client *c, const char *id)
{
	set_fault_on("drop,after,count=1,method=PUT", id);
	char *body = enrollment_text(id, ",\"deviceId\":\"lost-1\"");
	struct dps_response r;
	dps_enrollment_put(c, id, body, NULL, &r);
	EXPECT_STATUS_OF(&r, 200);
	ck_assert(r.answer_lost);
	ck_assert(r.recovered);
	ck_assert_int_ge(r.attempts, 2);
	ck_assert_str_eq(body_str(&r, "registrationId"), id);
	ck_assert_str_eq(body_str(&r, "deviceId"), "lost-1");
	ck_assert(is_etag(body_str(&r, "etag")));
	dps_response_clear(&r);
	free(body);
}

START_TEST(lost_create_answer_is_recovered)
{
	struct dps_client *c = fast_client();
	char *id = unique_id("f-lost");
	expect_lost_create_recovered(c, id);
	ck_assert_int_eq(get_status(c, id), 200);
	dps_client_free(c);
	free(id);
}
END_TEST

START_TEST(lost_create_answer_recovered_on_reuse)
{
	struct dps_client *c = fast_client();
	ck_assert_int_eq(get_status(c, "nobody-here"), 404);
	char *id = unique_id("f-lost-warm");
	expect_lost_create_recovered(c, id);
	dps_client_free(c);
	free(id);
}
END_TEST

START_TEST(lost_create_answer_with_a_different_record_is_409)
{
	char *id = unique_id("f-lost-other");
	cJSON_Delete(create_enrollment(test_emu, id,
				       ",\"provisioningStatus\":\"disabled\""));
	struct dps_client *c = fast_client();
	set_fault_on("drop,after,count=1,method=PUT", id);
	char *body = enrollment_text(id, ",\"provisioningStatus\":\"enabled\"");
	struct dps_response r;
	dps_enrollment_put(c, id, body, NULL, &r);
	EXPECT_STATUS_OF(&r, 409);
	ck_assert(r.answer_lost);
	ck_assert(!r.recovered);
	ck_assert_int_eq(r.error.error_code, 409201);
	dps_response_clear(&r);
	free(body);
	dps_client_free(c);
	free(id);
}
END_TEST

START_TEST(malformed_answer_is_refused)
{
	struct dps_client *c = fast_client();
	set_fault_on("malformed", "f-bad");
	struct dps_response r;
	dps_enrollment_get(c, "f-bad", &r);
	EXPECT_FAILURE(&r, DPS_FAIL_BAD_ANSWER);
	ck_assert_int_eq(r.attempts, 1);
	ck_assert_ptr_null(r.body);
	ck_assert_ptr_nonnull(r.hint);
	dps_response_clear(&r);
	dps_client_free(c);
}
END_TEST

static TCase *
per_test_emu_tcase(const char *name)
{
	TCase *tc = itest_tcase(name);
	tcase_add_checked_fixture(tc, test_emu_up, test_emu_down);
	return tc;
}

Suite *
dps_client_suite(void)
{
	Suite *s = suite_create("dps_client");
	TCase *ops = per_test_emu_tcase("operations");
	tcase_add_test(ops, create_answers_the_enrollment_with_generated_keys);
	tcase_add_test(ops, get_shows_the_stored_enrollment);
	tcase_add_test(ops, update_with_if_match_needs_the_current_etag);
	tcase_add_test(ops, create_of_an_existing_id_is_409);
	tcase_add_test(ops, delete_with_and_without_if_match);
	tcase_add_test(ops, get_of_a_missing_id_is_404);
	tcase_add_test(ops, attestation_mechanism_carries_the_keys);
	tcase_add_test(ops, query_one_page_leads_on);
	tcase_add_test(ops, query_all_follows_every_page);
	tcase_add_test(ops, query_of_nothing_is_an_empty_array);
	tcase_add_test(ops, bulk_splits_a_long_list_and_merges_the_results);
	tcase_add_test(ops, bulk_of_ten_is_one_request);
	tcase_add_test(ops, registration_state_get_and_delete);
	suite_add_tcase(s, ops);

	TCase *fail = per_test_emu_tcase("failures");
	tcase_add_test(fail, wrong_key_is_401_and_not_retried);
	tcase_add_test(fail, tokens_are_accepted_across_many_calls);
	tcase_add_test(fail, throttled_429_waits_retry_after_then_succeeds);
	tcase_add_test(fail, status_500_is_retried);
	tcase_add_test(fail, status_503_is_retried);
	tcase_add_test(fail, retries_stop_at_max_attempts);
	tcase_add_test(fail, retries_default_to_four_attempts);
	tcase_add_test(fail, slow_answer_times_out);
	tcase_add_test(fail, unknown_ca_is_refused_with_a_cacert_hint);
	tcase_add_test(fail, oversized_answer_is_refused_unbuffered);
	tcase_add_test(fail, max_response_bytes_is_honoured);
	tcase_add_test(fail, dropped_bulk_answer_is_read_back);
	tcase_add_test(fail, dropped_bulk_answer_read_back_on_reuse);
	tcase_add_test(fail, dropped_answer_of_a_plain_call_is_reported);
	tcase_add_test(fail, dropped_safe_answer_is_retried);
	tcase_add_test(fail, dropped_safe_answer_noticed_on_reuse);
	tcase_add_test(fail, refused_connection_is_retried_max_attempts);
	tcase_add_test(fail, lost_create_answer_is_recovered);
	tcase_add_test(fail, lost_create_answer_recovered_on_reuse);
	tcase_add_test(fail, lost_create_answer_with_a_different_record_is_409);
	tcase_add_test(fail, malformed_answer_is_refused);
	suite_add_tcase(s, fail);
	return s;
}
