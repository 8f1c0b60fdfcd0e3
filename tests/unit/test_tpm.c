#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "suites.h"
#include "findings_assert.h"
#include "testcert.h"
#include "model/b64.h"
#include "model/checks.h"
#include "model/tpm.h"

#define EK_PATH "attestation.tpm.endorsementKey"
#define SRK_PATH "attestation.tpm.storageRootKey"

/* ---- TPM structures built byte by byte ---- */

struct blob {
	unsigned char b[1024];
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

static void
put_bytes(struct blob *b, const unsigned char *p, size_t n)
{
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void
put_random(struct blob *b, size_t n)
{
	ck_assert(RAND_bytes(b->b + b->n, (int)n) == 1);
	b->n += n;
}

/* PolicySecret(TPM_RH_ENDORSEMENT), the default EK templates' policy. */
static const unsigned char ek_policy[32] = {
	0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xB3, 0xF8, 0x1A, 0x90, 0xCC,
	0x8D, 0x46, 0xA5, 0xD7, 0x24, 0xFD, 0x52, 0xD7, 0x6E, 0x06, 0x52,
	0x0B, 0x64, 0xF2, 0xA1, 0xDA, 0x1B, 0x33, 0x14, 0x69, 0xAA,
};

/* type, SHA-256, the EK attributes, the policy, AES-128-CFB, no scheme */
static void
put_ek_head(struct blob *b, unsigned type)
{
	put16(b, type);
	put16(b, 0x000B);
	put32(b, 0x000300B2);
	put16(b, sizeof(ek_policy));
	put_bytes(b, ek_policy, sizeof(ek_policy));
	put16(b, 0x0006);
	put16(b, 128);
	put16(b, 0x0043);
	put16(b, 0x0010);
}

static struct blob
rsa_tpmt(unsigned bits, size_t modulus_len)
{
	struct blob b = { .n = 0 };
	put_ek_head(&b, 0x0001);
	put16(&b, bits);
	put32(&b, 0);
	put16(&b, (unsigned)modulus_len);
	put_random(&b, modulus_len);
	return b;
}

static struct blob
ecc_tpmt(void)
{
	struct blob b = { .n = 0 };
	put_ek_head(&b, 0x0023);
	put16(&b, 0x0003);	/* NIST P-256 */
	put16(&b, 0x0010);	/* no KDF */
	put16(&b, 32);
	put_random(&b, 32);
	put16(&b, 32);
	put_random(&b, 32);
	return b;
}

static struct blob
keyedhash_tpmt(void)
{
	struct blob b = { .n = 0 };
	put16(&b, 0x0008);
	put16(&b, 0x000B);
	put32(&b, 0x00000072);
	put16(&b, 0);
	put16(&b, 0x0005);	/* HMAC */
	put16(&b, 0x000B);
	put16(&b, 32);
	put_random(&b, 32);
	return b;
}

static struct blob
prefixed(const struct blob *t, size_t declared)
{
	struct blob b = { .n = 0 };
	put16(&b, (unsigned)declared);
	put_bytes(&b, t->b, t->n);
	return b;
}

static struct blob
tpm2b(const struct blob *t)
{
	return prefixed(t, t->n);
}

static char *
b64_of(const struct blob *b)
{
	return b64_encode(b->b, b->n);
}

/* Parses base64 of `b`; returns whether it passed, with *why kept. */
static bool
parse_blob(const struct blob *b, struct tpm_key_info *info, char **why)
{
	char *text = b64_of(b);
	bool ok = tpm_key_parse(text, info, why);
	free(text);
	return ok;
}

/* The reason `text` is refused, asserting the form; the caller frees. */
static char *
refused_text(const char *text, enum tpm_key_form form)
{
	struct tpm_key_info info;
	char *why = NULL;
	ck_assert(!tpm_key_parse(text, &info, &why));
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(info.form == form, "form %d, expected %d: %s",
		      (int)info.form, (int)form, why);
	return why;
}

/* The same for base64 of `b`. */
static char *
refused(const struct blob *b, enum tpm_key_form form)
{
	char *text = b64_of(b);
	char *why = refused_text(text, form);
	free(text);
	return why;
}

/* Base64 of `b` parses as no TPM structure, for a reason that says
 * `fragment`. */
static void
no_structure(const struct blob *b, const char *fragment)
{
	char *why = refused(b, TPM_FORM_UNKNOWN);
	ck_why(why, fragment);
	free(why);
}

/* ---- keys DPS takes ---- */

START_TEST(rsa_ek_default_template)
{
	struct blob t = rsa_tpmt(2048, 256);
	struct blob b = tpm2b(&t);
	char *text = b64_of(&b);
	ck_assert_msg(strncmp(text, "AToAAQALAAMAsgAg", 16) == 0, "%s", text);
	struct tpm_key_info info;
	char *why = NULL;
	ck_assert_msg(tpm_key_parse(text, &info, &why), "%s", why);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(info.form, TPM_FORM_TPM2B_PUBLIC);
	ck_assert_str_eq(info.type_name, "RSA");
	ck_assert_uint_eq(info.type_alg, 0x0001);
	ck_assert_uint_eq(info.name_alg, 0x000B);
	ck_assert_uint_eq(info.attributes, 0x000300B2);
	ck_assert_uint_eq(info.key_bits, 2048);
	free(text);
}
END_TEST

START_TEST(fingerprint_is_short_sha256)
{
	struct blob t = rsa_tpmt(2048, 256);
	struct blob b = tpm2b(&t);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n;
	ck_assert(EVP_Digest(b.b, b.n, md, &n, EVP_sha256(), NULL));
	char want[24];
	snprintf(want, sizeof(want), "%02X%02X-%02X%02X-%02X%02X-%02X%02X",
		 md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7]);
	struct tpm_key_info info;
	char *why = NULL;
	ck_assert(parse_blob(&b, &info, &why));
	ck_assert_str_eq(info.fingerprint, want);
	ck_assert_uint_eq(strlen(info.fingerprint), 19);
}
END_TEST

START_TEST(wrapped_base64_accepted)
{
	struct blob t = rsa_tpmt(2048, 256);
	struct blob b = tpm2b(&t);
	char *text = b64_of(&b);
	size_t len = strlen(text);
	char *wrapped = malloc(len + len / 64 + 4);
	size_t n = 0;
	wrapped[n++] = ' ';
	for (size_t i = 0; i < len; i++) {
		wrapped[n++] = text[i];
		if ((i + 1) % 64 == 0)
			wrapped[n++] = '\n';
	}
	wrapped[n++] = '\n';
	wrapped[n] = '\0';
	struct tpm_key_info a, w;
	char *why = NULL;
	ck_assert(tpm_key_parse(text, &a, &why));
	ck_assert_msg(tpm_key_parse(wrapped, &w, &why), "%s", why);
	ck_assert_str_eq(a.fingerprint, w.fingerprint);
	free(wrapped);
	free(text);
}
END_TEST

START_TEST(ecc_ek)
{
	struct blob t = ecc_tpmt();
	struct blob b = tpm2b(&t);
	struct tpm_key_info info;
	char *why = NULL;
	ck_assert_msg(parse_blob(&b, &info, &why), "%s", why);
	ck_assert_str_eq(info.type_name, "ECC");
	ck_assert_uint_eq(info.type_alg, 0x0023);
	ck_assert_uint_eq(info.key_bits, 256);
}
END_TEST

START_TEST(rsa_4096)
{
	struct blob t = rsa_tpmt(4096, 512);
	struct blob b = tpm2b(&t);
	struct tpm_key_info info;
	char *why = NULL;
	ck_assert_msg(parse_blob(&b, &info, &why), "%s", why);
	ck_assert_uint_eq(info.key_bits, 4096);
}
END_TEST

/* ---- byte strings that are not quite a key ---- */

START_TEST(truncated)
{
	struct blob t = rsa_tpmt(2048, 256);
	struct blob b = tpm2b(&t);
	b.n -= 10;
	char *why = refused(&b, TPM_FORM_UNKNOWN);
	ck_why(why, "declare 314 bytes, but 304 follow");
	ck_why(why, "RSA modulus");
	free(why);
}
END_TEST

START_TEST(truncated_to_nothing_much)
{
	struct blob t = rsa_tpmt(2048, 256);
	struct blob b = tpm2b(&t);
	b.n = 1;
	no_structure(&b, "1 byte, too short");
	b.n = 12;
	no_structure(&b, "declare 314 bytes, but 10 follow");
}
END_TEST

START_TEST(wrong_size_prefix)
{
	struct blob t = rsa_tpmt(2048, 256);
	struct blob b = prefixed(&t, 0x0100);
	no_structure(&b, "size prefix declares 256 bytes, but the key after it "
			 "is 314 bytes");
}
END_TEST

START_TEST(trailing_bytes)
{
	struct blob t = rsa_tpmt(2048, 256);
	struct blob b = tpm2b(&t);
	put_random(&b, 3);
	no_structure(&b, "TPM2B_PUBLIC (316 bytes) followed by 3 bytes more");
	/* the same with a size prefix that counts the extra bytes */
	struct blob longer = t;
	put_random(&longer, 3);
	b = tpm2b(&longer);
	no_structure(&b, "followed by 3 bytes more");
}
END_TEST

START_TEST(tpmt_without_prefix)
{
	struct blob t = rsa_tpmt(2048, 256);
	struct tpm_key_info info;
	char *why = NULL;
	ck_assert(!parse_blob(&t, &info, &why));
	ck_assert_int_eq(info.form, TPM_FORM_TPMT_PUBLIC);
	ck_why(why, "without the 2-byte size prefix");
	ck_why(why, "0x013A");
	ck_assert_str_eq(info.type_name, "RSA");
	ck_assert_uint_eq(strlen(info.fingerprint), 19);
	free(why);
}
END_TEST

START_TEST(modulus_does_not_match_key_size)
{
	struct blob t = rsa_tpmt(2048, 128);
	struct blob b = tpm2b(&t);
	char *why = refused(&b, TPM_FORM_UNKNOWN);
	ck_why(why, "modulus is 128 bytes");
	ck_why(why, "2048 bits");
	free(why);
}
END_TEST

START_TEST(unknown_type)
{
	struct blob t = rsa_tpmt(2048, 256);
	t.b[0] = 0x00;
	t.b[1] = 0x99;
	struct blob b = tpm2b(&t);
	no_structure(&b, "type 0x0099");
}
END_TEST

START_TEST(symmetric_object_refused)
{
	struct blob t = keyedhash_tpmt();
	struct blob b = tpm2b(&t);
	char *why = refused(&b, TPM_FORM_TPM2B_PUBLIC);
	ck_why(why, "KEYEDHASH");
	ck_why(why, "not an endorsement key");
	free(why);
}
END_TEST

START_TEST(random_bytes)
{
	struct blob b = { .n = 0 };
	put16(&b, 0xFFFF);
	put_random(&b, 20);
	no_structure(&b, "declare 65535 bytes, but 20 follow");
}
END_TEST

/* ---- text that is not base64 of a key ---- */

START_TEST(pem_public_key)
{
	EVP_PKEY *key = testcert_new_key(TESTCERT_EC);
	char *pem = testcert_key_pem(key, false);
	char *why = refused_text(pem, TPM_FORM_PEM_PUBLIC_KEY);
	ck_why(why, "this is a PEM public key; DPS expects the TPM's "
		    "endorsement key as base64 of TPM2B_PUBLIC");
	ck_why(why, "tpm2_readpublic -c 0x81010001");
	free(why);
	free(pem);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(pem_other_block)
{
	char *why = refused_text("-----BEGIN CERTIFICATE-----\nAAAA\n"
				 "-----END CERTIFICATE-----\n",
				 TPM_FORM_PEM_OTHER);
	ck_why(why, "PEM \"CERTIFICATE\" block");
	ck_why(why, "TPM2B_PUBLIC");
	free(why);
}
END_TEST

/* `text` is refused as not base64, for a reason that says `fragment`. */
static void
not_base64(const char *text, const char *fragment)
{
	char *why = refused_text(text, TPM_FORM_NOT_BASE64);
	ck_why(why, fragment);
	free(why);
}

START_TEST(not_base64_says_where)
{
	not_base64("AToA$AAA", "character 5, '$'");
	not_base64("ATo A$AAA", "character 6, '$'");
	not_base64("AToAé", "character 5, 'é'");
	not_base64("éé-", "character 1, 'é'");
}
END_TEST

START_TEST(not_base64_shape)
{
	not_base64("ATo", "multiple of 4");
	not_base64("", "empty");
	char *why = refused_text("AT=A", TPM_FORM_NOT_BASE64);
	ck_why(why, "character 3");
	ck_why(why, "padding");
	free(why);
}
END_TEST

/* ---- check_tpm_key ---- */

START_TEST(check_valid_and_blank)
{
	struct blob t = ecc_tpmt();
	struct blob b = tpm2b(&t);
	char *text = b64_of(&b);
	findings_check(check_tpm_key, EK_PATH, text);
	ck_nothing();
	findings_check(check_tpm_key, EK_PATH, "");
	ck_nothing();
	free(text);
}
END_TEST

START_TEST(check_reports_why_at_path)
{
	struct blob t = rsa_tpmt(2048, 256);
	char *text = b64_of(&t);
	findings_expect_one_error(check_tpm_key, SRK_PATH, text, "size prefix");
	free(text);
	findings_expect_one_error(check_tpm_key, EK_PATH, "not a key!",
				  "not base64");
}
END_TEST

Suite *
tpm_suite(void)
{
	Suite *s = suite_create("tpm");

	TCase *tc = tcase_create("accepted");
	tcase_add_test(tc, rsa_ek_default_template);
	tcase_add_test(tc, fingerprint_is_short_sha256);
	tcase_add_test(tc, wrapped_base64_accepted);
	tcase_add_test(tc, ecc_ek);
	tcase_add_test(tc, rsa_4096);
	suite_add_tcase(s, tc);

	tc = tcase_create("bytes");
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, truncated_to_nothing_much);
	tcase_add_test(tc, wrong_size_prefix);
	tcase_add_test(tc, trailing_bytes);
	tcase_add_test(tc, tpmt_without_prefix);
	tcase_add_test(tc, modulus_does_not_match_key_size);
	tcase_add_test(tc, unknown_type);
	tcase_add_test(tc, symmetric_object_refused);
	tcase_add_test(tc, random_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_test(tc, pem_public_key);
	tcase_add_test(tc, pem_other_block);
	tcase_add_test(tc, not_base64_says_where);
	tcase_add_test(tc, not_base64_shape);
	suite_add_tcase(s, tc);

	tc = findings_tcase(s, "check_tpm_key");
	tcase_add_test(tc, check_valid_and_blank);
	tcase_add_test(tc, check_reports_why_at_path);

	return s;
}
