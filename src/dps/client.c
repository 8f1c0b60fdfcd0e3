#include "dps/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "base/i18n.h"
#include "base/secret.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "dps/auth.h"
#include "dps/budget.h"
#include "dps/retry_after.h"
#include "dps/said.h"
#include "model/json.h"

enum {
	RETRY_AFTER_CAP = 60,
	BACKOFF_CAP_MS = 30000,
};

struct dps_client {
	CURLM *multi;		/* drives the transfer, so a cancel is seen fast */
	CURL *curl;
	struct dps_conn conn;
	struct dps_client_opts opts;
	struct dps_opts_strings held;	/* what opts points to */
	struct dps_auth auth;	/* the Authorization value, kept */
	char *user_agent;
	struct timespec deadline;	/* CLOCK_MONOTONIC, when has_deadline */
	bool has_deadline;
	struct dps_budget *own_budget;	/* when opts.budget was NULL */
};

/* What one transfer collects. */
struct transfer {
	struct dps_client *client;
	struct strbuf data;	/* answers may hold keys */
	bool too_large;
	int requests_sent;	/* request headers written in this perform */
	long proxy_status;	/* a proxy's answer to CONNECT; 0: none */
	bool env_proxy;		/* libcurl took a proxy from the environment */
	bool no_proxy;		/* ... and read no_proxy, which may name the host */
	struct dps_response *out;
};

static bool
is_cancelled(const struct dps_client *c)
{
	return c->opts.cancelled && c->opts.cancelled(c->opts.cancel_ctx);
}

static void
opts_defaults(struct dps_client_opts *o)
{
	if (!o->connect_timeout_ms)
		o->connect_timeout_ms = 10000;
	if (!o->timeout_ms)
		o->timeout_ms = 30000;
	if (!o->max_attempts)
		o->max_attempts = 4;
	if (!o->max_response_bytes)
		o->max_response_bytes = 8u << 20;
	if (!o->backoff_ms)
		o->backoff_ms = 500;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
dps_opts_hold(struct dps_client_opts *o, struct dps_opts_strings *held)
{
	held->cacert = dup_or_null(o->cacert);
	held->capath = dup_or_null(o->capath);
	held->proxy = dup_or_null(o->proxy);
	held->sas_resource = dup_or_null(o->sas_resource);
	held->client_cert_pem = dup_or_null(o->client_cert_pem);
	held->client_key_pem = dup_or_null(o->client_key_pem);
	o->cacert = held->cacert;
	o->capath = held->capath;
	o->proxy = held->proxy;
	o->sas_resource = held->sas_resource;
	o->client_cert_pem = held->client_cert_pem;
	o->client_key_pem = held->client_key_pem;
}

void
dps_opts_release(struct dps_opts_strings *held)
{
	free(held->cacert);
	free(held->capath);
	secret_str_free(held->proxy);
	free(held->sas_resource);
	free(held->client_cert_pem);
	secret_str_free(held->client_key_pem);
	*held = (struct dps_opts_strings){ 0 };
}

struct dps_client *
dps_client_new(const struct dps_conn *conn, const struct dps_client_opts *opts,
	       char **why)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		*why = xstrdup("libcurl could not be initialised");
		return NULL;
	}
	struct dps_client *c = xcalloc(1, sizeof(*c));
	c->curl = curl_easy_init();
	c->multi = curl_multi_init();
	if (!c->curl || !c->multi) {
		curl_easy_cleanup(c->curl);
		curl_multi_cleanup(c->multi);
		free(c);
		*why = xstrdup("libcurl could not make a handle");
		return NULL;
	}
	dps_conn_copy(&c->conn, conn);
	if (opts)
		c->opts = *opts;
	opts_defaults(&c->opts);
	dps_opts_hold(&c->opts, &c->held);
	c->user_agent = xasprintf("dpsenroll/%s", DPSENROLL_VERSION);
	if (!c->opts.budget && c->opts.ops_per_minute >= 0) {
		long n = c->opts.ops_per_minute ? c->opts.ops_per_minute
						: DPS_BUDGET_DEFAULT_PER_MINUTE;
		c->own_budget = dps_budget_new((unsigned)n, NULL);
		c->opts.budget = c->own_budget;
	}
	if (c->opts.deadline_ms > 0) {
		clock_gettime(CLOCK_MONOTONIC, &c->deadline);
		c->deadline.tv_sec += c->opts.deadline_ms / 1000;
		c->deadline.tv_nsec += (c->opts.deadline_ms % 1000) * 1000000L;
		if (c->deadline.tv_nsec >= 1000000000L) {
			c->deadline.tv_sec++;
			c->deadline.tv_nsec -= 1000000000L;
		}
		c->has_deadline = true;
	}
	return c;
}

