#ifndef DPSENROLL_DPS_CLIENT_H
#define DPSENROLL_DPS_CLIENT_H

/* The DPS service client over libcurl: one handle kept alive across calls,
 * a SAS or Entra ID token reused until shortly before it expires
 * (dps/auth.h), TLS always verified,
 * bounded answers, and retries with backoff for what is worth retrying.
 * Not thread-safe: one client belongs to one thread (the worker's, or the
 * CLI's main thread). */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "dps/connstr.h"

#define DPS_API_VERSION "2021-10-01"

struct dps_retry;
struct dps_budget;
struct dps_said;

struct dps_client_opts {
	const char *cacert;		/* extra CA file (the emulator's); NULL: system */
	const char *capath;		/* a folder of extra CAs (c_rehash'd) */
	/* "http://[user:password@]host:port"; NULL: the environment's
	 * https_proxy and no_proxy, as libcurl reads them. Secret: it may
	 * hold a password. */
	const char *proxy;
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
	/* The device API (device.json) instead of the service API: */
	/* the SAS token's resource, "{idScope}/registrations/{id}", signed
	 * with the connection's key under its policy ("registration"); NULL:
	 * the host name, as the service API wants. */
	const char *sas_resource;
	/* Mutual TLS: the device's certificate (PEM, chain allowed) and its
	 * private key (PEM), copied by dps_client_new and wiped by
	 * dps_client_free. A connection without a key then sends no
	 * Authorization header. */
	const char *client_cert_pem;
	const char *client_key_pem;
};

/* The strings of a dps_client_opts, owned by whoever keeps the options
 * beyond the caller's lifetime (a client, a worker). */
struct dps_opts_strings {
	char *cacert;
	char *capath;
	char *proxy;		/* secret */
	char *sas_resource;
	char *client_cert_pem;
	char *client_key_pem;	/* secret */
};

/* Copies the strings `o` points to into `held` and points `o` at the
 * copies; dps_opts_release frees them. */
void dps_opts_hold(struct dps_client_opts *o, struct dps_opts_strings *held);
void dps_opts_release(struct dps_opts_strings *held);

enum dps_failure {
	DPS_ANSWERED,		/* an HTTP answer arrived (any status) */
	DPS_FAIL_RESOLVE,	/* the host name does not resolve */
	DPS_FAIL_PROXY,		/* the proxy is unreachable or refused */
	DPS_FAIL_CONNECT,	/* refused or unreachable */
	DPS_FAIL_TLS_CA,	/* the server's certificate is not trusted */
	DPS_FAIL_TLS,		/* another TLS failure */
	DPS_FAIL_TIMEOUT,
	DPS_FAIL_DROPPED,	/* the connection closed without an answer */
	DPS_FAIL_TOO_LARGE,	/* the answer is over max_response_bytes */
	DPS_FAIL_BAD_ANSWER,	/* an answer that should be JSON is not */
	DPS_FAIL_CANCELLED,
	/* no access token could be had (dps/auth_token.h); nothing sent */
	DPS_FAIL_AUTH,
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
	/* For DPS_FAIL_*: curl's words, or the client's in English, as the
	 * journal and JSON output keep them. */
	char *failure_text;
	/* The client's words in the person's language; NULL: failure_text
	 * (curl's have no translation). See dps_response_failure. */
	char *failure_said;
	/* What to try, for DPS_FAIL_*: English, marked with N_(); _(hint)
	 * in the person's language. */
	const char *hint;
	long status;		/* HTTP status when answered */
	char *ms_error_code;	/* x-ms-error-code */
	int retry_after;	/* seconds; -1 when absent or malformed */
	char *continuation;	/* x-ms-continuation */
	char *item_type;	/* x-ms-item-type */
	time_t date;		/* the answer's Date header; 0 when absent */
	char *raw;		/* the body as received; may hold keys */
	cJSON *body;		/* parsed body, NULL when empty or not JSON */
	struct dps_service_error error;	/* for status >= 400 */
	int attempts;
	int port;		/* dialled: the connection string's, else 443 */
	bool answer_lost;	/* an earlier attempt's answer never arrived */
	bool recovered;		/* a write found done after a lost answer */
	bool past_deadline;	/* a retry was due after the deadline */
	bool bearer;		/* sent (or meant to send) an Entra ID token */
	enum dps_outcome outcome;	/* of a write; see dps_outcome */
};

void dps_response_clear(struct dps_response *r);
/* "HTTP 412 (412001): ... [tracking id ...]" or the failure and its hint,
 * in English for the records (the journal, a results file); the caller
 * frees. */
char *dps_response_describe(const struct dps_response *r);
/* The same in the person's language, for the screen; the service's own
 * message and curl's words stay as they came. */
char *dps_response_describe_local(const struct dps_response *r);
/* The failure's words in the person's language, or NULL. */
const char *dps_response_failure(const struct dps_response *r);
/* Gives the failure its words, in both languages (taken; dps/said.h). */
void dps_response_say(struct dps_response *r, struct dps_said *words);

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

/* Copies what it needs from conn and opts (conn->key NULL: no token, for
 * a device that proves itself with its certificate). NULL with *why (owned). */
struct dps_client *dps_client_new(const struct dps_conn *conn,
				  const struct dps_client_opts *opts,
				  char **why);
void dps_client_free(struct dps_client *c);

/* The budget every attempt takes from (opts.budget or the client's
 * own), or NULL when it has none. */
struct dps_budget *dps_client_budget(struct dps_client *c);
/* The options the client was made with (its cancel and retry callbacks
 * included), for a second client that must behave alike; borrowed. */
const struct dps_client_opts *dps_client_options(const struct dps_client *c);

/* One call, with retries. `out` is filled in every case; clear it after. */
void dps_client_call(struct dps_client *c, const struct dps_call *call,
		     struct dps_response *out);

#endif
