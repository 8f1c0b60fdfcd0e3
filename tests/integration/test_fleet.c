/* The fleet list below the screen, against dpsemu: the client's rate
 * budget counts every attempt, registration states are fetched one
 * request per enrollment (the query does not carry them), the
 * background fetcher follows the order the screen asks for, and
 * `dpsenroll list` as a user runs it, on a few hundred enrollments with
 * registered, failed and unregistered devices. */

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_proc.h"
#include "harness.h"
#include "suites.h"
#include "app/fleet_fetch.h"
#include "app/fleet_fetcher.h"
#include "app/fleet_row.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/budget.h"
#include "dps/ops.h"
#include "sys/fileio.h"

extern char **environ;

enum { FLEET_SIZE = 300, WAIT_MS = 20000 };

static struct dps_client *
client_opts(struct dps_client_opts *o)
{
	struct dps_conn conn = { .host = test_emu->host_name,
				 .policy = test_emu->policy_name,
				 .key = test_emu->policy_key };
	o->cacert = test_emu->ca_path;
	o->backoff_ms = 10;
	o->timeout_ms = 10000;
	char *why = NULL;
	struct dps_client *c = dps_client_new(&conn, o, &why);
	ck_assert_msg(c, "dps_client_new: %s", why ? why : "?");
	return c;
}

/* A client without a budget, for filling the emulator. */
static struct dps_client *
free_client(void)
{
	struct dps_client_opts o = { .ops_per_minute = -1 };
	return client_opts(&o);
}

static char *
fleet_id(int i)
{
	return xasprintf("fleet-%03d", i);
}

/* What the fleet's device i did: assigned (half), failed (a sixth),
 * never registered (a third). */
static enum fleet_status
fleet_status_of(int i)
{
	switch (i % 6) {
	case 0: case 2: case 4: return FLEET_STATUS_ASSIGNED;
	case 1: return FLEET_STATUS_FAILED;
	default: return FLEET_STATUS_UNASSIGNED;
	}
}

static void
register_failed(const char *id, int code)
{
	char *path = xasprintf("/admin/registrations/%s", id);
	char *body = xasprintf("{\"status\":\"failed\",\"errorCode\":%d,"
			       "\"errorMessage\":\"Custom allocation failed "
			       "for %s\"}", code, id);
	struct reply *r = admin(test_emu, "POST", path, body);
	ck_assert_msg(r->status >= 200 && r->status < 300, "%s: %ld %s", path,
		      r->status, r->body ? r->body : "");
	reply_free(r);
	free(body);
	free(path);
}

/* `n` enrollments fleet-000 ... with device ids box-000 ..., put in
 * bulk, and their devices registered as fleet_status_of says. */
static void
make_fleet(int n)
{
	struct dps_client *c = free_client();
	for (int start = 0; start < n; start += 50) {
		cJSON *list = cJSON_CreateArray();
		for (int i = start; i < n && i < start + 50; i++) {
			char *id = fleet_id(i);
			char *dev = xasprintf("box-%03d", i);
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "registrationId", id);
			cJSON_AddStringToObject(e, "deviceId", dev);
			cJSON_AddItemToObject(e, "attestation", cJSON_Parse(
				"{\"type\":\"symmetricKey\"}"));
			cJSON_AddItemToArray(list, e);
			free(id);
			free(dev);
		}
		struct dps_response r;
		dps_enrollment_bulk(c, "create", list, &r);
		ck_assert_msg(r.status == 200 && cJSON_IsTrue(
			cJSON_GetObjectItem(r.body, "isSuccessful")),
			"bulk create: %ld %s", r.status, r.raw ? r.raw : "");
		dps_response_clear(&r);
		cJSON_Delete(list);
	}
	dps_client_free(c);
	for (int i = 0; i < n; i++) {
		char *id = fleet_id(i);
		if (fleet_status_of(i) == FLEET_STATUS_ASSIGNED)
			simulate_registration(test_emu, id);
		else if (fleet_status_of(i) == FLEET_STATUS_FAILED)
			register_failed(id, 400209);
		free(id);
	}
}

