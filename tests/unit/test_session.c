/* The editing session's state machine, driven through a fake port that
 * records each request and answers it with what a test scripts. */

#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "app/session.h"
#include "model/json.h"
#include "base/xalloc.h"

enum { MAX_SENT = 16 };

struct sent {
	enum dps_op op;
	char *id, *body, *if_match;
	unsigned job;
};

struct fake_port {
	struct sent sent[MAX_SENT];
	int count;
	unsigned next_job;
	unsigned cancelled;
};

static struct fake_port port;
static struct session *s;

static char *
dup_or_null(const char *t)
{
	return t ? xstrdup(t) : NULL;
}

static unsigned
fake_submit(void *ctx, enum dps_op op, const char *id, const char *body,
	    const char *if_match)
{
	struct fake_port *p = ctx;
	ck_assert_int_lt(p->count, MAX_SENT);
	struct sent *x = &p->sent[p->count++];
	*x = (struct sent){ op, dup_or_null(id), dup_or_null(body),
			    dup_or_null(if_match), ++p->next_job };
	return x->job;
}

static bool
fake_cancel(void *ctx, unsigned job)
{
	struct fake_port *p = ctx;
	p->cancelled = job;
	return true;
}

static void
setup(void)
{
	memset(&port, 0, sizeof(port));
	struct session_port sp = { fake_submit, fake_cancel, &port };
	s = session_new(&sp);
}

static void
teardown(void)
{
	session_free(s);
	for (int i = 0; i < port.count; i++) {
		free(port.sent[i].id);
		free(port.sent[i].body);
		free(port.sent[i].if_match);
	}
}

static const struct sent *
last_sent(void)
{
	ck_assert_int_gt(port.count, 0);
	return &port.sent[port.count - 1];
}

/* The answer to the last request: `status` with `body` (JSON text or
 * NULL), or a failure without an answer when status is 0. */
static struct session_news
answer_with(enum dps_failure failure, long status, const char *body)
{
	struct dps_job j = { .id = last_sent()->job, .op = last_sent()->op };
	j.resp.failure = failure;
	j.resp.status = status;
	j.resp.body = body ? cJSON_Parse(body) : NULL;
	struct session_news n = session_take(s, &j);
	dps_response_clear(&j.resp);
	return n;
}

static struct session_news
answer(long status, const char *body)
{
	return answer_with(DPS_ANSWERED, status, body);
}

#define TPM_E "{\"registrationId\":\"dev-1\",\"etag\":\"e1\"," \
	"\"attestation\":{\"type\":\"tpm\",\"tpm\":{\"endorsementKey\":\"AA==\"}}}"
#define SYM_E(etag) "{\"registrationId\":\"dev-1\",\"etag\":\"" etag "\"," \
	"\"attestation\":{\"type\":\"symmetricKey\"}," \
	"\"registrationState\":{\"status\":\"assigned\"}}"
#define KEYS(p) "{\"type\":\"symmetricKey\",\"symmetricKey\":" \
	"{\"primaryKey\":\"" p "\",\"secondaryKey\":\"" p "2\"}}"

static const char *
base_string(const char *path)
{
	return doc_get_string(session_base(s), path);
}

static struct doc *
parse_doc(const char *json)
{
	struct json_error err;
	struct doc *d = doc_parse(json, strlen(json), &err);
	ck_assert_ptr_nonnull(d);
	return d;
}

/* ck_assert evaluates its arguments twice: answer once, then compare. */
static void
expect_news(struct session_news n, enum session_news_kind kind)
{
	ck_assert_int_eq(n.kind, kind);
}

static void
load_symmetric(void)
{
	ck_assert(session_load(s, "dev-1"));
	expect_news(answer(200, SYM_E("e1")), NEWS_STEP);
	expect_news(answer(200, KEYS("k1")), NEWS_LOADED);
}

START_TEST(load_without_keys_needed)
{
	ck_assert(session_load(s, "dev-1"));
	ck_assert_int_eq(last_sent()->op, DPS_OP_GET);
	ck_assert_int_eq(session_state(s), SESSION_LOADING);
	struct session_news n = answer(200, TPM_E);
	ck_assert_int_eq(n.kind, NEWS_LOADED);
	ck_assert_int_eq(n.step, SESSION_LOADING);
	ck_assert_str_eq(session_etag(s), "e1");
	ck_assert(!session_busy(s));
	ck_assert_int_eq(port.count, 1);
}
END_TEST

