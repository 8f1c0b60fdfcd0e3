/* dpsenroll import end to end against an unthrottled dpsemu: N rows of
 * CSV over a template (10,000 by default), the process timed from start
 * to exit (reading, checking, sending, the result and progress files,
 * the journal). Beside it, the server's own pace: the same rows as bulk
 * requests of 10 sent straight from this process through the client
 * library over one connection,
 * and `dpsenroll bulk` of the same rows as a JSON array (the client's own
 * rate budget off for all three). Then the service's limit on: dpsemu
 * with Azure's 1,000 operations a minute and dpsenroll with its default
 * budget import THROTTLED_N rows (12,000 by default: 1,200 requests, over
 * a minute); the pace in operations a minute is set beside the limit, and
 * every row must be in dpsemu after. Each run gets a fresh emulator.
 * Prints figures; it is not a pass/fail test.
 *
 *   DPSEMU=build/dpsemu DPSENROLL=build/dpsenroll build/bench/import_bench [N] */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../integration/harness.h"
#include "base/secret.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "dps/client.h"
#include "sys/fileio.h"

enum { DEFAULT_N = 10000, BATCH = 10, DEFAULT_THROTTLED_N = 12000 };

extern char **environ;

static const char TEMPLATE[] =
	"{\"attestation\":{\"type\":\"symmetricKey\"},"
	"\"provisioningStatus\":\"enabled\","
	"\"initialTwin\":{\"tags\":{\"line\":\"A\"}}}";

/* Whether this dpsemu takes --throttle 0 (no limit), as its --help says. */
static bool
has_throttle_off(void)
{
	const char *bin = getenv("DPSEMU");
	char *cmd = xasprintf("'%s' --help 2>&1", bin ? bin : "build/dpsemu");
	FILE *p = popen(cmd, "r");
	free(cmd);
	bool found = false;
	char line[256];
	while (p && fgets(line, sizeof(line), p))
		found = found || strstr(line, "--throttle 0");
	if (p)
		pclose(p);
	return found;
}

/* Unthrottled whatever dpsemu's default. */
static struct emu_proc *
start_emu(void)
{
	static const char *const off[] = { "--throttle", "0", NULL };
	char *why = NULL;
	struct emu_proc *e = emu_try_start(has_throttle_off() ? off : NULL, &why);
	if (!e)
		fprintf(stderr, "import_bench: %s\n", why);
	free(why);
	return e;
}

static cJSON *
row(const char *prefix, int i)
{
	cJSON *o = cJSON_Parse(TEMPLATE);
	char id[64];
	snprintf(id, sizeof(id), "%s-%06d", prefix, i);
	cJSON_AddStringToObject(o, "registrationId", id);
	return o;
}

/* The server's pace: bulk requests straight from here. */
static double
server_pace(int n)
{
	struct emu_proc *e = start_emu();
	if (!e)
		return -1;
	struct dps_conn conn = { .host = e->host_name, .policy = e->policy_name,
				 .key = e->policy_key };
	/* the server's pace, not the client's budget */
	struct dps_client_opts opts = { .cacert = e->ca_path,
					.ops_per_minute = -1 };
	char *why = NULL;
	struct dps_client *c = dps_client_new(&conn, &opts, &why);
	free(why);
	if (!c) {
		emu_free(e);
		return -1;
	}
	double t0 = now_s();
	bool ok = true;
	for (int from = 0; from < n && ok; from += BATCH) {
		cJSON *req = cJSON_CreateObject();
		cJSON *list = cJSON_AddArrayToObject(req, "enrollments");
		for (int i = from; i < from + BATCH && i < n; i++)
			cJSON_AddItemToArray(list, row("srv", i));
		cJSON_AddStringToObject(req, "mode", "create");
		char *body = cJSON_PrintUnformatted(req);
		cJSON_Delete(req);
		struct dps_response r;
		struct dps_call call = { .method = "POST", .path = "/enrollments",
					 .body = body };
		dps_client_call(c, &call, &r);
		ok = r.failure == DPS_ANSWERED && r.status == 200;
		if (!ok)
			fprintf(stderr, "import_bench: bulk answered %ld\n", r.status);
		dps_response_clear(&r);
		free(body);
	}
	double s = now_s() - t0;
	dps_client_free(c);
	emu_free(e);
	return ok ? n / s : -1;
}

