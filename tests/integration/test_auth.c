/* The SAS check of the service API (semantics §2.2, §12.1): the tokens
 * real SDKs send pass, anything else is 401 with 401002. A GET of an id
 * that does not exist tells the two apart: 404 means the token passed. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "suites.h"
#include "base/sas.h"
#include "base/secret.h"
#include "base/strbuf.h"
#include "base/url.h"
#include "base/xalloc.h"

SHARED_EMU_FIXTURE(NULL)

struct token_parts {
	const char *sr;		/* before URL-encoding */
	const char *key;
	const char *skn;
	long long se;
	const char *order;	/* e.g. "sig,se,skn,sr" */
	bool spoil_sig;
};

static const char *
field_value(const char *name, const char *sr, const char *sig,
	    const char *se, const char *skn)
{
	if (strcmp(name, "sr") == 0)
		return sr;
	if (strcmp(name, "sig") == 0)
		return sig;
	if (strcmp(name, "se") == 0)
		return se;
	return skn;
}

static char *
join_fields(const char *order, const char *sr, const char *sig,
	    const char *se, const char *skn)
{
	struct strbuf out = STRBUF_SECRET;
	strbuf_add(&out, "SharedAccessSignature ");
	char *names = xstrdup(order), *save = NULL;
	const char *sep = "";
	for (char *n = strtok_r(names, ",", &save); n;
	     n = strtok_r(NULL, ",", &save)) {
		strbuf_addf(&out, "%s%s=%s", sep, n,
			    field_value(n, sr, sig, se, skn));
		sep = "&";
	}
	free(names);
	return strbuf_take(&out);
}

/* A token built field by field, the way the docs describe it. */
static char *
make_token(const struct token_parts *p)
{
	char *sr = url_encode(p->sr);
	char *to_sign = xasprintf("%s\n%lld", sr, p->se);
	const char *why = NULL;
	char *sig = sas_sign(p->key, to_sign, &why);
	ck_assert_msg(sig, "sas_sign: %s", why);
	if (p->spoil_sig)
		sig[0] = sig[0] == 'A' ? 'B' : 'A';
	char *sig_enc = url_encode(sig);
	char *se = xasprintf("%lld", p->se);
	char *skn = url_encode(p->skn);
	char *token = join_fields(p->order ? p->order : "sr,sig,se,skn", sr,
				  sig_enc, se, skn);
	free(skn);
	free(se);
	secret_str_free(sig_enc);
	secret_str_free(sig);
	free(to_sign);
	free(sr);
	return token;
}

static struct token_parts
valid_parts(const struct emu_proc *e)
{
	return (struct token_parts){
		.sr = e->host_name, .key = e->policy_key,
		.skn = e->policy_name, .se = (long long)time(NULL) + 600,
	};
}

/* GET of an unknown id with `token`: 404201 when `passes`, else 401002. */
static void
expect_token(struct emu_proc *e, const char *token, bool passes)
{
	char *id = unique_id("authprobe");
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc_auth(e, "GET", path, token);
	if (passes)
		EXPECT_ERROR(r, 404, 404201);
	else
		EXPECT_ERROR(r, 401, 401002);
	reply_free(r);
	free(path);
	free(id);
}

static void
expect_parts(struct emu_proc *e, const struct token_parts *p, bool passes)
{
	char *token = make_token(p);
	expect_token(e, token, passes);
	secret_str_free(token);
}

START_TEST(fields_in_any_order_pass)
{
	struct emu_proc *e = shared_emu(&shared);
	static const char *const orders[] = {
		"sr,sig,se,skn",	/* C, C#, Java, Python */
		"sr,sig,skn,se",	/* Node */
		"sig,se,skn,sr",	/* the docs */
		"skn,se,sr,sig",
	};
	for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		struct token_parts p = valid_parts(e);
		p.order = orders[i];
		expect_parts(e, &p, true);
	}
}
END_TEST

START_TEST(sr_host_is_case_insensitive)
{
	struct emu_proc *e = shared_emu(&shared);
	char *upper = xasprintf("LOCALHOST:%d", e->port);
	char *mixed = xasprintf("LocalHost:%d", e->port);
	struct token_parts p = valid_parts(e);
	p.sr = upper;
	expect_parts(e, &p, true);
	p.sr = mixed;
	expect_parts(e, &p, true);
	free(mixed);
	free(upper);
}
END_TEST