START_TEST(load_reads_symmetric_keys)
{
	load_symmetric();
	ck_assert_int_eq(port.sent[1].op, DPS_OP_ATTESTATION);
	ck_assert_str_eq(port.sent[1].id, "dev-1");
	ck_assert_str_eq(base_string("attestation.symmetricKey.primaryKey"), "k1");
	ck_assert(!session_keys_missing(s));
}
END_TEST

/* The four ways the keys call was seen to fail at the bench. */
static const struct {
	enum dps_failure failure;
	long status;
	const char *body;
} key_failures[] = {
	{ DPS_ANSWERED, 500, "{\"errorCode\":500000}" },
	{ DPS_ANSWERED, 404, "{\"errorCode\":404201}" },
	{ DPS_ANSWERED, 200, NULL },			/* malformed */
	{ DPS_FAIL_DROPPED, 0, NULL },
	{ DPS_ANSWERED, 200, "{\"type\":\"symmetricKey\"}" },
	{ DPS_ANSWERED, 409, "{\"errorCode\":409201}" },
};

static struct session_news
keys_fail(int i)
{
	return answer_with(key_failures[i].failure, key_failures[i].status,
			   key_failures[i].body);
}

START_TEST(load_keys_unreadable)
{
	ck_assert(session_load(s, "dev-1"));
	answer(200, SYM_E("e1"));
	expect_news(keys_fail(_i), NEWS_LOADED_NO_KEYS);
	ck_assert(session_keys_missing(s));
	ck_assert_str_eq(session_etag(s), "e1");
}
END_TEST

START_TEST(load_failure_keeps_the_base)
{
	load_symmetric();
	ck_assert(session_load(s, "dev-2"));
	expect_news(answer(404, "{\"errorCode\":404201}"), NEWS_FAILED);
	ck_assert_str_eq(base_string("registrationId"), "dev-1");
}
END_TEST

START_TEST(cancel_during_load)
{
	load_symmetric();
	ck_assert(session_load(s, "dev-2"));
	ck_assert(session_cancel(s));
	ck_assert_uint_eq(port.cancelled, last_sent()->job);
	struct session_news n = answer_with(DPS_FAIL_CANCELLED, 0, NULL);
	ck_assert_int_eq(n.kind, NEWS_CANCELLED);
	ck_assert_int_eq(n.step, SESSION_LOADING);
	ck_assert_str_eq(base_string("registrationId"), "dev-1");
	ck_assert(!session_busy(s));
}
END_TEST

START_TEST(cancel_while_load_reads_keys)
{
	ck_assert(session_load(s, "dev-1"));
	answer(200, SYM_E("e1"));
	ck_assert(session_cancel(s));
	expect_news(answer_with(DPS_FAIL_CANCELLED, 0, NULL), NEWS_CANCELLED);
	ck_assert_ptr_null(session_base(s));
}
END_TEST

START_TEST(create_has_no_etag)
{
	struct doc *d = parse_doc("{\"registrationId\":\"new-1\",\"etag\":\"old\"}");
	ck_assert(session_submit_create(s, d));
	ck_assert_int_eq(last_sent()->op, DPS_OP_PUT);
	ck_assert_str_eq(last_sent()->id, "new-1");
	ck_assert_ptr_null(last_sent()->if_match);
	ck_assert_ptr_null(strstr(last_sent()->body, "etag"));
	doc_free(d);
}
END_TEST

START_TEST(update_sends_if_match_and_takes_answer)
{
	load_symmetric();
	struct doc *d = doc_clone(session_base(s));
	doc_set_string(d, "iotHubHostName", "hub-2");
	ck_assert(session_submit(s, d));
	ck_assert_int_eq(last_sent()->op, DPS_OP_PUT);
	ck_assert_str_eq(last_sent()->if_match, "e1");
	ck_assert_ptr_nonnull(strstr(last_sent()->body, "k1"));
	struct session_news n = answer(200, "{\"registrationId\":\"dev-1\","
		"\"etag\":\"e2\",\"attestation\":{\"type\":\"symmetricKey\"}}");
	ck_assert_int_eq(n.kind, NEWS_SUBMITTED);
	ck_assert_str_eq(session_etag(s), "e2");
	/* The answer lacks both; the next review needs them. */
	ck_assert_str_eq(base_string("registrationState.status"), "assigned");
	ck_assert_str_eq(base_string("attestation.symmetricKey.primaryKey"), "k1");
	doc_free(d);
}
END_TEST

