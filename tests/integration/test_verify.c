/* Verifying on the bench: `dpsenroll watch` sees the device register (or
 * fail), and `dpsenroll register` registers it as the device would, with
 * its symmetric key or its X.509 certificate over mutual TLS. The real
 * binary runs against dpsemu with the connection in its environment;
 * results are judged by what it prints, its exit code, and the
 * registration state the emulator stores. */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cli_proc.h"
#include "harness.h"
#include "suites.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

extern char **environ;

/* The README's exit codes. */
enum {
	CODE_OK = 0,
	CODE_REFUSED = 1,
	CODE_USAGE = 2,
	CODE_TIMED_OUT = 8,
};

enum { WAIT_MS = 20000 };

#define HUB "hub-a.example.net"

static const char *const hub_args[] = { "--linked-hubs", HUB, NULL };
static struct emu_proc *emu;
static char *dir;
/* Where `register` sends the device, when not `emu` itself. */
static struct emu_proc *device_emu;

static void
up(void)
{
	emu = emu_start(hub_args);
	dir = harness_tmpdir("verify");
	ck_assert_ptr_nonnull(dir);
}

static void
down(void)
{
	emu_free(device_emu);
	device_emu = NULL;
	if (emu && emu->pid > 0)
		emu_kill(emu);
	emu_free(emu);
	emu = NULL;
	free(dir);
	dir = NULL;
}

/* ---- running dpsenroll ---- */

