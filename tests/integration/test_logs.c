/* The request log on stderr: one line per request (method, path, status,
 * milliseconds), and never a key, token or certificate. */

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"
#include "base/sas.h"
#include "base/secret.h"
#include "base/url.h"
#include "base/xalloc.h"

SHARED_EMU_FIXTURE(NULL)

static void
expect_line(const struct emu_proc *e, const char *method, const char *path,
	    int status)
{
	char *re = xasprintf("^%s %s %d [0-9]+ ?ms$", method, path, status);
	int n = emu_log_wait(e, re, 2000);
	char *log = emu_log(e);
	ck_assert_msg(n == 1, "%d lines match %s in:\n%.2000s", n, re, log);
	free(log);
	free(re);
}

START_TEST(one_line_per_request)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("log-line");
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(e, "GET", path, NULL);
	EXPECT_STATUS(r, 404);
	reply_free(r);
	cJSON_Delete(create_enrollment(e, id, ""));
	r = svc(e, "DELETE", path, NULL);
	EXPECT_STATUS(r, 204);
	reply_free(r);
	expect_line(e, "GET", path, 404);
	expect_line(e, "PUT", path, 200);
	expect_line(e, "DELETE", path, 204);
	char *any = xasprintf("^.*%s( .*)?$", path);
	ck_assert_int_eq(emu_log_wait(e, any, 0), 3);
	free(any);
	free(path);
	free(id);
}
END_TEST

/* What the emulator was shown and must never write down. */
struct secrets {
	char *value[16];
	const char *what[16];
	size_t n;
};

static void
keep(struct secrets *s, const char *value, const char *what)
{
	ck_assert(s->n < 16 && value);
	s->value[s->n] = xstrdup(value);
	s->what[s->n++] = what;
}

static void
secrets_clear(struct secrets *s)
{
	for (size_t i = 0; i < s->n; i++)
		secret_str_free(s->value[i]);
	s->n = 0;
}

/* The signature of `token`, as sent and decoded. */
static void
keep_token(struct secrets *s, const char *token, const char *what)
{
	struct sas_fields f;
	ck_assert(sas_fields_parse(token, &f));
	keep(s, f.sig, what);
	char *decoded = url_decode(f.sig);
	keep(s, decoded, what);
	secret_str_free(decoded);
	sas_fields_clear(&f);
}

static void
put_given_keys(struct emu_proc *e, const char *id, struct secrets *s)
{
	char *pk = random_key(32), *sk = random_key(32);
	char *body = xasprintf("{\"registrationId\":\"%s\",\"attestation\":"
			       "{\"type\":\"symmetricKey\",\"symmetricKey\":"
			       "{\"primaryKey\":\"%s\",\"secondaryKey\":\"%s\"}}}",
			       id, pk, sk);
	char *token = service_token(e, 3600);
	char *path = xasprintf("/enrollments/%s", id);
	struct http_req req = { .method = "PUT", .path = path, .body = body,
				.auth = token };
	struct reply *r = http(e, &req);
	EXPECT_JSON(r, 200);
	reply_free(r);
	keep(s, pk, "given primary key");
	keep(s, sk, "given secondary key");
	keep_token(s, token, "service SAS signature");
	free(path);
	secret_str_free(token);
	free(body);
	free(pk);
	free(sk);
}

/* Creates `id` with generated keys, reads them back through the
 * attestation mechanism and registers the device with them. */
static void
use_generated_keys(struct emu_proc *e, const char *id, struct secrets *s)
{
	cJSON *c = create_enrollment(e, id, "");
	const char *pk = jstr(c, "attestation.symmetricKey.primaryKey");
	keep(s, pk, "generated primary key");
	keep(s, jstr(c, "attestation.symmetricKey.secondaryKey"),
	     "generated secondary key");
	char *mech = xasprintf("/enrollments/%s/attestationmechanism", id);
	struct reply *r = svc(e, "POST", mech, NULL);
	EXPECT_JSON(r, 200);
	reply_free(r);
	char *token = device_token(e, id, pk);
	char *reg = xasprintf("/%s/registrations/%s/register", e->id_scope, id);
	char *body = xasprintf("{\"registrationId\":\"%s\"}", id);
	r = dev(e, "PUT", reg, token, body);
	EXPECT_STATUS(r, 202);
	reply_free(r);
	keep_token(s, token, "device SAS signature");
	free(body);
	free(reg);
	secret_str_free(token);
	free(mech);
	cJSON_Delete(c);
}

/* A refused token must not be logged either: it may be a typo of a good
 * one. Waits for its line, which comes last. */
static void
send_refused_token(struct emu_proc *e, const char *id, struct secrets *s)
{
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc_auth(e, "GET", path, "SharedAccessSignature "
				   "sr=x&sig=bm90LWEtc2ln&se=1&"
				   "skn=provisioningserviceowner");
	EXPECT_STATUS(r, 401);
	reply_free(r);
	keep(s, "bm90LWEtc2ln", "signature of a refused token");
	char *line = xasprintf("^GET %s 401 ", path);
	ck_assert_int_eq(emu_log_wait(e, line, 2000), 1);
	free(line);
	free(path);
}

START_TEST(log_never_shows_secrets)
{
	struct emu_proc *e = shared_emu(&shared);
	char *given = unique_id("log-given"), *made = unique_id("log-made");
	struct secrets s = { .n = 0 };
	keep(&s, e->policy_key, "policy key");
	keep(&s, "SharedAccessSignature", "Authorization header");
	keep(&s, "BEGIN", "PEM text");
	put_given_keys(e, given, &s);
	use_generated_keys(e, made, &s);
	send_refused_token(e, given, &s);
	char *log = emu_log(e);
	for (size_t i = 0; i < s.n; i++)
		ck_assert_msg(!strstr(log, s.value[i]), "the log shows the %s",
			      s.what[i]);
	secret_str_free(log);
	secrets_clear(&s);
	free(given);
	free(made);
}
END_TEST

/* The log is read line by line, so a client must not be able to add a
 * line of its own through the URL: a %0A in the path is shown as %0A. */
START_TEST(newline_in_url_stays_in_its_line)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("log-nl");
	char *path = xasprintf("/enrollments/%s%%0AFORGED%%20line", id);
	struct reply *r = svc(e, "GET", path, NULL);
	ck_assert_msg(r->status >= 400 && r->status < 500, "%s: %ld", r->what,
		      r->status);
	char *line = xasprintf("^GET /enrollments/%s%%0AFORGED line %ld "
			       "[0-9]+ ?ms$", id, r->status);
	reply_free(r);
	int n = emu_log_wait(e, line, 2000);
	char *log = emu_log(e);
	ck_assert_msg(n == 1, "%d lines match %s in:\n%.2000s", n, line, log);
	ck_assert_msg(emu_log_wait(e, "^FORGED", 0) == 0 &&
		      emu_log_wait(e, id, 0) == 1,
		      "the request took more than one line:\n%.2000s", log);
	free(log);
	free(line);
	free(path);
	free(id);
}
END_TEST

Suite *
logs_suite(void)
{
	Suite *s = suite_create("logs");
	TCase *tc = itest_tcase("logs");
	tcase_add_unchecked_fixture(tc, shared_up, shared_down);
	tcase_add_test(tc, one_line_per_request);
	tcase_add_test(tc, log_never_shows_secrets);
	tcase_add_test(tc, newline_in_url_stays_in_its_line);
	suite_add_tcase(s, tc);
	return s;
}
