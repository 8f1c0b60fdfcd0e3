#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "findings_assert.h"
#include "model/checks.h"
#include "base/textpos.h"

#define REG "registrationId"
#define DEV "deviceId"
/* What a device id allows besides letters and digits. */
#define DEV_SPECIALS "-:.+%_#*?!(),=@;$'"

static void
reg(const char *text)
{
	findings_check(check_registration_id, REG, text);
}

static void
dev(const char *text)
{
	findings_check(check_device_id, DEV, text);
}

/* `unit` repeated `max` times passes; once more is one error that names
 * the length and the limit. */
static void
expect_length_limit(text_check_fn check, const char *path, const char *unit,
		    size_t max)
{
	char *s = repeat_text(unit, max);
	findings_check(check, path, s);
	ck_nothing();
	free(s);

	s = repeat_text(unit, max + 1);
	findings_check(check, path, s);
	char length[32], limit[32];
	snprintf(length, sizeof(length), "%zu characters", max + 1);
	snprintf(limit, sizeof(limit), "at most %zu", max);
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, path, length);
	ck_found(SEV_ERROR, path, limit);
	free(s);
}

/* Every printable ASCII character that is not a letter, a digit or one of
 * `allowed`, standing between `before` and `after`, is the one error,
 * named by its position, with `advice` on what is allowed. */
static void
expect_each_disallowed_ascii(text_check_fn check, const char *path,
			     const char *allowed, const char *before,
			     const char *after, const char *advice)
{
	size_t pos = strlen(before) + 1;
	for (int c = 0x20; c < 0x7f; c++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(allowed, c))
			continue;
		char text[32], fragment[64];
		snprintf(text, sizeof(text), "%s%c%s", before, c, after);
		findings_check(check, path, text);
		if (c == ' ')
			snprintf(fragment, sizeof(fragment),
				 "character %zu ' ' (a space) is not allowed",
				 pos);
		else
			snprintf(fragment, sizeof(fragment),
				 "character %zu '%c' is not allowed", pos, c);
		ck_count(SEV_ERROR, 1);
		ck_found(SEV_ERROR, path, fragment);
		ck_found(SEV_ERROR, path, advice);
	}
}

/* ---- registration id ---- */

START_TEST(reg_valid)
{
	const char *ok[] = {
		"a", "7", "Z", "device-01", "my.device_01:x", "ABCdef123",
		"sym_enrollment_abf63bb6", "a-b", "a.b", "a_b", "a:b", "a--b",
		"a-._:b",
	};
	findings_each_quiet(check_registration_id, REG, ok,
			    sizeof(ok) / sizeof(ok[0]));
}
END_TEST

START_TEST(reg_blank_is_quiet)
{
	reg("");
	ck_nothing();
}
END_TEST

START_TEST(reg_length_boundaries)
{
	reg("a");
	ck_nothing();
	expect_length_limit(check_registration_id, REG, "a", 128);
}
END_TEST

START_TEST(reg_length_counts_characters)
{
	/* 128 two-byte characters: too many bytes, but the limit is in
	 * characters; the finding is about the characters themselves. */
	char *s = repeat_text("\xc3\xa9", 128);
	reg(s);
	ck_not_found(SEV_ERROR, REG, "characters long");
	ck_found(SEV_ERROR, REG, "character 1 '\xc3\xa9'");
	free(s);

	s = repeat_text("\xc3\xa9", 129);
	reg(s);
	ck_found(SEV_ERROR, REG, "129 characters");
	free(s);
}
END_TEST

START_TEST(reg_special_first_or_last)
{
	const char *specials = "-._:";
	for (const char *c = specials; *c; c++) {
		char text[8], fragment[32];

		snprintf(text, sizeof(text), "%cabc", *c);
		reg(text);
		snprintf(fragment, sizeof(fragment), "starts with '%c'", *c);
		ck_count(SEV_ERROR, 1);
		ck_found(SEV_ERROR, REG, fragment);
		ck_found(SEV_ERROR, REG, "letter or digit");

		snprintf(text, sizeof(text), "abc%c", *c);
		reg(text);
		snprintf(fragment, sizeof(fragment), "ends with '%c'", *c);
		ck_count(SEV_ERROR, 1);
		ck_found(SEV_ERROR, REG, fragment);

		snprintf(text, sizeof(text), "%cab%c", *c, *c);
		reg(text);
		ck_count(SEV_ERROR, 2);
	}
}
END_TEST