static char *
dir_path(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static char *
read_back(const char *name)
{
	char *path = dir_path(name);
	char *text = file_read_all(path, NULL);
	ck_assert_msg(text, "cannot read %s", path);
	free(path);
	return text;
}

/* dpsenroll with our environment, the emulator's connection, ID scope
 * and endpoint (as `make run` hands them over), config and state in the
 * test's folder. */
static pid_t
spawn(const char *const *args)
{
	const struct emu_proc *d = device_emu ? device_emu : emu;
	char *set[] = {
		xasprintf("DPS_CONNECTION_STRING=HostName=%s;"
			  "SharedAccessKeyName=%s;SharedAccessKey=%s",
			  emu->host_name, emu->policy_name, emu->policy_key),
		xasprintf("DPSENROLL_CACERT=%s", emu->ca_path),
		xasprintf("XDG_CONFIG_HOME=%s", dir),
		xasprintf("XDG_STATE_HOME=%s", dir),
		xasprintf("DPS_ID_SCOPE=%s", d->id_scope),
		xasprintf("DPS_GLOBAL_ENDPOINT=%s", d->host_name),
		NULL,
	};
	pid_t pid = cli_spawn(dir, (const char *const *)set, args);
	for (int i = 0; set[i]; i++)
		secret_str_free(set[i]);
	return pid;
}

static struct cli_result
finish(pid_t pid)
{
	return cli_finish(dir, pid);
}

#define SPAWN(...) spawn((const char *const[]){ __VA_ARGS__, NULL })
#define RUN(...) finish(SPAWN(__VA_ARGS__))


static void
expect_exit_at(const char *file, int line, const struct cli_result *r, int code)
{
	ck_assert_msg(r->status == code, "%s:%d: exit %d, expected %d; stderr: "
		      "%.800s; stdout: %.300s", file, line, r->status, code,
		      r->err, r->out);
}

#define EXPECT_EXIT(r, code) expect_exit_at(__FILE__, __LINE__, (r), (code))

static void
expect_err_has(const struct cli_result *r, const char *text)
{
	ck_assert_msg(strstr(r->err, text), "stderr lacks '%s': %s", text,
		      r->err);
}

/* Waits (bounded) until the running command's stderr holds `text`. */
static void
wait_for_err(const char *text)
{
	char *path = dir_path("stderr");
	double until = now_s() + WAIT_MS / 1000.0;
	bool seen = false;
	while (!seen && now_s() < until) {
		char *err = file_read_all(path, NULL);
		seen = err && strstr(err, text);
		free(err);
		if (!seen)
			pause_ms(50);
	}
	char *err = file_read_all(path, NULL);
	ck_assert_msg(seen, "stderr never showed '%s': %s", text,
		      err ? err : "");
	free(err);
	free(path);
}

/* ---- the emulator's side ---- */

static void
simulate(const char *id, const char *body)
{
	char *path = xasprintf("/admin/registrations/%s", id);
	struct reply *r = admin(emu, "POST", path, body);
	EXPECT_JSON(r, 200);
	reply_free(r);
	free(path);
}

/* The stored registration state (GET /registrations/ID), asserting 200. */
static cJSON *
stored_state(const char *id)
{
	char *path = xasprintf("/registrations/%s", id);
	struct reply *r = svc(emu, "GET", path, NULL);
	free(path);
	EXPECT_JSON(r, 200);
	cJSON *j = r->json;
	r->json = NULL;
	reply_free(r);
	return j;
}

/* ---- watch ---- */

START_TEST(watch_sees_the_device_register)
{
	char *id = unique_id("watch-ok");
	cJSON_Delete(create_enrollment(emu, id, ""));
	pid_t pid = SPAWN("watch", id, "--timeout", "60");
	wait_for_err("waiting for ");
	simulate(id, NULL);
	struct cli_result r = finish(pid);
	EXPECT_EXIT(&r, CODE_OK);
	char *line = xasprintf("dpsenroll watch: %s: assigned to " HUB
			       " as device %s (initialAssignment)", id, id);
	expect_err_has(&r, line);
	cJSON *out = cJSON_Parse(r.out);
	ck_assert_msg(out, "stdout is not JSON: %s", r.out);
	ck_assert_str_eq(jstr(out, "status"), "assigned");
	ck_assert_str_eq(jstr(out, "assignedHub"), HUB);
	cJSON_Delete(out);
	free(line);
	cli_result_free(&r);
	free(id);
}
END_TEST

START_TEST(watch_explains_a_failed_registration)
{
	char *id = unique_id("watch-fail");
	cJSON_Delete(create_enrollment(emu, id, ""));
	pid_t pid = SPAWN("watch", id, "--timeout", "60");
	wait_for_err("waiting for ");
	simulate(id, "{\"status\":\"failed\",\"errorCode\":400209,"
		 "\"errorMessage\":\"The hub refused the device.\"}");
	struct cli_result r = finish(pid);
	EXPECT_EXIT(&r, CODE_REFUSED);
	char *line = xasprintf("dpsenroll watch: %s: failed: 400209 The hub "
			       "refused the device.", id);
	expect_err_has(&r, line);
	expect_err_has(&r, "  why: the IoT hub the device was assigned to did "
		       "not accept it");
	free(line);
	cli_result_free(&r);
	free(id);
}
END_TEST

START_TEST(watch_reports_a_disabled_device)
{
	char *id = unique_id("watch-off");
	cJSON_Delete(create_enrollment(emu, id, ",\"provisioningStatus\":"
				       "\"disabled\""));
	pid_t pid = SPAWN("watch", id, "--timeout", "60");
	wait_for_err("waiting for ");
	simulate(id, NULL);
	struct cli_result r = finish(pid);
	EXPECT_EXIT(&r, CODE_REFUSED);
	char *line = xasprintf("dpsenroll watch: %s: disabled", id);
	expect_err_has(&r, line);
	free(line);
	cli_result_free(&r);
	free(id);
}
END_TEST

/* An assignment from before the watch is not its answer: the failure
 * that follows is. */
START_TEST(watch_ignores_a_state_from_before)
{
	char *id = unique_id("watch-old");
	cJSON_Delete(create_enrollment(emu, id, ""));
	simulate(id, NULL);
	pid_t pid = SPAWN("watch", id, "--timeout", "60");
	wait_for_err("predates this watch");
	simulate(id, "{\"status\":\"failed\",\"errorCode\":400208}");
	struct cli_result r = finish(pid);
	EXPECT_EXIT(&r, CODE_REFUSED);
	char *line = xasprintf("dpsenroll watch: %s: failed: 400208", id);
	expect_err_has(&r, line);
	ck_assert_msg(!strstr(r.err, "assigned to"), "the old state was taken "
		      "as the answer: %s", r.err);
	free(line);
	cli_result_free(&r);
	free(id);
}
END_TEST

START_TEST(watch_times_out)
{
	char *id = unique_id("watch-late");
	cJSON_Delete(create_enrollment(emu, id, ""));
	simulate(id, NULL);	/* old: not an answer */
	struct cli_result r = RUN("watch", id, "--timeout", "1");
	EXPECT_EXIT(&r, CODE_TIMED_OUT);
	char *line = xasprintf("dpsenroll watch: %s: timed out: no new "
			       "registration within 0:01", id);
	expect_err_has(&r, line);
	free(line);
	cli_result_free(&r);
	free(id);
}
END_TEST

/* ---- register ---- */

/* Neither the enrollment's keys nor a device token may show. */
static void
expect_no_secret(const char *id, const struct cli_result *r)
{
	char *path = xasprintf("/enrollments/%s/attestationmechanism", id);
	struct reply *m = svc(emu, "POST", path, NULL);
	free(path);
	const char *keys[] = { jstr(m->json, "symmetricKey.primaryKey"),
			       jstr(m->json, "symmetricKey.secondaryKey") };
	char *journal = xasprintf("%s/dpsenroll/journal.jsonl", dir);
	char *jtext = file_read_all(journal, NULL);
	for (int i = 0; i < 2; i++) {
		if (!keys[i])
			continue;
		ck_assert_msg(!strstr(r->out, keys[i]) && !strstr(r->err, keys[i]),
			      "the enrollment's key shows");
		ck_assert_msg(!jtext || !strstr(jtext, keys[i]),
			      "the journal holds the key");
	}
	ck_assert_msg(!strstr(r->err, "sig=") && !strstr(r->out, "sig="),
		      "a token shows: %s", r->err);
	free(jtext);
	free(journal);
	reply_free(m);
}

static void
expect_stored_status(const char *id, const char *status)
{
	cJSON *st = stored_state(id);
	ck_assert_msg(jstr(st, "status") && strcmp(jstr(st, "status"), status) == 0,
		      "stored state of %s is %s, expected %s", id,
		      jstr(st, "status"), status);
	cJSON_Delete(st);
}

/* The journal's last line names operation register for `id` with
 * `outcome`. */
static void
expect_journal(const char *id, const char *outcome)
{
	char *journal = xasprintf("%s/dpsenroll/journal.jsonl", dir);
	char *text = file_read_all(journal, NULL);
	ck_assert_msg(text, "no journal at %s", journal);
	char *want = xasprintf("\"registrationId\":\"%s\",\"operation\":"
			       "\"register\",\"outcome\":\"%s\"", id, outcome);
	ck_assert_msg(strstr(text, want), "the journal lacks %s: %s", want, text);
	free(want);
	free(text);
	free(journal);
}

START_TEST(register_symmetric_key_assigns)
{
	char *id = unique_id("reg-sk");
	cJSON_Delete(create_enrollment(emu, id, ""));
	struct cli_result r = RUN("register", id, "--yes");
	EXPECT_EXIT(&r, CODE_OK);
	char *line = xasprintf("dpsenroll register: %s: assigned to " HUB
			       " as device %s (initialAssignment)", id, id);
	expect_err_has(&r, line);
	expect_stored_status(id, "assigned");
	expect_journal(id, "ok");
	expect_no_secret(id, &r);
	free(line);
	cli_result_free(&r);
	free(id);
}
END_TEST

START_TEST(register_asks_before_provisioning)
{
	char *id = unique_id("reg-ask");
	cJSON_Delete(create_enrollment(emu, id, ""));
	struct cli_result r = RUN("register", id);
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "registering provisions the device into an IoT hub; "
		       "pass --yes");
	char *path = xasprintf("/registrations/%s", id);
	struct reply *st = svc(emu, "GET", path, NULL);
	EXPECT_ERROR(st, 404, 404202);
	reply_free(st);
	free(path);
	cli_result_free(&r);
	free(id);
}
END_TEST

