#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "suites.h"
#include "findings_assert.h"
#include "base/b64.h"
#include "model/checks.h"
#include "model/keys.h"
#include "base/secret.h"

#define KEY_PATH "attestation.symmetricKey.primaryKey"

static void
check(const char *text)
{
	findings_check(check_symmetric_key, KEY_PATH, text);
}

/* `text` gives one finding and no other, an error that says `fragment`. */
static void
key_error(const char *text, const char *fragment)
{
	findings_expect_one_error(check_symmetric_key, KEY_PATH, text,
				  fragment);
}

/* Base64 of `n` random bytes; the caller frees. */
static char *
random_key(size_t n)
{
	unsigned char raw[128];
	ck_assert(n <= sizeof(raw));
	ck_assert(RAND_bytes(raw, (int)n) == 1);
	return b64_encode(raw, n);
}

static void
check_random_key(size_t n)
{
	char *key = random_key(n);
	check(key);
	free(key);
}

/* ---- check_symmetric_key ---- */

START_TEST(valid_lengths)
{
	const size_t ok[] = { 16, 17, 32, 48, 63, 64 };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		check_random_key(ok[i]);
		ck_assert_msg(found_list.count == 0,
			      "%zu bytes should pass:\n%s", ok[i],
			      findings_dump());
	}
}
END_TEST

START_TEST(blank_is_quiet)
{
	check("");
	ck_nothing();
}
END_TEST

START_TEST(too_short)
{
	check_random_key(15);
	ck_total(1);
	ck_found(SEV_ERROR, KEY_PATH, "decodes to 15 bytes");
	ck_found(SEV_ERROR, KEY_PATH, "DPS needs 16 to 64 bytes");
	check_random_key(8);
	ck_found(SEV_ERROR, KEY_PATH, "decodes to 8 bytes; DPS needs 16 to 64 "
				       "bytes. Generate one with `dpsenroll "
				       "keygen`.");
	check("AAAA");
	ck_found(SEV_ERROR, KEY_PATH, "decodes to 3 bytes");
}
END_TEST

START_TEST(too_long)
{
	check_random_key(65);
	ck_total(1);
	ck_found(SEV_ERROR, KEY_PATH, "decodes to 65 bytes");
	check_random_key(96);
	ck_found(SEV_ERROR, KEY_PATH, "decodes to 96 bytes");
}
END_TEST

START_TEST(bad_character_position)
{
	key_error("AAAA$AAA", "character 5, '$', is not base64");
	check("AAAA-AAA_AAA");
	ck_found(SEV_ERROR, KEY_PATH, "character 5, '-'");
}
END_TEST

START_TEST(white_space_refused)
{
	char *key = random_key(32);
	size_t len = strlen(key);
	char *spaced = malloc(len + 2);
	memcpy(spaced, key, 10);
	spaced[10] = ' ';
	memcpy(spaced + 11, key + 10, len - 10 + 1);
	check(spaced);
	ck_found(SEV_ERROR, KEY_PATH, "character 11, ' ' (a space)");

	memcpy(spaced, key, len);
	spaced[len] = '\n';
	spaced[len + 1] = '\0';
	check(spaced);
	ck_found(SEV_ERROR, KEY_PATH, "character 45, U+000A");
	free(spaced);
	free(key);
}
END_TEST

START_TEST(non_ascii)
{
	key_error("AAAAAAAAé+AAAAAAAAAAAAAAA", "character 9, 'é'");
	check("ключ");
	ck_found(SEV_ERROR, KEY_PATH, "character 1, 'к'");
}
END_TEST

START_TEST(bad_padding)
{
	check("AAAAAAAAAAAAAAAAAAAAAA==");	/* 16 bytes, padded */
	ck_nothing();
	check("AAAAAAAAAAAAAAAAAAAA=A==");
	ck_found(SEV_ERROR, KEY_PATH, "'=' at character 21 is misplaced");
	check("AAAAAAAAAAAAAAAAAAAAA===");
	ck_found(SEV_ERROR, KEY_PATH, "'=' at character 22 is misplaced");
}
END_TEST

START_TEST(bad_length)
{
	key_error("AAAAAAAAAAAAAAAAAAAAAAA", "multiple of 4");
	ck_found(SEV_ERROR, KEY_PATH, "23 characters");
}
END_TEST

START_TEST(path_is_carried)
{
	findings_check(check_symmetric_key,
		       "attestation.symmetricKey.secondaryKey", "A");
	ck_assert(findings_has_path(&found_list,
				    "attestation.symmetricKey.secondaryKey",
				    SEV_ERROR));
	ck_assert(!findings_has_path(&found_list, KEY_PATH, SEV_ERROR));
}
END_TEST

/* ---- symkey_generate ---- */

static size_t
decoded_len(const char *key)
{
	unsigned char *raw = NULL;
	size_t len = 0;
	ck_assert_int_eq(b64_decode(key, &raw, &len, NULL), B64_OK);
	secret_free(raw, len);
	return len;
}