const struct dps_client_opts *
dps_client_options(const struct dps_client *c)
{
	return &c->opts;
}

void
dps_client_free(struct dps_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->curl);
	curl_multi_cleanup(c->multi);
	dps_conn_clear(&c->conn);
	dps_auth_clear(&c->auth);
	dps_opts_release(&c->held);
	free(c->user_agent);
	dps_budget_free(c->own_budget);
	free(c);
}

static size_t
on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	size_t n = size * nmemb;
	if (t->data.len + n > t->client->opts.max_response_bytes) {
		t->too_large = true;
		return 0;	/* aborts the transfer */
	}
	strbuf_add_n(&t->data, ptr, n);
	return n;
}

static void
keep_header(char **slot, const char *value, size_t len)
{
	while (len && (value[len - 1] == '\r' || value[len - 1] == '\n' ||
		       value[len - 1] == ' '))
		len--;
	while (len && *value == ' ') {
		value++;
		len--;
	}
	free(*slot);
	*slot = xstrndup(value, len);
}

static size_t
on_header(char *buf, size_t size, size_t nitems, void *userdata)
{
	struct transfer *t = userdata;
	size_t n = size * nitems;
	const char *colon = memchr(buf, ':', n);
	if (!colon)
		return n;
	size_t name_len = (size_t)(colon - buf);
	const char *v = colon + 1;
	size_t vlen = n - name_len - 1;
	struct dps_response *o = t->out;
	if (name_len == 15 && strncasecmp(buf, "x-ms-error-code", 15) == 0)
		keep_header(&o->ms_error_code, v, vlen);
	else if (name_len == 17 && strncasecmp(buf, "x-ms-continuation", 17) == 0)
		keep_header(&o->continuation, v, vlen);
	else if (name_len == 14 && strncasecmp(buf, "x-ms-item-type", 14) == 0)
		keep_header(&o->item_type, v, vlen);
	else if (name_len == 4 && strncasecmp(buf, "date", 4) == 0) {
		char *text = NULL;
		keep_header(&text, v, vlen);
		if (!http_date_parse(text, &o->date))
			o->date = 0;
		free(text);
	} else if (name_len == 11 && strncasecmp(buf, "retry-after", 11) == 0) {
		char *text = NULL;
		keep_header(&text, v, vlen);
		o->retry_after = retry_after_parse(text, time(NULL));
		free(text);
	}
	return n;
}

/* libcurl resends a request by itself when a reused connection dies
 * before any answer: seeing the request go out twice is the only sign that
 * the first one may have been carried out with its answer lost. */
static int
on_debug(CURL *k, curl_infotype type, char *data, size_t size, void *userdata)
{
	(void)k;
	struct transfer *t = userdata;
	/* A proxy's CONNECT goes out first: it is not the request, and a
	 * tunnel refused means the service never saw anything. */
	if (type == CURLINFO_HEADER_OUT &&
	    !(size >= 8 && memcmp(data, "CONNECT ", 8) == 0))
		t->requests_sent++;
	/* Only libcurl knows whether a proxy applies (no_proxy): it says
	 * which variables it read before connecting, no_proxy first and
	 * then, unless no_proxy named the host, https_proxy. The line holds
	 * the proxy's URL, maybe with a password: it is not kept. */
	static const char env[] = "Uses proxy env variable ";
	if (type == CURLINFO_TEXT && size >= sizeof(env) - 1 + 8 &&
	    memcmp(data, env, sizeof(env) - 1) == 0) {
		if (strncasecmp(data + sizeof(env) - 1, "no_proxy", 8) == 0)
			t->no_proxy = true;
		else
			t->env_proxy = true;
	}
	return 0;
}

static int
on_progress(void *userdata, curl_off_t dt, curl_off_t dn, curl_off_t ut,
	    curl_off_t un)
{
	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return is_cancelled(userdata);
}

