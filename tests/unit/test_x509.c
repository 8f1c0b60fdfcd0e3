#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "suites.h"
#include "findings_assert.h"
#include "testcert.h"
#include "base/b64.h"
#include "model/checks.h"
#include "base/clock.h"
#include "model/x509info.h"

#define CLIENT "attestation.x509.clientCertificates.primary.certificate"
#define SIGNING "attestation.x509.signingCertificates.primary.certificate"

/* 2025-01-01T00:00:00Z and 2026-11-27T08:00:00Z */
#define T_2025 1735689600
#define T_2026_11_27 1795766400

static char *
concat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, a, la);
	memcpy(s + la, b, lb + 1);
	return s;
}

/* Base64 with a line break every `width` characters, as in a PEM body. */
static char *
wrap(const char *text, size_t width)
{
	size_t len = strlen(text);
	char *s = malloc(len + len / width + 2);
	ck_assert_ptr_nonnull(s);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		s[n++] = text[i];
		if ((i + 1) % width == 0)
			s[n++] = '\n';
	}
	s[n] = '\0';
	return s;
}

/* Upper-case hex of a digest taken here, not by the code under test. */
static void
digest_hex(const unsigned char *der, size_t len, const EVP_MD *md,
	   char *out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n;
	ck_assert(EVP_Digest(der, len, d, &n, md, NULL));
	for (unsigned int i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02X", d[i]);
}

static void
read_ok(const char *text, struct cert_info *info)
{
	char *why = NULL;
	bool ok = cert_info_read((const unsigned char *)text, strlen(text),
				 info, &why);
	ck_assert_msg(ok, "read failed: %s", why ? why : "(no reason)");
	ck_assert_ptr_null(why);
}

/* Reads the PEM of a certificate made by `s`; clear `info` after. */
static void
read_made(const struct testcert_spec *s, struct cert_info *info)
{
	char *pem = testcert_make_pem(s);
	read_ok(pem, info);
	free(pem);
}

/* The reason reading `len` bytes fails; the caller frees. */
static char *
read_fails(const unsigned char *data, size_t len)
{
	struct cert_info info;
	char *why = NULL;
	ck_assert(!cert_info_read(data, len, &info, &why));
	ck_assert_ptr_nonnull(why);
	return why;
}

static char *
read_text_fails(const char *text)
{
	return read_fails((const unsigned char *)text, strlen(text));
}

/* ---- reading ---- */

START_TEST(pem_rsa_fields)
{
	struct cert_info info;
	read_made(&(struct testcert_spec){ .cn = "dev-01",
					   .key = TESTCERT_RSA }, &info);
	ck_assert_int_eq(info.format, CERT_FORMAT_PEM);
	ck_assert_uint_eq(info.chain_length, 1);
	ck_assert_str_eq(info.subject, "CN=dev-01, O=Contoso, C=US");
	ck_assert_str_eq(info.issuer, "CN=dev-01, O=Contoso, C=US");
	ck_assert_str_eq(info.common_name, "dev-01");
	ck_assert_int_eq(info.version, 3);
	ck_assert_str_eq(info.key_type, "RSA");
	ck_assert_int_eq(info.key_bits, 2048);
	ck_assert_str_eq(info.curve, "");
	ck_assert(!info.is_ca);
	cert_info_clear(&info);
}
END_TEST

START_TEST(pem_ec_key)
{
	struct cert_info info;
	read_made(&(struct testcert_spec){ .cn = "dev-ec" }, &info);
	ck_assert_str_eq(info.key_type, "EC");
	ck_assert_int_eq(info.key_bits, 256);
	ck_assert_str_eq(info.curve, "prime256v1");
	cert_info_clear(&info);
}
END_TEST

START_TEST(thumbprints_are_upper_hex_of_der)
{
	struct testcert c = testcert_make(&(struct testcert_spec){
		.cn = "dev-01" });
	char *pem = testcert_pem(&c);
	size_t len;
	unsigned char *der = testcert_der(&c, &len);
	char sha1[41], sha256[65];
	digest_hex(der, len, EVP_sha1(), sha1);
	digest_hex(der, len, EVP_sha256(), sha256);
	struct cert_info info;
	read_ok(pem, &info);
	ck_assert_str_eq(info.sha1, sha1);
	ck_assert_str_eq(info.sha256, sha256);
	ck_assert_uint_eq(strspn(info.sha256, "0123456789ABCDEF"), 64);
	cert_info_clear(&info);
	free(der);
	free(pem);
	testcert_free(&c);
}
END_TEST

/* The serial as certinfo shows it and as the service JSON carries it. */
static void
expect_serial(const char *hex, const char *shown, const char *for_service)
{
	struct cert_info info;
	read_made(&(struct testcert_spec){ .cn = "d", .serial = hex }, &info);
	ck_assert_str_eq(info.serial, shown);
	cJSON *svc = cert_info_to_service_json(&info);
	ck_assert_str_eq(cJSON_GetStringValue(
		cJSON_GetObjectItem(svc, "serialNumber")), for_service);
	cJSON_Delete(svc);
	cert_info_clear(&info);
}

START_TEST(serial_upper_hex)
{
	expect_serial("0abcdef1", "0ABCDEF1", "0ABCDEF1");
}
END_TEST

START_TEST(serial_with_top_bit_for_service)
{
	expect_serial("C0FFEE", "C0FFEE", "00C0FFEE");
}
END_TEST

START_TEST(der_input)
{
	size_t len;
	unsigned char *der = testcert_make_der(&(struct testcert_spec){
		.cn = "dev-der" }, &len);
	char sha256[65];
	digest_hex(der, len, EVP_sha256(), sha256);
	struct cert_info info;
	char *why = NULL;
	ck_assert(cert_info_read(der, len, &info, &why));
	ck_assert_int_eq(info.format, CERT_FORMAT_DER);
	ck_assert_str_eq(info.common_name, "dev-der");
	ck_assert_str_eq(info.sha256, sha256);
	cert_info_clear(&info);
	free(der);
}
END_TEST

/* Base64 of the DER of a certificate made by `s`; the caller frees. */
static char *
make_b64_der(const struct testcert_spec *s)
{
	size_t len;
	unsigned char *der = testcert_make_der(s, &len);
	char *text = b64_encode(der, len);
	free(der);
	return text;
}

START_TEST(base64_der_one_line_and_wrapped)
{
	char *line = make_b64_der(&(struct testcert_spec){ .cn = "dev-b64" });
	char *wrapped = wrap(line, 64);
	const char *inputs[] = { line, wrapped };
	for (size_t i = 0; i < 2; i++) {
		struct cert_info info;
		read_ok(inputs[i], &info);
		ck_assert_int_eq(info.format, CERT_FORMAT_BASE64_DER);
		ck_assert_str_eq(info.common_name, "dev-b64");
		cert_info_clear(&info);
	}
	free(wrapped);
	free(line);
}
END_TEST

START_TEST(utf8_subject_kept)
{
	struct cert_info info;
	read_made(&(struct testcert_spec){ .cn = "capteur-é" }, &info);
	ck_assert_str_eq(info.subject, "CN=capteur-é, O=Contoso, C=US");
	ck_assert_str_eq(info.common_name, "capteur-é");
	cert_info_clear(&info);
}
END_TEST

START_TEST(no_common_name)
{
	struct cert_info info;
	read_made(&(struct testcert_spec){ .cn = NULL }, &info);
	ck_assert_ptr_null(info.common_name);
	ck_assert_str_eq(info.subject, "O=Contoso, C=US");
	cJSON *j = cert_info_to_json(&info);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "commonName")));
	cJSON_Delete(j);
	cert_info_clear(&info);
}
END_TEST