/* ---- the budget in the client ---- */

START_TEST(every_attempt_takes_from_the_budget)
{
	/* 60 a minute: 3 at once, then one a second. */
	struct dps_budget *b = dps_budget_new(60, NULL);
	struct dps_client_opts o = { .budget = b };
	struct dps_client *c = client_opts(&o);
	ck_assert_ptr_eq(dps_client_budget(c), b);
	struct dps_response r;
	for (int i = 0; i < 3; i++) {
		dps_enrollment_get(c, "nobody", &r);
		ck_assert_int_eq(r.status, 404);
		dps_response_clear(&r);
	}
	struct dps_budget_stats st;
	dps_budget_stats(b, &st);
	ck_assert_uint_eq(st.taken, 3);
	ck_assert_uint_eq(st.held_back, 0);
	/* The fourth is held back until the budget allows it, then sent. */
	dps_enrollment_get(c, "nobody", &r);
	ck_assert_int_eq(r.status, 404);
	dps_response_clear(&r);
	dps_budget_stats(b, &st);
	ck_assert_uint_eq(st.taken, 4);
	ck_assert_uint_eq(st.held_back, 1);
	dps_client_free(c);
	dps_budget_free(b);
}
END_TEST

START_TEST(a_retried_429_counts_twice)
{
	struct dps_budget *b = dps_budget_new(100000, NULL);
	struct dps_client_opts o = { .budget = b };
	struct dps_client *c = client_opts(&o);
	set_fault(test_emu, "status=429,retry-after=1,count=1,"
		  "path=/registrations/");
	struct dps_response r;
	dps_regstate_get(c, "someone", &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_int_eq(r.attempts, 2);
	dps_response_clear(&r);
	struct dps_budget_stats st;
	dps_budget_stats(b, &st);
	ck_assert_uint_eq(st.taken, 2);
	dps_client_free(c);
	dps_budget_free(b);
}
END_TEST

/* A call the budget would hold past its deadline is not sent, and says
 * why; nothing is taken from the budget for it. */
START_TEST(budget_wait_past_the_deadline_is_not_waited)
{
	struct dps_budget *b = dps_budget_new(60, NULL);	/* 3, then 1/s */
	struct dps_client_opts o = { .budget = b, .deadline_ms = 300000 };
	struct dps_client *c = client_opts(&o);
	struct dps_response r;
	for (int i = 0; i < 3; i++) {
		dps_enrollment_get(c, "nobody", &r);
		ck_assert_int_eq(r.status, 404);
		dps_response_clear(&r);
	}
	dps_client_free(c);
	o = (struct dps_client_opts){ .budget = b, .deadline_ms = 200 };
	c = client_opts(&o);
	dps_enrollment_get(c, "nobody", &r);
	ck_assert_int_eq(r.failure, DPS_FAIL_TIMEOUT);
	char *d = dps_response_describe(&r);
	ck_assert_msg(strstr(d, "rate budget"), "%s", d);
	free(d);
	dps_response_clear(&r);
	struct dps_budget_stats st;
	dps_budget_stats(b, &st);
	ck_assert_uint_eq(st.taken, 3);
	ck_assert_uint_eq(st.held_back, 0);
	dps_client_free(c);
	dps_budget_free(b);
}
END_TEST

/* A client made without a budget keeps one of its own, at 1,000 a
 * minute unless told otherwise; -1 is none. */
START_TEST(clients_have_a_budget_of_their_own)
{
	struct dps_client_opts o = { 0 };
	struct dps_client *c = client_opts(&o);
	ck_assert_ptr_nonnull(dps_client_budget(c));
	ck_assert_uint_eq(dps_budget_per_minute(dps_client_budget(c)), 1000);
	dps_client_free(c);
	o = (struct dps_client_opts){ .ops_per_minute = 120 };
	c = client_opts(&o);
	ck_assert_uint_eq(dps_budget_per_minute(dps_client_budget(c)), 120);
	dps_client_free(c);
	c = free_client();
	ck_assert_ptr_null(dps_client_budget(c));
	dps_client_free(c);
}
END_TEST

/* ---- fetching states ---- */

struct collected {
	struct fleet_rows *rows;
	int results[3];
};

static bool
collect(void *ctx, size_t k, const char *id, struct dps_response *r)
{
	struct collected *c = ctx;
	long at = fleet_rows_find(c->rows, id);
	ck_assert_int_ge(at, 0);
	(void)k;
	c->results[fleet_rows_apply_answer(c->rows, (size_t)at, r, 1)]++;
	return true;
}

START_TEST(states_of_a_fleet_fetched_one_by_one)
{
	make_fleet(30);
	struct dps_client *c = free_client();
	struct dps_response r;
	dps_enrollment_query_all(c, 100, &r);
	ck_assert_int_eq(cJSON_GetArraySize(r.body), 30);
	struct collected got = { .rows = fleet_rows_new() };
	ck_assert_uint_eq(fleet_rows_add_page(got.rows, r.body), 30);
	dps_response_clear(&r);
	/* The query leaves every state unknown. */
	for (size_t i = 0; i < 30; i++)
		ck_assert_int_eq(fleet_rows_at(got.rows, i)->status,
				 FLEET_STATUS_UNKNOWN);
	const char *ids[30];
	for (size_t i = 0; i < 30; i++)
		ids[i] = fleet_rows_str(got.rows,
					fleet_rows_at(got.rows, i)->id);
	ck_assert_uint_eq(fleet_fetch_states(c, ids, 30, collect, &got), 30);
	ck_assert_int_eq(got.results[FLEET_FETCH_STATE], 20);
	ck_assert_int_eq(got.results[FLEET_FETCH_NONE], 10);
	ck_assert_int_eq(got.results[FLEET_FETCH_FAILED], 0);
	for (int i = 0; i < 30; i++) {
		char *id = fleet_id(i);
		const struct fleet_row *row =
			fleet_rows_at(got.rows, (size_t)fleet_rows_find(got.rows, id));
		ck_assert_msg(row->status == fleet_status_of(i),
			      "%s: %s", id, fleet_status_name(row->status));
		if (row->status == FLEET_STATUS_ASSIGNED)
			ck_assert_str_eq(fleet_rows_str(got.rows, row->hub),
					 "dpsemu-hub.azure-devices.net");
		if (row->status == FLEET_STATUS_FAILED) {
			ck_assert_int_eq(row->error_code, 400209);
			ck_assert_ptr_nonnull(strstr(fleet_rows_str(
				got.rows, row->error_message), id));
		}
		free(id);
	}
	fleet_rows_free(got.rows);
	dps_client_free(c);
}
END_TEST

START_TEST(a_failed_state_request_is_kept_in_its_row)
{
	make_fleet(2);
	struct dps_client_opts o = { .max_attempts = 1 };
	struct dps_client *c = client_opts(&o);
	set_fault(test_emu, "status=500,path=/registrations/fleet-001");
	struct collected got = { .rows = fleet_rows_new() };
	struct dps_response r;
	dps_enrollment_query_all(c, 100, &r);
	fleet_rows_add_page(got.rows, r.body);
	dps_response_clear(&r);
	const char *ids[] = { "fleet-001", "fleet-000" };
	/* The failure does not stop the others. */
	ck_assert_uint_eq(fleet_fetch_states(c, ids, 2, collect, &got), 2);
	const struct fleet_row *row = fleet_rows_at(
		got.rows, (size_t)fleet_rows_find(got.rows, "fleet-001"));
	ck_assert_int_eq(row->status, FLEET_STATUS_UNKNOWN);
	ck_assert_int_eq(row->flags, FLEET_ROW_FETCH_FAILED);
	ck_assert_ptr_nonnull(strstr(fleet_rows_str(got.rows,
						    row->error_message),
				     "HTTP 500"));
	ck_assert_int_eq(got.results[FLEET_FETCH_STATE], 1);
	fleet_rows_free(got.rows);
	dps_client_free(c);
}
END_TEST

/* ---- the background fetcher ---- */

static struct fleet_fetcher *
new_fetcher(struct dps_budget *b)
{
	struct dps_conn conn = { .host = test_emu->host_name,
				 .policy = test_emu->policy_name,
				 .key = test_emu->policy_key };
	struct dps_client_opts o = { .cacert = test_emu->ca_path,
				     .timeout_ms = 10000, .budget = b };
	char *why = NULL;
	struct fleet_fetcher *f = fleet_fetcher_new(&conn, &o, &why);
	ck_assert_msg(f, "fleet_fetcher_new: %s", why ? why : "?");
	return f;
}

/* The next answer, waiting for it on the fd as the UI loop would. */
static struct fleet_state_answer *
next_answer(struct fleet_fetcher *f)
{
	double until = now_s() + WAIT_MS / 1000.0;
	for (;;) {
		struct fleet_state_answer *a = fleet_fetcher_take(f);
		if (a)
			return a;
		ck_assert_msg(now_s() < until, "no answer within %d ms",
			      WAIT_MS);
		struct pollfd p = { .fd = fleet_fetcher_fd(f), .events = POLLIN };
		poll(&p, 1, 200);
	}
}

START_TEST(fetcher_follows_the_order_asked)
{
	make_fleet(6);
	struct dps_budget *b = dps_budget_new(100000, NULL);
	struct fleet_fetcher *f = new_fetcher(b);
	const char *ids[] = { "fleet-005", "fleet-001", "fleet-000" };
	fleet_fetcher_want(f, ids, 3);
	struct fleet_rows *rows = fleet_rows_new();
	for (int i = 0; i < 6; i++) {
		char *id = fleet_id(i);
		char *json = xasprintf("{\"registrationId\":\"%s\"}", id);
		cJSON *e = cJSON_Parse(json);
		fleet_rows_add_enrollment(rows, e);
		cJSON_Delete(e);
		free(json);
		free(id);
	}
	for (int k = 0; k < 3; k++) {
		struct fleet_state_answer *a = next_answer(f);
		ck_assert_str_eq(a->id, ids[k]);
		long at = fleet_rows_find(rows, a->id);
		fleet_rows_apply_answer(rows, (size_t)at, &a->resp, a->at_ms);
		fleet_state_answer_free(a);
	}
	ck_assert_str_eq(fleet_row_text(rows, fleet_rows_at(rows, 5),
					FLEET_COL_STATUS), "unassigned");
	ck_assert_str_eq(fleet_row_text(rows, fleet_rows_at(rows, 1),
					FLEET_COL_STATUS), "failed");
	ck_assert_str_eq(fleet_row_text(rows, fleet_rows_at(rows, 0),
					FLEET_COL_STATUS), "assigned");
	ck_assert_str_eq(fleet_row_text(rows, fleet_rows_at(rows, 2),
					FLEET_COL_STATUS), "unknown");
	ck_assert_uint_eq(fleet_fetcher_pending(f), 0);
	struct dps_budget_stats st;
	dps_budget_stats(b, &st);
	ck_assert_uint_eq(st.taken, 3);
	fleet_rows_free(rows);
	fleet_fetcher_free(f);
	dps_budget_free(b);
}
END_TEST

/* The screen scrolls: what it no longer wants is not fetched. A slow
 * budget keeps the fetcher behind, so the change of mind finds most of
 * the first list unfetched. */
START_TEST(fetcher_drops_what_is_no_longer_wanted)
{
	make_fleet(12);
	struct dps_budget *b = dps_budget_new(60, NULL);	/* 3, then 1/s */
	struct fleet_fetcher *f = new_fetcher(b);
	const char *first[10];
	char *owned[10];
	for (int i = 0; i < 10; i++)
		first[i] = owned[i] = fleet_id(i);
	fleet_fetcher_want(f, first, 10);
	struct fleet_state_answer *a = next_answer(f);
	ck_assert_str_eq(a->id, "fleet-000");
	fleet_state_answer_free(a);
	const char *then[] = { "fleet-011" };
	fleet_fetcher_want(f, then, 1);
	ck_assert_uint_le(fleet_fetcher_pending(f), 2);
	/* At most the ones already on their way, in order, then the new. */
	int old = 0;
	for (;;) {
		a = next_answer(f);
		bool last = strcmp(a->id, "fleet-011") == 0;
		if (!last) {
			ck_assert_str_eq(a->id, first[1 + old]);
			old++;
		}
		fleet_state_answer_free(a);
		if (last)
			break;
	}
	ck_assert_int_le(old, 3);
	ck_assert_uint_eq(fleet_fetcher_pending(f), 0);
	ck_assert_ptr_null(fleet_fetcher_take(f));
	struct dps_budget_stats st;
	dps_budget_stats(b, &st);
	ck_assert_uint_eq(st.taken, (unsigned long)(2 + old));
	for (int i = 0; i < 10; i++)
		free(owned[i]);
	fleet_fetcher_free(f);
	dps_budget_free(b);
}
END_TEST

/* Freed with work pending and a request held back by the budget: it
 * stops at once rather than waiting its turn. */
START_TEST(fetcher_stops_while_held_back)
{
	make_fleet(6);
	struct dps_budget *b = dps_budget_new(2, NULL);	/* 1, then 1/min */
	struct fleet_fetcher *f = new_fetcher(b);
	const char *ids[] = { "fleet-000", "fleet-001", "fleet-002" };
	fleet_fetcher_want(f, ids, 3);
	struct fleet_state_answer *a = next_answer(f);
	fleet_state_answer_free(a);
	/* The second waits for the budget, a minute away. */
	double until = now_s() + 10;
	struct dps_budget_stats st;
	do {
		dps_budget_stats(b, &st);
		if (!st.waiting)
			pause_ms(10);
	} while (!st.waiting && now_s() < until);
	ck_assert_uint_eq(st.waiting, 1);
	double t0 = now_s();
	fleet_fetcher_free(f);
	ck_assert_msg(now_s() - t0 < 10, "the fetcher took %.1f s to stop",
		      now_s() - t0);
	dps_budget_stats(b, &st);
	ck_assert_uint_eq(st.waiting, 0);
	dps_budget_free(b);
}
END_TEST

/* ---- dpsenroll list ---- */

/* Runs dpsenroll with `args` (NULL-terminated, without the program
 * name), the connection in its environment as the README says, in a
 * folder of its own. */
static struct cli_result
run_cli(const char *const *args)
{
	char *dir = harness_tmpdir("list");
	char *set[] = {
		xasprintf("DPS_CONNECTION_STRING=HostName=%s;"
			  "SharedAccessKeyName=%s;SharedAccessKey=%s",
			  test_emu->host_name, test_emu->policy_name,
			  test_emu->policy_key),
		xasprintf("DPSENROLL_CACERT=%s", test_emu->ca_path),
		xasprintf("XDG_CONFIG_HOME=%s", dir),
		xasprintf("XDG_STATE_HOME=%s", dir),
		NULL,
	};
	struct cli_result r = cli_finish(dir, cli_spawn(dir,
					  (const char *const *)set, args));
	for (int i = 0; set[i]; i++)
		secret_str_free(set[i]);
	free(dir);
	return r;
}

#define RUN(...) run_cli((const char *const[]){ __VA_ARGS__, NULL })

static void
expect_exit_at(int line, const struct cli_result *r, int code)
{
	ck_assert_msg(r->status == code, "line %d: exit %d, expected %d; "
		      "stderr: %.600s; stdout: %.300s", line, r->status, code,
		      r->err, r->out);
}

#define EXPECT_EXIT(r, code) expect_exit_at(__LINE__, (r), (code))

/* The JSON objects of JSON lines output, as an array. */
static cJSON *
json_lines(const char *text)
{
	cJSON *all = cJSON_CreateArray();
	char *copy = xstrdup(text), *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		cJSON *o = cJSON_Parse(line);
		ck_assert_msg(cJSON_IsObject(o), "not a JSON object: %s", line);
		cJSON_AddItemToArray(all, o);
	}
	free(copy);
	return all;
}

