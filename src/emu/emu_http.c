#include "emu/emu_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include "base/secret.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "emu/emu_dispatch.h"
#include "emu/emu_wake.h"

/* Connections are cheap (epoll, a few workers) so that a client holding
 * many idle or half-open ones does not lock others out; one address may
 * hold at most half of them, and a connection silent for IDLE_TIMEOUT_S
 * (mid-handshake, mid-request or between requests) is closed. */
enum {
	WORKERS = 4,
	MAX_CONNECTIONS = 4096,
	MAX_PER_ADDRESS = MAX_CONNECTIONS / 2,
	IDLE_TIMEOUT_S = 10,
};

struct server {
	struct emu *emu;
	struct emu_wake *wake;
};

struct emu_http {
	struct MHD_Daemon *daemon;
	struct server srv;
};

/* Where a request is between calls of the request callback. */
enum phase {
	COLLECTING,	/* the body arrives in pieces */
	PAUSED,		/* an injected delay before dispatch is running */
	HOLDING,	/* the answer waits out an injected delay */
};

struct pending {
	struct strbuf body;	/* may hold keys */
	bool too_large;
	struct timespec start;
	enum phase phase;
	struct emu_response held;	/* the answer, while HOLDING */
};

static const char *
header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static bool
is_loopback(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return false;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
		       (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
			in6->sin6_addr.s6_addr[12] == 127);
	}
	return false;
}

static void
collect_body(struct pending *p, const char *data, size_t size)
{
	if (p->too_large || p->body.len + size > EMU_MAX_BODY) {
		p->too_large = true;
		return;
	}
	strbuf_add_n(&p->body, data, size);
}

/* The leaf certificate of the client's chain, as GnuTLS holds it for the
 * session (valid while the connection lives). */
static void
peer_certificate(struct MHD_Connection *c, struct emu_request *req)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session)
		return;
	unsigned n = 0;
	const gnutls_datum_t *chain =
		gnutls_certificate_get_peers(ci->tls_session, &n);
	if (!chain || n == 0 || !chain[0].data || !chain[0].size)
		return;
	req->client_cert = chain[0].data;
	req->client_cert_len = chain[0].size;
}

static void
fill_request(struct emu_request *req, struct MHD_Connection *c,
	     const char *url, const char *method, struct pending *p)
{
	memset(req, 0, sizeof(*req));
	req->method = method;
	req->path = url;
	req->api_version = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
						       "api-version");
	req->if_match = header(c, "If-Match");
	req->authorization = header(c, "Authorization");
	req->max_item_count = header(c, "x-ms-max-item-count");
	req->continuation = header(c, "x-ms-continuation");
	req->admin_token = header(c, "x-dpsemu-admin-token");
	req->content_type = header(c, "Content-Type");
	req->body = p->body.s ? p->body.s : "";
	req->body_len = p->body.len;
	req->body_too_large = p->too_large;
	req->from_loopback = is_loopback(c);
	peer_certificate(c, req);
}

static long
elapsed_ms(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	       (now.tv_nsec - start->tv_nsec) / 1000000;
}

enum { OVERSIZED_BYTES = 64 * 1024 * 1024 };

/* A body that never stops being a JSON array of spaces until 64 MB. */
static ssize_t
oversized_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	if (pos >= OVERSIZED_BYTES)
		return MHD_CONTENT_READER_END_OF_STREAM;
	size_t n = max;
	if (pos + n > OVERSIZED_BYTES)
		n = OVERSIZED_BYTES - pos;
	memset(buf, ' ', n);
	if (pos == 0)
		buf[0] = '[';
	if (pos + n == OVERSIZED_BYTES)
		buf[n - 1] = ']';
	return (ssize_t)n;
}

static void
wipe_body(void *body)
{
	secret_str_free(body);
}

