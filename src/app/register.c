#include "app/register.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "app/journal.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/device.h"
#include "sys/fileio.h"

enum {
	PEM_MAX_BYTES = 256 * 1024,
	POLL_MAX = 60,			/* polls of one operation */
	POLL_DEFAULT_S = 2,		/* without a Retry-After */
	POLL_CAP_S = 10,
};

/* ---- credentials ---- */

/* The file, read so that no copy is left in freed memory. */
static char *
read_pem_file(const char *path, const char *what, char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*why = xasprintf("cannot read the %s %s: %s", what, path,
				 strerror(errno));
		return NULL;
	}
	size_t len;
	char *text = fd_read_all(fd, PEM_MAX_BYTES, &len);
	int err = errno;
	close(fd);
	if (!text)
		*why = err == EFBIG
		       ? xasprintf("the %s %s is larger than any PEM file should "
				   "be; is it the right file?", what, path)
		       : xasprintf("cannot read the %s %s: %s", what, path,
				   strerror(err));
	return text;
}

static X509 *
first_cert(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *c = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	return c;
}

/* OpenSSL's own answer to an encrypted key is to ask for its pass
 * phrase on the terminal, under the form's screen (and libcurl, given
 * such a key, crashes): no pass phrase is ever given, so an encrypted
 * key is simply not read. */
static int
no_pass_phrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static EVP_PKEY *
private_key(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *k = b ? PEM_read_bio_PrivateKey(b, NULL, no_pass_phrase, NULL)
			: NULL;
	BIO_free(b);
	ERR_clear_error();
	return k;
}

static bool
is_encrypted(const char *pem)
{
	return strstr(pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
	       strstr(pem, "Proc-Type: 4,ENCRYPTED");
}

static bool
check_pair(const char *cert_path, const char *key_path,
	   const struct device_credentials *c, char **why)
{
	X509 *cert = first_cert(c->cert_pem);
	EVP_PKEY *key = cert ? private_key(c->key_pem) : NULL;
	if (!cert)
		*why = xasprintf("%s holds no PEM certificate (-----BEGIN "
				 "CERTIFICATE-----); give the device's certificate",
				 cert_path);
	else if (!key && is_encrypted(c->key_pem))
		*why = xasprintf("the private key in %s is encrypted with a pass "
				 "phrase, which is not asked for here; give the "
				 "key as the device holds it (PEM, not encrypted)",
				 key_path);
	else if (!key)
		*why = xasprintf("%s holds no private key that can be read "
				 "(PEM, not encrypted); give the device's private key",
				 key_path);
	else if (X509_check_private_key(cert, key) != 1)
		*why = xasprintf("the private key in %s does not belong to the "
				 "certificate in %s; give the pair the device holds",
				 key_path, cert_path);
	EVP_PKEY_free(key);
	X509_free(cert);
	return *why == NULL;
}

bool
device_credentials_x509(const char *cert_path, const char *key_path,
			struct device_credentials *out, char **why)
{
	memset(out, 0, sizeof(*out));
	out->proof = PROOF_X509;
	*why = NULL;
	out->cert_pem = read_pem_file(cert_path, "certificate file", why);
	if (out->cert_pem)
		out->key_pem = read_pem_file(key_path, "private key file", why);
	if (out->key_pem && check_pair(cert_path, key_path, out, why))
		return true;
	device_credentials_clear(out);
	return false;
}

void
device_credentials_clear(struct device_credentials *c)
{
	secret_str_free(c->key_b64);
	secret_str_free(c->key_pem);
	free(c->cert_pem);
	memset(c, 0, sizeof(*c));
}

/* ---- the registration ---- */

static const char *
member(const cJSON *o, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));
}

static struct dps_client *
device_client(const struct device_target *t, const char *id,
	      const struct device_credentials *cred,
	      const struct dps_client_opts *base, char **why)
{
	struct dps_client_opts opts = base ? *base : (struct dps_client_opts){ 0 };
	char *resource = dps_device_resource(t->id_scope, id);
	struct dps_conn conn = { .host = t->endpoint };
	if (cred->proof == PROOF_SAS) {
		conn.policy = "registration";
		conn.key = cred->key_b64;
		opts.sas_resource = resource;
	} else {
		opts.client_cert_pem = cred->cert_pem;
		opts.client_key_pem = cred->key_pem;
	}
	struct dps_client *c = dps_client_new(&conn, &opts, why);
	free(resource);
	return c;
}