static int
count_lines(const char *text)
{
	int n = 0;
	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* What the emulator itself says of id's registration: its status, or
 * "unassigned" when there is none (404). */
static char *
stored_status(const char *id)
{
	char *path = xasprintf("/registrations/%s", id);
	struct reply *r = svc(test_emu, "GET", path, NULL);
	char *status = r->status == 404 ? xstrdup("unassigned")
					: xstrdup(jstr(r->json, "status"));
	reply_free(r);
	free(path);
	return status;
}

START_TEST(list_with_state_on_a_few_hundred)
{
	make_fleet(FLEET_SIZE);
	struct cli_result r = RUN("list", "--with-state", "--ops-per-minute", "100000");
	EXPECT_EXIT(&r, 0);
	/* Piped: JSON lines, one per enrollment, in the service's order. */
	cJSON *rows = json_lines(r.out);
	ck_assert_int_eq(cJSON_GetArraySize(rows), FLEET_SIZE);
	int counts[6] = { 0 };
	const cJSON *row;
	cJSON_ArrayForEach(row, rows) {
		const char *id = jstr(row, "registrationId");
		const char *status = jstr(row, "registrationStatus");
		ck_assert_ptr_nonnull(id);
		ck_assert_ptr_nonnull(status);
		char *stored = stored_status(id);
		ck_assert_msg(strcmp(stored, status) == 0,
			      "%s: listed %s, stored %s", id, status, stored);
		free(stored);
		counts[fleet_status_parse(status)]++;
		ck_assert_str_eq(jstr(row, "attestation"), "symmetricKey");
		ck_assert_str_eq(jstr(row, "provisioningStatus"), "enabled");
		ck_assert(is_etag(jstr(row, "etag")));
		ck_assert_int_eq(strncmp(jstr(row, "deviceId"), "box-", 4), 0);
		if (strcmp(status, "assigned") == 0)
			ck_assert_str_eq(jstr(row, "assignedHub"),
					 "dpsemu-hub.azure-devices.net");
		if (strcmp(status, "failed") == 0) {
			ck_assert_int_eq(cJSON_GetObjectItem(row, "errorCode")
					 ->valueint, 400209);
			ck_assert_ptr_nonnull(strstr(jstr(row, "errorMessage"),
						     id));
		}
	}
	ck_assert_int_eq(counts[FLEET_STATUS_ASSIGNED], FLEET_SIZE / 2);
	ck_assert_int_eq(counts[FLEET_STATUS_FAILED], FLEET_SIZE / 6);
	ck_assert_int_eq(counts[FLEET_STATUS_UNASSIGNED], FLEET_SIZE / 3);
	/* How long the states take was said first, and what was done. */
	ck_assert_ptr_nonnull(strstr(r.err, "one request per enrollment, at "
				     "most 100000 a minute"));
	ck_assert_ptr_nonnull(strstr(r.err, "300 enrollments, 300 "
				     "registration states"));
	cJSON_Delete(rows);
	cli_result_free(&r);
}
END_TEST

START_TEST(list_without_state_sends_no_state_request)
{
	make_fleet(30);
	emu_log_barrier(test_emu);
	struct cli_result r = RUN("list");
	EXPECT_EXIT(&r, 0);
	cJSON *rows = json_lines(r.out);
	ck_assert_int_eq(cJSON_GetArraySize(rows), 30);
	ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 0),
					       "registrationStatus"));
	ck_assert_str_eq(r.err, "");
	emu_log_barrier(test_emu);
	ck_assert_int_eq(emu_log_wait(test_emu, "^GET /registrations/", 0), 0);
	cJSON_Delete(rows);
	cli_result_free(&r);
}
END_TEST

