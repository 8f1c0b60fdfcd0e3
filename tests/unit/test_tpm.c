#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "suites.h"
#include "findings_assert.h"
#include "testcert.h"
#include "base/b64.h"
#include "model/checks.h"
#include "model/tpm.h"

#define EK_PATH "attestation.tpm.endorsementKey"
#define SRK_PATH "attestation.tpm.storageRootKey"

/* ---- TPM structures built byte by byte ---- */

struct blob {
	unsigned char b[2048];
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

/* The standard RSA EK around `modulus` (256 bytes). */
static struct blob
rsa_ek_tpmt(const unsigned char *modulus)
{
	struct blob b = { .n = 0 };
	put_ek_head(&b, 0x0001);
	put16(&b, 2048);
	put32(&b, 0);
	put16(&b, 256);
	put_bytes(&b, modulus, 256);
	return b;
}

/* The standard ECC EK around the point (32 bytes each). */
static struct blob
ecc_ek_tpmt(const unsigned char *x, const unsigned char *y)
{
	struct blob b = { .n = 0 };
	put_ek_head(&b, 0x0023);
	put16(&b, 0x0003);
	put16(&b, 0x0010);
	put16(&b, 32);
	put_bytes(&b, x, 32);
	put16(&b, 32);
	put_bytes(&b, y, 32);
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

/* ---- conversion ---- */

/* What tpm_key_convert made of `text`; note and why are kept. */
struct conv {
	char *out, *note, *why;
};

static struct conv
convert(const char *text)
{
	struct conv c = { 0 };
	c.out = tpm_key_convert(text, &c.note, &c.why);
	ck_assert_msg(c.out != NULL, "not converted: %s", c.why);
	ck_assert_ptr_null(c.why);
	return c;
}

static struct conv
convert_data(const struct blob *b)
{
	struct conv c = { 0 };
	c.out = tpm_key_convert_data(b->b, b->n, &c.note, &c.why);
	ck_assert_msg(c.out != NULL, "not converted: %s", c.why);
	ck_assert_ptr_null(c.why);
	return c;
}

static void
conv_free(struct conv *c)
{
	free(c->out);
	free(c->note);
	free(c->why);
}

/* The reason `text` cannot be converted; the caller frees. */
static char *
not_converted(const char *text)
{
	char *note = NULL, *why = NULL;
	char *out = tpm_key_convert(text, &note, &why);
	ck_assert_msg(out == NULL, "converted to %s (%s)", out, note);
	ck_assert_ptr_null(note);
	ck_assert_ptr_nonnull(why);
	return why;
}

static void
ck_note(const struct conv *c, const char *fragment)
{
	ck_assert_ptr_nonnull(c->note);
	ck_assert_msg(strstr(c->note, fragment), "note \"%s\" lacks \"%s\"",
		      c->note, fragment);
}

/* The fingerprint tpm_key_parse gives `text`, accepted or not. */
static void
fingerprint_of(const char *text, char out[24])
{
	struct tpm_key_info info;
	char *why = NULL;
	tpm_key_parse(text, &info, &why);
	free(why);
	memcpy(out, info.fingerprint, 24);
	ck_assert_msg(strlen(out) == 19, "no fingerprint for %s", text);
}

static void
ck_same_fingerprint(const char *a, const char *b)
{
	char fa[24], fb[24];
	fingerprint_of(a, fa);
	fingerprint_of(b, fb);
	ck_assert_str_eq(fa, fb);
}

static char *
armoured(const char *name, const char *body, const char *between)
{
	size_t n = strlen(name) * 2 + strlen(body) + 40;
	char *s = malloc(n);
	snprintf(s, n, "-----BEGIN %s-----%s%s%s-----END %s-----\n", name,
		 between, body, between, name);
	return s;
}

START_TEST(convert_dps_form_unchanged)
{
	struct blob t = rsa_tpmt(2048, 256);
	struct blob b = tpm2b(&t);
	char *text = b64_of(&b);
	struct conv c = convert(text);
	ck_assert_str_eq(c.out, text);
	ck_assert_ptr_null(c.note);
	conv_free(&c);
	free(text);
}
END_TEST

START_TEST(convert_wrapped_base64)
{
	struct blob t = ecc_tpmt();
	struct blob b = tpm2b(&t);
	char *text = b64_of(&b);
	char wrapped[1024];
	snprintf(wrapped, sizeof(wrapped), "  %.40s\r\n%s\n", text, text + 40);
	struct conv c = convert(wrapped);
	ck_assert_str_eq(c.out, text);
	ck_note(&c, "removed the spaces and line breaks");
	ck_same_fingerprint(wrapped, text);
	conv_free(&c);
	free(text);
}
END_TEST

START_TEST(convert_tpmt_adds_prefix)
{
	struct blob t = rsa_tpmt(2048, 256);
	struct blob b = tpm2b(&t);
	char *raw = b64_of(&t), *want = b64_of(&b);
	struct conv c = convert(raw);
	ck_assert_str_eq(c.out, want);
	ck_assert(strncmp(c.out, "AToAAQALAAMAsgAg", 16) == 0);
	ck_note(&c, "added the 2-byte size prefix, 0x013A");
	ck_note(&c, "-f tpmt");
	ck_same_fingerprint(raw, want);

	/* The parser says what it is and describes the converted key. */
	struct tpm_key_info info;
	char *why = NULL;
	ck_assert(!tpm_key_parse(raw, &info, &why));
	ck_assert_int_eq(info.form, TPM_FORM_TPMT_PUBLIC);
	ck_assert_str_eq(info.type_name, "RSA");
	ck_assert_uint_eq(info.key_bits, 2048);
	free(why);
	conv_free(&c);
	free(raw);
	free(want);
}
END_TEST

START_TEST(convert_armoured_tpm2b)
{
	struct blob t = ecc_tpmt();
	struct blob b = tpm2b(&t);
	char *text = b64_of(&b);
	/* with line breaks, and pasted into one line without them */
	const char *between[] = { "\n", "" };
	for (size_t i = 0; i < 2; i++) {
		char *pem = armoured("TPM2B PUBLIC", text, between[i]);
		struct conv c = convert(pem);
		ck_assert_str_eq(c.out, text);
		ck_note(&c, "removed the -----BEGIN TPM2B PUBLIC----- and "
			    "-----END lines");
		ck_same_fingerprint(pem, text);

		struct tpm_key_info info;
		char *why = NULL;
		ck_assert(!tpm_key_parse(pem, &info, &why));
		ck_assert_int_eq(info.form, TPM_FORM_ARMOURED);
		ck_why(why, "TPM2B_PUBLIC inside -----BEGIN TPM2B PUBLIC-----");
		ck_assert_str_eq(info.type_name, "ECC");
		free(why);
		conv_free(&c);
		free(pem);
	}
	free(text);
}
END_TEST

START_TEST(convert_armoured_tpmt)
{
	struct blob t = rsa_tpmt(2048, 256);
	struct blob b = tpm2b(&t);
	char *raw = b64_of(&t), *want = b64_of(&b);
	char *pem = armoured("PUBLIC", raw, "\n");
	struct conv c = convert(pem);
	ck_assert_str_eq(c.out, want);
	ck_note(&c, "removed the -----BEGIN PUBLIC----- and -----END lines; "
		    "added the 2-byte size prefix");
	ck_same_fingerprint(pem, want);
	conv_free(&c);
	free(pem);
	free(raw);
	free(want);
}
END_TEST

START_TEST(convert_binary_files)
{
	struct blob t = rsa_tpmt(2048, 256);
	struct blob b = tpm2b(&t);
	char *want = b64_of(&b);
	struct conv c = convert_data(&b);	/* tpm2_readpublic -f tss */
	ck_assert_str_eq(c.out, want);
	ck_note(&c, "encoded the binary data in base64");
	conv_free(&c);
	c = convert_data(&t);			/* -f tpmt */
	ck_assert_str_eq(c.out, want);
	ck_note(&c, "encoded the binary data in base64; added the 2-byte "
		    "size prefix");
	conv_free(&c);
	free(want);

	/* Text given as data is read as text. */
	struct blob text = { .n = 0 };
	char *b64 = b64_of(&b);
	put_bytes(&text, (const unsigned char *)b64, strlen(b64));
	c = convert_data(&text);
	ck_assert_str_eq(c.out, b64);
	ck_assert_ptr_null(c.note);
	conv_free(&c);
	free(b64);

	struct blob junk = { .n = 0 };
	put16(&junk, 0x0001);
	put_random(&junk, 40);
	char *note = NULL, *why = NULL;
	ck_assert_ptr_null(tpm_key_convert_data(junk.b, junk.n, &note, &why));
	ck_why(why, "42 bytes of binary data");
	ck_why(why, "TPM2B_PUBLIC");
	free(why);
}
END_TEST

/* ---- conversion of public keys ---- */

/* A public key with the given modulus and exponent; the caller frees. */
static EVP_PKEY *
rsa_public(const unsigned char *modulus, size_t len, unsigned long e)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *n = BN_bin2bn(modulus, (int)len, NULL), *be = BN_new();
	ck_assert(bld && n && be && BN_set_word(be, e));
	ck_assert(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n));
	ck_assert(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be));
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *key = NULL;
	ck_assert(ctx && EVP_PKEY_fromdata_init(ctx) == 1);
	ck_assert(EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY,
				    params) == 1);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(be);
	return key;
}