/* Nothing at the device endpoint: the advice names the endpoint's
 * settings, not the connection string's. */
START_TEST(register_names_an_unreachable_endpoint)
{
	char *id = unique_id("reg-nowhere");
	cJSON_Delete(create_enrollment(emu, id, ""));
	struct cli_result r = RUN("register", id, "--global-endpoint", "127.0.0.1:1",
			   "--retries", "0", "--yes");
	EXPECT_EXIT(&r, 3);
	expect_err_has(&r, "  why: nothing accepted the connection at the "
		       "device endpoint");
	expect_err_has(&r, "  next: check --global-endpoint");
	cli_result_free(&r);
	free(id);
}
END_TEST

/* The device registers with a DPS that holds other keys for the same id
 * (keys regenerated, or the wrong DPS): the service says no. */
static void
copy_file(const char *from_dir, const char *to_dir, const char *name)
{
	char *from = xasprintf("%s/%s", from_dir, name);
	char *to = xasprintf("%s/%s", to_dir, name);
	size_t len;
	char *data = file_read_all(from, &len);
	ck_assert_msg(data, "cannot read %s", from);
	char *why = NULL;
	ck_assert_msg(file_write_atomic(to, data, len, 0600, &why), "%s", why);
	secret_str_free(data);
	free(to);
	free(from);
}