START_TEST(list_filter_matches_as_the_screen)
{
	make_fleet(60);
	struct cli_result r = RUN("list", "--with-state", "--filter", "FAILED",
			   "--ops-per-minute", "0");
	EXPECT_EXIT(&r, 0);
	cJSON *rows = json_lines(r.out);
	ck_assert_int_eq(cJSON_GetArraySize(rows), 10);
	const cJSON *row;
	cJSON_ArrayForEach(row, rows)
		ck_assert_str_eq(jstr(row, "registrationStatus"), "failed");
	cJSON_Delete(rows);
	cli_result_free(&r);
	/* "assigned" is not "unassigned"; words are all needed. */
	r = RUN("list", "--with-state", "--filter", "assigned box-01",
		"--ops-per-minute", "0");
	EXPECT_EXIT(&r, 0);
	rows = json_lines(r.out);
	ck_assert_int_eq(cJSON_GetArraySize(rows), 5);	/* 10 12 14 16 18 */
	cJSON_Delete(rows);
	cli_result_free(&r);
	/* Without states, only the enrollment's columns can match. */
	r = RUN("list", "--filter", "fleet-05");
	EXPECT_EXIT(&r, 0);
	rows = json_lines(r.out);
	ck_assert_int_eq(cJSON_GetArraySize(rows), 10);
	cJSON_Delete(rows);
	cli_result_free(&r);
}
END_TEST

