#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "suites.h"
#include "model/b64.h"
#include "model/checks.h"
#include "model/findings.h"
#include "model/x509info.h"

#define DAY 86400
#define CLIENT "attestation.x509.clientCertificates.primary.certificate"
#define SIGNING "attestation.x509.signingCertificates.primary.certificate"

/* 2025-01-01T00:00:00Z and 2026-11-27T08:00:00Z */
#define T_2025 1735689600
#define T_2026_11_27 1795766400

/* ---- certificates made on the spot ---- */

enum key_kind { KEY_EC, KEY_RSA };

struct cert_spec {
	const char *cn;		/* NULL: no CN in the subject */
	enum key_kind key;
	bool ca;
	time_t not_before;	/* 0: a day ago */
	time_t not_after;	/* 0: a year from now */
	const char *serial;	/* hex; NULL: 1234 */
	const struct made *issuer;	/* NULL: self-signed */
};

struct made {
	X509 *x;
	EVP_PKEY *key;
};

static EVP_PKEY *
new_key(enum key_kind kind)
{
	EVP_PKEY *k = kind == KEY_RSA ? EVP_RSA_gen(2048)
				      : EVP_EC_gen("prime256v1");
	ck_assert_ptr_nonnull(k);
	return k;
}

static void
add_rdn(X509_NAME *n, const char *field, const char *value)
{
	ck_assert(X509_NAME_add_entry_by_txt(n, field, MBSTRING_UTF8,
					     (const unsigned char *)value, -1,
					     -1, 0));
}

static void
add_ca_flag(X509 *x)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx,
						  NID_basic_constraints,
						  "critical,CA:TRUE");
	ck_assert_ptr_nonnull(ext);
	ck_assert(X509_add_ext(x, ext, -1));
	X509_EXTENSION_free(ext);
}

static void
set_serial(X509 *x, const char *hex)
{
	BIGNUM *bn = NULL;
	ck_assert(BN_hex2bn(&bn, hex ? hex : "1234"));
	ck_assert_ptr_nonnull(BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)));
	BN_free(bn);
}

static void
set_validity(X509 *x, const struct cert_spec *s)
{
	time_t now = time(NULL);
	ck_assert_ptr_nonnull(ASN1_TIME_set(X509_getm_notBefore(x),
		s->not_before ? s->not_before : now - DAY));
	ck_assert_ptr_nonnull(ASN1_TIME_set(X509_getm_notAfter(x),
		s->not_after ? s->not_after : now + 365 * DAY));
}

static struct made
make_cert(const struct cert_spec *s)
{
	struct made m = { X509_new(), new_key(s->key) };
	ck_assert_ptr_nonnull(m.x);
	ck_assert(X509_set_version(m.x, X509_VERSION_3));
	set_serial(m.x, s->serial);
	set_validity(m.x, s);
	X509_NAME *name = X509_get_subject_name(m.x);
	add_rdn(name, "C", "US");
	add_rdn(name, "O", "Contoso");
	if (s->cn)
		add_rdn(name, "CN", s->cn);
	ck_assert(X509_set_issuer_name(m.x, s->issuer
				       ? X509_get_subject_name(s->issuer->x)
				       : name));
	ck_assert(X509_set_pubkey(m.x, m.key));
	if (s->ca)
		add_ca_flag(m.x);
	ck_assert(X509_sign(m.x, s->issuer ? s->issuer->key : m.key,
			    EVP_sha256()) > 0);
	return m;
}

static void
made_free(struct made *m)
{
	X509_free(m->x);
	EVP_PKEY_free(m->key);
}

static char *
bio_text(BIO *bio)
{
	char *mem;
	long n = BIO_get_mem_data(bio, &mem);
	char *s = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, mem, (size_t)n);
	s[n] = '\0';
	BIO_free(bio);
	return s;
}

static char *
to_pem(const struct made *m)
{
	BIO *bio = BIO_new(BIO_s_mem());
	ck_assert(PEM_write_bio_X509(bio, m->x));
	return bio_text(bio);
}

static unsigned char *
to_der(const struct made *m, size_t *len)
{
	unsigned char *der = NULL;
	int n = i2d_X509(m->x, &der);
	ck_assert_int_gt(n, 0);
	unsigned char *copy = malloc((size_t)n);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, der, (size_t)n);
	OPENSSL_free(der);
	*len = (size_t)n;
	return copy;
}

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

static bool
read_text(const char *text, struct cert_info *info, char **why)
{
	return cert_info_read((const unsigned char *)text, strlen(text), info,
			      why);
}