static struct curl_slist *
build_headers(const struct dps_call *call, const char *auth,
	      const char *request_id)
{
	struct curl_slist *h = NULL;
	/* A device with its certificate (mutual TLS) has no key to sign
	 * with and sends no Authorization header. */
	if (auth) {
		char *line = xasprintf("Authorization: %s", auth);
		h = curl_slist_append(h, line);
		secret_str_free(line);
	}
	h = curl_slist_append(h, "Accept: application/json");
	if (call->body)
		h = curl_slist_append(h, "Content-Type: application/json; charset=utf-8");
	/* libcurl would otherwise wait for 100-continue on larger bodies */
	h = curl_slist_append(h, "Expect:");
	const char *names[] = { "If-Match", "x-ms-max-item-count",
				"x-ms-continuation", "Request-Id" };
	const char *values[] = { call->if_match, call->max_items,
				 call->continuation, request_id };
	for (int i = 0; i < 4; i++) {
		if (!values[i])
			continue;
		char *line = xasprintf("%s: %s", names[i], values[i]);
		h = curl_slist_append(h, line);
		free(line);
	}
	return h;
}

static long
ms_until(const struct timespec *at)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(at->tv_sec - now.tv_sec) * 1000L +
	       (at->tv_nsec - now.tv_nsec) / 1000000L;
}

/* An attempt never runs past the call's deadline. */
static long
attempt_timeout_ms(const struct dps_client *c)
{
	if (!c->has_deadline)
		return c->opts.timeout_ms;
	long left = ms_until(&c->deadline);
	if (left < 1)
		left = 1;
	return left < c->opts.timeout_ms ? left : c->opts.timeout_ms;
}

/* The blobs stay ours (not copied), so the key is wiped when the client
 * is freed, not left in a copy libcurl frees without wiping. */
static void
set_client_cert(struct dps_client *c, CURL *k)
{
	char *pem = c->held.client_cert_pem, *key_pem = c->held.client_key_pem;
	if (!pem || !key_pem)
		return;
	struct curl_blob cert = { pem, strlen(pem), CURL_BLOB_NOCOPY };
	struct curl_blob key = { key_pem, strlen(key_pem), CURL_BLOB_NOCOPY };
	curl_easy_setopt(k, CURLOPT_SSLCERT_BLOB, &cert);
	curl_easy_setopt(k, CURLOPT_SSLCERTTYPE, "PEM");
	curl_easy_setopt(k, CURLOPT_SSLKEY_BLOB, &key);
	curl_easy_setopt(k, CURLOPT_SSLKEYTYPE, "PEM");
}

static void
setup_transfer(struct dps_client *c, const struct dps_call *call,
	       struct transfer *t, struct curl_slist *headers, const char *url)
{
	CURL *k = c->curl;
	curl_easy_reset(k);
	curl_easy_setopt(k, CURLOPT_URL, url);
	curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, call->method);
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(k, CURLOPT_USERAGENT, c->user_agent);
	curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(k, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(k, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(k, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->opts.cacert)
		curl_easy_setopt(k, CURLOPT_CAINFO, c->opts.cacert);
	if (c->opts.capath)
		curl_easy_setopt(k, CURLOPT_CAPATH, c->opts.capath);
	/* Not set at all otherwise: libcurl then follows https_proxy and
	 * no_proxy from the environment. */
	if (c->opts.proxy)
		curl_easy_setopt(k, CURLOPT_PROXY, c->opts.proxy);
	set_client_cert(c, k);
	curl_easy_setopt(k, CURLOPT_CONNECTTIMEOUT_MS, c->opts.connect_timeout_ms);
	curl_easy_setopt(k, CURLOPT_TIMEOUT_MS, attempt_timeout_ms(c));
	curl_easy_setopt(k, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)c->opts.max_response_bytes);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(k, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(k, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(k, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(k, CURLOPT_XFERINFODATA, c);
	/* libcurl may resend on its own when a reused connection dies before
	 * an answer: on_debug notices, and the caller reads back what a lost
	 * answer may have done, rather than opening a connection per call. */
	curl_easy_setopt(k, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(k, CURLOPT_DEBUGDATA, t);
	curl_easy_setopt(k, CURLOPT_VERBOSE, 1L);
	if (call->body) {
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, call->body);
		curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)strlen(call->body));
	} else if (strcmp(call->method, "POST") == 0 ||
		   strcmp(call->method, "PUT") == 0) {
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
	}
}

#define TOO_LARGE_HINT N_("the answer is larger than any DPS answer should " \
			   "be; is this the right host?")