START_TEST(list_formats)
{
	make_fleet(12);
	struct cli_result r = RUN("list", "--with-state", "--output", "csv",
			   "--ops-per-minute", "0");
	EXPECT_EXIT(&r, 0);
	ck_assert_int_eq(count_lines(r.out), 13);
	ck_assert_int_eq(strncmp(r.out, "registrationId,deviceId,attestation,"
				 "provisioningStatus,registrationStatus,"
				 "assignedHub,lastUpdated,etag,", 88), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\nfleet-001,box-001,symmetricKey,"
				     "enabled,failed,,"));
	cli_result_free(&r);
	r = RUN("list", "--output", "tsv");
	EXPECT_EXIT(&r, 0);
	ck_assert_int_eq(count_lines(r.out), 13);
	ck_assert_ptr_nonnull(strstr(r.out, "\nfleet-003\tbox-003\t"
				     "symmetricKey\tenabled\t"));
	cli_result_free(&r);
	r = RUN("list", "--output", "json", "--page-size", "5");
	EXPECT_EXIT(&r, 0);
	cJSON *all = cJSON_Parse(r.out);
	ck_assert_msg(cJSON_IsArray(all), "not an array: %s", r.out);
	ck_assert_int_eq(cJSON_GetArraySize(all), 12);
	cJSON_Delete(all);
	cli_result_free(&r);
	r = RUN("list", "--with-state", "--output", "table",
		"--ops-per-minute", "0");
	EXPECT_EXIT(&r, 0);
	ck_assert_int_eq(count_lines(r.out), 13);
	ck_assert_int_eq(strncmp(r.out, "REGISTRATION ID  DEVICE ID  "
				 "ATTESTATION   PROVISIONING  STATUS      HUB",
				 68), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\nfleet-001        box-001    "
				     "symmetricKey  enabled       failed"));
	ck_assert_ptr_nonnull(strstr(r.out, "400209: Custom allocation "
				     "failed for fleet-001\n"));
	cli_result_free(&r);
	/* The columns line up when the first page has no row to show:
	 * the widths come from the first rows printed. */
	r = RUN("list", "--output", "table", "--filter", "fleet-01",
		"--page-size", "5");
	EXPECT_EXIT(&r, 0);
	ck_assert_int_eq(count_lines(r.out), 3);
	const char *head = strstr(r.out, "PROVISIONING");
	const char *row = strstr(r.out, "\nfleet-010");
	ck_assert_ptr_nonnull(head);
	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(head - r.out, strstr(row, "enabled") - (row + 1));
	cli_result_free(&r);
}
END_TEST