START_TEST(ca_flag)
{
	struct cert_info info;
	read_made(&(struct testcert_spec){ .cn = "Contoso Root", .ca = true },
		  &info);
	ck_assert(info.is_ca);
	cJSON *j = cert_info_to_json(&info);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "isCA")));
	cJSON_Delete(j);
	cert_info_clear(&info);
}
END_TEST

/* ---- chains ---- */

struct chain {
	struct testcert root, mid, leaf;
	char *root_pem, *mid_pem, *leaf_pem;
};

static void
chain_make(struct chain *c)
{
	c->root = testcert_make(&(struct testcert_spec){ .cn = "Root",
							 .ca = true });
	c->mid = testcert_make(&(struct testcert_spec){ .cn = "Intermediate",
							.ca = true,
							.issuer = &c->root });
	c->leaf = testcert_make(&(struct testcert_spec){ .cn = "dev-01",
							 .issuer = &c->mid });
	c->root_pem = testcert_pem(&c->root);
	c->mid_pem = testcert_pem(&c->mid);
	c->leaf_pem = testcert_pem(&c->leaf);
}

static void
chain_free(struct chain *c)
{
	free(c->root_pem);
	free(c->mid_pem);
	free(c->leaf_pem);
	testcert_free(&c->root);
	testcert_free(&c->mid);
	testcert_free(&c->leaf);
}