START_TEST(sr_path_prefix_covers_by_segment)
{
	struct emu_proc *e = shared_emu(&shared);
	char *covers = xasprintf("%s/enrollments", e->host_name);
	char *other = xasprintf("%s/registrations", e->host_name);
	struct token_parts p = valid_parts(e);
	p.sr = covers;
	expect_parts(e, &p, true);
	p.sr = other;
	expect_parts(e, &p, false);
	free(other);
	free(covers);
}
END_TEST

START_TEST(sr_of_another_host_is_401002)
{
	struct emu_proc *e = shared_emu(&shared);
	struct token_parts p = valid_parts(e);
	p.sr = "mydps.azure-devices-provisioning.net";
	expect_parts(e, &p, false);
}
END_TEST

START_TEST(bad_signature_is_401002)
{
	struct emu_proc *e = shared_emu(&shared);
	struct token_parts p = valid_parts(e);
	p.spoil_sig = true;
	expect_parts(e, &p, false);
}
END_TEST

START_TEST(expired_token_is_401002)
{
	struct emu_proc *e = shared_emu(&shared);
	struct token_parts p = valid_parts(e);
	p.se = (long long)time(NULL) - 3600;
	expect_parts(e, &p, false);
	char *token = service_token(e, -3600);
	expect_token(e, token, false);
	secret_str_free(token);
}
END_TEST

START_TEST(wrong_key_is_401002)
{
	struct emu_proc *e = shared_emu(&shared);
	char *key = random_key(32);
	struct token_parts p = valid_parts(e);
	p.key = key;
	expect_parts(e, &p, false);
	free(key);
}
END_TEST

START_TEST(unknown_policy_is_401002)
{
	struct emu_proc *e = shared_emu(&shared);
	struct token_parts p = valid_parts(e);
	p.skn = "enrollmentreader";
	expect_parts(e, &p, false);
}
END_TEST

START_TEST(missing_or_foreign_authorization_is_401002)
{
	struct emu_proc *e = shared_emu(&shared);
	expect_token(e, AUTH_NONE, false);
	expect_token(e, "Bearer eyJhbGciOiJub25lIn0.e30.", false);
	expect_token(e, "SharedAccessSignature sr=x", false);
}
END_TEST

START_TEST(device_token_is_refused_by_service_api)
{
	struct emu_proc *e = shared_emu(&shared);
	char *token = device_token(e, "some-device", e->policy_key);
	expect_token(e, token, false);
	secret_str_free(token);
}
END_TEST

START_TEST(service_token_passes)
{
	struct emu_proc *e = shared_emu(&shared);
	char *token = service_token(e, 3600);
	expect_token(e, token, true);
	secret_str_free(token);
}
END_TEST

/* A token carrying `se` but signed over `signed_se`: equal, it is what a
 * careless client makes; different, it is a token whose se was changed
 * after signing. */
static char *
token_with_se(const char *sr_text, const char *key, const char *skn_text,
	      const char *se, const char *signed_se)
{
	char *sr = url_encode(sr_text);
	char *to_sign = xasprintf("%s\n%s", sr, signed_se);
	const char *why = NULL;
	char *sig = sas_sign(key, to_sign, &why);
	ck_assert_msg(sig, "sas_sign: %s", why);
	char *sig_enc = url_encode(sig);
	char *skn = url_encode(skn_text);
	char *token = join_fields("sr,sig,se,skn", sr, sig_enc, se, skn);
	free(skn);
	secret_str_free(sig_enc);
	secret_str_free(sig);
	free(to_sign);
	free(sr);
	return token;
}

static const char *const huge_se[] = {
	"9223372036854775807",	/* LLONG_MAX: se + skew overflows */
	"99999999999999999999",	/* past what strtoll can hold */
	"abc",
};

enum { HUGE_SE_COUNT = sizeof(huge_se) / sizeof(huge_se[0]) };