START_TEST(list_stops_at_max_items)
{
	make_fleet(30);
	struct cli_result r = RUN("list", "--max-items", "25", "--page-size", "10");
	EXPECT_EXIT(&r, 7);
	ck_assert_int_eq(count_lines(r.out), 25);
	ck_assert_ptr_nonnull(strstr(r.err, "--max-items 25"));
	cli_result_free(&r);
}
END_TEST

START_TEST(list_bad_usage)
{
	struct cli_result r = RUN("list", "--output", "xml");
	EXPECT_EXIT(&r, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "--output takes table, json, "
				     "jsonl, csv or tsv, not 'xml'"));
	cli_result_free(&r);
	r = RUN("list", "--ops-per-minute", "lots");
	EXPECT_EXIT(&r, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "--ops-per-minute takes 0"));
	cli_result_free(&r);
	r = RUN("list", "extra");
	EXPECT_EXIT(&r, 2);
	cli_result_free(&r);
}
END_TEST

/* A state request that fails stops the list with its exit code, after
 * the rows before it. */
START_TEST(list_state_failure_exit_code)
{
	make_fleet(6);
	set_fault(test_emu, "status=500,path=/registrations/fleet-003");
	struct cli_result r = RUN("list", "--with-state", "--retries", "0",
			   "--ops-per-minute", "0");
	EXPECT_EXIT(&r, 5);
	cJSON *rows = json_lines(r.out);
	ck_assert_int_eq(cJSON_GetArraySize(rows), 3);
	ck_assert_ptr_nonnull(strstr(r.err, "HTTP 500"));
	/* no summary of a list that did not end */
	ck_assert_msg(!strstr(r.err, "registration states, in"),
		      "a failed list summed itself up: %s", r.err);
	cJSON_Delete(rows);
	cli_result_free(&r);
}
END_TEST