static void
expect_leaf(const char *pem, size_t chain_length)
{
	struct cert_info info;
	read_ok(pem, &info);
	ck_assert_str_eq(info.common_name, "dev-01");
	ck_assert_str_eq(info.issuer, "CN=Intermediate, O=Contoso, C=US");
	ck_assert_uint_eq(info.chain_length, chain_length);
	ck_assert(!info.is_ca);
	cert_info_clear(&info);
}

START_TEST(chain_ca_first)
{
	struct chain c;
	chain_make(&c);
	char *pem = concat(c.mid_pem, c.leaf_pem);
	expect_leaf(pem, 2);
	free(pem);
	chain_free(&c);
}
END_TEST

START_TEST(chain_leaf_first)
{
	struct chain c;
	chain_make(&c);
	char *pem = concat(c.leaf_pem, c.mid_pem);
	expect_leaf(pem, 2);
	free(pem);
	chain_free(&c);
}
END_TEST

START_TEST(chain_of_three_in_any_order)
{
	struct chain c;
	chain_make(&c);
	char *two = concat(c.root_pem, c.leaf_pem);
	char *three = concat(two, c.mid_pem);
	expect_leaf(three, 3);
	free(three);
	free(two);
	chain_free(&c);
}
END_TEST

START_TEST(unrelated_certificates_take_the_first)
{
	char *pa = testcert_make_pem(&(struct testcert_spec){ .cn = "first" });
	char *pb = testcert_make_pem(&(struct testcert_spec){ .cn = "second" });
	char *pem = concat(pa, pb);
	struct cert_info info;
	read_ok(pem, &info);
	ck_assert_str_eq(info.common_name, "first");
	ck_assert_uint_eq(info.chain_length, 2);
	cert_info_clear(&info);
	free(pem);
	free(pa);
	free(pb);
}
END_TEST

START_TEST(chain_reported_in_json_and_text)
{
	struct chain c;
	chain_make(&c);
	char *pem = concat(c.mid_pem, c.leaf_pem);
	struct cert_info info;
	read_ok(pem, &info);
	cJSON *j = cert_info_to_json(&info);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "leafChosenFromChain")));
	ck_assert_int_eq(cJSON_GetObjectItem(j, "chainLength")->valueint, 2);
	char *text = cert_info_to_text(&info);
	ck_assert_msg(strstr(text, "chain of 2"), "%s", text);
	free(text);
	cJSON_Delete(j);
	cert_info_clear(&info);
	free(pem);
	chain_free(&c);
}
END_TEST

/* ---- what is not a certificate ---- */

/* Why the PEM of a fresh EC key, private or public, is refused; the
 * caller frees. */
static char *
key_pem_refused(bool private_key)
{
	EVP_PKEY *key = testcert_new_key(TESTCERT_EC);
	char *pem = testcert_key_pem(key, private_key);
	char *why = read_text_fails(pem);
	free(pem);
	EVP_PKEY_free(key);
	return why;
}

START_TEST(private_key_refused)
{
	char *why = key_pem_refused(true);
	ck_why(why, "PEM private key, not a certificate");
	ck_why(why, "-----BEGIN CERTIFICATE-----");
	free(why);
}
END_TEST

START_TEST(public_key_refused)
{
	char *why = key_pem_refused(false);
	ck_why(why, "PEM public key, not a certificate");
	free(why);
}
END_TEST