static void
read_ok(const char *text, struct cert_info *info)
{
	char *why = NULL;
	bool ok = read_text(text, info, &why);
	ck_assert_msg(ok, "read failed: %s", why ? why : "(no reason)");
	ck_assert_ptr_null(why);
}

/* The reason reading `text` fails; the caller frees. */
static char *
read_fails(const unsigned char *data, size_t len)
{
	struct cert_info info;
	char *why = NULL;
	ck_assert(!cert_info_read(data, len, &info, &why));
	ck_assert_ptr_nonnull(why);
	return why;
}

#define ck_why(why, fragment) \
	ck_assert_msg(strstr(why, fragment), "\"%s\" lacks \"%s\"", why, \
		      fragment)

/* ---- reading ---- */

START_TEST(pem_rsa_fields)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "dev-01",
						       .key = KEY_RSA });
	char *pem = to_pem(&m);
	struct cert_info info;
	read_ok(pem, &info);
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
	free(pem);
	made_free(&m);
}
END_TEST

START_TEST(pem_ec_key)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "dev-ec" });
	char *pem = to_pem(&m);
	struct cert_info info;
	read_ok(pem, &info);
	ck_assert_str_eq(info.key_type, "EC");
	ck_assert_int_eq(info.key_bits, 256);
	ck_assert_str_eq(info.curve, "prime256v1");
	cert_info_clear(&info);
	free(pem);
	made_free(&m);
}
END_TEST

START_TEST(thumbprints_are_upper_hex_of_der)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "dev-01" });
	char *pem = to_pem(&m);
	size_t len;
	unsigned char *der = to_der(&m, &len);
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
	made_free(&m);
}
END_TEST

START_TEST(serial_upper_hex)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "d",
						       .serial = "0abcdef1" });
	char *pem = to_pem(&m);
	struct cert_info info;
	read_ok(pem, &info);
	ck_assert_str_eq(info.serial, "0ABCDEF1");
	cJSON *svc = cert_info_to_service_json(&info);
	ck_assert_str_eq(cJSON_GetStringValue(
		cJSON_GetObjectItem(svc, "serialNumber")), "0ABCDEF1");
	cJSON_Delete(svc);
	cert_info_clear(&info);
	free(pem);
	made_free(&m);
}
END_TEST

START_TEST(serial_with_top_bit_for_service)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "d",
						       .serial = "C0FFEE" });
	char *pem = to_pem(&m);
	struct cert_info info;
	read_ok(pem, &info);
	ck_assert_str_eq(info.serial, "C0FFEE");
	cJSON *svc = cert_info_to_service_json(&info);
	ck_assert_str_eq(cJSON_GetStringValue(
		cJSON_GetObjectItem(svc, "serialNumber")), "00C0FFEE");
	cJSON_Delete(svc);
	cert_info_clear(&info);
	free(pem);
	made_free(&m);
}
END_TEST

START_TEST(der_input)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "dev-der" });
	size_t len;
	unsigned char *der = to_der(&m, &len);
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
	made_free(&m);
}
END_TEST

START_TEST(base64_der_one_line_and_wrapped)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "dev-b64" });
	size_t len;
	unsigned char *der = to_der(&m, &len);
	char *line = b64_encode(der, len);
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
	free(der);
	made_free(&m);
}
END_TEST

START_TEST(utf8_subject_kept)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "capteur-é" });
	char *pem = to_pem(&m);
	struct cert_info info;
	read_ok(pem, &info);
	ck_assert_str_eq(info.subject, "CN=capteur-é, O=Contoso, C=US");
	ck_assert_str_eq(info.common_name, "capteur-é");
	cert_info_clear(&info);
	free(pem);
	made_free(&m);
}
END_TEST

START_TEST(no_common_name)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = NULL });
	char *pem = to_pem(&m);
	struct cert_info info;
	read_ok(pem, &info);
	ck_assert_ptr_null(info.common_name);
	ck_assert_str_eq(info.subject, "O=Contoso, C=US");
	cJSON *j = cert_info_to_json(&info);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "commonName")));
	cJSON_Delete(j);
	cert_info_clear(&info);
	free(pem);
	made_free(&m);
}
END_TEST

START_TEST(ca_flag)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "Contoso Root",
						       .ca = true });
	char *pem = to_pem(&m);
	struct cert_info info;
	read_ok(pem, &info);
	ck_assert(info.is_ca);
	cJSON *j = cert_info_to_json(&info);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "isCA")));
	cJSON_Delete(j);
	cert_info_clear(&info);
	free(pem);
	made_free(&m);
}
END_TEST

/* ---- chains ---- */