START_TEST(update_without_keys_reads_them_first)
{
	struct doc *d = parse_doc(SYM_E("e1"));
	ck_assert(session_submit_update(s, d, "e1"));
	ck_assert_int_eq(last_sent()->op, DPS_OP_ATTESTATION);
	ck_assert_int_eq(session_state(s), SESSION_READING_KEYS);
	expect_news(answer(200, KEYS("k9")), NEWS_STEP);
	ck_assert_int_eq(last_sent()->op, DPS_OP_PUT);
	ck_assert_str_eq(last_sent()->if_match, "e1");
	ck_assert_ptr_nonnull(strstr(last_sent()->body, "\"k9\""));
	doc_free(d);
}
END_TEST

/* Each failure of the keys call: nothing is sent (the service would make
 * new keys and lock the device out). */
START_TEST(update_keys_unreadable_sends_nothing)
{
	struct doc *d = parse_doc(SYM_E("e1"));
	ck_assert(session_submit_update(s, d, "*"));
	struct session_news n = keys_fail(_i);
	ck_assert_int_eq(n.kind, NEWS_KEYS_UNREADABLE);
	ck_assert_int_eq(n.step, SESSION_READING_KEYS);
	ck_assert_int_eq(port.count, 1);
	ck_assert(!session_busy(s));
	doc_free(d);
}
END_TEST

static void
submit_edit(void)
{
	struct doc *d = doc_clone(session_base(s));
	doc_set_string(d, "iotHubHostName", "mine");
	ck_assert(session_submit(s, d));
	doc_free(d);
}

START_TEST(conflict_fetches_new_copy_and_keys)
{
	load_symmetric();
	submit_edit();
	expect_news(answer(412, "{\"errorCode\":412002}"), NEWS_CHANGED);
	ck_assert(!session_busy(s));
	ck_assert(session_refresh(s));
	ck_assert_int_eq(last_sent()->op, DPS_OP_GET);
	expect_news(answer(200, SYM_E("e7")), NEWS_STEP);
	ck_assert_int_eq(last_sent()->op, DPS_OP_ATTESTATION);
	struct session_news n = answer(200, KEYS("k7"));
	ck_assert_int_eq(n.kind, NEWS_CONFLICT);
	ck_assert_int_eq(n.step, SESSION_REFRESHING_KEYS);
	ck_assert_str_eq(session_etag(s), "e7");
	ck_assert_str_eq(base_string("attestation.symmetricKey.primaryKey"), "k7");
	ck_assert_str_eq(doc_get_string(session_previous(s), "etag"), "e1");
}
END_TEST

START_TEST(conflict_keys_unreadable_keeps_everything)
{
	load_symmetric();
	submit_edit();
	answer(412, NULL);
	ck_assert(session_refresh(s));
	answer(200, SYM_E("e7"));
	expect_news(keys_fail(_i), NEWS_KEYS_UNREADABLE);
	ck_assert_str_eq(session_etag(s), "e1");
	ck_assert_str_eq(base_string("attestation.symmetricKey.primaryKey"), "k1");
	ck_assert_ptr_null(session_previous(s));
	ck_assert_int_eq(port.count, 5);
}
END_TEST

START_TEST(deleted_elsewhere)
{
	load_symmetric();
	submit_edit();
	expect_news(answer(404, "{\"errorCode\":404201}"), NEWS_GONE);
	/* Create it again from what the form has: keys kept, no etag. */
	struct doc *d = doc_clone(session_base(s));
	ck_assert(session_submit_create(s, d));
	ck_assert_ptr_null(last_sent()->if_match);
	ck_assert_ptr_null(strstr(last_sent()->body, "etag"));
	ck_assert_ptr_nonnull(strstr(last_sent()->body, "\"k1\""));
	doc_free(d);
}
END_TEST

START_TEST(deleted_during_refresh)
{
	load_symmetric();
	submit_edit();
	answer(412, NULL);
	ck_assert(session_refresh(s));
	expect_news(answer(404, NULL), NEWS_GONE);
}
END_TEST