/* A second DPS whose server certificate the first one's CA signed, so
 * the client trusts both. */
static struct emu_proc *
emu_sharing_ca(const char *const *args)
{
	char *why = NULL;
	struct emu_proc *e = emu_prepare(args, &why);
	ck_assert_msg(e, "%s", why);
	ck_assert_int_eq(mkdir(e->data_dir, 0700), 0);
	copy_file(emu->data_dir, e->data_dir, "ca.pem");
	copy_file(emu->data_dir, e->data_dir, "ca.key");
	emu_restart(e);
	return e;
}

START_TEST(register_with_a_wrong_key_fails)
{
	char *id = unique_id("reg-wrong");
	cJSON_Delete(create_enrollment(emu, id, ""));
	device_emu = emu_sharing_ca(hub_args);
	cJSON_Delete(create_enrollment(device_emu, id, ""));
	struct cli_result r = RUN("register", id, "--yes");
	EXPECT_EXIT(&r, CODE_REFUSED);
	expect_err_has(&r, "HTTP 401 (401002)");
	expect_err_has(&r, "  why: the service did not accept the device's "
		       "token");
	expect_journal(id, "failed");
	expect_no_secret(id, &r);
	cli_result_free(&r);
	free(id);
}
END_TEST

START_TEST(register_refuses_tpm)
{
	char *id = unique_id("reg-tpm");
	char *ek = tpm_ek_text();
	char *body = xasprintf("{\"registrationId\":\"%s\",\"attestation\":"
			       "{\"type\":\"tpm\",\"tpm\":{\"endorsementKey\":"
			       "\"%s\"}}}", id, ek);
	struct reply *p = put_enrollment(emu, id, body, NULL);
	EXPECT_JSON(p, 200);
	reply_free(p);
	struct cli_result r = RUN("register", id, "--yes");
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "only the device's TPM can register it");
	expect_err_has(&r, "dpsenroll watch");
	cli_result_free(&r);
	free(body);
	free(ek);
	free(id);
}
END_TEST

/* A self-signed device certificate and key made by openssl, CN `cn`, in
 * the test folder as NAME.pem and NAME.key. */
static void
make_cert(const char *name, const char *cn)
{
	char *cmd = xasprintf("openssl req -x509 -newkey ec -pkeyopt "
			      "ec_paramgen_curve:P-256 -nodes -days 30 -subj "
			      "/CN=%s -keyout %s/%s.key -out %s/%s.pem 2>/dev/null",
			      cn, dir, name, dir, name);
	free(run_shell(cmd));
	free(cmd);
}

static void
write_pem(const char *name, int (*write)(BIO *, void *), void *what)
{
	char *path = dir_path(name);
	BIO *b = BIO_new_file(path, "w");
	ck_assert_msg(b && write(b, what), "cannot write %s", path);
	BIO_free(b);
	free(path);
}

static int
write_cert(BIO *b, void *x)
{
	return PEM_write_bio_X509(b, x);
}

static int
write_key(BIO *b, void *k)
{
	return PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);
}

/* A self-signed certificate for CN `cn` whose validity ended a day ago,
 * as NAME.pem and NAME.key. */
static void
make_expired_cert(const char *name, const char *cn)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	ck_assert(key && x);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_set_version(x, 2);
	X509_gmtime_adj(X509_getm_notBefore(x), -30L * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), -86400);
	X509_NAME *n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, n);
	X509_set_pubkey(x, key);
	ck_assert(X509_sign(x, key, EVP_sha256()));
	char *cert = xasprintf("%s.pem", name), *keyf = xasprintf("%s.key", name);
	write_pem(cert, write_cert, x);
	write_pem(keyf, write_key, key);
	free(keyf);
	free(cert);
	X509_free(x);
	EVP_PKEY_free(key);
}

/* An X.509 enrollment for `id` holding NAME.pem as its primary. */
static void
enroll_x509(const char *id, const char *name)
{
	char *file = xasprintf("%s.pem", name);
	char *pem = read_back(file);
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "registrationId", id);
	cJSON *att = cJSON_AddObjectToObject(b, "attestation");
	cJSON_AddStringToObject(att, "type", "x509");
	cJSON *prim = cJSON_AddObjectToObject(cJSON_AddObjectToObject(
		cJSON_AddObjectToObject(att, "x509"), "clientCertificates"),
		"primary");
	cJSON_AddStringToObject(prim, "certificate", pem);
	char *body = cJSON_PrintUnformatted(b);
	struct reply *r = put_enrollment(emu, id, body, NULL);
	EXPECT_JSON(r, 200);
	reply_free(r);
	free(body);
	cJSON_Delete(b);
	free(pem);
	free(file);
}