START_TEST(reg_single_special_reported_once)
{
	reg("-");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, REG, "starts with '-'");
}
END_TEST

START_TEST(reg_every_disallowed_ascii)
{
	expect_each_disallowed_ascii(check_registration_id, REG, "-._:", "ab",
				     "d", "use letters, digits and - . _ :");
}
END_TEST

START_TEST(reg_non_ascii)
{
	reg("abc\xc3\xa9");
	ck_found(SEV_ERROR, REG, "character 4 '\xc3\xa9' is not allowed");

	/* Characters before the bad one that take several bytes still count
	 * as one each. */
	reg("\xc3\xa9\xc3\xa9\xc3\xa9x y");
	ck_found(SEV_ERROR, REG, "character 1 '\xc3\xa9'");
	ck_found(SEV_ERROR, REG, "nor are 3 more");

	reg("ab\xf0\x9f\x98\x80z");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, REG, "character 3 '\xf0\x9f\x98\x80'");
}
END_TEST

START_TEST(reg_control_and_broken_bytes)
{
	reg("ab\tc");
	ck_found(SEV_ERROR, REG, "character 3 U+0009 is not allowed");

	reg("a\xc2\xa0" "b");
	ck_found(SEV_ERROR, REG, "character 2 U+00A0");

	reg("ab\xff");
	ck_found(SEV_ERROR, REG, "character 3 byte 0xFF (not UTF-8)");
}
END_TEST

START_TEST(reg_several_bad_characters)
{
	reg("a b c");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, REG, "character 2 ' ' (a space)");
	ck_found(SEV_ERROR, REG, "nor is 1 more after it");
}
END_TEST

START_TEST(reg_all_problems_at_once)
{
	char *s = repeat_text("a", 130);
	s[0] = '-';
	s[5] = '/';
	reg(s);
	ck_count(SEV_ERROR, 3);
	ck_found(SEV_ERROR, REG, "130 characters");
	ck_found(SEV_ERROR, REG, "character 6 '/'");
	ck_found(SEV_ERROR, REG, "starts with '-'");
	free(s);
}
END_TEST

START_TEST(reg_equal)
{
	ck_assert(registration_id_equal("abc", "abc"));
	ck_assert(registration_id_equal("ABC", "abc"));
	ck_assert(registration_id_equal("Dev-01.x_Y:z", "dev-01.X_y:Z"));
	ck_assert(registration_id_equal("", ""));
	ck_assert(registration_id_equal(NULL, NULL));
	ck_assert(!registration_id_equal(NULL, "abc"));
	ck_assert(!registration_id_equal("abc", NULL));
	ck_assert(!registration_id_equal("abc", "abd"));
	ck_assert(!registration_id_equal("abc", "abcd"));
	ck_assert(!registration_id_equal("abcd", "abc"));
	ck_assert(!registration_id_equal("", "a"));
	/* Only ASCII folds. */
	ck_assert(!registration_id_equal("\xc3\x89", "\xc3\xa9"));
	/* '@' and '`' sit next to the letters; no off-by-one folding. */
	ck_assert(!registration_id_equal("@", "`"));
	ck_assert(!registration_id_equal("[", "{"));
}
END_TEST

/* ---- device id ---- */

START_TEST(dev_valid)
{
	dev("a-:.+%_#*?!(),=@;$'b");
	ck_nothing();
	dev("-starts-and-ends-with-special-");
	ck_nothing();
	dev("$edgeAgent");
	ck_nothing();
	dev("Device01");
	ck_nothing();
}
END_TEST

START_TEST(dev_every_allowed_special)
{
	for (const char *c = DEV_SPECIALS; *c; c++) {
		char text[2] = { *c, '\0' };
		dev(text);
		ck_nothing_for(text);
	}
}
END_TEST

START_TEST(dev_blank_is_fine)
{
	dev("");
	ck_nothing();
}
END_TEST

START_TEST(dev_length_boundaries)
{
	expect_length_limit(check_device_id, DEV, "d", 128);
}
END_TEST

START_TEST(dev_every_disallowed_ascii)
{
	expect_each_disallowed_ascii(check_device_id, DEV, DEV_SPECIALS, "d",
				     "", "in a device id");
}
END_TEST