START_TEST(csr_refused)
{
	EVP_PKEY *key = testcert_new_key(TESTCERT_EC);
	char *pem = testcert_csr_pem(key);
	char *why = read_text_fails(pem);
	ck_why(why, "certificate signing request");
	free(why);
	free(pem);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(damaged_pem_body)
{
	char *pem = testcert_make_pem(&(struct testcert_spec){ .cn = "dev-01" });
	char *body = strchr(pem, '\n') + 1;
	body[10] = '*';
	char *why = read_text_fails(pem);
	ck_why(why, "PEM");
	ck_why(why, "does not decode");
	free(why);
	free(pem);
}
END_TEST

START_TEST(pem_with_lost_line_breaks)
{
	char *pem = testcert_make_pem(&(struct testcert_spec){ .cn = "dev-01" });
	for (char *p = pem; *p; p++)
		if (*p == '\n')
			*p = ' ';
	char *why = read_text_fails(pem);
	ck_why(why, "line breaks");
	free(why);
	free(pem);
}
END_TEST

START_TEST(garbage_and_empty)
{
	const char *texts[] = { "hello, world", "{\"certificate\": 1}",
				"-----END CERTIFICATE-----" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *why = read_text_fails(texts[i]);
		ck_why(why, "not a certificate");
		ck_why(why, "expected PEM (-----BEGIN CERTIFICATE-----), "
			    "base64 of DER, or DER");
		free(why);
	}
	char *why = read_text_fails("");
	ck_why(why, "nothing was given");
	free(why);
}
END_TEST

START_TEST(base64_of_something_else)
{
	unsigned char raw[40];
	ck_assert(RAND_bytes(raw, sizeof(raw)) == 1);
	raw[0] = 0x04;	/* not a DER SEQUENCE, so not DER by chance */
	char *text = b64_encode(raw, sizeof(raw));
	char *why = read_text_fails(text);
	ck_why(why, "base64");
	ck_why(why, "40 bytes are not a DER certificate");
	free(why);
	free(text);
}
END_TEST

START_TEST(truncated_der)
{
	size_t len;
	unsigned char *der = testcert_make_der(&(struct testcert_spec){
		.cn = "dev-01" }, &len);
	char *why = read_fails(der, len - 5);
	ck_why(why, "not a certificate");
	free(why);
	free(der);
}
END_TEST

/* ---- output ---- */

/* Every one of `keys` is a member of the object `j`. */
static void
expect_members(const cJSON *j, const char *const keys[], size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(cJSON_GetObjectItem(j, keys[i]), "%s", keys[i]);
}

START_TEST(times_and_service_json)
{
	struct cert_info info;
	read_made(&(struct testcert_spec){ .cn = "dev-01",
					   .not_before = T_2025,
					   .not_after = T_2026_11_27 }, &info);
	ck_assert_int_eq(info.not_before, T_2025);
	ck_assert_int_eq(info.not_after, T_2026_11_27);
	cJSON *svc = cert_info_to_service_json(&info);
	const char *keys[] = { "subjectName", "sha1Thumbprint",
			       "sha256Thumbprint", "issuerName",
			       "notBeforeUtc", "notAfterUtc", "serialNumber",
			       "version" };
	expect_members(svc, keys, sizeof(keys) / sizeof(keys[0]));
	ck_assert_int_eq(cJSON_GetArraySize(svc), 8);
	ck_assert_str_eq(cJSON_GetObjectItem(svc, "notBeforeUtc")->valuestring,
			 "2025-01-01T00:00:00Z");
	ck_assert_str_eq(cJSON_GetObjectItem(svc, "notAfterUtc")->valuestring,
			 "2026-11-27T08:00:00Z");
	ck_assert_str_eq(cJSON_GetObjectItem(svc, "subjectName")->valuestring,
			 "CN=dev-01, O=Contoso, C=US");
	ck_assert_int_eq(cJSON_GetObjectItem(svc, "version")->valueint, 3);
	cJSON_Delete(svc);
	cert_info_clear(&info);
}
END_TEST

/* A GET returns the info alone; reading it back gives what was read
 * from the certificate itself. */
START_TEST(service_json_read_back)
{
	struct cert_info info, back;
	read_made(&(struct testcert_spec){ .cn = "dev-01",
					   .not_before = T_2025,
					   .not_after = T_2026_11_27 }, &info);
	cJSON *svc = cert_info_to_service_json(&info);
	ck_assert(cert_info_from_service_json(svc, &back));
	ck_assert_str_eq(back.subject, info.subject);
	ck_assert_str_eq(back.issuer, info.issuer);
	ck_assert_str_eq(back.common_name, "dev-01");
	ck_assert_str_eq(back.sha1, info.sha1);
	ck_assert_str_eq(back.sha256, info.sha256);
	ck_assert_int_eq(back.not_before, T_2025);
	ck_assert_int_eq(back.not_after, T_2026_11_27);
	ck_assert_int_eq(back.version, 3);
	cert_info_clear(&back);

	/* the service's times may carry fractions of a second */
	cJSON_ReplaceItemInObject(svc, "notAfterUtc",
				  cJSON_CreateString("2026-11-27T08:00:00.5Z"));
	ck_assert(cert_info_from_service_json(svc, &back));
	ck_assert_int_eq(back.not_after, T_2026_11_27);
	cert_info_clear(&back);

	/* without a thumbprint or an end date it says nothing */
	cJSON_ReplaceItemInObject(svc, "notAfterUtc", cJSON_CreateString("soon"));
	ck_assert(!cert_info_from_service_json(svc, &back));
	ck_assert_ptr_null(back.subject);
	cJSON_DeleteItemFromObject(svc, "notAfterUtc");
	ck_assert(!cert_info_from_service_json(svc, &back));
	ck_assert(!cert_info_from_service_json(NULL, &back));
	cJSON_Delete(svc);
	cert_info_clear(&info);

	cJSON *bare = cJSON_Parse("{\"sha256Thumbprint\":\"AB\","
				  "\"notAfterUtc\":\"2027-01-01T00:00:00Z\","
				  "\"subjectName\":\"O=Contoso, CN=dev-02\"}");
	ck_assert(cert_info_from_service_json(bare, &back));
	ck_assert_str_eq(back.common_name, "dev-02");
	ck_assert_str_eq(back.issuer, "");
	cJSON_Delete(bare);
	cert_info_clear(&back);
}
END_TEST

START_TEST(format_utc_values)
{
	char buf[21];
	format_utc(0, buf);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	format_utc(T_2026_11_27, buf);
	ck_assert_str_eq(buf, "2026-11-27T08:00:00Z");
	format_utc(T_2026_11_27 - 1, buf);
	ck_assert_str_eq(buf, "2026-11-27T07:59:59Z");
}
END_TEST

START_TEST(json_for_certinfo)
{
	struct cert_info info;
	read_made(&(struct testcert_spec){ .cn = "dev-01" }, &info);
	cJSON *j = cert_info_to_json(&info);
	const char *keys[] = { "format", "chainLength", "subject", "issuer",
			       "commonName", "serialNumber", "sha1Thumbprint",
			       "sha256Thumbprint", "notBefore", "notAfter",
			       "version", "keyType", "keyBits", "curve",
			       "isCA", "selfSigned", "keyCertSign" };
	expect_members(j, keys, sizeof(keys) / sizeof(keys[0]));
	ck_assert_ptr_null(cJSON_GetObjectItem(j, "leafChosenFromChain"));
	ck_assert_str_eq(cJSON_GetObjectItem(j, "sha256Thumbprint")->valuestring,
			 info.sha256);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "curve")->valuestring,
			 "prime256v1");
	cJSON_Delete(j);
	cert_info_clear(&info);
}
END_TEST