static enum dps_failure
classify(CURLcode rc, const struct transfer *t, const char **hint)
{
	/* The proxy said no to the tunnel: the service saw nothing. */
	if (rc != CURLE_OK && t->proxy_status >= 300) {
		*hint = t->proxy_status == 407
			? N_("the proxy wants a user name and password (407); put "
			  "them in the proxy URL of the profile or of https_proxy: "
			  "http://USER:PASSWORD@HOST:PORT")
			: N_("the proxy refused to connect to the service; ask "
			  "whoever runs it to allow this host and port");
		return DPS_FAIL_PROXY;
	}
	switch (rc) {
	case CURLE_OK:
		*hint = NULL;
		return DPS_ANSWERED;
	case CURLE_COULDNT_RESOLVE_HOST:
		*hint = N_("check the HostName in the connection string, and "
			   "DNS");
		return DPS_FAIL_RESOLVE;
	case CURLE_COULDNT_RESOLVE_PROXY:
		*hint = N_("the proxy's host name does not resolve; check "
			   "--proxy, the profile's \"proxy\" or https_proxy");
		return DPS_FAIL_PROXY;
	case CURLE_PROXY:
		*hint = N_("the proxy did not open a tunnel to the service; "
			   "check its address and ask whoever runs it");
		return DPS_FAIL_PROXY;
	case CURLE_COULDNT_CONNECT:
		/* through a proxy, the connection that failed is the proxy's */
		if (t->env_proxy || (t->client->opts.proxy && !t->no_proxy)) {
			*hint = N_("the proxy cannot be reached: nothing answers "
				   "at its host and port; check --proxy, the "
				   "profile's \"proxy\" or https_proxy, and that "
				   "the proxy runs");
			return DPS_FAIL_PROXY;
		}
		*hint = N_("nothing answers at that host and port; is the "
			   "service (or dpsemu) running, and is the port right?");
		return DPS_FAIL_CONNECT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
		/* a folder's CAs are found only by the names rehash gives them */
		*hint = t->client->opts.capath
			? N_("the server's certificate is not trusted by the "
			  "system or the --capath folder (or the profile's "
			  "\"capath\"); its CA must be there as PEM, and the "
			  "folder prepared with 'openssl rehash DIR'")
			: N_("the server's certificate is not trusted; for dpsemu "
			  "pass --cacert DATA/ca.pem (or set DPSENROLL_CACERT)");
		return DPS_FAIL_TLS_CA;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
		*hint = N_("the TLS handshake failed; is this an HTTPS port?");
		return DPS_FAIL_TLS;
	case CURLE_OPERATION_TIMEDOUT:
		*hint = N_("the service did not answer in time; try again, or "
			   "raise --timeout");
		return DPS_FAIL_TIMEOUT;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		*hint = N_("the connection closed before the answer came; try "
			   "again");
		return DPS_FAIL_DROPPED;
	case CURLE_FILESIZE_EXCEEDED:
		*hint = TOO_LARGE_HINT;
		return DPS_FAIL_TOO_LARGE;
	case CURLE_WRITE_ERROR:
		*hint = t->too_large ? TOO_LARGE_HINT : NULL;
		return t->too_large ? DPS_FAIL_TOO_LARGE : DPS_FAIL_OTHER;
	case CURLE_ABORTED_BY_CALLBACK:
		*hint = NULL;
		return DPS_FAIL_CANCELLED;
	default:
		*hint = NULL;
		return DPS_FAIL_OTHER;
	}
}

static void
parse_service_error(struct dps_response *o)
{
	const cJSON *b = o->body;
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(b, "errorCode");
	if (!cJSON_IsNumber(code))
		code = cJSON_GetObjectItemCaseSensitive(b, "code");
	o->error.error_code = cJSON_IsNumber(code) ? code->valueint : 0;
	o->error.message = json_member_dup(b, "message");
	if (!o->error.message)
		o->error.message = json_member_dup(b, "Message");
	o->error.tracking_id = json_member_dup(b, "trackingId");
	o->error.timestamp = json_member_dup(b, "timestampUtc");
	const cJSON *info = cJSON_GetObjectItemCaseSensitive(b, "info");
	o->error.info = cJSON_IsObject(info) ? cJSON_Duplicate(info, 1) : NULL;
}

