/* SAS tokens and connection strings: what the client signs is what the
 * emulator verifies, and a bad connection string is named, not echoed. */

#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "dps/connstr.h"
#include "base/sas.h"
#include "base/secret.h"
#include "base/url.h"
#include "base/xalloc.h"

#define KEY "dGhpcy1pcy1hLTMyLWJ5dGUta2V5LWZvci10ZXN0cyE="

/* Python: base64(hmac.new(b64decode(KEY), b"mydps.azure-devices-provisioning.net\n1700000000", sha256)) */
START_TEST(signature_matches_the_documented_recipe)
{
	const char *why;
	char *sig = sas_sign(KEY, "mydps.azure-devices-provisioning.net\n1700000000",
			     &why);
	ck_assert_ptr_nonnull(sig);
	ck_assert_str_eq(sig, "vgPkYXQFSgL10ZGRzVQYpyjImciR+MdDw7tRFBNICEY=");
	free(sig);
	ck_assert_ptr_null(sas_sign("not base64!", "x", &why));
	ck_assert(strstr(why, "not base64"));
}
END_TEST

START_TEST(token_fields_round_trip_in_any_order)
{
	const char *why;
	char *tok = sas_token_new("127.0.0.1:8443", KEY, "provisioningserviceowner",
				  2000000000, &why);
	ck_assert(strncmp(tok, "SharedAccessSignature sr=127.0.0.1%3A8443&sig=", 46) == 0);
	ck_assert(strstr(tok, "&se=2000000000&skn=provisioningserviceowner"));
	struct sas_fields f;
	ck_assert(sas_fields_parse(tok, &f));
	ck_assert(sas_fields_verify(&f, KEY, 1999999000, 0));
	ck_assert(!sas_fields_verify(&f, KEY, 2000000001, 0));	/* expired */
	ck_assert(!sas_fields_verify(&f, "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXk=",
				     1999999000, 0));
	/* the same fields in Node's order and the docs' order still verify */
	char *reordered = xasprintf("SharedAccessSignature skn=%s&se=%s&sig=%s&sr=%s",
				    f.skn, f.se, f.sig, f.sr);
	struct sas_fields g;
	ck_assert(sas_fields_parse(reordered, &g));
	ck_assert(sas_fields_verify(&g, KEY, 1999999000, 0));
	sas_fields_clear(&g);
	sas_fields_clear(&f);
	free(reordered);
	free(tok);
	ck_assert(!sas_fields_parse("Bearer abc", &f));
	ck_assert(!sas_fields_parse("SharedAccessSignature sr=a&se=1", &f));
}
END_TEST

START_TEST(url_coding)
{
	char *e = url_encode("a/b+c=d:e");
	ck_assert_str_eq(e, "a%2Fb%2Bc%3Dd%3Ae");
	char *d = url_decode(e);
	ck_assert_str_eq(d, "a/b+c=d:e");
	free(e);
	free(d);
	d = url_decode("a+b");	/* in a SAS '+' is base64, never a space */
	ck_assert_str_eq(d, "a+b");
	free(d);
	ck_assert_ptr_null(url_decode("a%00b"));
}
END_TEST

static void
ck_coded(char *got, const char *want)
{
	ck_assert_str_eq(got, want);
	free(got);
}

/* What an id or token part becomes on the wire stays what libcurl's
 * escaping made of it, byte for byte. */
START_TEST(url_coding_edges)
{
	ck_coded(url_encode(""), "");
	ck_coded(url_encode("az AZ09-._~"), "az%20AZ09-._~");
	ck_coded(url_encode("\xc3\xa9%?#&\x7f\x01"),
		 "%C3%A9%25%3F%23%26%7F%01");
	ck_coded(url_decode("%2f%2F%c3%A9"), "//\xc3\xa9");
	ck_coded(url_decode("100%"), "100%");
	ck_coded(url_decode("%4"), "%4");
	ck_coded(url_decode("%zz%4g%%41"), "%zz%4g%A");
	ck_assert_ptr_null(url_decode("%00"));
}
END_TEST

