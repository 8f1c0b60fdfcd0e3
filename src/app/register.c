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
#include "base/i18n.h"
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

/* Why the certificate (`key` false) or private key file at `path`
 * cannot be read: `err` an errno, EFBIG for a file too large. */
static char *
unreadable(const char *path, bool key, int err)
{
	if (err == EFBIG && key)
		return xasprintf(_("the private key file %s is larger than any "
				   "PEM file should be; is it the right file?"),
				 path);
	if (err == EFBIG)
		return xasprintf(_("the certificate file %s is larger than any "
				   "PEM file should be; is it the right file?"),
				 path);
	if (key)
		/* TRANSLATORS: %1$s is a file; %2$s, the system's reason. */
		return xasprintf(_("cannot read the private key file %1$s: %2$s"),
				 path, strerror(err));
	/* TRANSLATORS: %1$s is a file; %2$s, the system's reason. */
	return xasprintf(_("cannot read the certificate file %1$s: %2$s"),
			 path, strerror(err));
}

/* The file, read so that no copy is left in freed memory. */
static char *
read_pem_file(const char *path, bool key, char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*why = unreadable(path, key, errno);
		return NULL;
	}
	size_t len;
	char *text = fd_read_all(fd, PEM_MAX_BYTES, &len);
	int err = errno;
	close(fd);
	if (!text)
		*why = unreadable(path, key, err);
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
		*why = xasprintf(_("%s holds no PEM certificate (-----BEGIN "
				   "CERTIFICATE-----); give the device's "
				   "certificate"),
				 cert_path);
	else if (!key && is_encrypted(c->key_pem))
		*why = xasprintf(_("the private key in %s is encrypted with a "
				   "pass phrase, which is not asked for here; "
				   "give the key as the device holds it (PEM, "
				   "not encrypted)"),
				 key_path);
	else if (!key)
		*why = xasprintf(_("%s holds no private key that can be read "
				   "(PEM, not encrypted); give the device's "
				   "private key"),
				 key_path);
	else if (X509_check_private_key(cert, key) != 1)
		*why = xasprintf(_("the private key in %s does not belong to "
				   "the certificate in %s; give the pair the "
				   "device holds"),
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
	out->cert_pem = read_pem_file(cert_path, false, why);
	if (out->cert_pem)
		out->key_pem = read_pem_file(key_path, true, why);
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
			out->resp.failure_said = xstrdup(_("cancelled"));
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

/* `text` as the person reads it, or as the journal keeps it (English). */
static const char *
say(bool person, const char *text) __attribute__((format_arg(2)));

static const char *
say(bool person, const char *text)
{
	return person ? _(text) : text;
}

static char *
state_text(const cJSON *s, bool person)
{
	const char *status = member(s, "status");
	const char *hub = member(s, "assignedHub");
	const char *dev = member(s, "deviceId");
	const char *sub = member(s, "substatus");
	const char *msg = member(s, "errorMessage");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(s, "errorCode");
	if (!hub)
		hub = say(person, N_("(no hub named)"));
	if (!dev)
		dev = say(person, N_("(no device id)"));
	if (!msg)
		msg = say(person, N_("(no message)"));
	if (status && strcmp(status, "assigned") == 0 && sub)
		/* TRANSLATORS: %1$s is a hub, %2$s a device id, %3$s the
		 * service's substatus (initialAssignment,
		 * deviceDataMigrated...). */
		return xasprintf(say(person, N_("assigned to %1$s as device "
						"%2$s (%3$s)")), hub, dev, sub);
	if (status && strcmp(status, "assigned") == 0)
		/* TRANSLATORS: %1$s is a hub, %2$s a device id. */
		return xasprintf(say(person, N_("assigned to %1$s as device "
						"%2$s")),
				 hub, dev);
	if (status && strcmp(status, "failed") == 0 && cJSON_IsNumber(code))
		/* TRANSLATORS: %1$d is the service's error code; %2$s its
		 * message. */
		return xasprintf(say(person, N_("failed: %1$d %2$s")),
				 code->valueint, msg);
	if (status && strcmp(status, "failed") == 0)
		/* TRANSLATORS: %s is the service's error message. */
		return xasprintf(say(person, N_("failed: %s")), msg);
	if (status && strcmp(status, "disabled") == 0)
		return xstrdup(say(person, N_("disabled: the enrollment's "
					      "provisioning status is "
					      "disabled, so the device was "
					      "refused")));
	return xstrdup(status ? status : say(person, N_("no status")));
}

char *
register_state_text(const cJSON *s)
{
	return state_text(s, false);
}

char *
register_state_words(const cJSON *s)
{
	return state_text(s, true);
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