static struct cli_result
register_x509(const char *id, const char *name)
{
	char *cert = xasprintf("%s/%s.pem", dir, name);
	char *key = xasprintf("%s/%s.key", dir, name);
	struct cli_result r = RUN("register", id, "--cert", cert, "--key", key, "--yes");
	free(key);
	free(cert);
	return r;
}

START_TEST(register_x509_over_mutual_tls_assigns)
{
	char *id = unique_id("reg-x509");
	make_cert("device", id);
	enroll_x509(id, "device");
	struct cli_result r = register_x509(id, "device");
	EXPECT_EXIT(&r, CODE_OK);
	char *line = xasprintf("dpsenroll register: %s: assigned to " HUB
			       " as device %s (initialAssignment)", id, id);
	expect_err_has(&r, line);
	expect_stored_status(id, "assigned");
	expect_journal(id, "ok");
	ck_assert_msg(!strstr(r.out, "PRIVATE KEY") && !strstr(r.err,
		      "PRIVATE KEY"), "the private key shows");
	char *journal = xasprintf("%s/dpsenroll/journal.jsonl", dir);
	char *jtext = file_read_all(journal, NULL);
	ck_assert_msg(jtext && !strstr(jtext, "PRIVATE"), "the journal holds "
		      "the key");
	free(jtext);
	free(journal);
	free(line);
	cli_result_free(&r);
	free(id);
}
END_TEST

/* Another certificate with the right CN: refused, and the registration
 * state says so. */
START_TEST(register_with_a_wrong_certificate_fails)
{
	char *id = unique_id("reg-x509-bad");
	make_cert("device", id);
	make_cert("other", id);
	enroll_x509(id, "device");
	struct cli_result r = register_x509(id, "other");
	EXPECT_EXIT(&r, CODE_REFUSED);
	expect_err_has(&r, "HTTP 401 (401002): Invalid certificate: the device "
		       "certificate (SHA-256 ");
	expect_err_has(&r, "is neither the primary nor the secondary");
	expect_err_has(&r, "  why: the service did not accept the device's "
		       "certificate");
	cJSON *st = stored_state(id);
	ck_assert_str_eq(jstr(st, "status"), "failed");
	ck_assert_int_eq(cJSON_GetObjectItem(st, "errorCode")->valueint, 401002);
	cJSON_Delete(st);
	expect_journal(id, "failed");
	cli_result_free(&r);
	free(id);
}
END_TEST

/* The enrolled certificate, but its CN is not the registration id. */
START_TEST(register_x509_needs_the_id_as_cn)
{
	char *id = unique_id("reg-x509-cn");
	make_cert("device", "someone-else");
	enroll_x509(id, "device");
	struct cli_result r = register_x509(id, "device");
	EXPECT_EXIT(&r, CODE_REFUSED);
	char *line = xasprintf("the device certificate's CN 'someone-else' is "
			       "not the registration id '%s'", id);
	expect_err_has(&r, line);
	expect_stored_status(id, "failed");
	free(line);
	cli_result_free(&r);
	free(id);
}
END_TEST

/* The enrolled certificate, past its validity. */
START_TEST(register_x509_expired_certificate_fails)
{
	char *id = unique_id("reg-x509-old");
	make_expired_cert("device", id);
	enroll_x509(id, "device");
	struct cli_result r = register_x509(id, "device");
	EXPECT_EXIT(&r, CODE_REFUSED);
	expect_err_has(&r, "Invalid certificate: the device certificate expired "
		       "at ");
	expect_stored_status(id, "failed");
	cli_result_free(&r);
	free(id);
}
END_TEST

/* A key that is not the certificate's is caught before anything is
 * sent. */
START_TEST(register_x509_key_must_match)
{
	char *id = unique_id("reg-x509-key");
	make_cert("device", id);
	make_cert("other", id);
	enroll_x509(id, "device");
	char *cert = xasprintf("%s/device.pem", dir);
	char *key = xasprintf("%s/other.key", dir);
	struct cli_result r = RUN("register", id, "--cert", cert, "--key", key, "--yes");
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "does not belong to the certificate in");
	char *path = xasprintf("/registrations/%s", id);
	struct reply *st = svc(emu, "GET", path, NULL);
	EXPECT_ERROR(st, 404, 404202);
	reply_free(st);
	free(path);
	free(key);
	free(cert);
	cli_result_free(&r);
	free(id);
}
END_TEST