START_TEST(rename_is_a_create)
{
	load_symmetric();
	struct doc *d = doc_clone(session_base(s));
	doc_set_string(d, "registrationId", "dev-renamed");
	ck_assert(session_submit_create(s, d));
	ck_assert_str_eq(last_sent()->id, "dev-renamed");
	ck_assert_ptr_null(last_sent()->if_match);
	/* A create is never refreshed on 412: there is no copy to rebase on. */
	expect_news(answer(412, NULL), NEWS_FAILED);
	ck_assert_int_eq(port.count, 3);
	ck_assert_str_eq(session_etag(s), "e1");
	doc_free(d);
}
END_TEST

START_TEST(create_taken)
{
	struct doc *d = parse_doc("{\"registrationId\":\"dev-1\"}");
	ck_assert(session_submit(s, d));
	expect_news(answer(409, "{\"errorCode\":409201}"), NEWS_EXISTS);
	doc_free(d);
}
END_TEST

START_TEST(busy_refuses_and_stale_jobs_ignored)
{
	ck_assert(session_load(s, "dev-1"));
	struct doc *d = parse_doc("{\"registrationId\":\"dev-1\"}");
	ck_assert(!session_submit(s, d));
	ck_assert(!session_load(s, "dev-2"));
	ck_assert(!session_reset(s));
	struct dps_job old = { .id = 999, .op = DPS_OP_GET };
	ck_assert_int_eq(session_take(s, &old).kind, NEWS_NONE);
	ck_assert(session_busy(s));
	doc_free(d);
}
END_TEST

/* The keys of a loaded copy read again, after the enrollment was deleted:
 * no dead end, the face can offer to create it again. */
START_TEST(keys_read_again_finds_it_deleted)
{
	ck_assert(session_load(s, "dev-1"));
	answer(200, SYM_E("e1"));
	expect_news(keys_fail(0), NEWS_LOADED_NO_KEYS);
	ck_assert(session_read_keys(s));
	ck_assert_int_eq(last_sent()->op, DPS_OP_ATTESTATION);
	expect_news(answer(404, "{\"errorCode\":404201}"), NEWS_GONE);
	ck_assert_str_eq(session_etag(s), "e1");
	ck_assert(!session_busy(s));
}
END_TEST

/* A fresh load whose keys call meets a 404 is a load without keys, not
 * the loss of the enrollment loaded before. */
START_TEST(fresh_load_keys_404_is_not_gone)
{
	load_symmetric();
	ck_assert(session_load(s, "dev-1"));
	answer(200, SYM_E("e2"));
	expect_news(answer(404, NULL), NEWS_LOADED_NO_KEYS);
}
END_TEST

START_TEST(adopt_and_reset)
{
	ck_assert(session_adopt(s, cJSON_Parse(TPM_E)));
	ck_assert_str_eq(session_etag(s), "e1");
	ck_assert(session_reset(s));
	ck_assert_ptr_null(session_etag(s));
	ck_assert_ptr_null(session_base(s));
}
END_TEST

Suite *
session_suite(void)
{
	Suite *su = suite_create("session");
	TCase *tc = tcase_create("session");
	int failures = sizeof(key_failures) / sizeof(key_failures[0]);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, load_without_keys_needed);
	tcase_add_test(tc, load_reads_symmetric_keys);
	tcase_add_loop_test(tc, load_keys_unreadable, 0, failures);
	tcase_add_test(tc, load_failure_keeps_the_base);
	tcase_add_test(tc, cancel_during_load);
	tcase_add_test(tc, cancel_while_load_reads_keys);
	tcase_add_test(tc, create_has_no_etag);
	tcase_add_test(tc, update_sends_if_match_and_takes_answer);
	tcase_add_test(tc, update_without_keys_reads_them_first);
	tcase_add_loop_test(tc, update_keys_unreadable_sends_nothing, 0, failures);
	tcase_add_test(tc, conflict_fetches_new_copy_and_keys);
	tcase_add_loop_test(tc, conflict_keys_unreadable_keeps_everything, 0,
			    failures);
	tcase_add_test(tc, deleted_elsewhere);
	tcase_add_test(tc, deleted_during_refresh);
	tcase_add_test(tc, rename_is_a_create);
	tcase_add_test(tc, create_taken);
	tcase_add_test(tc, busy_refuses_and_stale_jobs_ignored);
	tcase_add_test(tc, keys_read_again_finds_it_deleted);
	tcase_add_test(tc, fresh_load_keys_404_is_not_gone);
	tcase_add_test(tc, adopt_and_reset);
	suite_add_tcase(su, tc);
	return su;
}