/* A fixed 2048-bit modulus, so the expected key is known in full. */
static void
known_modulus(unsigned char m[256])
{
	for (size_t i = 0; i < 256; i++)
		m[i] = (unsigned char)(i * 37 + 11);
	m[0] = 0xC5;
	m[255] |= 1;
}

START_TEST(convert_rsa_pem_to_standard_ek)
{
	unsigned char m[256];
	known_modulus(m);
	EVP_PKEY *key = rsa_public(m, sizeof(m), 65537);
	char *pem = testcert_key_pem(key, false);
	struct blob t = rsa_ek_tpmt(m);
	struct blob b = tpm2b(&t);
	char *want = b64_of(&b);

	struct conv c = convert(pem);
	ck_assert(strncmp(c.out, "AToAAQALAAMAsgAg", 16) == 0);
	ck_assert_str_eq(c.out, want);
	ck_note(&c, "assumed the standard EK template");
	ck_note(&c, "RSA 2048");
	ck_note(&c, "tpm2_readpublic -c 0x81010001 -f tss");

	struct tpm_key_info info;
	char *why = NULL;
	ck_assert_msg(tpm_key_parse(c.out, &info, &why), "%s", why);
	ck_assert_str_eq(info.type_name, "RSA");
	ck_assert_uint_eq(info.key_bits, 2048);
	ck_assert_uint_eq(info.attributes, 0x000300B2);
	ck_note(&c, info.fingerprint);

	/* The PEM itself is refused as before, yet shows the same print. */
	struct tpm_key_info pem_info;
	ck_assert(!tpm_key_parse(pem, &pem_info, &why));
	ck_assert_int_eq(pem_info.form, TPM_FORM_PEM_PUBLIC_KEY);
	ck_why(why, "this is a PEM public key");
	ck_assert_str_eq(pem_info.fingerprint, info.fingerprint);
	ck_assert_str_eq(pem_info.type_name, "RSA");
	free(why);

	conv_free(&c);
	free(want);
	free(pem);
	EVP_PKEY_free(key);
}
END_TEST