START_TEST(json_has_no_curve_for_rsa)
{
	struct cert_info info;
	read_made(&(struct testcert_spec){ .cn = "r", .key = TESTCERT_RSA },
		  &info);
	cJSON *j = cert_info_to_json(&info);
	ck_assert_ptr_null(cJSON_GetObjectItem(j, "curve"));
	ck_assert_str_eq(cJSON_GetObjectItem(j, "keyType")->valuestring, "RSA");
	cJSON_Delete(j);
	cert_info_clear(&info);
}
END_TEST

START_TEST(text_lines)
{
	struct cert_info info;
	read_made(&(struct testcert_spec){ .cn = "dev-01" }, &info);
	char *text = cert_info_to_text(&info);
	ck_assert_msg(strstr(text, "Subject:      CN=dev-01, O=Contoso, C=US\n"),
		      "%s", text);
	char want[100];
	snprintf(want, sizeof(want), "SHA-256:      %s\n", info.sha256);
	ck_assert_msg(strstr(text, want), "%s", text);
	ck_assert_msg(!strstr(text, "chain"), "%s", text);
	free(text);
	cert_info_clear(&info);
}
END_TEST

/* ---- validity ---- */

#define DAY 86400

/* The class of the certificate valid from 2025-01-01 to 2026-11-27 at
 * `now`, asserting the days left. */