START_TEST(dev_non_ascii_and_controls)
{
	dev("caf\xc3\xa9-01");
	ck_found(SEV_ERROR, DEV, "character 4 '\xc3\xa9' is not allowed");
	ck_found(SEV_ERROR, DEV, "- : . + % _ # * ? ! ( ) , = @ ; $ '");

	dev("\xf0\x9f\x9a\x80rocket");
	ck_found(SEV_ERROR, DEV, "character 1 '\xf0\x9f\x9a\x80'");

	dev("dev\n");
	ck_found(SEV_ERROR, DEV, "character 4 U+000A");
}
END_TEST

/* ---- textpos (the shared helper these messages rest on) ---- */

START_TEST(textpos_counts_and_shows)
{
	char buf[TEXT_CHAR_SHOWN];

	ck_assert_uint_eq(text_char_count(""), 0);
	ck_assert_uint_eq(text_char_count("abc"), 3);
	ck_assert_uint_eq(text_char_count("\xc3\xa9t\xc3\xa9"), 3);
	ck_assert_uint_eq(text_char_count("\xf0\x9f\x98\x80"), 1);
	/* A broken byte counts on its own; a cut sequence does not swallow
	 * the terminator. */
	ck_assert_uint_eq(text_char_count("a\xff" "b"), 3);
	ck_assert_uint_eq(text_char_count("a\xe2\x82"), 3);
	/* Overlong '/' and an encoded surrogate are not characters. */
	ck_assert(!text_char_decode("\xc0\xaf").valid);
	ck_assert(!text_char_decode("\xed\xa0\x80").valid);

	ck_assert_uint_eq(text_char_pos("\xc3\xa9x", 2), 2);
	ck_assert_str_eq(text_char_show("x\xc3\xa9", 1, buf), "'\xc3\xa9'");
	ck_assert_str_eq(text_char_show("a", 0, buf), "'a'");
	ck_assert_str_eq(text_char_show(" ", 0, buf), "' ' (a space)");
	ck_assert_str_eq(text_char_show("\x7f", 0, buf), "U+007F");
	ck_assert_str_eq(text_char_show("\xe2\x80\x8b", 0, buf), "U+200B");
	ck_assert_str_eq(text_char_show("\xfe", 0, buf),
			 "byte 0xFE (not UTF-8)");
}
END_TEST

START_TEST(textpos_excerpt)
{
	char *s = text_excerpt("abc", 10);
	ck_assert_str_eq(s, "abc");
	free(s);
	s = text_excerpt("abcdef", 3);
	ck_assert_str_eq(s, "abc...");
	free(s);
	s = text_excerpt("a\tb\xff\xc3\xa9 c", 10);
	ck_assert_str_eq(s, "aU+0009b\\xFF\xc3\xa9 c");
	free(s);
	s = text_excerpt("", 0);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

Suite *
ids_suite(void)
{
	Suite *s = suite_create("ids");

	TCase *tc = findings_tcase(s, "registration_id");
	tcase_add_test(tc, reg_valid);
	tcase_add_test(tc, reg_blank_is_quiet);
	tcase_add_test(tc, reg_length_boundaries);
	tcase_add_test(tc, reg_length_counts_characters);
	tcase_add_test(tc, reg_special_first_or_last);
	tcase_add_test(tc, reg_single_special_reported_once);
	tcase_add_test(tc, reg_every_disallowed_ascii);
	tcase_add_test(tc, reg_non_ascii);
	tcase_add_test(tc, reg_control_and_broken_bytes);
	tcase_add_test(tc, reg_several_bad_characters);
	tcase_add_test(tc, reg_all_problems_at_once);
	tcase_add_test(tc, reg_equal);

	tc = findings_tcase(s, "device_id");
	tcase_add_test(tc, dev_valid);
	tcase_add_test(tc, dev_every_allowed_special);
	tcase_add_test(tc, dev_blank_is_fine);
	tcase_add_test(tc, dev_length_boundaries);
	tcase_add_test(tc, dev_every_disallowed_ascii);
	tcase_add_test(tc, dev_non_ascii_and_controls);

	tc = tcase_create("textpos");
	tcase_add_test(tc, textpos_counts_and_shows);
	tcase_add_test(tc, textpos_excerpt);
	suite_add_tcase(s, tc);

	return s;
}
