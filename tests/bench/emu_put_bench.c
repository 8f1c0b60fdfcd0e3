/* Sequential keep-alive PUTs per second against a freshly started dpsemu,
 * each creating a new enrollment, with p50 and p99 latency; then bulk
 * creates of BULK_N enrollments (10,000 by default) ten to a request on
 * the same connection, in enrollments per second beside the PUTs' pace.
 * Not a test: it prints figures. The goals are at least 2,000 PUTs/s and
 * 5,000 bulk-created enrollments/s on 2 cores; the first and last tenth
 * of the PUTs are shown apart because one write must not get dearer as
 * the store fills.
 *
 *   emu-put-bench [N]     N requests, 5000 by default; DPSEMU names the
 *                         emulator (default build/dpsemu), BULK_N the
 *                         number of enrollments bulk-created
 *
 * Build without the Makefile, from the top folder after `make`:
 *
 *   cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc \
 *     tests/bench/emu_put_bench.c build/libdps.a build/libsys.a \
 *     build/libmodel.a $(pkg-config --cflags --libs libcurl libcjson openssl) \
 *     -o build/emu-put-bench
 */

#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "base/sas.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

struct emu {
	pid_t pid;
	char dir[64];
	char *data;
	char *host;
	char *policy;
	char *key;
	int port;
};

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
nap_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };
	nanosleep(&ts, NULL);
}

static pid_t
spawn(const char *bin, struct emu *e)
{
	char *out = xasprintf("%s/stdout", e->dir);
	char *err = xasprintf("%s/stderr", e->dir);
	int ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int efd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	free(out);
	free(err);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		dup2(ofd, STDOUT_FILENO);
		dup2(efd, STDERR_FILENO);
		/* The server's own pace, not Azure's 1,000 a minute. */
		execl(bin, bin, "--data", e->data, "--listen", "127.0.0.1:0",
		      "--throttle", "0", (char *)NULL);
		_exit(127);
	}
	close(ofd);
	close(efd);
	return pid;
}

/* The port once "listening on https://127.0.0.1:PORT" is out; 0 until
 * then, -1 when the emulator died. */
static int
ready_port(const struct emu *e)
{
	int status;
	if (waitpid(e->pid, &status, WNOHANG) == e->pid)
		return -1;
	char *path = xasprintf("%s/stdout", e->dir);
	char *out = file_read_all(path, NULL);
	free(path);
	char *line = out ? strstr(out, "listening on https://") : NULL;
	char *nl = line ? strchr(line, '\n') : NULL;
	int port = 0;
	if (nl) {
		*nl = '\0';
		port = atoi(strrchr(line, ':') + 1);
	}
	free(out);
	return port;
}

static char *
cs_value(const char *cs, const char *name)
{
	char *pat = xasprintf("%s=", name);
	const char *p = strstr(cs, pat);
	char *v = p ? xstrndup(p + strlen(pat), strcspn(p + strlen(pat), ";\r\n"))
		    : NULL;
	free(pat);
	return v;
}

static int
start(const char *bin, struct emu *e)
{
	snprintf(e->dir, sizeof(e->dir), "/tmp/emu-bench-XXXXXX");
	if (!mkdtemp(e->dir))
		return -1;
	e->data = xasprintf("%s/data", e->dir);
	e->pid = spawn(bin, e);
	double until = now_ms() + 10000;
	while ((e->port = ready_port(e)) == 0 && now_ms() < until)
		nap_ms(5);
	if (e->port <= 0)
		return -1;
	char *path = xasprintf("%s/connection-string", e->data);
	char *cs = file_read_all(path, NULL);
	free(path);
	if (!cs)
		return -1;
	e->host = cs_value(cs, "HostName");
	e->policy = cs_value(cs, "SharedAccessKeyName");
	e->key = cs_value(cs, "SharedAccessKey");
	secret_str_free(cs);
	return e->host && e->policy && e->key ? 0 : -1;
}

static void
stop(struct emu *e)
{
	int status;
	if (e->pid > 0) {
		kill(e->pid, SIGTERM);
		waitpid(e->pid, &status, 0);
	}
	char *cmd = xasprintf("rm -rf '%s'", e->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "emu-put-bench: could not remove %s\n", e->dir);
	free(cmd);
	free(e->data);
	free(e->host);
	free(e->policy);
	secret_str_free(e->key);
}

static size_t
discard(char *buf, size_t size, size_t n, void *arg)
{
	(void)buf;
	(void)arg;
	return size * n;
}

static struct curl_slist *
headers(const struct emu *e)
{
	const char *why = NULL;
	char *token = sas_token_new(e->host, e->key, e->policy,
				    time(NULL) + 3600, &why);
	if (!token)
		return NULL;
	char *auth = xasprintf("Authorization: %s", token);
	secret_str_free(token);
	struct curl_slist *h = curl_slist_append(NULL, auth);
	secret_str_free(auth);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Accept: application/json");
	return curl_slist_append(h, "Expect:");
}

/* One PUT creating bench-N; its latency in ms, or -1 when it did not
 * answer 200. */
static double
put_one(CURL *c, const struct emu *e, const char *ca, long n)
{
	char url[128], body[160];
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/enrollments/bench-%06ld"
		 "?api-version=2021-10-01", e->port, n);
	snprintf(body, sizeof(body), "{\"registrationId\":\"bench-%06ld\","
		 "\"attestation\":{\"type\":\"symmetricKey\"}}", n);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	double t0 = now_ms();
	CURLcode rc = curl_easy_perform(c);
	double ms = now_ms() - t0;
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	return rc == CURLE_OK && status == 200 ? ms : -1;
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double
rate(const double *lat, long from, long to)
{
	double sum = 0;
	for (long i = from; i < to; i++)
		sum += lat[i];
	return sum > 0 ? (to - from) / (sum / 1e3) : 0;
}

