/* Peak memory of `dpsenroll query` as the store grows: one dpsemu filled
 * to N/100, N/10 and N enrollments (by bulk create, 10 per request, the
 * way `dpsenroll bulk` sends them), and after each fill a real `dpsenroll
 * query` whose peak resident size (ru_maxrss from wait4) is printed with
 * its ratio to the first. Streaming pages should keep the three figures
 * within about 2 MiB of each other. Prints figures; not a pass/fail test,
 * though it fails when a query does not print every enrollment.
 *
 *   DPSEMU=build/dpsemu DPSENROLL=build/dpsenroll \
 *     build/bench/query_memory_bench [N]          (default 100000) */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../integration/harness.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/ops.h"
#include "sys/fileio.h"

enum { DEFAULT_N = 100000, MIN_N = 100, STEPS = 3, BATCH = 10 };

static double
now_s_(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Creates enrollments qbench-FROM .. qbench-(TO-1), BATCH per request. */
static bool
fill(struct dps_client *c, long from, long to)
{
	for (long i = from; i < to; i += BATCH) {
		cJSON *list = cJSON_CreateArray();
		for (long k = i; k < to && k < i + BATCH; k++) {
			char id[32];
			snprintf(id, sizeof(id), "qbench-%07ld", k);
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "registrationId", id);
			cJSON *att = cJSON_AddObjectToObject(e, "attestation");
			cJSON_AddStringToObject(att, "type", "symmetricKey");
			cJSON_AddItemToArray(list, e);
		}
		struct dps_response r;
		dps_enrollment_bulk(c, "create", list, &r);
		cJSON_Delete(list);
		bool ok = r.failure == DPS_ANSWERED && r.status == 200 &&
			  cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r.body,
									"isSuccessful"));
		if (!ok) {
			char *d = dps_response_describe(&r);
			fprintf(stderr, "query_memory_bench: bulk create at %ld: %s\n",
				i, d);
			free(d);
		}
		dps_response_clear(&r);
		if (!ok)
			return false;
	}
	return true;
}

/* How many enrollments the output file's JSON array holds; -1 when it is
 * not one JSON array. */
static long
count_items(const char *path)
{
	char *text = file_read_all(path, NULL);
	cJSON *list = text ? cJSON_ParseWithOpts(text, NULL, false) : NULL;
	long n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : -1;
	cJSON_Delete(list);
	free(text);
	return n;
}

/* The queries start from a small process forked before anything else:
 * a child's peak RSS counts the pages it inherits at fork, so a query
 * forked from this process, grown by the fills, would be charged for them.
 * The spawner reads requests from one pipe and answers on another. */
struct spawner {
	pid_t pid;
	FILE *to;
	FILE *from;
};

/* In the spawner: reads "CS\nCACERT\nOUT\n", runs `bin query` with that
 * environment and output, and answers "STATUS MAXRSS_KIB\n". */
static void
spawner_loop(const char *bin, FILE *in, FILE *out)
{
	char cs[1024], ca[512], path[512];
	while (fgets(cs, sizeof(cs), in) && fgets(ca, sizeof(ca), in) &&
	       fgets(path, sizeof(path), in)) {
		cs[strcspn(cs, "\n")] = ca[strcspn(ca, "\n")] = '\0';
		path[strcspn(path, "\n")] = '\0';
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		pid_t pid = fork();
		if (pid == 0) {
			dup2(fd, STDOUT_FILENO);
			/* The key goes through the environment, never arguments. */
			setenv("DPS_CONNECTION_STRING", cs, 1);
			setenv("DPSENROLL_CACERT", ca, 1);
			execl(bin, bin, "query", (char *)NULL);
			_exit(127);
		}
		close(fd);
		explicit_bzero(cs, sizeof(cs));
		int status = 0;
		struct rusage ru = { 0 };
		if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
			status = -1;
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		fprintf(out, "%d %ld\n", code, ru.ru_maxrss);
		fflush(out);
	}
	_exit(0);
}

static bool
spawner_start(struct spawner *s, const char *bin)
{
	int req[2], ans[2];
	if (pipe(req) != 0 || pipe(ans) != 0)
		return false;
	s->pid = fork();
	if (s->pid == 0) {
		close(req[1]);
		close(ans[0]);
		spawner_loop(bin, fdopen(req[0], "r"), fdopen(ans[1], "w"));
	}
	close(req[0]);
	close(ans[1]);
	s->to = fdopen(req[1], "w");
	s->from = fdopen(ans[0], "r");
	return s->pid > 0;
}