static enum cert_validity
validity_at(const struct cert_info *info, time_t now, long days)
{
	long left = 12345;
	enum cert_validity v = cert_info_validity(info, now, &left);
	ck_assert_msg(left == days, "at %lld: %ld days left, expected %ld",
		      (long long)now, left, days);
	return v;
}

START_TEST(validity_boundaries)
{
	struct cert_info info;
	read_made(&(struct testcert_spec){ .cn = "dev-01",
					   .not_before = T_2025,
					   .not_after = T_2026_11_27 }, &info);
	const time_t end = T_2026_11_27;
	long total = (long)((end - T_2025) / DAY);
	ck_assert_int_eq(validity_at(&info, T_2025 - 1, total),
			 CERT_NOT_YET_VALID);
	ck_assert_int_eq(validity_at(&info, T_2025, total), CERT_VALID);
	ck_assert_int_eq(validity_at(&info, end - 30 * DAY - 1, 30),
			 CERT_VALID);
	ck_assert_int_eq(validity_at(&info, end - 30 * DAY, 30),
			 CERT_EXPIRES_SOON);
	ck_assert_int_eq(validity_at(&info, end - DAY - 1, 1),
			 CERT_EXPIRES_SOON);
	ck_assert_int_eq(validity_at(&info, end - 1, 0), CERT_EXPIRES_SOON);
	/* notAfter itself is the last valid second (RFC 5280). */
	ck_assert_int_eq(validity_at(&info, end, 0), CERT_EXPIRES_SOON);
	ck_assert_int_eq(validity_at(&info, end + 1, -1), CERT_EXPIRED);
	ck_assert_int_eq(validity_at(&info, end + DAY, -1), CERT_EXPIRED);
	ck_assert_int_eq(validity_at(&info, end + DAY + 1, -2), CERT_EXPIRED);
	ck_assert_int_eq(cert_info_validity(&info, end, NULL),
			 CERT_EXPIRES_SOON);
	cert_info_clear(&info);
}
END_TEST

START_TEST(validity_short_and_odd_windows)
{
	/* Valid for a week from its first second: soon from the start. */
	struct cert_info info = { .not_before = T_2025,
				  .not_after = T_2025 + 7 * DAY };
	ck_assert_int_eq(validity_at(&info, T_2025, 7), CERT_EXPIRES_SOON);
	ck_assert_int_eq(validity_at(&info, T_2025 - DAY, 8),
			 CERT_NOT_YET_VALID);
	/* Upside down: expired before it began. */
	info.not_after = T_2025 - DAY;
	ck_assert_int_eq(validity_at(&info, T_2025 - 2 * DAY, 1),
			 CERT_NOT_YET_VALID);
	ck_assert_int_eq(validity_at(&info, T_2025 - DAY / 2, -1),
			 CERT_EXPIRED);
}
END_TEST

static void
unpin_clock(void)
{
	unsetenv("DPSENROLL_TIME_NOW");
}

START_TEST(validity_by_the_pinned_clock)
{
	struct cert_info info;
	read_made(&(struct testcert_spec){ .cn = "dev-01",
					   .not_before = T_2025,
					   .not_after = T_2026_11_27 }, &info);
	setenv("DPSENROLL_TIME_NOW", "1795075200", 1);	/* 2026-11-19 08:00 */
	long left = 0;
	ck_assert_int_eq(cert_info_validity(&info, clock_now(), &left),
			 CERT_EXPIRES_SOON);
	ck_assert_int_eq(left, 8);
	cert_info_clear(&info);
}
END_TEST

static void
expect_validity_text(const struct cert_info *info, time_t now,
		     const char *want)
{
	char *text = cert_validity_text(info, now);
	ck_assert_msg(strcmp(text, want) == 0, "at %lld: '%s', expected '%s'",
		      (long long)now, text, want);
	free(text);
}