static void
reset_answer(struct dps_response *o)
{
	free(o->failure_text);
	free(o->failure_said);
	free(o->ms_error_code);
	free(o->continuation);
	free(o->item_type);
	secret_str_free(o->raw);
	cJSON_Delete(o->body);
	free(o->error.message);
	free(o->error.tracking_id);
	free(o->error.timestamp);
	cJSON_Delete(o->error.info);
	o->failure_text = o->failure_said = NULL;
	o->ms_error_code = o->continuation = o->item_type = NULL;
	o->raw = NULL;
	o->body = NULL;
	memset(&o->error, 0, sizeof(o->error));
	o->failure = DPS_ANSWERED;
	o->hint = NULL;
	o->status = 0;
	o->retry_after = -1;
	o->date = 0;
}

void
dps_response_say(struct dps_response *r, struct dps_said *words)
{
	free(r->failure_text);
	free(r->failure_said);
	r->failure_text = words->record;
	r->failure_said = words->shown;
	*words = (struct dps_said){ 0 };
}

/* The client's words: `text`, marked with N_(). */
static void
set_words(struct dps_response *o, const char *text)
{
	struct dps_said w = { xstrdup(text), xstrdup(_(text)) };
	dps_response_say(o, &w);
}

static void
take_answer(struct dps_client *c, struct transfer *t, struct dps_response *o)
{
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &o->status);
	o->raw = strbuf_take(&t->data);
	if (*o->raw)
		o->body = cJSON_Parse(o->raw);
	if (o->status >= 400 && o->body) {
		parse_service_error(o);
	} else if (o->status < 300 && *o->raw && !o->body) {
		o->failure = DPS_FAIL_BAD_ANSWER;
		set_words(o, N_("the service's answer could not be read: it is "
				"not valid JSON"));
		o->hint = N_("the service's answer was damaged; try again, and "
			     "check that the host is a DPS");
	}
}

/* curl_easy_perform would only look at a cancel about once a second while
 * it waits for an answer; the multi loop looks every CANCEL_POLL_MS. */
enum { CANCEL_POLL_MS = 50 };

static CURLcode
perform(struct dps_client *c)
{
	if (curl_multi_add_handle(c->multi, c->curl) != CURLM_OK)
		return CURLE_FAILED_INIT;
	CURLcode rc = CURLE_OK;
	int running = 1;
	while (running) {
		if (curl_multi_perform(c->multi, &running) != CURLM_OK) {
			rc = CURLE_FAILED_INIT;
			break;
		}
		if (running && is_cancelled(c)) {
			rc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
		if (running)
			curl_multi_poll(c->multi, NULL, 0, CANCEL_POLL_MS, NULL);
	}
	int left;
	CURLMsg *m;
	while ((m = curl_multi_info_read(c->multi, &left)))
		if (m->msg == CURLMSG_DONE && rc == CURLE_OK)
			rc = m->data.result;
	curl_multi_remove_handle(c->multi, c->curl);
	return rc;
}

static void
attempt(struct dps_client *c, const struct dps_call *call, const char *url,
	const char *request_id, struct dps_response *o)
{
	reset_answer(o);
	struct dps_said why = { 0 };
	bool signs = c->conn.key || c->conn.token;
	const char *auth = signs ? dps_auth_value(&c->auth, &c->conn,
						  c->opts.sas_resource,
						  time(NULL), &why) : NULL;
	o->bearer = c->conn.token != NULL;
	if (signs && !auth) {
		/* nothing is sent without credentials */
		o->failure = DPS_FAIL_AUTH;
		dps_response_say(o, &why);
		return;
	}
	struct transfer t = { .client = c, .data = STRBUF_SECRET, .out = o };
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *headers = build_headers(call, auth, request_id);
	setup_transfer(c, call, &t, headers, url);
	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, errbuf);
	CURLcode rc = perform(c);
	/* the Authorization line is a token valid for an hour */
	for (struct curl_slist *l = headers; l; l = l->next)
		OPENSSL_cleanse(l->data, strlen(l->data));
	curl_slist_free_all(headers);
	o->attempts += t.requests_sent > 1 ? t.requests_sent : 1;
	if (t.requests_sent > 1)
		o->answer_lost = true;
	curl_easy_getinfo(c->curl, CURLINFO_HTTP_CONNECTCODE, &t.proxy_status);
	o->failure = classify(rc, &t, &o->hint);
	if (rc == CURLE_OK)
		take_answer(c, &t, o);
	else if (o->failure == DPS_FAIL_TOO_LARGE)
		set_words(o, N_("the service's answer could not be read: it is "
				"larger than any DPS answer"));
	else
		/* curl quotes paths given to it, which may be misplaced keys */
		o->failure_text = secret_redact(*errbuf ? errbuf : curl_easy_strerror(rc));
	strbuf_free(&t.data);
}

