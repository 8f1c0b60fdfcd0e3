#include "bench_lib.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dps/ops.h"

enum { BATCH = 10, MAX_ARGS = 16 };

double
bench_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static cJSON *
batch(const char *prefix, long from, long to, bool device_ids)
{
	cJSON *list = cJSON_CreateArray();
	for (long k = from; k < to; k++) {
		char id[64], dev[64];
		snprintf(id, sizeof(id), "%s-%07ld", prefix, k);
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "registrationId", id);
		if (device_ids) {
			snprintf(dev, sizeof(dev), "station-7-device-%07ld", k);
			cJSON_AddStringToObject(e, "deviceId", dev);
		}
		cJSON *att = cJSON_AddObjectToObject(e, "attestation");
		cJSON_AddStringToObject(att, "type", "symmetricKey");
		cJSON_AddItemToArray(list, e);
	}
	return list;
}

bool
bench_fill(struct dps_client *c, const char *who, const char *prefix,
	   long from, long to, bool device_ids)
{
	for (long i = from; i < to; i += BATCH) {
		cJSON *list = batch(prefix, i, i + BATCH < to ? i + BATCH : to,
				    device_ids);
		struct dps_response r;
		dps_enrollment_bulk(c, "create", list, &r);
		cJSON_Delete(list);
		bool ok = r.failure == DPS_ANSWERED && r.status == 200 &&
			  cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
				  r.body, "isSuccessful"));
		if (!ok) {
			char *d = dps_response_describe(&r);
			fprintf(stderr, "%s: bulk create at %ld: %s\n", who, i, d);
			free(d);
		}
		dps_response_clear(&r);
		if (!ok)
			return false;
	}
	return true;
}

/* In the spawner, for one request "CS\nCACERT\nOUT\nARGS\n": runs
 * `bin ARGS` with that environment and output; the child's wait status,
 * its peak RSS in *kib. */
static int
spawn_one(const char *bin, char *cs, const char *ca, const char *path,
	  char *args, long *kib)
{
	char *argv[MAX_ARGS + 2] = { (char *)bin };
	int argc = 1;
	char *save = NULL;
	for (char *w = strtok_r(args, " ", &save); w && argc <= MAX_ARGS;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd, STDOUT_FILENO);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDERR_FILENO);
		/* The key goes through the environment, never arguments. */
		setenv("DPS_CONNECTION_STRING", cs, 1);
		setenv("DPSENROLL_CACERT", ca, 1);
		execv(bin, argv);
		_exit(127);
	}
	close(fd);
	int status = 0;
	struct rusage ru = { 0 };
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
		status = -1;
	*kib = ru.ru_maxrss;
	return status;
}

static void
spawner_loop(const char *bin, FILE *in, FILE *out)
{
	char cs[1024], ca[512], path[512], args[256];
	while (fgets(cs, sizeof(cs), in) && fgets(ca, sizeof(ca), in) &&
	       fgets(path, sizeof(path), in) && fgets(args, sizeof(args), in)) {
		cs[strcspn(cs, "\n")] = ca[strcspn(ca, "\n")] = '\0';
		path[strcspn(path, "\n")] = args[strcspn(args, "\n")] = '\0';
		long kib = -1;
		int status = spawn_one(bin, cs, ca, path, args, &kib);
		explicit_bzero(cs, sizeof(cs));
		int code = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status)
							     : -1;
		fprintf(out, "%d %ld\n", code, kib);
		fflush(out);
	}
	_exit(0);
}

bool
bench_spawner_start(struct bench_spawner *s, const char *bin)
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

void
bench_spawner_stop(struct bench_spawner *s)
{
	if (s->to)
		fclose(s->to);
	if (s->from)
		fclose(s->from);
	if (s->pid > 0)
		waitpid(s->pid, NULL, 0);
}

long
bench_spawner_run(struct bench_spawner *s, const struct emu_proc *e,
		  const char *out, const char *args, int *code,
		  double *seconds)
{
	double t0 = bench_now_s();
	fprintf(s->to, "HostName=%s;SharedAccessKeyName=%s;SharedAccessKey=%s\n"
		"%s\n%s\n%s\n", e->host_name, e->policy_name, e->policy_key,
		e->ca_path, out, args);
	fflush(s->to);
	long kib = -1;
	if (fscanf(s->from, "%d %ld", code, &kib) != 2)
		*code = -1;
	*seconds = bench_now_s() - t0;
	return kib;
}