/* A budget smaller than the fleet: the list waits its turn rather than
 * meeting 429s, and says so. */
START_TEST(list_paced_by_the_budget)
{
	make_fleet(4);
	/* 60 a minute: 3 at once; the query and 4 states need 5. */
	struct cli_result r = RUN("list", "--with-state", "--ops-per-minute", "60");
	EXPECT_EXIT(&r, 0);
	ck_assert_int_eq(count_lines(r.out), 4);
	ck_assert_ptr_nonnull(strstr(r.err, "fetching the registration states "
				     "of 4 enrollments, one request each, at "
				     "most 60 a minute: about "));
	ck_assert_ptr_nonnull(strstr(r.err, "(paced by the rate budget)"));
	emu_log_barrier(test_emu);
	ck_assert_int_eq(emu_log_wait(test_emu, " 429 ", 0), 0);
	cli_result_free(&r);
}
END_TEST

Suite *
fleet_suite(void)
{
	Suite *s = suite_create("fleet");
	TCase *tc = itest_tcase("budget");
	tcase_add_checked_fixture(tc, test_emu_up, test_emu_down);
	tcase_add_test(tc, every_attempt_takes_from_the_budget);
	tcase_add_test(tc, a_retried_429_counts_twice);
	tcase_add_test(tc, budget_wait_past_the_deadline_is_not_waited);
	tcase_add_test(tc, clients_have_a_budget_of_their_own);
	suite_add_tcase(s, tc);
	tc = itest_tcase("states");
	tcase_add_checked_fixture(tc, test_emu_up, test_emu_down);
	tcase_add_test(tc, states_of_a_fleet_fetched_one_by_one);
	tcase_add_test(tc, a_failed_state_request_is_kept_in_its_row);
	tcase_add_test(tc, fetcher_follows_the_order_asked);
	tcase_add_test(tc, fetcher_drops_what_is_no_longer_wanted);
	tcase_add_test(tc, fetcher_stops_while_held_back);
	suite_add_tcase(s, tc);
	tc = itest_tcase("list");
	tcase_add_checked_fixture(tc, test_emu_up, test_emu_down);
	tcase_add_test(tc, list_with_state_on_a_few_hundred);
	tcase_add_test(tc, list_without_state_sends_no_state_request);
	tcase_add_test(tc, list_filter_matches_as_the_screen);
	tcase_add_test(tc, list_formats);
	tcase_add_test(tc, list_stops_at_max_items);
	tcase_add_test(tc, list_bad_usage);
	tcase_add_test(tc, list_state_failure_exit_code);
	tcase_add_test(tc, list_paced_by_the_budget);
	suite_add_tcase(s, tc);
	return s;
}
