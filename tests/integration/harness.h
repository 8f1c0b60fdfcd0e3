#ifndef DPSENROLL_ITEST_HARNESS_H
#define DPSENROLL_ITEST_HARNESS_H

/* What every integration test needs: a dpsemu of its own on a free
 * loopback port, and an HTTPS client that talks to it the way a DPS client
 * does. Helpers assert (libcheck) and name the caller's line, so a test
 * reads as a list of expectations. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include <check.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>

#define SERVICE_API "2021-10-01"
#define DEVICE_API "2021-06-01"

/* ---- the emulator process (harness.c) ---- */

struct emu_proc {
	pid_t pid;		/* 0 when not running */
	pid_t owner;		/* only the starter may wait for it */
	char *root;		/* holds data/, stdout and stderr */
	char *data_dir;
	char *out_path;
	char *err_path;		/* appended to across restarts */
	char *ca_path;
	char **args;		/* extra arguments, kept for restarts */
	bool default_limits;	/* without the harness's --throttle 0 */
	int port;
	char *base_url;		/* "https://127.0.0.1:PORT" */
	char *host_name;	/* the connection string's HostName */
	char *policy_name;
	char *policy_key;
	char *id_scope;
	char *admin_token;	/* DATA/admin-token, for the admin API */
	CURL *curl;		/* one per process, for keep-alive */
	pid_t curl_owner;
};

/* A per-run folder that main() removes at the end, so a test killed by a
 * timeout leaves nothing behind. */
void harness_init(void);
void harness_cleanup(void);
/* A fresh folder under the run's folder; the caller frees the path. */
char *harness_tmpdir(const char *label);

/* A data folder and settings for dpsemu, not started yet. NULL with *why
 * (owned). */
struct emu_proc *emu_prepare(const char *const *args, char **why);
/* Starts dpsemu with extra arguments (NULL-terminated, or NULL) on
 * 127.0.0.1:0 with a fresh data folder and waits until it listens. It
 * runs with --throttle 0 (no rate limit) unless `args` set a limit.
 * NULL with *why (owned) when it does not come up within 10 s; for
 * unchecked fixtures, which must not assert. */
struct emu_proc *emu_try_start(const char *const *args, char **why);
/* The same, asserting that it came up. */
struct emu_proc *emu_start(const char *const *args);
/* As emu_start, but with dpsemu's own default rate limits. */
struct emu_proc *emu_start_default_limits(const char *const *args);
/* The same, NULL with *why (owned) instead of failing the test. */
struct emu_proc *emu_try_start_default_limits(const char *const *args,
					      char **why);
/* Starts it again on the same data folder (a new port). */
void emu_restart(struct emu_proc *e);
/* Sends `sig` and waits (bounded) for the exit; returns the wait status. */
int emu_signal_stop(struct emu_proc *e, int sig);
/* SIGTERM, asserting a clean exit (status 0) within 10 s. */
void emu_stop(struct emu_proc *e);
/* SIGKILL: what a power cut or the OOM killer does. */
void emu_kill(struct emu_proc *e);
/* Stops it if running (without judging how) and removes its folder. */
void emu_free(struct emu_proc *e);
/* Runs dpsemu on the folder expecting it to refuse to start; returns the
 * wait status, asserting that it ended within 10 s without listening. */
int emu_run_to_exit(struct emu_proc *e, const char *const *args);
/* What it wrote to stderr so far (all runs); the caller frees. */
char *emu_log(const struct emu_proc *e);
/* Waits up to `ms` for stderr to hold a line matching the POSIX extended
 * regular expression `re`; how many lines match. */
int emu_log_wait(const struct emu_proc *e, const char *re, int ms);
/* DIR/name; the caller frees. */
char *emu_data_path(const struct emu_proc *e, const char *name);
/* Whether the database files in its data folder, as bytes on disk, hold
 * `text` (emu_files.c). */
bool emu_files_hold(const struct emu_proc *e, const char *text);
/* How many transactions its write-ahead log holds (emu_files.c). */
int emu_wal_commits(const struct emu_proc *e);

/* One emulator for a whole tcase, for tests that cannot disturb each
 * other. Unchecked fixtures run in the runner process, where an assertion
 * would end the whole run, so a failed start is kept for the tests to
 * report. */
struct shared_emu {
	const char *const *args;
	struct emu_proc *emu;
	char *why;
};

void shared_emu_up(struct shared_emu *s);
void shared_emu_down(struct shared_emu *s);
/* The running emulator, asserting that it started. */
struct emu_proc *shared_emu(struct shared_emu *s);

/* The pair of unchecked fixtures `shared_up` and `shared_down` over the
 * file's `shared` emulator, started with `args_` (as for emu_start). */
#define SHARED_EMU_FIXTURE(args_) \
	static struct shared_emu shared = { .args = (args_) }; \
	static void shared_up(void) { shared_emu_up(&shared); } \
	static void shared_down(void) { shared_emu_down(&shared); }

/* One emulator per test, for tests that inject faults or count requests:
 * a checked fixture pair and the emulator it runs. */
extern struct emu_proc *test_emu;
void test_emu_up(void);
void test_emu_down(void);

/* Monotonic seconds, for timing what a test waits for. */
double now_s(void);
/* Sleeps `ms`, resuming after signals. */
void pause_ms(long ms);

/* ---- the HTTP client (client.c) ---- */

/* Sentinels for struct http_req. */
extern const char AUTH_NONE[];	/* send no Authorization header */
extern const char API_NONE[];	/* send no api-version */

