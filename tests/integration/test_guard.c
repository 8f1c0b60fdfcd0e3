/* dpsemu cannot be starved: idle, half-sent and delayed connections from
 * one client do not keep another client's answer from coming. All load
 * here stays on 127.0.0.1 and is bounded in count and time; the time
 * bounds are generous (a starved server misses them by far) and the
 * measured times are printed. */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "harness.h"
#include "suites.h"
#include "base/xalloc.h"

enum {
	FLOOD = 1500,
	STARVED_S = 5,		/* a served client answers in milliseconds */
};

static void
allow_descriptors(rlim_t n)
{
	struct rlimit rl;
	ck_assert(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	if (rl.rlim_cur < n) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= n
			      ? n : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	ck_assert(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	ck_assert_msg(rl.rlim_cur >= n, "this test needs %lu descriptors; "
		      "the limit is %lu", (unsigned long)n,
		      (unsigned long)rl.rlim_cur);
}

static int
dial(int port, bool nonblocking)
{
	int s = socket(AF_INET, SOCK_STREAM | (nonblocking ? SOCK_NONBLOCK : 0),
		       0);
	ck_assert_msg(s >= 0, "socket: %s", strerror(errno));
	struct sockaddr_in in = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int rc = connect(s, (struct sockaddr *)&in, sizeof(in));
	ck_assert_msg(rc == 0 || errno == EINPROGRESS, "connect: %s",
		      strerror(errno));
	return s;
}

/* Waits (bounded) until every connection is established. */
static void
wait_connected(int *fds, int n)
{
	struct pollfd *p = xcalloc((size_t)n, sizeof(*p));
	for (int i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = fds[i], .events = POLLOUT };
	double until = now_s() + 10;
	int open = n;
	while (open > 0) {
		ck_assert_msg(now_s() < until, "%d of %d connections still "
			      "opening after 10 s", open, n);
		ck_assert(poll(p, (nfds_t)n, 100) >= 0 || errno == EINTR);
		for (int i = 0; i < n; i++) {
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			ck_assert_msg(!(p[i].revents & (POLLERR | POLLHUP)),
				      "connection %d refused", i);
			p[i].fd = -1;
			open--;
		}
	}
	free(p);
}

/* FLOOD connections that say nothing, or start a TLS ClientHello and
 * stop; the caller closes them. */
static int *
open_idle_flood(int port)
{
	allow_descriptors(FLOOD + 256);
	int *fds = xcalloc(FLOOD, sizeof(*fds));
	for (int i = 0; i < FLOOD; i++)
		fds[i] = dial(port, true);
	wait_connected(fds, FLOOD);
	/* A record header promising 512 bytes, then the start of it. */
	static const unsigned char hello[] = { 0x16, 0x03, 0x01, 0x02, 0x00,
					       0x01, 0x00, 0x01, 0xfc, 0x03 };
	for (int i = 0; i < FLOOD; i += 2)
		ck_assert(send(fds[i], hello, sizeof(hello), MSG_NOSIGNAL) ==
			  (ssize_t)sizeof(hello));
	return fds;
}

static void
close_all(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
}

START_TEST(idle_connections_do_not_starve_a_client)
{
	struct emu_proc *e = emu_start(NULL);
	char *id = unique_id("guard-flood");
	cJSON_Delete(create_enrollment(e, id, ""));
	int *flood = open_idle_flood(e->port);
	char *path = xasprintf("/enrollments/%s", id);
	struct http_req req = { .method = "GET", .path = path,
				.fresh_connection = true, .timeout_ms = 30000 };
	struct reply *r = http(e, &req);
	printf("guard: with %d idle connections open, a client's answer "
	       "took %.3f s\n", FLOOD, r->seconds);
	EXPECT_JSON(r, 200);
	ck_assert_str_eq(jstr(r->json, "registrationId"), id);
	ck_assert_msg(r->seconds < STARVED_S, "the answer took %.3f s: the "
		      "idle connections starved the client", r->seconds);
	reply_free(r);
	close_all(flood, FLOOD);
	free(path);
	free(id);
	emu_stop(e);
	emu_free(e);
}
END_TEST

/* ---- injected delays ---- */

enum { DELAYED = 8 };	/* more than the emulator has workers */

struct delayed {
	const struct emu_proc *e;
	atomic_int done;
	atomic_bool stop;
};

static void *
run_delayed(void *arg)
{
	struct delayed *d = arg;
	CURLM *m = curl_multi_init();
	CURL *h[DELAYED];
	char *url = xasprintf("%s/enrollments/held?api-version=%s",
			      d->e->base_url, SERVICE_API);
	for (int i = 0; i < DELAYED; i++) {
		h[i] = curl_easy_init();
		curl_easy_setopt(h[i], CURLOPT_URL, url);
		curl_easy_setopt(h[i], CURLOPT_CAINFO, d->e->ca_path);
		curl_easy_setopt(h[i], CURLOPT_FORBID_REUSE, 1L);
		curl_easy_setopt(h[i], CURLOPT_TIMEOUT, 60L);
		curl_easy_setopt(h[i], CURLOPT_NOSIGNAL, 1L);
		curl_multi_add_handle(m, h[i]);
	}
	int running = DELAYED;
	while (running && !atomic_load(&d->stop)) {
		curl_multi_perform(m, &running);
		atomic_store(&d->done, DELAYED - running);
		curl_multi_poll(m, NULL, 0, 50, NULL);
	}
	for (int i = 0; i < DELAYED; i++) {
		curl_multi_remove_handle(m, h[i]);
		curl_easy_cleanup(h[i]);
	}
	curl_multi_cleanup(m);
	free(url);
	return NULL;
}

/* A delay holds its own request only: while more delayed requests wait
 * than there are workers, another client's request is answered. */
START_TEST(delayed_requests_hold_up_no_one_else)
{
	struct emu_proc *e = emu_start(NULL);
	set_fault(e, "delay=30000,path=/enrollments/held,count=8");
	struct delayed d = { .e = e };
	pthread_t t;
	ck_assert(pthread_create(&t, NULL, run_delayed, &d) == 0);
	wait_faults_used(e, 10000);	/* all 8 have arrived and wait */
	struct reply *r = svc(e, "GET", "/enrollments/not-held", NULL);
	printf("guard: with %d delayed requests waiting, another answer "
	       "took %.3f s\n", DELAYED, r->seconds);
	EXPECT_ERROR(r, 404, 404201);
	reply_free(r);
	ck_assert_int_eq(atomic_load(&d.done), 0);
	atomic_store(&d.stop, true);
	pthread_join(t, NULL);
	emu_stop(e);	/* with delays still running: asserts a prompt exit */
	emu_free(e);
}
END_TEST

/* ---- half-sent and garbage requests ---- */

struct tls {
	SSL_CTX *ctx;
	SSL *ssl;
	int fd;
};

static void
tls_open(struct tls *t, const struct emu_proc *e)
{
	t->ctx = SSL_CTX_new(TLS_client_method());
	ck_assert(t->ctx);
	ck_assert(SSL_CTX_load_verify_locations(t->ctx, e->ca_path, NULL) == 1);
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
	t->fd = dial(e->port, false);
	struct timeval tv = { .tv_sec = 60 };
	setsockopt(t->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	t->ssl = SSL_new(t->ctx);
	SSL_set_fd(t->ssl, t->fd);
	ck_assert_msg(SSL_connect(t->ssl) == 1, "TLS handshake with dpsemu "
		      "failed");
}

static void
tls_close(struct tls *t)
{
	SSL_free(t->ssl);
	close(t->fd);
	SSL_CTX_free(t->ctx);
}

/* Sends `text`, then reads until the server closes; the seconds that
 * took, and what came first (up to cap bytes) in `got`. */
static double
send_and_wait_close(struct tls *t, const char *text, char *got, size_t cap)
{
	ck_assert(SSL_write(t->ssl, text, (int)strlen(text)) ==
		  (int)strlen(text));
	double start = now_s();
	size_t have = 0;
	char buf[4096];
	int n;
	while ((n = SSL_read(t->ssl, buf, sizeof(buf))) > 0) {
		size_t take = (size_t)n < cap - 1 - have ? (size_t)n
							 : cap - 1 - have;
		memcpy(got + have, buf, take);
		have += take;
	}
	got[have] = '\0';
	return now_s() - start;
}

/* A request line that is not HTTP gets an answer or a closed connection
 * at once. */
START_TEST(garbage_request_line_is_closed_at_once)
{
	struct emu_proc *e = emu_start(NULL);
	static const char *const garbage[] = {
		"GARBAGE\r\n\r\n", "\x01\x02\x03 / HTTP/9.9\r\n\r\n",
		"GET /enrollments/x\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
		struct tls t;
		tls_open(&t, e);
		char got[256];
		double s = send_and_wait_close(&t, garbage[i], got, sizeof(got));
		printf("guard: garbage request %zu closed after %.3f s\n", i, s);
		ck_assert_msg(s < STARVED_S, "garbage request %zu held for "
			      "%.3f s", i, s);
		ck_assert_msg(!got[0] || strncmp(got, "HTTP/1.1 ", 9) == 0,
			      "garbage request %zu answered: %s", i, got);
		tls_close(&t);
	}
	emu_stop(e);
	emu_free(e);
}
END_TEST

/* A request that stops halfway is closed by the idle timeout (10 s), not
 * kept for minutes. */
START_TEST(half_sent_request_is_closed)
{
	struct emu_proc *e = emu_start(NULL);
	struct tls t;
	tls_open(&t, e);
	char got[256];
	double s = send_and_wait_close(&t, "GET /enrollments/x HTTP/1.1\r\nHo",
				       got, sizeof(got));
	printf("guard: a half-sent request was closed after %.3f s\n", s);
	ck_assert_msg(s < 20, "a half-sent request was held for %.3f s", s);
	tls_close(&t);
	emu_stop(e);
	emu_free(e);
}
END_TEST

/* ---- the admin API and where it listens ---- */

static struct reply *
admin_with(struct emu_proc *e, const char *method, const char *path,
	   const char *body, const char *token)
{
	char *h = token ? xasprintf("x-dpsemu-admin-token: %s", token) : NULL;
	const char *const headers[] = { "Content-Type: text/plain", h, NULL };
	struct http_req req = { .method = method, .path = path, .body = body,
				.headers = headers, .auth = AUTH_NONE,
				.api_version = API_NONE };
	struct reply *r = http(e, &req);
	free(h);
	return r;
}

/* Another local user reaches loopback too: without the token of
 * DATA/admin-token (mode 0600) the admin API does nothing. */
START_TEST(admin_api_needs_the_data_folders_token)
{
	struct emu_proc *e = emu_start(NULL);
	char *path = emu_data_path(e, "admin-token");
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_msg((st.st_mode & 0777) == 0600, "admin-token has mode %o",
		      (unsigned)(st.st_mode & 0777));
	ck_assert_uint_ge(strlen(e->admin_token), 32);
	char *kept = xstrdup(e->admin_token);
	char *wrong = xstrdup(e->admin_token);
	wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
	const char *const refused[] = { NULL, wrong, "" };
	for (size_t i = 0; i < 3; i++) {
		struct reply *r = admin_with(e, "POST", "/admin/faults",
					     "status=503", refused[i]);
		EXPECT_ERROR(r, 401, 401000);
		reply_free(r);
		r = admin_with(e, "POST", "/admin/registrations/x", NULL,
			       refused[i]);
		EXPECT_ERROR(r, 401, 401000);
		reply_free(r);
	}
	struct reply *r = admin(e, "GET", "/admin/faults", NULL);
	EXPECT_JSON(r, 200);
	ck_assert_int_eq(cJSON_GetArraySize(r->json), 0);	/* none got in */
	reply_free(r);
	/* Kept across restarts, so scripts need not read it again. */
	emu_stop(e);
	emu_restart(e);
	ck_assert_str_eq(e->admin_token, kept);
	r = admin(e, "GET", "/admin/faults", NULL);
	EXPECT_JSON(r, 200);
	reply_free(r);
	free(wrong);
	free(kept);
	free(path);
	emu_stop(e);
	emu_free(e);
}
END_TEST

START_TEST(listening_beyond_loopback_needs_public)
{
	char *why = NULL;
	struct emu_proc *e = emu_prepare(NULL, &why);
	ck_assert_msg(e, "%s", why);
	static const char *const wide[][2] = {
		{ "--listen", "0.0.0.0:0" }, { "--listen", "[::]:0" },
		{ "--listen", "192.0.2.1:0" },
	};
	for (size_t i = 0; i < 3; i++) {
		const char *const args[] = { wide[i][0], wide[i][1], NULL };
		int status = emu_run_to_exit(e, args);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 2,
			      "dpsemu %s %s: status %d", wide[i][0], wide[i][1],
			      status);
	}
	ck_assert_int_eq(emu_log_wait(e, "--public", 0), 3);
	emu_free(e);
}
END_TEST

/* With --public on the wildcard address, the connection string names an
 * address a client can dial (and the certificate names), not 0.0.0.0. */
START_TEST(public_wildcard_publishes_a_dialable_host)
{
	static const char *const args[] = { "--listen", "0.0.0.0:0", "--public",
					    NULL };
	struct emu_proc *e = emu_start(args);
	char *want = xasprintf("127.0.0.1:%d", e->port);
	ck_assert_str_eq(e->host_name, want);
	char *id = unique_id("guard-public");
	cJSON_Delete(create_enrollment(e, id, ""));
	free(id);
	free(want);
	emu_stop(e);
	emu_free(e);
}
END_TEST

Suite *
guard_suite(void)
{
	Suite *s = suite_create("guard");
	TCase *tc = itest_tcase("guard");
	tcase_add_test(tc, idle_connections_do_not_starve_a_client);
	tcase_add_test(tc, delayed_requests_hold_up_no_one_else);
	tcase_add_test(tc, garbage_request_line_is_closed_at_once);
	tcase_add_test(tc, half_sent_request_is_closed);
	suite_add_tcase(s, tc);
	tc = itest_tcase("admin");
	tcase_add_test(tc, admin_api_needs_the_data_folders_token);
	tcase_add_test(tc, listening_beyond_loopback_needs_public);
	tcase_add_test(tc, public_wildcard_publishes_a_dialable_host);
	suite_add_tcase(s, tc);
	return s;
}