/* The endorsement key of the Azure IoT SDK samples and DPS tutorials, a
 * standard RSA EK; its modulus alone must give it back exactly. */
static const char sample_ek[] =
	"AToAAQALAAMAsgAgg3GXZ0SEs/gakMyNRqXXJP1S124GUgtk8qHaGzMUaaoABgCAAEMAE"
	"AgAAAAAAAEAxsj2gUScTk1UjuioeTlfGYZrrimExB+bScH75adUMRIi2UOMxG1kw4y+9R"
	"W/IVoMl4e620VxZad0ARX2gUqVjYO7KPVt3dyKhZS3dkcvfBisBhP1XH9B33VqHG9SHnb"
	"nQXdBUaCgKAfxome8UmBKfe+naTsE5fkvjb/do3/dD6l4sGBwFCnKRdln4XpM03zLpoHF"
	"ao8zOwt8l/uP3qUIxmCYv9A7m69Ms+5/pCkTu/rK4mRDsfhZ0QLfbzVI6zQFOKF/rwsfB"
	"tFeWlWtcuJMKlXdD8TXWElTzgh7JS4qhFzreL0c1mI0GCj+Aws0usZh7dLIVPnlgZcBhg"
	"y1SSDQMQ==";

START_TEST(convert_rebuilds_the_sdk_sample_ek)
{
	unsigned char *raw = NULL;
	size_t n = 0;
	ck_assert_int_eq(b64_decode(sample_ek, &raw, &n, NULL), B64_OK);
	ck_assert_uint_eq(n, 316);
	EVP_PKEY *key = rsa_public(raw + n - 256, 256, 65537);
	char *pem = testcert_key_pem(key, false);
	struct conv c = convert(pem);
	ck_assert_str_eq(c.out, sample_ek);
	ck_same_fingerprint(pem, sample_ek);
	conv_free(&c);
	free(pem);
	EVP_PKEY_free(key);
	free(raw);
}
END_TEST