START_TEST(connection_string_parts)
{
	struct dps_conn c;
	char *why = NULL;
	ck_assert(dps_conn_parse(" hostname=h.example:8443; SHAREDACCESSKEYNAME=p ;"
				 "SharedAccessKey=" KEY ";", &c, &why));
	ck_assert_str_eq(c.host, "h.example:8443");
	ck_assert_str_eq(c.policy, "p");
	ck_assert_str_eq(c.key, KEY);
	ck_assert_int_eq(dps_conn_port(&c), 8443);
	dps_conn_clear(&c);

	const struct {
		const char *host;
		int port;
	} ports[] = {
		{ "mydps.azure-devices-provisioning.net", 443 },
		{ "127.0.0.1:4443", 4443 },
		{ "[::1]:9443", 9443 },
		{ "[::1]", 443 },
		{ "::1", 443 },
		{ "h:", 0 },
		{ "h:https", 0 },
		{ "h:70000", 0 },
		{ "h:-1", 0 },
	};
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		struct dps_conn p = { .host = (char *)ports[i].host };
		ck_assert_msg(dps_conn_port(&p) == ports[i].port, "%s: port %d, "
			      "expected %d", ports[i].host, dps_conn_port(&p),
			      ports[i].port);
	}

	const struct {
		const char *text;
		const char *fragment;
	} bad[] = {
		{ "SharedAccessKeyName=p;SharedAccessKey=" KEY, "no HostName" },
		{ "HostName=h;SharedAccessKey=" KEY, "no SharedAccessKeyName" },
		{ "HostName=h;SharedAccessKeyName=p", "no SharedAccessKey" },
		{ "HostName=h;SharedAccessKeyName=p;SharedAccessKey=abc!", "not base64" },
		{ "HostName=https://h/;SharedAccessKeyName=p;SharedAccessKey=" KEY,
		  "host name only" },
		{ "HostName=h;SharedAccessKeyName=p;c2VjcmV0LWtleQ", "part 3" },
		{ "HostName=h;HostName=i;SharedAccessKeyName=p;SharedAccessKey=" KEY,
		  "twice" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(!dps_conn_parse(bad[i].text, &c, &why), "%s", bad[i].text);
		ck_assert_msg(strstr(why, bad[i].fragment), "%s: %s", bad[i].text, why);
		ck_assert_msg(!strstr(why, KEY), "the key leaked into: %s", why);
		free(why);
	}
}
END_TEST

START_TEST(redaction_masks_keys_and_signatures)
{
	char *r = secret_redact("cannot open HostName=h;SharedAccessKeyName=p;"
				"SharedAccessKey=" KEY ": No such file");
	ck_assert(!strstr(r, KEY));
	ck_assert(strstr(r, "SharedAccessKeyName=p"));
	ck_assert(strstr(r, "HostName=h"));
	free(r);
	r = secret_redact("SharedAccessSignature sr=h&sig=abc%2B&se=1&skn=p");
	ck_assert(!strstr(r, "abc%2B"));
	ck_assert(strstr(r, "&se=1&skn=p"));
	free(r);
	r = secret_redact(NULL);
	ck_assert_str_eq(r, "");
	free(r);
}
END_TEST

START_TEST(secret_grow_keeps_the_bytes)
{
	char *p = xstrdup("0123456789");
	p = secret_grow(p, 11, 64);
	ck_assert_str_eq(p, "0123456789");
	free(p);
}
END_TEST

Suite *
sas_suite(void)
{
	Suite *s = suite_create("sas");
	TCase *tc = tcase_create("sas");
	tcase_add_test(tc, signature_matches_the_documented_recipe);
	tcase_add_test(tc, token_fields_round_trip_in_any_order);
	tcase_add_test(tc, url_coding);
	tcase_add_test(tc, url_coding_edges);
	tcase_add_test(tc, connection_string_parts);
	tcase_add_test(tc, redaction_masks_keys_and_signatures);
	tcase_add_test(tc, secret_grow_keeps_the_bytes);
	suite_add_tcase(s, tc);
	return s;
}