/* Sleeps in short steps so a cancel is seen; false when cancelled. */
static bool
pause_s(const struct dps_client_opts *o, int s)
{
	for (int ms = s * 1000; ms > 0; ms -= 50) {
		if (o && o->cancelled && o->cancelled(o->cancel_ctx))
			return false;
		struct timespec ts = { 0, 50 * 1000000L };
		nanosleep(&ts, NULL);
	}
	return true;
}

static int
poll_wait_s(const struct dps_response *r)
{
	if (r->retry_after < 0)
		return POLL_DEFAULT_S;
	return r->retry_after < 1 ? 1
	       : r->retry_after > POLL_CAP_S ? POLL_CAP_S : r->retry_after;
}

/* Takes the operation's status and state from an answer. */
static bool
take_status(struct register_outcome *out)
{
	const cJSON *b = out->resp.body;
	if (out->resp.failure != DPS_ANSWERED || out->resp.status >= 300 ||
	    !member(b, "status"))
		return false;
	cJSON_Delete(out->state);
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(b, "registrationState");
	out->state = cJSON_IsObject(rs) ? cJSON_Duplicate(rs, true) : NULL;
	out->status = member(b, "status");
	return true;
}

static void
poll_operation(struct dps_client *c, const struct device_target *t,
	       const char *id, const struct dps_client_opts *opts,
	       struct register_outcome *out)
{
	char *op = xstrdup(member(out->resp.body, "operationId"));
	for (int n = 0; n < POLL_MAX; n++) {
		if (strcmp(out->status, "assigning") != 0)
			break;
		if (!pause_s(opts, poll_wait_s(&out->resp))) {
			dps_response_clear(&out->resp);
			out->status = NULL;
			out->resp.failure = DPS_FAIL_CANCELLED;
			out->resp.failure_text = xstrdup("cancelled");
			break;
		}
		dps_response_clear(&out->resp);
		out->status = NULL;
		dps_device_operation(c, t->id_scope, id, op, &out->resp);
		if (!take_status(out))
			break;
	}
	out->gave_up = out->status && strcmp(out->status, "assigning") == 0;
	free(op);
}

void
device_register(const struct device_target *t, const char *id,
		const struct device_credentials *cred,
		const struct dps_client_opts *opts, struct register_outcome *out)
{
	memset(out, 0, sizeof(*out));
	char *why = NULL;
	struct dps_client *c = device_client(t, id, cred, opts, &why);
	if (!c) {
		out->resp.failure = DPS_FAIL_OTHER;
		out->resp.failure_text = why;
		return;
	}
	dps_device_register(c, t->id_scope, id, &out->resp);
	if (take_status(out) && member(out->resp.body, "operationId"))
		poll_operation(c, t, id, opts, out);
	dps_client_free(c);
}

void
register_outcome_clear(struct register_outcome *o)
{
	dps_response_clear(&o->resp);
	cJSON_Delete(o->state);
	memset(o, 0, sizeof(*o));
}

char *
register_state_text(const cJSON *s)
{
	const char *status = member(s, "status");
	const char *hub = member(s, "assignedHub");
	const char *dev = member(s, "deviceId");
	const char *sub = member(s, "substatus");
	const char *msg = member(s, "errorMessage");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(s, "errorCode");
	if (status && strcmp(status, "assigned") == 0)
		return xasprintf("assigned to %s as device %s%s%s%s",
				 hub ? hub : "(no hub named)",
				 dev ? dev : "(no device id)", sub ? " (" : "",
				 sub ? sub : "", sub ? ")" : "");
	if (status && strcmp(status, "failed") == 0) {
		char codetext[24] = "";
		if (cJSON_IsNumber(code))
			snprintf(codetext, sizeof(codetext), "%d ", code->valueint);
		return xasprintf("failed: %s%s", codetext, msg ? msg : "(no message)");
	}
	if (status && strcmp(status, "disabled") == 0)
		return xstrdup("disabled: the enrollment's provisioning status is "
			       "disabled, so the device was refused");
	return xasprintf("%s", status ? status : "no status");
}

/* ---- the journal ---- */

void
register_journal(const char *id, const struct register_outcome *o,
		 const char *text, char **why)
{
	struct journal_entry e = { .registration_id = id,
				   .operation = "register" };
	journal_entry_from_response(&e, &o->resp);
	if (e.outcome == JOURNAL_OK && (!o->status || o->gave_up ||
					strcmp(o->status, "assigned") != 0))
		e.outcome = JOURNAL_FAILED;
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(o->state, "errorCode");
	if (cJSON_IsNumber(code))
		e.error_code = code->valueint;
	e.etag = member(o->state, "etag");
	if (text)
		e.message = text;
	*why = NULL;
	journal_append(&e, why);
}