START_TEST(convert_canonical_base64)
{
	/* The last 'Q' carries two bits of the key and four of padding;
	 * 'R' sets a padding bit, which decoders ignore. */
	char loose[sizeof(sample_ek)];
	memcpy(loose, sample_ek, sizeof(sample_ek));
	char *q = strstr(loose, "QMQ==");
	ck_assert_ptr_nonnull(q);
	q[2] = 'R';
	struct conv c = convert(loose);
	ck_assert_str_eq(c.out, sample_ek);
	ck_note(&c, "rewrote the base64 in its standard form");
	conv_free(&c);
}
END_TEST

START_TEST(convert_never_takes_a_private_key)
{
	EVP_PKEY *key = testcert_new_key(TESTCERT_RSA);
	char *pem = testcert_key_pem(key, true);
	char *why = not_converted(pem);
	ck_why(why, "PEM \"PRIVATE KEY\" block, not a TPM key");
	free(why);
	free(pem);

	/* PKCS#1 RSAPrivateKey begins like an RSAPublicKey. */
	struct blob der = { .n = 0 };
	unsigned char *p = NULL;
	int n = i2d_PrivateKey(key, &p);
	ck_assert_int_gt(n, 0);
	ck_assert_uint_lt((size_t)n, sizeof(der.b));
	put_bytes(&der, p, (size_t)n);
	OPENSSL_clear_free(p, (size_t)n);
	char *b64 = b64_of(&der);
	pem = armoured("RSA PRIVATE KEY", b64, "\n");
	why = not_converted(pem);
	ck_why(why, "PEM \"RSA PRIVATE KEY\" block");
	free(why);
	why = not_converted(b64);
	ck_why(why, "is not a TPM key type");
	free(why);
	char *note = NULL;
	ck_assert_ptr_null(tpm_key_convert_data(der.b, der.n, &note, &why));
	ck_why(why, "binary data");
	free(why);
	free(pem);
	free(b64);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(convert_rsa_der_and_pkcs1)
{
	unsigned char m[256];
	known_modulus(m);
	EVP_PKEY *key = rsa_public(m, sizeof(m), 65537);
	struct blob t = rsa_ek_tpmt(m);
	struct blob ek = tpm2b(&t);
	char *want = b64_of(&ek);

	/* DER, as `-f der` writes it, then in base64 */
	struct blob der = { .n = 0 };
	unsigned char *p = der.b;
	int n = i2d_PUBKEY(key, &p);
	ck_assert_int_gt(n, 0);
	der.n = (size_t)n;
	struct conv c = convert_data(&der);
	ck_assert_str_eq(c.out, want);
	ck_note(&c, "assumed the standard EK template");
	ck_assert_msg(!strstr(c.note, "binary"), "%s", c.note);
	conv_free(&c);

	char *b64 = b64_of(&der);
	c = convert(b64);
	ck_assert_str_eq(c.out, want);
	conv_free(&c);
	char *why = refused_text(b64, TPM_FORM_PEM_PUBLIC_KEY);
	ck_why(why, "base64 of a DER public key");
	free(why);
	ck_same_fingerprint(b64, want);
	free(b64);

	/* PKCS#1, "RSA PUBLIC KEY" */
	struct blob pkcs1 = { .n = 0 };
	p = pkcs1.b;
	n = i2d_PublicKey(key, &p);
	ck_assert_int_gt(n, 0);
	pkcs1.n = (size_t)n;
	b64 = b64_of(&pkcs1);
	char *pem = armoured("RSA PUBLIC KEY", b64, "\n");
	c = convert(pem);
	ck_assert_str_eq(c.out, want);
	conv_free(&c);
	free(pem);
	free(b64);

	free(want);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(convert_ecc_pem_to_standard_ek)
{
	EVP_PKEY *key = testcert_new_key(TESTCERT_EC);
	BIGNUM *x = NULL, *y = NULL;
	ck_assert(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x));
	ck_assert(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y));
	unsigned char bx[32], by[32];
	ck_assert_int_eq(BN_bn2binpad(x, bx, 32), 32);
	ck_assert_int_eq(BN_bn2binpad(y, by, 32), 32);
	struct blob t = ecc_ek_tpmt(bx, by);
	struct blob b = tpm2b(&t);
	char *want = b64_of(&b);
	char *pem = testcert_key_pem(key, false);

	struct conv c = convert(pem);
	ck_assert_str_eq(c.out, want);
	ck_note(&c, "ECC NIST P-256");
	ck_note(&c, "0x81010002");
	struct tpm_key_info info;
	char *why = NULL;
	ck_assert_msg(tpm_key_parse(c.out, &info, &why), "%s", why);
	ck_assert_str_eq(info.type_name, "ECC");
	ck_assert_uint_eq(info.key_bits, 256);
	ck_same_fingerprint(pem, c.out);

	conv_free(&c);
	free(pem);
	free(want);
	BN_free(x);
	BN_free(y);
	EVP_PKEY_free(key);
}
END_TEST

