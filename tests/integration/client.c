/* A small DPS client over libcurl: what a test sends and everything a
 * real client would look at in the answer. */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "harness.h"
#include "base/sas.h"
#include "base/secret.h"
#include "base/xalloc.h"

const char AUTH_NONE[] = "";
const char API_NONE[] = "";

char *
service_token(const struct emu_proc *e, long lifetime)
{
	const char *why = NULL;
	char *t = sas_token_new(e->host_name, e->policy_key, e->policy_name,
				time(NULL) + lifetime, &why);
	ck_assert_msg(t, "service token: %s", why);
	return t;
}

char *
device_token(const struct emu_proc *e, const char *reg_id,
	     const char *key_b64)
{
	char *sr = xasprintf("%s/registrations/%s", e->id_scope, reg_id);
	const char *why = NULL;
	char *t = sas_token_new(sr, key_b64, "registration", time(NULL) + 3600,
				&why);
	free(sr);
	ck_assert_msg(t, "device token: %s", why);
	return t;
}

/* A handle per process: a forked test must not share the parent's
 * connections, and within a test the connection is kept alive. */
static CURL *
handle(struct emu_proc *e)
{
	if (!e->curl || e->curl_owner != getpid()) {
		e->curl = curl_easy_init();
		e->curl_owner = getpid();
		ck_assert_msg(e->curl, "curl_easy_init failed");
	}
	curl_easy_reset(e->curl);
	return e->curl;
}

struct wanted_header {
	const char *name;
	size_t offset;
};

static const struct wanted_header wanted[] = {
	{ "x-ms-error-code", offsetof(struct reply, error_code) },
	{ "Retry-After", offsetof(struct reply, retry_after) },
	{ "x-ms-continuation", offsetof(struct reply, continuation) },
	{ "x-ms-item-type", offsetof(struct reply, item_type) },
	{ "Content-Type", offsetof(struct reply, content_type) },
};

enum { WANTED_COUNT = sizeof(wanted) / sizeof(wanted[0]) };

static char **
header_slot(struct reply *r, size_t i)
{
	return (char **)((char *)r + wanted[i].offset);
}

static void
forget_headers(struct reply *r)
{
	for (size_t i = 0; i < WANTED_COUNT; i++) {
		free(*header_slot(r, i));
		*header_slot(r, i) = NULL;
	}
}

static char *
trimmed(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == '\r' || end[-1] == '\n' ||
			   end[-1] == ' '))
		end--;
	return xstrndup(p, (size_t)(end - p));
}

static size_t
on_header(char *buf, size_t size, size_t count, void *arg)
{
	struct reply *r = arg;
	size_t len = size * count;
	if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0)
		forget_headers(r);	/* a 100 Continue came first */
	const char *colon = memchr(buf, ':', len);
	if (!colon)
		return len;
	size_t name_len = (size_t)(colon - buf);
	for (size_t i = 0; i < WANTED_COUNT; i++) {
		if (strlen(wanted[i].name) != name_len ||
		    strncasecmp(buf, wanted[i].name, name_len) != 0)
			continue;
		free(*header_slot(r, i));
		*header_slot(r, i) = trimmed(colon + 1, buf + len);
	}
	return len;
}

struct sink {
	struct reply *r;
	size_t cap;
};

static size_t
on_body(char *buf, size_t size, size_t count, void *arg)
{
	struct sink *s = arg;
	struct reply *r = s->r;
	size_t len = size * count;
	r->seen += len;
	if (s->cap && r->seen > s->cap) {
		r->capped = true;
		return 0;
	}
	r->body = xreallocarray(r->body, r->body_len + len + 1, 1);
	memcpy(r->body + r->body_len, buf, len);
	r->body_len += len;
	r->body[r->body_len] = '\0';
	return len;
}

static char *
request_url(const struct emu_proc *e, const struct http_req *req)
{
	const char *v = req->api_version ? req->api_version : SERVICE_API;
	if (v == API_NONE)
		return xasprintf("%s%s", e->base_url, req->path);
	return xasprintf("%s%s%capi-version=%s", e->base_url, req->path,
			 strchr(req->path, '?') ? '&' : '?', v);
}

static struct curl_slist *
add_header(struct curl_slist *list, char *line)
{
	struct curl_slist *l = curl_slist_append(list, line);
	secret_str_free(line);
	ck_assert_msg(l, "curl_slist_append failed");
	return l;
}

static bool
has_header(const char *const *headers, const char *name)
{
	size_t n = strlen(name);
	for (const char *const *p = headers; p && *p; p++)
		if (strncasecmp(*p, name, n) == 0 && (*p)[n] == ':')
			return true;
	return false;
}

static struct curl_slist *
request_headers(const struct emu_proc *e, const struct http_req *req)
{
	struct curl_slist *h = NULL;
	h = add_header(h, xstrdup("Accept: application/json"));
	/* Expect: 100-continue would add a round trip to large bodies. */
	h = add_header(h, xstrdup("Expect:"));
	if (req->body && !has_header(req->headers, "Content-Type"))
		h = add_header(h, xstrdup("Content-Type: application/json; "
					  "charset=utf-8"));
	if (!req->auth) {
		char *token = service_token(e, 3600);
		h = add_header(h, xasprintf("Authorization: %s", token));
		secret_str_free(token);
	} else if (req->auth != AUTH_NONE) {
		h = add_header(h, xasprintf("Authorization: %s", req->auth));
	}
	for (const char *const *p = req->headers; p && *p; p++)
		h = add_header(h, xstrdup(*p));
	return h;
}