static bool
should_retry(const struct dps_call *call, const struct dps_response *o)
{
	switch (o->failure) {
	case DPS_ANSWERED:
		return o->status == 429 || o->status >= 500;
	case DPS_FAIL_CONNECT:
		return true;	/* nothing was sent */
	case DPS_FAIL_DROPPED:
		return call->retry_lost_answer;
	default:
		return false;
	}
}

static unsigned
wait_ms(const struct dps_client *c, int attempt_no, int retry_after)
{
	if (retry_after >= 0)
		return (unsigned)(retry_after < RETRY_AFTER_CAP ? retry_after
							      : RETRY_AFTER_CAP) * 1000u;
	unsigned long base = (unsigned long)c->opts.backoff_ms << (attempt_no - 1);
	if (base > BACKOFF_CAP_MS)
		base = BACKOFF_CAP_MS;
	unsigned r = 0;
	RAND_bytes((unsigned char *)&r, sizeof(r));
	/* "equal jitter": half fixed, half random, so clients spread out */
	return (unsigned)(base / 2 + r % (base / 2 + 1));
}

/* Sleeps in short steps so a cancel is noticed; false when cancelled. */
static bool
pause_ms(const struct dps_client *c, unsigned ms)
{
	while (ms) {
		if (is_cancelled(c))
			return false;
		unsigned step = ms < 50 ? ms : 50;
		struct timespec ts = { 0, (long)step * 1000000L };
		nanosleep(&ts, NULL);
		ms -= step;
	}
	return true;
}

static bool
cancelled_cb(void *ctx)
{
	return is_cancelled(ctx);
}

static enum dps_budget_kind
budget_kind(const struct dps_client *c)
{
	return c->opts.background ? DPS_BUDGET_BACKGROUND : DPS_BUDGET_USER;
}

/* Each attempt is one operation for the service's rate limit. */
static bool
take_budget(struct dps_client *c)
{
	if (!c->opts.budget)
		return true;
	return dps_budget_take(c->opts.budget, budget_kind(c), cancelled_cb,
			       c);
}

/* Whether the budget would hold the next attempt past the deadline. */
static bool
budget_past_deadline(struct dps_client *c)
{
	return c->opts.budget && c->has_deadline &&
	       dps_budget_eta_ms(c->opts.budget, budget_kind(c), 1) >=
		       ms_until(&c->deadline);
}

static void
set_held_past_deadline(struct dps_response *out)
{
	reset_answer(out);
	out->failure = DPS_FAIL_TIMEOUT;
	set_words(out, N_("not sent: the rate budget (at most --ops-per-minute "
			  "requests a minute) held it until after the "
			  "deadline"));
	out->hint = N_("raise --deadline, or send fewer requests at once");
}

static void
set_cancelled(struct dps_response *out)
{
	reset_answer(out);
	out->failure = DPS_FAIL_CANCELLED;
	set_words(out, N_("cancelled"));
}

static void
tell_retry(const struct dps_client *c, const struct dps_response *o,
	   unsigned ms, int next_attempt)
{
	if (!c->opts.on_retry)
		return;
	struct dps_retry r = {
		.failure = o->failure,
		.status = o->failure == DPS_ANSWERED ? o->status : 0,
		.wait_ms = ms,
		.next_attempt = next_attempt,
		.max_attempts = c->opts.max_attempts,
	};
	c->opts.on_retry(c->opts.retry_ctx, &r);
}

/* An IPv6 address written without brackets ("::1") gets them in the
 * URL; one with a port must have them already ("[::1]:8443"). */
static bool
bare_ipv6(const char *host)
{
	const char *colon = strchr(host, ':');
	return host[0] != '[' && colon && strchr(colon + 1, ':');
}