struct chain {
	struct made root, mid, leaf;
	char *root_pem, *mid_pem, *leaf_pem;
};

static void
chain_make(struct chain *c)
{
	c->root = make_cert(&(struct cert_spec){ .cn = "Root", .ca = true });
	c->mid = make_cert(&(struct cert_spec){ .cn = "Intermediate",
						.ca = true,
						.issuer = &c->root });
	c->leaf = make_cert(&(struct cert_spec){ .cn = "dev-01",
						 .issuer = &c->mid });
	c->root_pem = to_pem(&c->root);
	c->mid_pem = to_pem(&c->mid);
	c->leaf_pem = to_pem(&c->leaf);
}

static void
chain_free(struct chain *c)
{
	free(c->root_pem);
	free(c->mid_pem);
	free(c->leaf_pem);
	made_free(&c->root);
	made_free(&c->mid);
	made_free(&c->leaf);
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
	struct made a = make_cert(&(struct cert_spec){ .cn = "first" });
	struct made b = make_cert(&(struct cert_spec){ .cn = "second" });
	char *pa = to_pem(&a), *pb = to_pem(&b);
	char *pem = concat(pa, pb);
	struct cert_info info;
	read_ok(pem, &info);
	ck_assert_str_eq(info.common_name, "first");
	ck_assert_uint_eq(info.chain_length, 2);
	cert_info_clear(&info);
	free(pem);
	free(pa);
	free(pb);
	made_free(&a);
	made_free(&b);
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

static char *
pem_of_key(EVP_PKEY *key, bool private)
{
	BIO *bio = BIO_new(BIO_s_mem());
	if (private)
		ck_assert(PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0,
						   NULL, NULL));
	else
		ck_assert(PEM_write_bio_PUBKEY(bio, key));
	return bio_text(bio);
}

START_TEST(private_key_refused)
{
	EVP_PKEY *key = new_key(KEY_EC);
	char *pem = pem_of_key(key, true);
	char *why = read_fails((unsigned char *)pem, strlen(pem));
	ck_why(why, "PEM private key, not a certificate");
	ck_why(why, "-----BEGIN CERTIFICATE-----");
	free(why);
	free(pem);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(public_key_refused)
{
	EVP_PKEY *key = new_key(KEY_EC);
	char *pem = pem_of_key(key, false);
	char *why = read_fails((unsigned char *)pem, strlen(pem));
	ck_why(why, "PEM public key, not a certificate");
	free(why);
	free(pem);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(csr_refused)
{
	EVP_PKEY *key = new_key(KEY_EC);
	X509_REQ *req = X509_REQ_new();
	ck_assert(X509_REQ_set_pubkey(req, key));
	ck_assert(X509_REQ_sign(req, key, EVP_sha256()) > 0);
	BIO *bio = BIO_new(BIO_s_mem());
	ck_assert(PEM_write_bio_X509_REQ(bio, req));
	char *pem = bio_text(bio);
	char *why = read_fails((unsigned char *)pem, strlen(pem));
	ck_why(why, "certificate signing request");
	free(why);
	free(pem);
	X509_REQ_free(req);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(damaged_pem_body)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "dev-01" });
	char *pem = to_pem(&m);
	char *body = strchr(pem, '\n') + 1;
	body[10] = '*';
	char *why = read_fails((unsigned char *)pem, strlen(pem));
	ck_why(why, "PEM");
	ck_why(why, "does not decode");
	free(why);
	free(pem);
	made_free(&m);
}
END_TEST

START_TEST(pem_with_lost_line_breaks)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "dev-01" });
	char *pem = to_pem(&m);
	for (char *p = pem; *p; p++)
		if (*p == '\n')
			*p = ' ';
	char *why = read_fails((unsigned char *)pem, strlen(pem));
	ck_why(why, "line breaks");
	free(why);
	free(pem);
	made_free(&m);
}
END_TEST

START_TEST(garbage_and_empty)
{
	const char *texts[] = { "hello, world", "{\"certificate\": 1}",
				"-----END CERTIFICATE-----" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *why = read_fails((const unsigned char *)texts[i],
				       strlen(texts[i]));
		ck_why(why, "not a certificate");
		ck_why(why, "expected PEM (-----BEGIN CERTIFICATE-----), "
			    "base64 of DER, or DER");
		free(why);
	}
	char *why = read_fails((const unsigned char *)"", 0);
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
	char *why = read_fails((unsigned char *)text, strlen(text));
	ck_why(why, "base64");
	ck_why(why, "40 bytes are not a DER certificate");
	free(why);
	free(text);
}
END_TEST

