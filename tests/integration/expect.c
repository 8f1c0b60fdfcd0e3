/* Expectations about answers, and the small builders tests share. The
 * messages carry the caller's file and line and the answer's body, since
 * libcheck reports the line of the helper. */

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "base/b64.h"
#include "base/xalloc.h"
#include "sys/fileio.h"
#include "harness.h"

static const char *
body_text(const struct reply *r)
{
	return r->body ? r->body : "(no body)";
}

static const char *
curl_text(const struct reply *r)
{
	return r->rc == CURLE_OK ? "" : curl_easy_strerror(r->rc);
}

void
reply_expect_status(const char *file, int line, const struct reply *r,
		    long status)
{
	ck_assert_msg(r->status == status,
		      "%s:%d: %s answered %ld %s, expected %ld: %.400s", file,
		      line, r->what, r->status, curl_text(r), status,
		      body_text(r));
}

void
reply_expect_json(const char *file, int line, const struct reply *r,
		  long status)
{
	reply_expect_status(file, line, r, status);
	ck_assert_msg(r->json, "%s:%d: %s: the body is not JSON: %.400s", file,
		      line, r->what, body_text(r));
	const char *ct = r->content_type ? r->content_type : "(none)";
	ck_assert_msg(strncasecmp(ct, "application/json", 16) == 0,
		      "%s:%d: %s: Content-Type is %s, not application/json",
		      file, line, r->what, ct);
}

void
reply_expect_error(const char *file, int line, const struct reply *r,
		   long status, int code)
{
	reply_expect_json(file, line, r, status);
	const cJSON *ec = cJSON_GetObjectItemCaseSensitive(r->json, "errorCode");
	ck_assert_msg(cJSON_IsNumber(ec) && (int)ec->valuedouble == code,
		      "%s:%d: %s: errorCode is not %d: %.400s", file, line,
		      r->what, code, body_text(r));
	char text[16];
	snprintf(text, sizeof(text), "%d", code);
	ck_assert_msg(r->error_code && strcmp(r->error_code, text) == 0,
		      "%s:%d: %s: x-ms-error-code is %s, expected %s", file,
		      line, r->what, r->error_code ? r->error_code : "absent",
		      text);
	ck_assert_msg(jstr(r->json, "message") && jstr(r->json, "trackingId"),
		      "%s:%d: %s: the error body lacks message or trackingId: "
		      "%.400s", file, line, r->what, body_text(r));
	ck_assert_msg(is_timestamp(jstr(r->json, "timestampUtc")),
		      "%s:%d: %s: timestampUtc is not the service's form: "
		      "%.400s", file, line, r->what, body_text(r));
}

cJSON *
jget(const cJSON *o, const char *path)
{
	char *copy = xstrdup(path), *save = NULL;
	const cJSON *at = o;
	for (char *k = strtok_r(copy, ".", &save); k && at;
	     k = strtok_r(NULL, ".", &save))
		at = cJSON_IsObject(at) ? cJSON_GetObjectItemCaseSensitive(at, k)
					: NULL;
	free(copy);
	return (cJSON *)at;
}