static char *
build_url(const struct dps_client *c, const char *path)
{
	bool brackets = bare_ipv6(c->conn.host);
	return xasprintf("https://%s%s%s%s%sapi-version=%s", brackets ? "[" : "",
			 c->conn.host, brackets ? "]" : "", path,
			 strchr(path, '?') ? "&" : "?", DPS_API_VERSION);
}

static void
new_request_id(char buf[37])
{
	unsigned char b[16];
	RAND_bytes(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(buf, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
		 b[11], b[12], b[13], b[14], b[15]);
}

void
dps_client_call(struct dps_client *c, const struct dps_call *call,
		struct dps_response *out)
{
	memset(out, 0, sizeof(*out));
	out->port = dps_conn_port(&c->conn);
	char *url = build_url(c, call->path);
	char request_id[37];
	new_request_id(request_id);
	for (int n = 1;; n++) {
		if (budget_past_deadline(c)) {
			if (n == 1)
				set_held_past_deadline(out);
			else
				out->past_deadline = true;	/* the last answer stands */
			break;
		}
		if (!take_budget(c)) {
			set_cancelled(out);
			break;
		}
		attempt(c, call, url, request_id, out);
		if (n >= c->opts.max_attempts || !should_retry(call, out))
			break;
		if (out->failure == DPS_FAIL_DROPPED)
			out->answer_lost = true;
		unsigned ms = wait_ms(c, n, out->retry_after);
		if (c->has_deadline && (long)ms >= ms_until(&c->deadline)) {
			out->past_deadline = true;
			break;	/* the last answer stands */
		}
		tell_retry(c, out, ms, n + 1);
		if (!pause_ms(c, ms)) {
			set_cancelled(out);
			break;
		}
	}
	free(url);
}

struct dps_budget *
dps_client_budget(struct dps_client *c)
{
	return c->opts.budget;
}

void
dps_response_clear(struct dps_response *r)
{
	reset_answer(r);
	memset(r, 0, sizeof(*r));
}

/* " (412001)", or the x-ms-error-code in brackets, or "". */
static void
error_code_text(const struct dps_response *r, char *code, size_t size)
{
	code[0] = '\0';
	if (r->error.error_code)
		snprintf(code, size, " (%d)", r->error.error_code);
	else if (r->ms_error_code)
		snprintf(code, size, " (%.24s)", r->ms_error_code);
}

char *
dps_response_describe(const struct dps_response *r)
{
	if (r->failure != DPS_ANSWERED)
		return xasprintf("%s%s%s", r->failure_text ? r->failure_text : "failed",
				 r->hint ? "; " : "", r->hint ? r->hint : "");
	if (r->status < 400)
		return xasprintf("HTTP %ld", r->status);
	char code[32];
	error_code_text(r, code, sizeof(code));
	return xasprintf("HTTP %ld%s: %s%s%s%s", r->status, code,
			 r->error.message ? r->error.message : "(no message)",
			 r->error.tracking_id ? " [tracking id " : "",
			 r->error.tracking_id ? r->error.tracking_id : "",
			 r->error.tracking_id ? "]" : "");
}

char *
dps_response_describe_local(const struct dps_response *r)
{
	if (r->failure != DPS_ANSWERED) {
		const char *words = dps_response_failure(r);
		if (!words)
			words = _("failed");
		if (r->hint)
			/* TRANSLATORS: what failed, then what to try. */
			return xasprintf(_("%s; %s"), words, _(r->hint));
		return xstrdup(words);
	}
	if (r->status < 400)
		return xasprintf("HTTP %ld", r->status);
	char code[32];
	error_code_text(r, code, sizeof(code));
	const char *msg = r->error.message ? r->error.message
					   : _("(no message)");
	if (r->error.tracking_id)
		/* TRANSLATORS: "HTTP 412 (412001): the service's message
		 * [tracking id ID]"; %2$s is the error code in brackets or
		 * nothing. */
		return xasprintf(_("HTTP %1$ld%2$s: %3$s [tracking id %4$s]"),
				 r->status, code, msg, r->error.tracking_id);
	return xasprintf("HTTP %ld%s: %s", r->status, code, msg);
}

const char *
dps_response_failure(const struct dps_response *r)
{
	return r->failure_said ? r->failure_said : r->failure_text;
}