/* A device key encrypted with a pass phrase: refused with what to do,
 * before anything is sent, and without OpenSSL asking for the pass
 * phrase (on the terminal, under the form; libcurl crashed on it). */
START_TEST(register_x509_encrypted_key_is_refused_without_a_prompt)
{
	char *id = unique_id("reg-x509-enc");
	make_cert("device", id);
	enroll_x509(id, "device");
	char *cmd = xasprintf("openssl pkey -in %s/device.key -aes256 -passout "
			      "pass:bench-pass -out %s/locked.key 2>&1", dir, dir);
	free(run_shell(cmd));
	char *cert = xasprintf("%s/device.pem", dir);
	char *key = xasprintf("%s/locked.key", dir);
	struct cli_result r = RUN("register", id, "--cert", cert, "--key", key, "--yes");
	EXPECT_EXIT(&r, CODE_USAGE);
	expect_err_has(&r, "locked.key is encrypted with a pass phrase");
	ck_assert_msg(!strstr(r.err, "pass phrase:"), "OpenSSL asked for the "
		      "pass phrase: %s", r.err);
	char *path = xasprintf("/registrations/%s", id);
	struct reply *st = svc(emu, "GET", path, NULL);
	EXPECT_ERROR(st, 404, 404202);
	reply_free(st);
	free(path);
	free(key);
	free(cert);
	free(cmd);
	cli_result_free(&r);
	free(id);
}
END_TEST

/* A throttled poll is waited out as the service asks, and the watch goes
 * on. */
START_TEST(watch_waits_out_throttling)
{
	char *id = unique_id("watch-429");
	cJSON_Delete(create_enrollment(emu, id, ""));
	set_fault(emu, "status=429,retry-after=1,count=6,method=GET,"
		  "path=/registrations/");
	pid_t pid = SPAWN("watch", id, "--timeout", "60");
	wait_for_err("waiting for ");
	simulate(id, NULL);
	struct cli_result r = finish(pid);
	EXPECT_EXIT(&r, CODE_OK);
	expect_err_has(&r, "429 throttled by the service; retrying in 1 s");
	char *line = xasprintf("dpsenroll watch: %s: assigned to " HUB, id);
	expect_err_has(&r, line);
	free(line);
	cli_result_free(&r);
	free(id);
}
END_TEST

START_TEST(watch_of_an_unknown_enrollment_says_so)
{
	struct cli_result r = RUN("watch", "no-such-device-77", "--timeout", "60");
	EXPECT_EXIT(&r, CODE_REFUSED);
	expect_err_has(&r, "HTTP 404 (404201)");
	expect_err_has(&r, "  why: there is no individual enrollment with that "
		       "registration id");
	ck_assert_msg(!strstr(r.err, "waiting for"), "it waited: %s", r.err);
	cli_result_free(&r);
}
END_TEST

Suite *
verify_suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = itest_tcase("watch");
	tcase_add_checked_fixture(tc, up, down);
	tcase_add_test(tc, watch_sees_the_device_register);
	tcase_add_test(tc, watch_explains_a_failed_registration);
	tcase_add_test(tc, watch_reports_a_disabled_device);
	tcase_add_test(tc, watch_ignores_a_state_from_before);
	tcase_add_test(tc, watch_times_out);
	tcase_add_test(tc, watch_of_an_unknown_enrollment_says_so);
	tcase_add_test(tc, watch_waits_out_throttling);
	suite_add_tcase(s, tc);
	tc = itest_tcase("register");
	tcase_add_checked_fixture(tc, up, down);
	tcase_add_test(tc, register_symmetric_key_assigns);
	tcase_add_test(tc, register_asks_before_provisioning);
	tcase_add_test(tc, register_with_a_wrong_key_fails);
	tcase_add_test(tc, register_refuses_tpm);
	tcase_add_test(tc, register_names_an_unreachable_endpoint);
	tcase_add_test(tc, register_x509_over_mutual_tls_assigns);
	tcase_add_test(tc, register_with_a_wrong_certificate_fails);
	tcase_add_test(tc, register_x509_needs_the_id_as_cn);
	tcase_add_test(tc, register_x509_key_must_match);
	tcase_add_test(tc, register_x509_encrypted_key_is_refused_without_a_prompt);
	tcase_add_test(tc, register_x509_expired_certificate_fails);
	suite_add_tcase(s, tc);
	return s;
}