static struct MHD_Response *
build_response(struct emu_response *r)
{
	if (r->special == EMU_OVERSIZED)
		return MHD_create_response_from_callback(OVERSIZED_BYTES, 64 * 1024,
							 oversized_reader, NULL,
							 NULL);
	if (r->special == EMU_MALFORMED) {
		static const char junk[] = "{\"registrationId\": \"trunc";
		return MHD_create_response_from_buffer(sizeof(junk) - 1,
						       (void *)junk,
						       MHD_RESPMEM_PERSISTENT);
	}
	if (!r->body)
		return MHD_create_response_from_buffer(0, (void *)"",
						       MHD_RESPMEM_PERSISTENT);
	/* Answers may carry keys (PUT, attestationmechanism): wipe on free. */
	struct MHD_Response *m = MHD_create_response_from_buffer_with_free_callback(
		strlen(r->body), r->body, wipe_body);
	if (m)
		r->body = NULL;	/* MHD frees it now */
	return m;
}

static enum MHD_Result
send_response(struct MHD_Connection *c, struct emu_response *r)
{
	if (r->special == EMU_DROP)
		return MHD_NO;
	struct MHD_Response *m = build_response(r);
	if (!m)
		return MHD_NO;
	for (size_t i = 0; i < r->header_count; i++)
		MHD_add_response_header(m, r->headers[i].name, r->headers[i].value);
	if (r->special == EMU_MALFORMED || r->special == EMU_OVERSIZED)
		MHD_add_response_header(m, "Content-Type",
					"application/json; charset=utf-8");
	MHD_add_response_header(m, "Strict-Transport-Security",
				"max-age=31536000; includeSubDomains");
	enum MHD_Result ret = MHD_queue_response(c, r->status ? r->status : 200, m);
	MHD_destroy_response(m);
	return ret;
}

/* The path as logged: one line per request, whatever the client put in
 * the URL (a %0A must not start a line of its own). */
static void
log_request(const char *method, const char *url, unsigned status, long ms)
{
	char safe[256];
	size_t n = 0;
	for (const char *p = url; *p && n + 5 < sizeof(safe); p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f)
			n += (size_t)snprintf(safe + n, sizeof(safe) - n, "%%%02X", c);
		else
			safe[n++] = (char)c;
	}
	safe[n] = '\0';
	fprintf(stderr, "%s %s %u %ldms\n", method, safe, status, ms);
}

static enum MHD_Result
answer(struct MHD_Connection *c, const char *method, const char *url,
       struct pending *p, struct emu_response *resp)
{
	unsigned status = resp->special == EMU_DROP ? 0 : resp->status;
	enum MHD_Result ret = send_response(c, resp);
	log_request(method, url, status, elapsed_ms(&p->start));
	emu_response_clear(resp);
	return ret;
}

/* The request is complete: dispatch it, unless an injected delay holds it
 * first or holds its answer after; the connection is then suspended and
 * this runs again when the delay is over. */
static enum MHD_Result
complete(struct server *srv, struct MHD_Connection *c, const char *url,
	 const char *method, struct pending *p)
{
	if (p->phase == HOLDING) {
		struct emu_response held = p->held;
		memset(&p->held, 0, sizeof(p->held));
		return answer(c, method, url, p, &held);
	}
	struct emu_request req;
	struct emu_response resp = { 0 };
	fill_request(&req, c, url, method, p);
	req.faults_done = p->phase == PAUSED;
	emu_dispatch(srv->emu, &req, &resp);
	if (resp.pause_ms) {
		p->phase = PAUSED;
		unsigned ms = resp.pause_ms;
		emu_response_clear(&resp);
		if (emu_wake_after(srv->wake, c, ms))
			return MHD_YES;
		req.faults_done = true;	/* stopping: no waiting now */
		emu_dispatch(srv->emu, &req, &resp);
	}
	if (resp.delay_ms) {
		p->phase = HOLDING;
		p->held = resp;
		if (emu_wake_after(srv->wake, c, resp.delay_ms))
			return MHD_YES;
		memset(&p->held, 0, sizeof(p->held));
	}
	return answer(c, method, url, p, &resp);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
	   const char *method, const char *version, const char *data,
	   size_t *data_size, void **con_cls)
{
	(void)version;
	struct pending *p = *con_cls;
	if (!p) {
		p = xcalloc(1, sizeof(*p));
		p->body = (struct strbuf)STRBUF_SECRET;
		clock_gettime(CLOCK_MONOTONIC, &p->start);
		*con_cls = p;
		return MHD_YES;
	}
	if (*data_size) {
		collect_body(p, data, *data_size);
		*data_size = 0;
		return MHD_YES;
	}
	return complete(cls, c, url, method, p);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	struct pending *p = *con_cls;
	if (p) {
		strbuf_free(&p->body);
		emu_response_clear(&p->held);
		free(p);
	}
	*con_cls = NULL;
}