struct http_req {
	const char *method;
	const char *path;	/* without the query */
	const char *body;	/* NULL: none */
	size_t body_len;	/* 0: strlen(body) */
	const char *const *headers;	/* "Name: value", NULL-terminated */
	const char *auth;	/* NULL: a fresh service token */
	const char *api_version;	/* NULL: SERVICE_API */
	long timeout_ms;	/* 0: 30 s */
	curl_off_t max_file_size;	/* CURLOPT_MAXFILESIZE_LARGE, 0: none */
	size_t cap;		/* abort once the body passes this, 0: none */
	bool fresh_connection;
};

struct reply {
	char *what;		/* "PUT /enrollments/x", for messages */
	CURLcode rc;
	long status;		/* 0 when no answer came */
	char *body;
	size_t body_len;
	size_t seen;		/* body bytes received, kept or not */
	bool capped;		/* the transfer was cut at req->cap */
	cJSON *json;		/* NULL when the body is not JSON */
	char *error_code;	/* x-ms-error-code */
	char *retry_after;
	char *continuation;	/* x-ms-continuation */
	char *item_type;	/* x-ms-item-type */
	char *content_type;
	double seconds;
};

struct reply *http(struct emu_proc *e, const struct http_req *req);
void reply_free(struct reply *r);

/* The common cases: a service call with a valid token. */
struct reply *svc(struct emu_proc *e, const char *method, const char *path,
		  const char *body);
/* The same with extra headers. */
struct reply *svc_h(struct emu_proc *e, const char *method, const char *path,
		    const char *const *headers, const char *body);
/* A service call with the given Authorization value (AUTH_NONE: none). */
struct reply *svc_auth(struct emu_proc *e, const char *method,
		       const char *path, const char *auth);
/* A device-API call (DEVICE_API) with a device token. */
struct reply *dev(struct emu_proc *e, const char *method, const char *path,
		  const char *token, const char *body);
/* An admin call: the admin token, no SAS token, no api-version. */
struct reply *admin(struct emu_proc *e, const char *method, const char *path,
		    const char *body);

/* POST /admin/faults with `spec`, asserting 204. */
void set_fault(struct emu_proc *e, const char *spec);
/* Waits until every injected fault is used up, asserting that it happens
 * within `ms`. A fault with count=1 is used up when its request arrives,
 * before any delay it adds: the request is then in flight. */
void wait_faults_used(struct emu_proc *e, int ms);
/* A request of its own, on a new connection, and its line in dpsemu's
 * log (asserted within 10 s). dpsemu writes a request's line before its
 * answer leaves (or its connection drops), so once a client call has
 * returned and the barrier is logged, every request that call made is in
 * the log: a count taken now is final, with no time to wait out. */
void emu_log_barrier(struct emu_proc *e);
/* POST /admin/registrations/ID: the device registers as if it had called
 * the device API itself; asserts 2xx. */
void simulate_registration(struct emu_proc *e, const char *id);

/* Authorization values; the caller frees with secret_str_free. */
char *service_token(const struct emu_proc *e, long lifetime);
char *device_token(const struct emu_proc *e, const char *reg_id,
		   const char *key_b64);

/* ---- expectations and JSON (expect.c) ---- */

void reply_expect_status(const char *file, int line, const struct reply *r,
			 long status);
void reply_expect_json(const char *file, int line, const struct reply *r,
		       long status);
void reply_expect_error(const char *file, int line, const struct reply *r,
			long status, int code);
#define EXPECT_STATUS(r, s) reply_expect_status(__FILE__, __LINE__, (r), (s))
/* Status, a parsed JSON body and Content-Type application/json. */
#define EXPECT_JSON(r, s) reply_expect_json(__FILE__, __LINE__, (r), (s))
/* Status, a ProvisioningServiceErrorDetails body with errorCode `code`,
 * x-ms-error-code naming it, and Content-Type application/json. */
#define EXPECT_ERROR(r, s, c) \
	reply_expect_error(__FILE__, __LINE__, (r), (s), (c))

/* The member at a dotted path ("attestation.symmetricKey"), or NULL. */
cJSON *jget(const cJSON *o, const char *path);
/* Its string value, or NULL. */
const char *jstr(const cJSON *o, const char *path);
/* The error body's errorCode, or -1. */
int error_code(const struct reply *r);
/* The error body's message, or "". */
const char *error_message(const struct reply *r);

/* "prefix-PID-N": ids no other test (a forked process) can share. */
char *unique_id(const char *prefix);
/* An individual symmetric-key enrollment without keys, followed by
 * `extra` (JSON members each starting with a comma, or ""). */
char *enrollment_text(const char *id, const char *extra);
/* PUT /enrollments/id with If-Match when not NULL. */
struct reply *put_enrollment(struct emu_proc *e, const char *id,
			     const char *body, const char *if_match);
/* Creates a keyless symmetric-key enrollment, asserting 200; returns the
 * PUT answer's JSON (the caller deletes it). */
cJSON *create_enrollment(struct emu_proc *e, const char *id,
			 const char *extra);
/* Decoded length of base64 `text`, or -1. */
long b64_len(const char *text);
/* The service's timestamp form: 2023-05-19T23:21:53.477793Z (fraction
 * optional, at most 7 digits). */
bool is_timestamp(const char *s);
/* Base64 of a double-quoted token, as the service's etags are. */
bool is_etag(const char *etag);
/* Base64 of `n` random bytes; the caller frees. */
char *random_key(size_t n);
/* Base64 of a TPM2B_PUBLIC holding an RSA-2048 endorsement key with the
 * default EK template (random modulus); the caller frees. */
char *tpm_ek_text(void);
/* ASCII lower-case copy; the caller frees. */
char *lower_copy(const char *s);
/* Runs a shell command (for openssl), asserting exit 0; its stdout, the
 * caller frees. */
char *run_shell(const char *cmd);

/* A tcase whose timeout does not depend on CK_DEFAULT_TIMEOUT. */
TCase *itest_tcase(const char *name);

#endif