/* PUT .../register for `id` with `token`, as a device would. */
static struct reply *
register_with(struct emu_proc *e, const char *id, const char *token)
{
	char *path = xasprintf("/%s/registrations/%s/register", e->id_scope, id);
	char *body = xasprintf("{\"registrationId\":\"%s\"}", id);
	struct reply *r = dev(e, "PUT", path, token, body);
	free(body);
	free(path);
	return r;
}

/* The expiry is compared before the signature, so whatever a bumped se
 * holds reaches that comparison: it must be refused there without
 * overflowing, and the emulator must go on serving everyone else. Both
 * APIs compare it. */
START_TEST(tampered_expiry_is_401002_and_harmless)
{
	struct emu_proc *e = shared_emu(&shared);
	char *fine = xasprintf("%lld", (long long)time(NULL) + 600);
	char *id = unique_id("auth-se");
	cJSON *c = create_enrollment(e, id, "");
	const char *device_key = jstr(c, "attestation.symmetricKey.primaryKey");
	char *device_sr = xasprintf("%s/registrations/%s", e->id_scope, id);
	for (size_t i = 0; i < HUGE_SE_COUNT; i++) {
		char *token = token_with_se(e->host_name, e->policy_key,
					    e->policy_name, huge_se[i], fine);
		expect_token(e, token, false);
		secret_str_free(token);
		token = token_with_se(device_sr, device_key, "registration",
				      huge_se[i], fine);
		struct reply *r = register_with(e, id, token);
		EXPECT_ERROR(r, 401, 401002);
		reply_free(r);
		secret_str_free(token);
	}
	char *token = service_token(e, 3600);
	expect_token(e, token, true);
	secret_str_free(token);
	free(device_sr);
	cJSON_Delete(c);
	free(id);
	free(fine);
}
END_TEST

/* Correctly signed, an se that no 64-bit time holds is still not a time:
 * it is refused, not clamped or wrapped into one. */
START_TEST(signed_token_with_out_of_range_expiry_is_401002)
{
	struct emu_proc *e = shared_emu(&shared);
	static const char *const out_of_range[] = {
		"99999999999999999999", "9223372036854775808", "9223372036854775807",
		"253402300800", "abc",
	};
	for (size_t i = 0; i < sizeof(out_of_range) / sizeof(out_of_range[0]);
	     i++) {
		char *token = token_with_se(e->host_name, e->policy_key,
					    e->policy_name, out_of_range[i],
					    out_of_range[i]);
		expect_token(e, token, false);
		secret_str_free(token);
	}
	char *token = service_token(e, 3600);
	expect_token(e, token, true);
	secret_str_free(token);
}
END_TEST

/* Parsers disagree on which of two equal fields counts, so a token
 * carrying one twice is refused whatever the copies hold: by the service
 * API and by the device API. */
START_TEST(token_with_a_field_twice_is_401002)
{
	struct emu_proc *e = shared_emu(&shared);
	char *token = service_token(e, 3600);
	char *se = strstr(token, "se=");
	ck_assert(se);
	char *se_copy = xstrndup(se, strcspn(se, "&"));
	char *twice[] = {
		xasprintf("%s&skn=%s", token, e->policy_name),
		xasprintf("%s&%s", token, se_copy),
		xasprintf("%s&SR=x", token),
	};
	for (size_t i = 0; i < sizeof(twice) / sizeof(twice[0]); i++) {
		expect_token(e, twice[i], false);
		secret_str_free(twice[i]);
	}
	expect_token(e, token, true);
	free(se_copy);
	secret_str_free(token);

	char *id = unique_id("auth-twice");
	cJSON *c = create_enrollment(e, id, "");
	char *dtoken = device_token(e, id, jstr(c, "attestation.symmetricKey."
						"primaryKey"));
	char *doubled = xasprintf("%s&skn=registration", dtoken);
	struct reply *r = register_with(e, id, doubled);
	EXPECT_ERROR(r, 401, 401002);
	reply_free(r);
	r = register_with(e, id, dtoken);
	EXPECT_STATUS(r, 202);
	reply_free(r);
	secret_str_free(doubled);
	secret_str_free(dtoken);
	cJSON_Delete(c);
	free(id);
}
END_TEST

/* se is decimal digits and nothing else: a sign, spaces, a hexadecimal or
 * exponent form is refused even when the signature covers it as sent. */