/* libmicrohttpd's own messages, minus the one every injected drop causes:
 * a dropped connection is what the test asked for, not an error. */
static void
log_mhd(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	if (strstr(line, "Application reported internal error"))
		return;
	fprintf(stderr, "dpsemu: %s", line);
}


/* libmicrohttpd's own decoding, except that a %00 cannot cut the path
 * short: it becomes DEL, which no id may hold, so the request fails as the
 * odd id it is instead of addressing a shorter one. */
static size_t
unescape_path(void *cls, struct MHD_Connection *c, char *uri)
{
	(void)cls;
	(void)c;
	for (char *p = uri; (p = strstr(p, "%00")); p += 3)
		memcpy(p, "%7F", 3);
	return MHD_http_unescape(uri);
}

static bool
fill_address(const struct emu_config *cfg, struct sockaddr_storage *ss,
	     socklen_t *len, bool *ipv6)
{
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *in = (void *)ss;
	struct sockaddr_in6 *in6 = (void *)ss;
	if (inet_pton(AF_INET, cfg->listen_addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)cfg->port);
		*len = sizeof(*in);
		*ipv6 = false;
		return true;
	}
	if (inet_pton(AF_INET6, cfg->listen_addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)cfg->port);
		*len = sizeof(*in6);
		*ipv6 = true;
		return true;
	}
	return false;
}

/* Every connection needs a descriptor: the soft limit is raised as far as
 * the hard one allows, and the connection limit kept below it. */
static unsigned
connection_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 256;
	rlim_t want = MAX_CONNECTIONS + 64;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want
			      ? want : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur >= want)
		return MAX_CONNECTIONS;
	return rl.rlim_cur > 128 + 64 ? (unsigned)(rl.rlim_cur - 64) : 128;
}

struct emu_http *
emu_http_start(struct emu *emu, char **why)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	bool ipv6;
	if (!fill_address(&emu->cfg, &ss, &sslen, &ipv6)) {
		*why = xasprintf("'%s' is not an IP address; use e.g. 127.0.0.1",
				 emu->cfg.listen_addr);
		return NULL;
	}
	struct emu_http *h = xcalloc(1, sizeof(*h));
	h->srv.emu = emu;
	h->srv.wake = emu_wake_new();
	if (!h->srv.wake) {
		free(h);
		*why = xstrdup("cannot start a thread");
		return NULL;
	}
	unsigned limit = connection_limit();
	unsigned flags = MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
			 MHD_USE_ERROR_LOG | (ipv6 ? MHD_USE_IPv6 : 0);
	h->daemon = MHD_start_daemon(
		flags, (uint16_t)emu->cfg.port, NULL, NULL, on_request, &h->srv,
		MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape_path, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_HTTPS_MEM_KEY, emu->server_key_pem,
		MHD_OPTION_HTTPS_MEM_CERT, emu->server_cert_pem,
		/* A trust list makes libmicrohttpd ask every client for a
		 * certificate, without requiring one: an X.509 device sends
		 * its own, which the device API judges by its thumbprint
		 * (GnuTLS does not verify it against this list). */
		MHD_OPTION_HTTPS_MEM_TRUST, emu->ca_pem,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)WORKERS,
		MHD_OPTION_CONNECTION_LIMIT, limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		limit < MAX_PER_ADDRESS * 2 ? limit / 2 : (unsigned)MAX_PER_ADDRESS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S,
		MHD_OPTION_END);
	if (!h->daemon) {
		*why = xasprintf("cannot listen on %s port %d (in use, or port "
				 "below 1024 without root?)", emu->cfg.listen_addr,
				 emu->cfg.port);
		emu_wake_free(h->srv.wake);
		free(h);
		return NULL;
	}
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (info && info->port)
		emu->cfg.port = info->port;
	return h;
}

void
emu_http_stop(struct emu_http *h)
{
	if (!h)
		return;
	emu_wake_stop(h->srv.wake);
	MHD_stop_daemon(h->daemon);
	emu_wake_free(h->srv.wake);
	free(h);
}
