#ifndef DPSENROLL_DPS_CLIENT_H
#define DPSENROLL_DPS_CLIENT_H

/* The DPS service client over libcurl: one handle kept alive across calls,
 * a SAS token reused until shortly before it expires, TLS always verified,
 * bounded answers, and retries with backoff for what is worth retrying.
 * Not thread-safe: one client belongs to one thread (the worker's, or the
 * CLI's main thread). */

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "dps/connstr.h"

#define DPS_API_VERSION "2021-10-01"

struct dps_retry;
struct dps_budget;

struct dps_client_opts {
	const char *cacert;		/* extra CA file (the emulator's); NULL: system */
	long connect_timeout_ms;	/* 0: 10 s */
	long timeout_ms;		/* whole request; 0: 30 s */
	int max_attempts;		/* 0: 4 */
	size_t max_response_bytes;	/* 0: 8 MB */
	unsigned backoff_ms;		/* first retry's base delay; 0: 500 ms */
	/* Every call ends by then, from dps_client_new: attempts are cut
	 * short and a wait (a Retry-After) that would end later is not
	 * waited. 0: none. */
	long deadline_ms;
	/* Polled during transfers and waits; true stops the call. */
	bool (*cancelled)(void *ctx);
	void *cancel_ctx;
	/* Told before each wait between attempts, on the calling thread, so
	 * a long wait (a Retry-After) can be shown; NULL: nobody listens. */
	void (*on_retry)(void *ctx, const struct dps_retry *r);
	void *retry_ctx;
	/* Every attempt takes one operation from this rate budget first
	 * (borrowed; clients on several threads may share one). NULL: the
	 * client keeps a budget of its own of ops_per_minute. */
	struct dps_budget *budget;
	long ops_per_minute;	/* own budget: 0 for 1,000; < 0 for none */
	bool background;	/* leave the budget's reserve to the user */
};

enum dps_failure {
	DPS_ANSWERED,		/* an HTTP answer arrived (any status) */
	DPS_FAIL_RESOLVE,	/* the host name does not resolve */
	DPS_FAIL_CONNECT,	/* refused or unreachable */
	DPS_FAIL_TLS_CA,	/* the server's certificate is not trusted */
	DPS_FAIL_TLS,		/* another TLS failure */
	DPS_FAIL_TIMEOUT,
	DPS_FAIL_DROPPED,	/* the connection closed without an answer */
	DPS_FAIL_TOO_LARGE,	/* the answer is over max_response_bytes */
	DPS_FAIL_BAD_ANSWER,	/* an answer that should be JSON is not */
	DPS_FAIL_CANCELLED,
	DPS_FAIL_OTHER,
};

/* What a write did. A write without a sure answer (none in time, a
 * dropped connection, an answer that cannot be read, or a resend refused
 * because the first may have landed) may have been applied: it is read
 * back and compared with what was sent. */
enum dps_outcome {
	DPS_OUTCOME_SURE,		/* the answer says */
	DPS_OUTCOME_APPLIED,		/* read back: done as sent */
	DPS_OUTCOME_NOT_APPLIED,	/* read back: as it was before */
	DPS_OUTCOME_CHANGED,		/* read back: someone else changed it */
	DPS_OUTCOME_UNKNOWN,		/* the read-back failed too */
};

/* A retry about to be waited for, told to dps_client_opts.on_retry. */
struct dps_retry {
	enum dps_failure failure;	/* what the failed attempt met */
	long status;		/* its HTTP status (429, 503); 0 without an answer */
	unsigned wait_ms;	/* the wait before the next attempt */
	int next_attempt;	/* 2 for the first retry */
	int max_attempts;
};

/* ProvisioningServiceErrorDetails, from an error answer's body. */
struct dps_service_error {
	int error_code;		/* 0 when the body had none */
	char *message;
	char *tracking_id;
	char *timestamp;
	cJSON *info;
};

struct dps_response {
	enum dps_failure failure;
	char *failure_text;	/* curl's words, for DPS_FAIL_* */
	const char *hint;	/* what to try, for DPS_FAIL_* */
	long status;		/* HTTP status when answered */
	char *ms_error_code;	/* x-ms-error-code */
	int retry_after;	/* seconds; -1 when absent or malformed */
	char *continuation;	/* x-ms-continuation */
	char *item_type;	/* x-ms-item-type */
	char *raw;		/* the body as received; may hold keys */
	cJSON *body;		/* parsed body, NULL when empty or not JSON */
	struct dps_service_error error;	/* for status >= 400 */
	int attempts;
	int port;		/* dialled: the connection string's, else 443 */
	bool answer_lost;	/* an earlier attempt's answer never arrived */
	bool recovered;		/* a write found done after a lost answer */
	bool past_deadline;	/* a retry was due after the deadline */
	enum dps_outcome outcome;	/* of a write; see dps_outcome */
};

void dps_response_clear(struct dps_response *r);
/* "HTTP 412 (412001): ... [tracking id ...]" or the failure and its hint;
 * the caller frees. */
char *dps_response_describe(const struct dps_response *r);

struct dps_call {
	const char *method;
	const char *path;	/* already escaped, e.g. "/enrollments/dev-1" */
	const char *if_match;
	const char *body;	/* JSON text or NULL */
	const char *max_items;	/* x-ms-max-item-count */
	const char *continuation;
	bool retry_lost_answer;	/* safe to resend when the answer is lost */
};

struct dps_client;

/* Copies what it needs from conn and opts. NULL with *why (owned). */
struct dps_client *dps_client_new(const struct dps_conn *conn,
				  const struct dps_client_opts *opts,
				  char **why);
void dps_client_free(struct dps_client *c);

/* The budget every attempt takes from (opts.budget or the client's
 * own), or NULL when it has none. */
struct dps_budget *dps_client_budget(struct dps_client *c);

/* One call, with retries. `out` is filled in every case; clear it after. */
void dps_client_call(struct dps_client *c, const struct dps_call *call,
		     struct dps_response *out);

#endif