START_TEST(signed_or_non_decimal_se_is_401002)
{
	struct emu_proc *e = shared_emu(&shared);
	long long t = (long long)time(NULL) + 600;
	char *bad[] = {
		xasprintf("+%lld", t), xasprintf("%%20%lld", t),
		xasprintf("0x%llx", t), xasprintf("%lld.0", t),
		xasprintf("%llde0", t), xasprintf("-%lld", t), xstrdup(""),
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *token = token_with_se(e->host_name, e->policy_key,
					    e->policy_name, bad[i], bad[i]);
		expect_token(e, token, false);
		secret_str_free(token);
		free(bad[i]);
	}
	char *plain = xasprintf("%lld", t);
	char *token = token_with_se(e->host_name, e->policy_key,
				    e->policy_name, plain, plain);
	expect_token(e, token, true);
	secret_str_free(token);
	free(plain);
}
END_TEST

/* Service tokens are short-lived; one that claims to live for more than a
 * year (365 days, plus the 5 minutes of clock skew allowed) is refused. */
START_TEST(expiry_more_than_a_year_ahead_is_401002)
{
	struct emu_proc *e = shared_emu(&shared);
	long long now = (long long)time(NULL);
	long long year = 365LL * 24 * 3600;
	char *far = xasprintf("%lld", now + year + 3600);
	char *token = token_with_se(e->host_name, e->policy_key,
				    e->policy_name, far, far);
	expect_token(e, token, false);
	secret_str_free(token);
	char *near = xasprintf("%lld", now + year - 3600);
	token = token_with_se(e->host_name, e->policy_key, e->policy_name,
			      near, near);
	expect_token(e, token, true);
	secret_str_free(token);
	free(near);
	free(far);
}
END_TEST

/* A 97 KB body of valid JSON, so that only its size is wrong with it. */
static char *
oversized_body(const char *id)
{
	enum { SIZE = 97 * 1024 };
	char *head = enrollment_text(id, "");
	size_t n = strlen(head);
	char *body = xmalloc(SIZE + 1);
	memcpy(body, head, n - 1);
	memset(body + n - 1, ' ', SIZE - n);
	body[SIZE - 1] = '}';
	body[SIZE] = '\0';
	free(head);
	return body;
}

/* Who may send is settled before what is sent: a caller without a token
 * learns nothing about the service's limits. */
START_TEST(auth_is_checked_before_body_size)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("auth-big");
	char *path = xasprintf("/enrollments/%s", id);
	char *body = oversized_body(id);
	struct http_req req = { .method = "PUT", .path = path, .body = body,
				.auth = AUTH_NONE };
	struct reply *r = http(e, &req);
	EXPECT_ERROR(r, 401, 401002);
	reply_free(r);
	req.auth = NULL;
	r = http(e, &req);
	EXPECT_ERROR(r, 413, 413001);
	reply_free(r);
	free(body);
	free(path);
	free(id);
}
END_TEST

Suite *
auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = itest_tcase("auth");
	tcase_add_unchecked_fixture(tc, shared_up, shared_down);
	tcase_add_test(tc, service_token_passes);
	tcase_add_test(tc, fields_in_any_order_pass);
	tcase_add_test(tc, sr_host_is_case_insensitive);
	tcase_add_test(tc, sr_path_prefix_covers_by_segment);
	tcase_add_test(tc, sr_of_another_host_is_401002);
	tcase_add_test(tc, bad_signature_is_401002);
	tcase_add_test(tc, expired_token_is_401002);
	tcase_add_test(tc, wrong_key_is_401002);
	tcase_add_test(tc, unknown_policy_is_401002);
	tcase_add_test(tc, missing_or_foreign_authorization_is_401002);
	tcase_add_test(tc, device_token_is_refused_by_service_api);
	tcase_add_test(tc, tampered_expiry_is_401002_and_harmless);
	tcase_add_test(tc, signed_token_with_out_of_range_expiry_is_401002);
	tcase_add_test(tc, auth_is_checked_before_body_size);
	tcase_add_test(tc, token_with_a_field_twice_is_401002);
	tcase_add_test(tc, signed_or_non_decimal_se_is_401002);
	tcase_add_test(tc, expiry_more_than_a_year_ahead_is_401002);
	suite_add_tcase(s, tc);
	return s;
}