static void
set_body(CURL *c, const struct http_req *req)
{
	bool sends_body = strcmp(req->method, "POST") == 0 ||
			  strcmp(req->method, "PUT") == 0;
	if (req->body) {
		size_t len = req->body_len ? req->body_len : strlen(req->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	} else if (sends_body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
	}
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
}

static void
set_limits(CURL *c, const struct http_req *req)
{
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
			 req->timeout_ms ? req->timeout_ms : 30000L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	if (req->max_file_size)
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
				 req->max_file_size);
	if (req->fresh_connection) {
		curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
	}
}

struct reply *
http(struct emu_proc *e, const struct http_req *req)
{
	ck_assert_msg(e && e->base_url, "no emulator to talk to");
	struct reply *r = xcalloc(1, sizeof(*r));
	r->what = xasprintf("%s %s", req->method, req->path);
	struct sink sink = { .r = r, .cap = req->cap };
	CURL *c = handle(e);
	char *url = request_url(e, req);
	struct curl_slist *headers = request_headers(e, req);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, e->ca_path);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
	set_body(c, req);
	set_limits(c, req);
	r->rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &r->seconds);
	if (r->body_len)
		r->json = cJSON_ParseWithLength(r->body, r->body_len);
	curl_slist_free_all(headers);
	free(url);
	return r;
}

void
reply_free(struct reply *r)
{
	if (!r)
		return;
	forget_headers(r);
	cJSON_Delete(r->json);
	free(r->body);
	free(r->what);
	free(r);
}

struct reply *
svc(struct emu_proc *e, const char *method, const char *path,
    const char *body)
{
	struct http_req req = { .method = method, .path = path, .body = body };
	return http(e, &req);
}

struct reply *
svc_h(struct emu_proc *e, const char *method, const char *path,
      const char *const *headers, const char *body)
{
	struct http_req req = { .method = method, .path = path, .body = body,
				.headers = headers };
	return http(e, &req);
}

struct reply *
svc_auth(struct emu_proc *e, const char *method, const char *path,
	 const char *auth)
{
	struct http_req req = { .method = method, .path = path, .auth = auth };
	return http(e, &req);
}

struct reply *
dev(struct emu_proc *e, const char *method, const char *path,
    const char *token, const char *body)
{
	struct http_req req = { .method = method, .path = path, .body = body,
				.auth = token, .api_version = DEVICE_API };
	return http(e, &req);
}

struct reply *
admin(struct emu_proc *e, const char *method, const char *path,
      const char *body)
{
	char *token = xasprintf("x-dpsemu-admin-token: %s", e->admin_token);
	const char *const headers[] = { "Content-Type: text/plain", token, NULL };
	struct http_req req = { .method = method, .path = path, .body = body,
				.headers = headers, .auth = AUTH_NONE,
				.api_version = API_NONE };
	struct reply *r = http(e, &req);
	secret_str_free(token);
	return r;
}

void
set_fault(struct emu_proc *e, const char *spec)
{
	struct reply *r = admin(e, "POST", "/admin/faults", spec);
	ck_assert_msg(r->status == 204, "POST /admin/faults %s: %ld %s %s",
		      spec, r->status, r->rc ? curl_easy_strerror(r->rc) : "",
		      r->body ? r->body : "");
	reply_free(r);
}

void
wait_faults_used(struct emu_proc *e, int ms)
{
	double until = now_s() + ms / 1000.0;
	for (;;) {
		struct reply *r = admin(e, "GET", "/admin/faults", NULL);
		ck_assert_msg(r->status == 200 && cJSON_IsArray(r->json),
			      "GET /admin/faults: %ld %s", r->status,
			      r->body ? r->body : "");
		int left = cJSON_GetArraySize(r->json);
		char *list = left ? xstrdup(r->body) : NULL;
		reply_free(r);
		if (!left)
			return;
		ck_assert_msg(now_s() < until, "faults not used within %d ms: %s",
			      ms, list);
		free(list);
		pause_ms(5);
	}
}

void
emu_log_barrier(struct emu_proc *e)
{
	static int n;
	char *path = xasprintf("/enrollments/log-barrier-%ld-%d",
			       (long)getpid(), ++n);
	struct http_req req = { .method = "GET", .path = path,
				.fresh_connection = true };
	reply_free(http(e, &req));
	char *re = xasprintf("^GET %s [0-9]+ ", path);
	ck_assert_msg(emu_log_wait(e, re, 10000) == 1,
		      "dpsemu did not log %s within 10 s", path);
	free(re);
	free(path);
}

void
simulate_registration(struct emu_proc *e, const char *id)
{
	char *path = xasprintf("/admin/registrations/%s", id);
	struct reply *r = admin(e, "POST", path, NULL);
	ck_assert_msg(r->status >= 200 && r->status < 300, "%s: %ld %s", path,
		      r->status, r->body ? r->body : "");
	reply_free(r);
	free(path);
}