static void
spawner_stop(struct spawner *s)
{
	if (s->to)
		fclose(s->to);
	if (s->from)
		fclose(s->from);
	if (s->pid > 0)
		waitpid(s->pid, NULL, 0);
}

/* Runs `dpsenroll query` with its output in `out`; its peak RSS in KiB,
 * or -1 when it failed. */
static long
query_peak_kib(struct spawner *s, const struct emu_proc *e, const char *out,
	       double *seconds)
{
	double t0 = now_s_();
	fprintf(s->to, "HostName=%s;SharedAccessKeyName=%s;SharedAccessKey=%s\n"
		"%s\n%s\n", e->host_name, e->policy_name, e->policy_key,
		e->ca_path, out);
	fflush(s->to);
	int code = -1;
	long kib = -1;
	if (fscanf(s->from, "%d %ld", &code, &kib) != 2)
		code = -1;
	*seconds = now_s_() - t0;
	if (code != 0) {
		fprintf(stderr, "query_memory_bench: dpsenroll query exited %d\n",
			code);
		return -1;
	}
	return kib;
}

static long
parse_n(int argc, char **argv)
{
	char *end = NULL;
	long n = argc > 1 && *argv[1] ? strtol(argv[1], &end, 10) : DEFAULT_N;
	if ((end && *end) || n < MIN_N) {
		fprintf(stderr, "usage: query_memory_bench [N]  (N >= %d; runs "
			"N/100, N/10 and N enrollments)\n", MIN_N);
		return -1;
	}
	return n;
}

static int
bench(struct spawner *s, struct emu_proc *e, const char *bin, long n)
{
	struct dps_conn conn = { .host = e->host_name, .policy = e->policy_name,
				 .key = e->policy_key };
	struct dps_client_opts opts = { .cacert = e->ca_path,
					 .ops_per_minute = -1 };
	char *why = NULL;
	struct dps_client *c = dps_client_new(&conn, &opts, &why);
	if (!c) {
		fprintf(stderr, "query_memory_bench: %s\n", why);
		free(why);
		return EXIT_FAILURE;
	}
	char *out = xasprintf("%s/query.json", e->root);
	long counts[STEPS] = { n / 100, n / 10, n }, peak[STEPS], have = 0;
	printf("dpsenroll %s\n", bin);
	int rc = EXIT_SUCCESS;
	for (int i = 0; i < STEPS && rc == EXIT_SUCCESS; i++) {
		double t0 = now_s_(), q = 0;
		if (!fill(c, have, counts[i])) {
			rc = EXIT_FAILURE;
			break;
		}
		have = counts[i];
		double filled = now_s_() - t0;
		peak[i] = query_peak_kib(s, e, out, &q);
		long got = peak[i] < 0 ? -1 : count_items(out);
		if (got != counts[i]) {
			fprintf(stderr, "query_memory_bench: the query printed %ld "
				"of %ld enrollments\n", got, counts[i]);
			rc = EXIT_FAILURE;
			break;
		}
		printf("%7ld enrollments  peak RSS %8.1f MiB  x%.2f of the first  "
		       "(+%.1f MiB; fill %.1f s, query %.1f s)\n", counts[i],
		       peak[i] / 1024.0, (double)peak[i] / (double)peak[0],
		       (peak[i] - peak[0]) / 1024.0, filled, q);
		fflush(stdout);
	}
	unlink(out);
	free(out);
	dps_client_free(c);
	return rc;
}

int
main(int argc, char **argv)
{
	long n = parse_n(argc, argv);
	if (n < 0)
		return 2;
	const char *bin = getenv("DPSENROLL") ? getenv("DPSENROLL")
					      : "build/dpsenroll";
	struct spawner s = { 0 };
	if (!spawner_start(&s, bin)) {
		fprintf(stderr, "query_memory_bench: cannot start the spawner\n");
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	harness_init();
	char *why = NULL;
	struct emu_proc *e = emu_try_start(NULL, &why);
	int rc = EXIT_FAILURE;
	if (e)
		rc = bench(&s, e, bin, n);
	else
		fprintf(stderr, "query_memory_bench: %s\n", why);
	free(why);
	emu_free(e);
	harness_cleanup();
	curl_global_cleanup();
	spawner_stop(&s);
	return rc;
}