START_TEST(generate_default)
{
	const char *why = NULL;
	char *key = symkey_generate(SYMKEY_DEFAULT_BYTES, &why);
	ck_assert_ptr_nonnull(key);
	ck_assert_uint_eq(decoded_len(key), 64);
	ck_assert_uint_eq(strlen(key), 88);
	check(key);
	ck_nothing();
	secret_str_free(key);
}
END_TEST

START_TEST(generate_bounds)
{
	const char *why = NULL;
	char *key = symkey_generate(16, &why);
	ck_assert_ptr_nonnull(key);
	ck_assert_uint_eq(decoded_len(key), 16);
	secret_str_free(key);
	const size_t bad[] = { 0, 15, 65, 1000 };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		ck_assert_ptr_null(symkey_generate(bad[i], &why));
		ck_assert_ptr_nonnull(why);
		ck_assert_msg(strstr(why, "16 to 64"), "%s", why);
	}
}
END_TEST

START_TEST(generated_keys_differ)
{
	const char *why = NULL;
	char *a = symkey_generate(32, &why);
	char *b = symkey_generate(32, &why);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_ne(a, b);
	secret_str_free(a);
	secret_str_free(b);
}
END_TEST

START_TEST(b64_round_trip_and_secret_free)
{
	for (size_t n = 1; n <= 66; n++) {
		unsigned char raw[66];
		ck_assert(RAND_bytes(raw, (int)n) == 1);
		char *text = b64_encode(raw, n);
		unsigned char *back = NULL;
		size_t len = 0;
		ck_assert_int_eq(b64_decode(text, &back, &len, NULL), B64_OK);
		ck_assert_uint_eq(len, n);
		ck_assert(memcmp(raw, back, n) == 0);
		secret_free(back, len);
		secret_str_free(text);
	}
	secret_free(NULL, 10);
	secret_str_free(NULL);
}
END_TEST

/* ---- symkey_fingerprint ---- */

START_TEST(fingerprint_is_short_sha256_of_the_key)
{
	unsigned char raw[32];
	ck_assert(RAND_bytes(raw, sizeof(raw)) == 1);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n;
	ck_assert(EVP_Digest(raw, sizeof(raw), md, &n, EVP_sha256(), NULL));
	char want[20];
	snprintf(want, sizeof(want), "%02X%02X-%02X%02X-%02X%02X", md[0],
		 md[1], md[2], md[3], md[4], md[5]);
	char *key = b64_encode(raw, sizeof(raw));
	char print[20];
	ck_assert(symkey_fingerprint(key, print));
	ck_assert_str_eq(print, want);
	ck_assert_uint_eq(strlen(print), 14);
	secret_str_free(key);
}
END_TEST

START_TEST(fingerprint_known_value)
{
	/* SHA-256 of 16 zero bytes starts 374708fff7719dd5979ec875d56cd228 */
	char print[20];
	ck_assert(symkey_fingerprint("AAAAAAAAAAAAAAAAAAAAAA==", print));
	ck_assert_str_eq(print, "3747-08FF-F771");
}
END_TEST

START_TEST(fingerprint_tells_keys_apart)
{
	const char *why = NULL;
	char *a = symkey_generate(32, &why), *b = symkey_generate(32, &why);
	char pa[20], pb[20], again[20];
	ck_assert(symkey_fingerprint(a, pa));
	ck_assert(symkey_fingerprint(b, pb));
	ck_assert(symkey_fingerprint(a, again));
	ck_assert_str_ne(pa, pb);
	ck_assert_str_eq(pa, again);
	ck_assert_msg(!strstr(a, pa), "the fingerprint shows the key");
	secret_str_free(a);
	secret_str_free(b);
}
END_TEST

START_TEST(fingerprint_needs_base64)
{
	const char *bad[] = { "", "AAAA$AAA", "AAA", "AAAA AAAA", "A===" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char print[20] = "unchanged";
		ck_assert_msg(!symkey_fingerprint(bad[i], print), "'%s'",
			      bad[i]);
		ck_assert_str_eq(print, "");
	}
}
END_TEST

Suite *
symkey_suite(void)
{
	Suite *s = suite_create("symkey");

	TCase *tc = findings_tcase(s, "check_symmetric_key");
	tcase_add_test(tc, valid_lengths);
	tcase_add_test(tc, blank_is_quiet);
	tcase_add_test(tc, too_short);
	tcase_add_test(tc, too_long);
	tcase_add_test(tc, bad_character_position);
	tcase_add_test(tc, white_space_refused);
	tcase_add_test(tc, non_ascii);
	tcase_add_test(tc, bad_padding);
	tcase_add_test(tc, bad_length);
	tcase_add_test(tc, path_is_carried);

	tc = findings_tcase(s, "generate");
	tcase_add_test(tc, generate_default);
	tcase_add_test(tc, generate_bounds);
	tcase_add_test(tc, generated_keys_differ);
	tcase_add_test(tc, b64_round_trip_and_secret_free);

	tc = tcase_create("fingerprint");
	tcase_add_test(tc, fingerprint_is_short_sha256_of_the_key);
	tcase_add_test(tc, fingerprint_known_value);
	tcase_add_test(tc, fingerprint_tells_keys_apart);
	tcase_add_test(tc, fingerprint_needs_base64);
	suite_add_tcase(s, tc);

	return s;
}