/* Whole days, rounded down, on both sides of the window. */
START_TEST(validity_in_words)
{
	struct cert_info info = { .not_before = T_2025,
				  .not_after = T_2026_11_27 };
	const time_t end = T_2026_11_27, hour = 3600;
	expect_validity_text(&info, end + 10 * DAY + 5 * hour,
			     "EXPIRED 10 days ago");
	expect_validity_text(&info, end + 10 * DAY, "EXPIRED 10 days ago");
	expect_validity_text(&info, end + 10 * DAY - 1, "EXPIRED 9 days ago");
	expect_validity_text(&info, end + DAY + 1, "EXPIRED 1 day ago");
	expect_validity_text(&info, end + 1, "EXPIRED less than a day ago");
	expect_validity_text(&info, end, "expires soon, less than a day left");
	expect_validity_text(&info, end - DAY, "expires soon, 1 day left");
	expect_validity_text(&info, end - 8 * DAY - 5 * hour,
			     "expires soon, 8 days left");
	expect_validity_text(&info, end - 120 * DAY - hour,
			     "valid, 120 days left");
	expect_validity_text(&info, T_2025 - 3 * DAY - 5 * hour,
			     "not valid yet, starts in 3 days");
	expect_validity_text(&info, T_2025 - 1,
			     "not valid yet, starts in less than a day");
}
END_TEST

START_TEST(validity_in_words_by_the_pinned_clock)
{
	struct cert_info info = { .not_before = T_2025,
				  .not_after = T_2026_11_27 };
	/* 2026-12-07 13:00 UTC: 10 days and 5 hours after notAfter */
	setenv("DPSENROLL_TIME_NOW", "1796648400", 1);
	expect_validity_text(&info, clock_now(), "EXPIRED 10 days ago");
}
END_TEST

/* ---- check_certificate ---- */

/* Tests below pin the clock through the environment; a later test in the
 * same process must not inherit it. */
static void
check_teardown(void)
{
	findings_fixture_teardown();
	unsetenv("DPSENROLL_TIME_NOW");
}

static void
check_client(const char *text)
{
	findings_check(check_certificate, CLIENT, text);
}

/* Checks a certificate valid from 2025-01-01 to 2026-11-27 at `now`. */
static void
check_dated_cert_at(const char *now)
{
	char *pem = testcert_make_pem(&(struct testcert_spec){
		.cn = "dev-01", .not_before = T_2025,
		.not_after = T_2026_11_27 });
	setenv("DPSENROLL_TIME_NOW", now, 1);
	check_client(pem);
	free(pem);
}

START_TEST(check_valid_is_quiet)
{
	check_dated_cert_at("1748736000");	/* 2025-06-01 */
	ck_nothing();
}
END_TEST

START_TEST(check_blank_is_quiet)
{
	check_client("");
	ck_nothing();
}
END_TEST

START_TEST(check_expired)
{
	check_dated_cert_at("1811808000");	/* 2027-06-01 */
	ck_total(1);
	ck_found(SEV_WARNING, CLIENT, "expired on 2026-11-27T08:00:00Z");
}
END_TEST

START_TEST(check_not_yet_valid)
{
	check_dated_cert_at("1717200000");	/* 2024-06-01 */
	ck_total(1);
	ck_found(SEV_WARNING, CLIENT, "not valid until 2025-01-01T00:00:00Z");
}
END_TEST

START_TEST(check_expired_by_the_real_clock)
{
	char *pem = testcert_expired_pem("old", NULL);
	check_client(pem);
	ck_found(SEV_WARNING, CLIENT, "expired on");
	free(pem);
}
END_TEST

START_TEST(check_ca_as_device_cert)
{
	char *pem = testcert_make_pem(&(struct testcert_spec){
		.cn = "Root", .ca = true,
		.key_usage = "critical,keyCertSign,cRLSign" });
	check_client(pem);
	ck_total(1);
	ck_found(SEV_WARNING, CLIENT, "CA certificate (it may sign certificates)");
	findings_check(check_certificate, SIGNING, pem);
	ck_nothing();
	free(pem);
}
END_TEST

START_TEST(check_intermediate_as_device_cert)
{
	struct chain c;
	chain_make(&c);
	check_client(c.mid_pem);
	ck_total(1);
	ck_found(SEV_WARNING, CLIENT, "CA:TRUE, issued by another CA");
	chain_free(&c);
}
END_TEST

/* What `openssl req -x509` makes when told nothing about extensions. */
START_TEST(check_self_signed_ca_true_is_a_note)
{
	char *pem = testcert_make_pem(&(struct testcert_spec){ .cn = "dev-01",
							       .ca = true });
	check_client(pem);
	ck_total(1);
	ck_count(SEV_WARNING, 0);
	ck_found(SEV_NOTE, CLIENT, "self-signed");
	ck_found(SEV_NOTE, CLIENT, "fine for a device certificate");
	findings_check(check_certificate, SIGNING, pem);
	ck_nothing();
	free(pem);
}
END_TEST