/* The answer of one bulk request, kept to see that every item passed. */
struct answer {
	char text[4096];
	size_t len;
};

static size_t
keep(char *buf, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t take = size * n;
	if (take > sizeof(a->text) - 1 - a->len)
		take = sizeof(a->text) - 1 - a->len;
	memcpy(a->text + a->len, buf, take);
	a->len += take;
	a->text[a->len] = '\0';
	return size * n;
}

enum { BULK_ITEMS = 10 };

/* One bulk create of bulk-N .. bulk-(N+9); true when all were made.
 * *connects counts the connections it had to open. */
static bool
bulk_one(CURL *c, const struct emu *e, const char *ca, long first,
	 long *connects)
{
	char url[128], body[BULK_ITEMS * 100 + 64];
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/enrollments"
		 "?api-version=2021-10-01", e->port);
	size_t n = (size_t)snprintf(body, sizeof(body),
				    "{\"mode\":\"create\",\"enrollments\":[");
	for (long i = first; i < first + BULK_ITEMS; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
				      "%s{\"registrationId\":\"bulk-%06ld\","
				      "\"attestation\":{\"type\":"
				      "\"symmetricKey\"}}", i > first ? "," : "",
				      i);
	snprintf(body + n, sizeof(body) - n, "]}");
	struct answer a = { .len = 0 };
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "POST");
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	CURLcode rc = curl_easy_perform(c);
	long status = 0, opened = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &opened);
	*connects += opened;
	return rc == CURLE_OK && status == 200 &&
	       strstr(a.text, "\"isSuccessful\":true");
}

/* BULK_N enrollments, ten a request, on the connection the PUTs used;
 * `put_rate` is their pace, printed alongside. */
static int
run_bulk(CURL *c, const struct emu *e, long total, double put_rate)
{
	char *ca = xasprintf("%s/ca.pem", e->data);
	struct curl_slist *h = headers(e);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	double t0 = now_ms();
	long done = 0, used = 0;
	while (done < total && bulk_one(c, e, ca, done, &used))
		done += BULK_ITEMS;
	double wall = now_ms() - t0;
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
	free(ca);
	if (done < total) {
		fprintf(stderr, "emu-put-bench: the bulk create of bulk-%06ld "
			"did not succeed; see %s/stderr\n", done, e->dir);
		return 1;
	}
	printf("bulk create     %ld enrollments, %d a request, %s\n", done,
	       BULK_ITEMS, used == 0 ? "on the PUTs' connection"
				     : "but new connections were opened");
	printf("bulk throughput %.0f enrollments/s (%.0f requests/s; "
	       "sequential PUTs above: %.0f/s)\n", done / (wall / 1e3),
	       done / BULK_ITEMS / (wall / 1e3), put_rate);
	return 0;
}

static void
report(double *lat, long n, double wall_ms)
{
	long tenth = n / 10 ? n / 10 : 1;
	printf("requests        %ld sequential PUTs, one connection\n", n);
	printf("throughput      %.0f requests/s\n", n / (wall_ms / 1e3));
	printf("first 10%%       %.0f requests/s\n", rate(lat, 0, tenth));
	printf("last 10%%        %.0f requests/s\n", rate(lat, n - tenth, n));
	qsort(lat, (size_t)n, sizeof(*lat), by_value);
	printf("latency p50     %.3f ms\n", lat[n / 2]);
	printf("latency p99     %.3f ms\n", lat[(n * 99) / 100]);
	printf("latency max     %.3f ms\n", lat[n - 1]);
}

/* The PUTs; *rate is their pace. */
static int
run(CURL *c, const struct emu *e, long n, double *rate)
{
	char *ca = xasprintf("%s/ca.pem", e->data);
	struct curl_slist *h = headers(e);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	double *lat = xcalloc((size_t)n, sizeof(*lat));
	double t0 = now_ms();
	long failed = 0;
	for (long i = 0; i < n && failed == 0; i++)
		if ((lat[i] = put_one(c, e, ca, i)) < 0)
			failed = i + 1;
	double wall = now_ms() - t0;
	if (failed)
		fprintf(stderr, "emu-put-bench: PUT number %ld did not answer "
			"200; see %s/stderr\n", failed, e->dir);
	else
		report(lat, n, wall);
	*rate = n / (wall / 1e3);
	free(lat);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
	free(ca);
	return failed ? 1 : 0;
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 5000;
	const char *bin = getenv("DPSEMU") ? getenv("DPSEMU") : "build/dpsemu";
	long bulk_n = getenv("BULK_N") ? strtol(getenv("BULK_N"), NULL, 10)
				       : 10000;
	if (n < 1 || bulk_n < BULK_ITEMS || bulk_n % BULK_ITEMS) {
		fprintf(stderr, "usage: [BULK_N=M] emu-put-bench [N]  (N >= 1, "
			"M a multiple of %d)\n", BULK_ITEMS);
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct emu e = { 0 };
	int rc = 1;
	if (start(bin, &e) != 0) {
		fprintf(stderr, "emu-put-bench: %s did not start; set DPSEMU "
			"to the emulator binary\n", bin);
	} else {
		CURL *c = curl_easy_init();
		double put_rate = 0;
		rc = run(c, &e, n, &put_rate);
		if (rc == 0)
			rc = run_bulk(c, &e, bulk_n, put_rate);
		curl_easy_cleanup(c);
	}
	stop(&e);
	curl_global_cleanup();
	return rc;
}