START_TEST(truncated_der)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "dev-01" });
	size_t len;
	unsigned char *der = to_der(&m, &len);
	char *why = read_fails(der, len - 5);
	ck_why(why, "not a certificate");
	free(why);
	free(der);
	made_free(&m);
}
END_TEST

/* ---- output ---- */

START_TEST(times_and_service_json)
{
	struct made m = make_cert(&(struct cert_spec){
		.cn = "dev-01", .not_before = T_2025,
		.not_after = T_2026_11_27 });
	char *pem = to_pem(&m);
	struct cert_info info;
	read_ok(pem, &info);
	ck_assert_int_eq(info.not_before, T_2025);
	ck_assert_int_eq(info.not_after, T_2026_11_27);
	cJSON *svc = cert_info_to_service_json(&info);
	const char *keys[] = { "subjectName", "sha1Thumbprint",
			       "sha256Thumbprint", "issuerName",
			       "notBeforeUtc", "notAfterUtc", "serialNumber",
			       "version" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		ck_assert_msg(cJSON_GetObjectItem(svc, keys[i]), "%s", keys[i]);
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
	free(pem);
	made_free(&m);
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
	struct made m = make_cert(&(struct cert_spec){ .cn = "dev-01" });
	char *pem = to_pem(&m);
	struct cert_info info;
	read_ok(pem, &info);
	cJSON *j = cert_info_to_json(&info);
	const char *keys[] = { "format", "chainLength", "subject", "issuer",
			       "commonName", "serialNumber", "sha1Thumbprint",
			       "sha256Thumbprint", "notBefore", "notAfter",
			       "version", "keyType", "keyBits", "curve",
			       "isCA" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		ck_assert_msg(cJSON_GetObjectItem(j, keys[i]), "%s", keys[i]);
	ck_assert_ptr_null(cJSON_GetObjectItem(j, "leafChosenFromChain"));
	ck_assert_str_eq(cJSON_GetObjectItem(j, "sha256Thumbprint")->valuestring,
			 info.sha256);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "curve")->valuestring,
			 "prime256v1");
	cJSON_Delete(j);
	cert_info_clear(&info);
	free(pem);
	made_free(&m);
}
END_TEST

START_TEST(json_has_no_curve_for_rsa)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "r",
						       .key = KEY_RSA });
	char *pem = to_pem(&m);
	struct cert_info info;
	read_ok(pem, &info);
	cJSON *j = cert_info_to_json(&info);
	ck_assert_ptr_null(cJSON_GetObjectItem(j, "curve"));
	ck_assert_str_eq(cJSON_GetObjectItem(j, "keyType")->valuestring, "RSA");
	cJSON_Delete(j);
	cert_info_clear(&info);
	free(pem);
	made_free(&m);
}
END_TEST

START_TEST(text_lines)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "dev-01" });
	char *pem = to_pem(&m);
	struct cert_info info;
	read_ok(pem, &info);
	char *text = cert_info_to_text(&info);
	ck_assert_msg(strstr(text, "Subject:      CN=dev-01, O=Contoso, C=US\n"),
		      "%s", text);
	char want[100];
	snprintf(want, sizeof(want), "SHA-256:      %s\n", info.sha256);
	ck_assert_msg(strstr(text, want), "%s", text);
	ck_assert_msg(!strstr(text, "chain"), "%s", text);
	free(text);
	cert_info_clear(&info);
	free(pem);
	made_free(&m);
}
END_TEST

/* ---- check_certificate ---- */

static struct findings f;

static void
setup(void)
{
	findings_init(&f);
}

static void
teardown(void)
{
	findings_clear(&f);
	unsetenv("DPSENROLL_TIME_NOW");
}

static const char *
dump(void)
{
	static char buf[8192];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < f.count && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "  %s %s: %s\n",
				      severity_name(f.items[i].severity),
				      f.items[i].path, f.items[i].message);
	return f.count ? buf : "  (nothing)\n";
}

static bool
found(enum severity sev, const char *path, const char *fragment)
{
	for (size_t i = 0; i < f.count; i++)
		if (f.items[i].severity == sev &&
		    strcmp(f.items[i].path, path) == 0 &&
		    strstr(f.items[i].message, fragment))
			return true;
	return false;
}

#define ck_found(sev, path, fragment) \
	ck_assert_msg(found(sev, path, fragment), \
		      "expected %s at %s with \"%s\"; found:\n%s", \
		      severity_name(sev), path, fragment, dump())
#define ck_nothing() \
	ck_assert_msg(f.count == 0, "expected nothing; found:\n%s", dump())