/* The PEM of `key` is not converted, for a reason that says `fragment`. */
static void
key_not_converted(EVP_PKEY *key, const char *fragment)
{
	char *pem = testcert_key_pem(key, false);
	char *why = not_converted(pem);
	ck_why(why, fragment);
	ck_why(why, "tpm2_readpublic");
	free(why);
	free(pem);
	EVP_PKEY_free(key);
}

START_TEST(convert_refuses_other_public_keys)
{
	unsigned char m[384];
	ck_assert(RAND_bytes(m, sizeof(m)) == 1);
	m[0] |= 0x80;
	key_not_converted(rsa_public(m, 256, 3), "exponent is 3; the "
						 "standard EK's is 65537");
	key_not_converted(rsa_public(m, 384, 65537),
			  "3072-bit RSA public key");
	key_not_converted(rsa_public(m, 128, 65537),
			  "1024-bit RSA public key");
	key_not_converted(EVP_EC_gen("P-384"), "curve secp384r1");
	key_not_converted(EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"),
			  "public key of type ED25519");
}
END_TEST

START_TEST(convert_refuses_what_is_not_a_key)
{
	char *why = not_converted("not a key!");
	ck_why(why, "not base64");
	free(why);

	why = not_converted("-----BEGIN CERTIFICATE-----\nAAAA\n"
			    "-----END CERTIFICATE-----\n");
	ck_why(why, "PEM \"CERTIFICATE\" block, not a TPM key");
	free(why);

	why = not_converted("-----BEGIN PUBLIC KEY-----\nAAAA\n"
			    "-----END PUBLIC KEY-----\n");
	ck_why(why, "cannot read a key in it");
	free(why);

	why = not_converted("-----BEGIN PUBLIC KEY-----\nAAAA\n");
	ck_why(why, "does not parse");
	free(why);

	struct blob t = keyedhash_tpmt();
	struct blob b = tpm2b(&t);
	char *text = b64_of(&b);
	why = not_converted(text);
	ck_why(why, "KEYEDHASH");
	free(why);
	free(text);

	t = rsa_tpmt(2048, 256);
	b = tpm2b(&t);
	b.n -= 10;
	text = b64_of(&b);
	why = not_converted(text);
	ck_why(why, "cut short");
	free(why);
	free(text);

	why = not_converted("");
	ck_why(why, "empty");
	free(why);
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

	tc = tcase_create("convert");
	tcase_add_test(tc, convert_dps_form_unchanged);
	tcase_add_test(tc, convert_wrapped_base64);
	tcase_add_test(tc, convert_tpmt_adds_prefix);
	tcase_add_test(tc, convert_armoured_tpm2b);
	tcase_add_test(tc, convert_armoured_tpmt);
	tcase_add_test(tc, convert_binary_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("convert public keys");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, convert_rsa_pem_to_standard_ek);
	tcase_add_test(tc, convert_rebuilds_the_sdk_sample_ek);
	tcase_add_test(tc, convert_canonical_base64);
	tcase_add_test(tc, convert_never_takes_a_private_key);
	tcase_add_test(tc, convert_rsa_der_and_pkcs1);
	tcase_add_test(tc, convert_ecc_pem_to_standard_ek);
	tcase_add_test(tc, convert_refuses_other_public_keys);
	tcase_add_test(tc, convert_refuses_what_is_not_a_key);
	suite_add_tcase(s, tc);

	tc = findings_tcase(s, "check_tpm_key");
	tcase_add_test(tc, check_valid_and_blank);
	tcase_add_test(tc, check_reports_why_at_path);

	return s;
}