START_TEST(check_chain_names_the_leaf)
{
	struct chain c;
	chain_make(&c);
	char *pem = concat(c.mid_pem, c.leaf_pem);
	check_client(pem);
	ck_total(1);
	ck_found(SEV_WARNING, CLIENT, "chain of 2 certificates");
	ck_found(SEV_WARNING, CLIENT, "\"CN=dev-01, O=Contoso, C=US\"");
	free(pem);
	chain_free(&c);
}
END_TEST

START_TEST(check_not_a_certificate)
{
	EVP_PKEY *key = testcert_new_key(TESTCERT_EC);
	char *pem = testcert_key_pem(key, true);
	findings_check(check_certificate, "x.certificate", pem);
	ck_total(1);
	ck_found(SEV_ERROR, "x.certificate", "PEM private key");
	ck_assert(findings_has_path(&found_list, "x.certificate", SEV_ERROR));
	check_client("MIIB");
	ck_found(SEV_ERROR, CLIENT, "not a DER certificate");
	free(pem);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(check_base64_der)
{
	char *text = make_b64_der(&(struct testcert_spec){ .cn = "dev-01" });
	check_client(text);
	ck_nothing();
	free(text);
}
END_TEST

Suite *
x509_suite(void)
{
	Suite *s = suite_create("x509");

	TCase *tc = tcase_create("read");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, pem_rsa_fields);
	tcase_add_test(tc, pem_ec_key);
	tcase_add_test(tc, thumbprints_are_upper_hex_of_der);
	tcase_add_test(tc, serial_upper_hex);
	tcase_add_test(tc, serial_with_top_bit_for_service);
	tcase_add_test(tc, der_input);
	tcase_add_test(tc, base64_der_one_line_and_wrapped);
	tcase_add_test(tc, utf8_subject_kept);
	tcase_add_test(tc, no_common_name);
	tcase_add_test(tc, ca_flag);
	suite_add_tcase(s, tc);

	tc = tcase_create("chain");
	tcase_add_test(tc, chain_ca_first);
	tcase_add_test(tc, chain_leaf_first);
	tcase_add_test(tc, chain_of_three_in_any_order);
	tcase_add_test(tc, unrelated_certificates_take_the_first);
	tcase_add_test(tc, chain_reported_in_json_and_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("refused");
	tcase_add_test(tc, private_key_refused);
	tcase_add_test(tc, public_key_refused);
	tcase_add_test(tc, csr_refused);
	tcase_add_test(tc, damaged_pem_body);
	tcase_add_test(tc, pem_with_lost_line_breaks);
	tcase_add_test(tc, garbage_and_empty);
	tcase_add_test(tc, base64_of_something_else);
	tcase_add_test(tc, truncated_der);
	suite_add_tcase(s, tc);

	tc = tcase_create("output");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, times_and_service_json);
	tcase_add_test(tc, service_json_read_back);
	tcase_add_test(tc, format_utc_values);
	tcase_add_test(tc, json_for_certinfo);
	tcase_add_test(tc, json_has_no_curve_for_rsa);
	tcase_add_test(tc, text_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("validity");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, NULL, unpin_clock);
	tcase_add_test(tc, validity_boundaries);
	tcase_add_test(tc, validity_short_and_odd_windows);
	tcase_add_test(tc, validity_by_the_pinned_clock);
	tcase_add_test(tc, validity_in_words);
	tcase_add_test(tc, validity_in_words_by_the_pinned_clock);
	suite_add_tcase(s, tc);

	tc = tcase_create("check_certificate");
	tcase_add_checked_fixture(tc, findings_fixture_setup, check_teardown);
	tcase_add_test(tc, check_valid_is_quiet);
	tcase_add_test(tc, check_blank_is_quiet);
	tcase_add_test(tc, check_expired);
	tcase_add_test(tc, check_not_yet_valid);
	tcase_add_test(tc, check_expired_by_the_real_clock);
	tcase_add_test(tc, check_ca_as_device_cert);
	tcase_add_test(tc, check_intermediate_as_device_cert);
	tcase_add_test(tc, check_self_signed_ca_true_is_a_note);
	tcase_add_test(tc, check_chain_names_the_leaf);
	tcase_add_test(tc, check_not_a_certificate);
	tcase_add_test(tc, check_base64_der);
	suite_add_tcase(s, tc);

	return s;
}
