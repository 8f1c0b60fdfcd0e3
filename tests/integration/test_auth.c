/* The SAS check of the service API (semantics §2.2, §12.1): the tokens
 * real SDKs send pass, anything else is 401 with 401002. A GET of an id
 * that does not exist tells the two apart: 404 means the token passed. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "suites.h"
#include "dps/sas.h"
#include "model/secret.h"
#include "model/xalloc.h"

static struct shared_emu shared;

static void
up(void)
{
	shared_emu_up(&shared);
}

static void
down(void)
{
	shared_emu_down(&shared);
}

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
	char *out = xstrdup("SharedAccessSignature ");
	char *names = xstrdup(order), *save = NULL;
	const char *sep = "";
	for (char *n = strtok_r(names, ",", &save); n;
	     n = strtok_r(NULL, ",", &save)) {
		char *next = xasprintf("%s%s%s=%s", out, sep, n,
				       field_value(n, sr, sig, se, skn));
		secret_str_free(out);
		out = next;
		sep = "&";
	}
	free(names);
	return out;
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

Suite *
auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = itest_tcase("auth");
	tcase_add_unchecked_fixture(tc, up, down);
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
	suite_add_tcase(s, tc);
	return s;
}