const char *
jstr(const cJSON *o, const char *path)
{
	const cJSON *v = jget(o, path);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
error_code(const struct reply *r)
{
	const cJSON *ec = jget(r->json, "errorCode");
	return cJSON_IsNumber(ec) ? (int)ec->valuedouble : -1;
}

const char *
error_message(const struct reply *r)
{
	const char *m = jstr(r->json, "message");
	return m ? m : "";
}

char *
unique_id(const char *prefix)
{
	static int n;
	return xasprintf("%s-%ld-%d", prefix, (long)getpid(), ++n);
}

char *
enrollment_text(const char *id, const char *extra)
{
	return xasprintf("{\"registrationId\":\"%s\",\"attestation\":"
			 "{\"type\":\"symmetricKey\"}%s}", id, extra ? extra : "");
}

struct reply *
put_enrollment(struct emu_proc *e, const char *id, const char *body,
	       const char *if_match)
{
	char *path = xasprintf("/enrollments/%s", id);
	char *header = if_match ? xasprintf("If-Match: %s", if_match) : NULL;
	const char *headers[] = { header, NULL };
	struct reply *r = svc_h(e, "PUT", path, headers, body);
	free(header);
	free(path);
	return r;
}

cJSON *
create_enrollment(struct emu_proc *e, const char *id, const char *extra)
{
	char *body = enrollment_text(id, extra);
	struct reply *r = put_enrollment(e, id, body, NULL);
	free(body);
	EXPECT_JSON(r, 200);
	cJSON *json = r->json;
	r->json = NULL;
	reply_free(r);
	return json;
}

long
b64_len(const char *text)
{
	unsigned char *raw = NULL;
	size_t len = 0;
	if (!text || b64_decode(text, &raw, &len, NULL) != B64_OK)
		return -1;
	free(raw);
	return (long)len;
}

bool
is_timestamp(const char *s)
{
	regex_t re;
	regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
		"(\\.[0-9]{1,7})?Z$", REG_EXTENDED | REG_NOSUB);
	bool ok = s && regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

bool
is_etag(const char *etag)
{
	unsigned char *raw = NULL;
	size_t len = 0;
	if (!etag || b64_decode(etag, &raw, &len, NULL) != B64_OK)
		return false;
	bool ok = len >= 3 && raw[0] == '"' && raw[len - 1] == '"';
	free(raw);
	return ok;
}

char *
random_key(size_t n)
{
	unsigned char raw[128];
	ck_assert(n <= sizeof(raw) && RAND_bytes(raw, (int)n) == 1);
	return b64_encode(raw, n);
}

struct blob {
	unsigned char b[512];
	size_t n;
};

static void
put16(struct blob *b, unsigned v)
{
	b->b[b->n++] = (unsigned char)(v >> 8);
	b->b[b->n++] = (unsigned char)v;
}

static void
put32(struct blob *b, unsigned long v)
{
	put16(b, (unsigned)(v >> 16));
	put16(b, (unsigned)(v & 0xFFFF));
}

/* PolicySecret(TPM_RH_ENDORSEMENT), the default EK template's policy. */
static const unsigned char ek_policy[32] = {
	0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xB3, 0xF8, 0x1A, 0x90, 0xCC,
	0x8D, 0x46, 0xA5, 0xD7, 0x24, 0xFD, 0x52, 0xD7, 0x6E, 0x06, 0x52,
	0x0B, 0x64, 0xF2, 0xA1, 0xDA, 0x1B, 0x33, 0x14, 0x69, 0xAA,
};

char *
tpm_ek_text(void)
{
	struct blob b = { .n = 2 };	/* the size goes in front at the end */
	put16(&b, 0x0001);		/* RSA */
	put16(&b, 0x000B);		/* SHA-256 */
	put32(&b, 0x000300B2);		/* the EK's object attributes */
	put16(&b, sizeof(ek_policy));
	memcpy(b.b + b.n, ek_policy, sizeof(ek_policy));
	b.n += sizeof(ek_policy);
	put16(&b, 0x0006);		/* AES-128-CFB */
	put16(&b, 128);
	put16(&b, 0x0043);
	put16(&b, 0x0010);		/* no scheme */
	put16(&b, 2048);
	put32(&b, 0);			/* default exponent */
	put16(&b, 256);
	ck_assert(RAND_bytes(b.b + b.n, 256) == 1);
	b.b[b.n] |= 0x80;		/* a full 2048-bit modulus */
	b.n += 256;
	size_t body = b.n - 2;
	b.b[0] = (unsigned char)(body >> 8);
	b.b[1] = (unsigned char)body;
	return b64_encode(b.b, b.n);
}

char *
lower_copy(const char *s)
{
	char *out = xstrdup(s);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

char *
run_shell(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	ck_assert_msg(p, "cannot run: %s", cmd);
	char *out = fd_read_all(fileno(p), 0, NULL);
	ck_assert_msg(out, "cannot read what %s wrote", cmd);
	int status = pclose(p);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "command failed (%#x): %s", (unsigned)status, cmd);
	return out;
}

TCase *
itest_tcase(const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_set_timeout(tc, 60);
	return tc;
}