/* Checks a certificate valid from 2025-01-01 to 2026-11-27 at `now`. */
static void
check_dated_cert_at(const char *now)
{
	struct made m = make_cert(&(struct cert_spec){
		.cn = "dev-01", .not_before = T_2025,
		.not_after = T_2026_11_27 });
	char *pem = to_pem(&m);
	setenv("DPSENROLL_TIME_NOW", now, 1);
	check_certificate(CLIENT, pem, &f);
	free(pem);
	made_free(&m);
}

START_TEST(check_valid_is_quiet)
{
	check_dated_cert_at("1748736000");	/* 2025-06-01 */
	ck_nothing();
}
END_TEST

START_TEST(check_blank_is_quiet)
{
	check_certificate(CLIENT, "", &f);
	ck_nothing();
}
END_TEST

START_TEST(check_expired)
{
	check_dated_cert_at("1811808000");	/* 2027-06-01 */
	ck_assert_uint_eq(f.count, 1);
	ck_found(SEV_WARNING, CLIENT, "expired on 2026-11-27T08:00:00Z");
}
END_TEST

START_TEST(check_not_yet_valid)
{
	check_dated_cert_at("1717200000");	/* 2024-06-01 */
	ck_assert_uint_eq(f.count, 1);
	ck_found(SEV_WARNING, CLIENT, "not valid until 2025-01-01T00:00:00Z");
}
END_TEST

START_TEST(check_expired_by_the_real_clock)
{
	time_t now = time(NULL);
	struct made m = make_cert(&(struct cert_spec){
		.cn = "old", .not_before = now - 30 * DAY,
		.not_after = now - DAY });
	char *pem = to_pem(&m);
	check_certificate(CLIENT, pem, &f);
	ck_found(SEV_WARNING, CLIENT, "expired on");
	free(pem);
	made_free(&m);
}
END_TEST

START_TEST(check_ca_as_device_cert)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "Root",
						       .ca = true });
	char *pem = to_pem(&m);
	check_certificate(CLIENT, pem, &f);
	ck_assert_uint_eq(f.count, 1);
	ck_found(SEV_WARNING, CLIENT, "CA certificate (CA:TRUE)");
	findings_clear(&f);
	check_certificate(SIGNING, pem, &f);
	ck_nothing();
	free(pem);
	made_free(&m);
}
END_TEST

START_TEST(check_chain_names_the_leaf)
{
	struct chain c;
	chain_make(&c);
	char *pem = concat(c.mid_pem, c.leaf_pem);
	check_certificate(CLIENT, pem, &f);
	ck_assert_uint_eq(f.count, 1);
	ck_found(SEV_WARNING, CLIENT, "chain of 2 certificates");
	ck_found(SEV_WARNING, CLIENT, "\"CN=dev-01, O=Contoso, C=US\"");
	free(pem);
	chain_free(&c);
}
END_TEST

START_TEST(check_not_a_certificate)
{
	EVP_PKEY *key = new_key(KEY_EC);
	char *pem = pem_of_key(key, true);
	check_certificate("x.certificate", pem, &f);
	ck_assert_uint_eq(f.count, 1);
	ck_found(SEV_ERROR, "x.certificate", "PEM private key");
	ck_assert(findings_has_path(&f, "x.certificate", SEV_ERROR));
	findings_clear(&f);
	check_certificate(CLIENT, "MIIB", &f);
	ck_found(SEV_ERROR, CLIENT, "not a DER certificate");
	free(pem);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(check_base64_der)
{
	struct made m = make_cert(&(struct cert_spec){ .cn = "dev-01" });
	size_t len;
	unsigned char *der = to_der(&m, &len);
	char *text = b64_encode(der, len);
	check_certificate(CLIENT, text, &f);
	ck_nothing();
	free(text);
	free(der);
	made_free(&m);
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
	tcase_add_test(tc, format_utc_values);
	tcase_add_test(tc, json_for_certinfo);
	tcase_add_test(tc, json_has_no_curve_for_rsa);
	tcase_add_test(tc, text_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("check_certificate");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, check_valid_is_quiet);
	tcase_add_test(tc, check_blank_is_quiet);
	tcase_add_test(tc, check_expired);
	tcase_add_test(tc, check_not_yet_valid);
	tcase_add_test(tc, check_expired_by_the_real_clock);
	tcase_add_test(tc, check_ca_as_device_cert);
	tcase_add_test(tc, check_chain_names_the_leaf);
	tcase_add_test(tc, check_not_a_certificate);
	tcase_add_test(tc, check_base64_der);
	suite_add_tcase(s, tc);

	return s;
}