static bool
write_text(const char *path, const char *text)
{
	char *why = NULL;
	bool ok = file_write_atomic(path, text, strlen(text), 0600, &why);
	if (!ok)
		fprintf(stderr, "import_bench: %s\n", why);
	free(why);
	return ok;
}

/* Runs dpsenroll in `dir` with the emulator's connection; its exit.
 * `budget` is DPSENROLL_OPS_PER_MINUTE ("0": the client's budget off). */
static int
run_cli(struct emu_proc *e, const char *dir, const char *budget,
	const char *const *args)
{
	const char *bin = getenv("DPSENROLL");
	if (!bin)
		bin = "build/dpsenroll";
	char *cs = xasprintf("DPS_CONNECTION_STRING=HostName=%s;"
			     "SharedAccessKeyName=%s;SharedAccessKey=%s",
			     e->host_name, e->policy_name, e->policy_key);
	char *ca = xasprintf("DPSENROLL_CACERT=%s", e->ca_path);
	char *state = xasprintf("XDG_STATE_HOME=%s", dir);
	char *config = xasprintf("XDG_CONFIG_HOME=%s", dir);
	char *ops = xasprintf("DPSENROLL_OPS_PER_MINUTE=%s", budget ? budget : "");
	char *envp[] = { cs, ca, state, config, "PATH=/usr/bin:/bin",
			 budget ? ops : NULL, NULL };
	const char *argv[16] = { bin };
	for (int i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		if (chdir(dir) != 0)
			_exit(126);
		execve(bin, (char *const *)argv, envp);
		_exit(127);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	secret_str_free(cs);
	free(ca);
	free(state);
	free(config);
	free(ops);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* devices.csv of n rows and template.json in `dir`. */
static bool
write_import_files(int n, const char *dir)
{
	struct strbuf b = STRBUF_INIT;
	strbuf_add(&b, "registrationId,deviceId,initialTwin.tags.site\n");
	for (int i = 0; i < n; i++)
		strbuf_addf(&b, "imp-%06d,device-%d,bench-%d\n", i, i, i % 7);
	char *csv = strbuf_take(&b);
	char *csv_path = xasprintf("%s/devices.csv", dir);
	char *tmpl_path = xasprintf("%s/template.json", dir);
	bool ok = write_text(csv_path, csv) && write_text(tmpl_path, TEMPLATE);
	free(csv);
	free(csv_path);
	free(tmpl_path);
	return ok;
}

static double
import_pace(int n, const char *dir)
{
	bool ok = write_import_files(n, dir);
	struct emu_proc *e = ok ? start_emu() : NULL;
	double rate = -1;
	if (e) {
		double t0 = now_s();
		int rc = run_cli(e, dir, "0", (const char *const[]){ "import",
				 "devices.csv", "--template", "template.json", NULL });
		double s = now_s() - t0;
		if (rc == 0)
			rate = n / s;
		else
			fprintf(stderr, "import_bench: import exited %d\n", rc);
		emu_free(e);
	}
	return rate;
}

/* Lines of dpsemu's request log that start with `prefix`. */
static int
log_lines(const struct emu_proc *e, const char *prefix)
{
	char *text = file_read_all(e->err_path, NULL);
	int n = 0;
	for (const char *p = text; p && *p;) {
		n += strncmp(p, prefix, strlen(prefix)) == 0;
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : NULL;
	}
	free(text);
	return n;
}

/* Every enrollment dpsemu holds, counted page by page; -1 on failure. */
static int
count_enrollments(struct emu_proc *e)
{
	struct dps_conn conn = { .host = e->host_name, .policy = e->policy_name,
				 .key = e->policy_key };
	struct dps_client_opts opts = { .cacert = e->ca_path };
	char *why = NULL;
	struct dps_client *c = dps_client_new(&conn, &opts, &why);
	free(why);
	int count = c ? 0 : -1;
	char *cont = NULL;
	do {
		struct dps_response r;
		struct dps_call call = { .method = "POST",
					 .path = "/enrollments/query",
					 .body = "{\"query\":\"*\"}",
					 .max_items = "1000", .continuation = cont };
		dps_client_call(c, &call, &r);
		free(cont);
		cont = NULL;
		if (r.failure != DPS_ANSWERED || r.status != 200 ||
		    !cJSON_IsArray(r.body))
			count = -1;
		else
			count += cJSON_GetArraySize(r.body);
		if (count >= 0 && r.continuation)
			cont = xstrdup(r.continuation);
		dps_response_clear(&r);
	} while (cont);
	dps_client_free(c);
	return count;
}

struct throttled {
	double ops_per_minute;	/* requests sent over the run's minutes */
	int stored;		/* enrollments in dpsemu after */
	int refused;		/* 429s dpsemu answered */
};

/* The service's limit on: dpsemu's default 1,000 a minute, and the
 * client's default budget. */
static bool
throttled_import(int n, const char *dir, struct throttled *out)
{
	if (!write_import_files(n, dir))
		return false;
	char *why = NULL;
	struct emu_proc *e = emu_try_start_default_limits(NULL, &why);
	if (!e) {
		fprintf(stderr, "import_bench: %s\n", why);
		free(why);
		return false;
	}
	double t0 = now_s();
	int rc = run_cli(e, dir, NULL, (const char *const[]){ "import",
			 "devices.csv", "--template", "template.json",
			 "--result", "throttled.result.csv", NULL });
	double s = now_s() - t0;
	int requests = log_lines(e, "POST /enrollments 200");
	out->refused = log_lines(e, "POST /enrollments 429");
	out->ops_per_minute = (requests + out->refused) / (s / 60.0);
	out->stored = count_enrollments(e);
	emu_free(e);
	if (rc != 0)
		fprintf(stderr, "import_bench: throttled import exited %d\n", rc);
	return rc == 0;
}

static double
bulk_pace(int n, const char *dir)
{
	cJSON *list = cJSON_CreateArray();
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(list, row("blk", i));
	char *text = cJSON_PrintUnformatted(list);
	cJSON_Delete(list);
	char *path = xasprintf("%s/list.json", dir);
	bool ok = write_text(path, text);
	free(text);
	struct emu_proc *e = ok ? start_emu() : NULL;
	double rate = -1;
	if (e) {
		double t0 = now_s();
		int rc = run_cli(e, dir, "0", (const char *const[]){ "bulk", "create",
				 "list.json", NULL });
		double s = now_s() - t0;
		if (rc == 0)
			rate = n / s;
		else
			fprintf(stderr, "import_bench: bulk exited %d\n", rc);
		emu_free(e);
	}
	free(path);
	return rate;
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : DEFAULT_N;
	if (n < 1) {
		fprintf(stderr, "usage: import_bench [N]\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	harness_init();
	char *dir = harness_tmpdir("import-bench");
	double server = server_pace(n);
	double import = import_pace(n, dir);
	double bulk = bulk_pace(n, dir);
	const char *tn = getenv("THROTTLED_N");
	int throttled_n = tn && atoi(tn) > 0 ? atoi(tn) : DEFAULT_THROTTLED_N;
	struct throttled th = { -1, -1, -1 };
	bool th_ok = throttled_import(throttled_n, dir, &th);
	printf("%d rows, bulk requests of %d, dpsemu unthrottled:\n", n, BATCH);
	printf("  server's own pace (bulk straight from here)  %8.0f rows/s\n",
	       server);
	printf("  dpsenroll import, end to end                 %8.0f rows/s "
	       "(the goal: >= 5000)\n", import);
	printf("  dpsenroll bulk of a JSON array, end to end   %8.0f rows/s\n",
	       bulk);
	printf("%d rows with the service's limit on (dpsemu: 1,000 operations a "
	       "minute;\ndpsenroll: its default budget):\n", throttled_n);
	printf("  pace                                         %8.0f operations/"
	       "min (%.1f%% of the limit; the goal: within 2%%)\n",
	       th.ops_per_minute, th.ops_per_minute / 10.0);
	printf("  429s answered by dpsemu                      %8d\n", th.refused);
	printf("  rows in dpsemu after                         %8d of %d%s\n",
	       th.stored, throttled_n, th.stored == throttled_n ? "" : " (ROWS LOST)");
	free(dir);
	harness_cleanup();
	curl_global_cleanup();
	return server > 0 && import > 0 && bulk > 0 && th_ok ? EXIT_SUCCESS
							      : EXIT_FAILURE;
}
