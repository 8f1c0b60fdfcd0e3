#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "model/checks.h"
#include "model/findings.h"
#include "model/textpos.h"

#define REG "registrationId"
#define DEV "deviceId"

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
}

/* Everything found, one per line, for failure messages. */
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
#define ck_count(sev, n) \
	ck_assert_msg(findings_count(&f, sev) == (n), \
		      "expected %d %s(s); found:\n%s", (int)(n), \
		      severity_name(sev), dump())

static char *
repeat(const char *unit, size_t times)
{
	size_t len = strlen(unit);
	char *s = malloc(len * times + 1);
	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * len, unit, len);
	s[len * times] = '\0';
	return s;
}

static void
reg(const char *text)
{
	findings_clear(&f);
	check_registration_id(REG, text, &f);
}

static void
dev(const char *text)
{
	findings_clear(&f);
	check_device_id(DEV, text, &f);
}

/* ---- registration id ---- */

START_TEST(reg_valid)
{
	const char *ok[] = {
		"a", "7", "Z", "device-01", "my.device_01:x", "ABCdef123",
		"sym_enrollment_abf63bb6", "a-b", "a.b", "a_b", "a:b", "a--b",
		"a-._:b",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		reg(ok[i]);
		ck_assert_msg(f.count == 0, "'%s' should pass; found:\n%s",
			      ok[i], dump());
	}
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
	char *s = repeat("a", 1);
	reg(s);
	ck_nothing();
	free(s);

	s = repeat("a", 128);
	reg(s);
	ck_nothing();
	free(s);

	s = repeat("a", 129);
	reg(s);
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, REG, "129 characters");
	ck_found(SEV_ERROR, REG, "at most 128");
	free(s);
}
END_TEST

START_TEST(reg_length_counts_characters)
{
	/* 128 two-byte characters: too many bytes, but the limit is in
	 * characters; the finding is about the characters themselves. */
	char *s = repeat("\xc3\xa9", 128);
	reg(s);
	ck_assert(!found(SEV_ERROR, REG, "characters long"));
	ck_found(SEV_ERROR, REG, "character 1 '\xc3\xa9'");
	free(s);

	s = repeat("\xc3\xa9", 129);
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
	for (int c = 0x20; c < 0x7f; c++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._:", c))
			continue;
		char text[8], fragment[64];
		snprintf(text, sizeof(text), "ab%cd", c);
		reg(text);
		if (c == ' ')
			snprintf(fragment, sizeof(fragment),
				 "character 3 ' ' (a space) is not allowed");
		else
			snprintf(fragment, sizeof(fragment),
				 "character 3 '%c' is not allowed", c);
		ck_count(SEV_ERROR, 1);
		ck_found(SEV_ERROR, REG, fragment);
		ck_found(SEV_ERROR, REG, "use letters, digits and - . _ :");
	}
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
	char *s = repeat("a", 130);
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
	const char *specials = "-:.+%_#*?!(),=@;$'";
	for (const char *c = specials; *c; c++) {
		char text[8];
		snprintf(text, sizeof(text), "%c", *c);
		dev(text);
		ck_assert_msg(f.count == 0, "'%c' should pass; found:\n%s", *c,
			      dump());
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
	char *s = repeat("d", 128);
	dev(s);
	ck_nothing();
	free(s);

	s = repeat("d", 129);
	dev(s);
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, DEV, "129 characters");
	ck_found(SEV_ERROR, DEV, "at most 128");
	free(s);
}
END_TEST

START_TEST(dev_every_disallowed_ascii)
{
	for (int c = 0x20; c < 0x7f; c++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-:.+%_#*?!(),=@;$'", c))
			continue;
		char text[8], fragment[64];
		snprintf(text, sizeof(text), "d%c", c);
		dev(text);
		if (c == ' ')
			snprintf(fragment, sizeof(fragment),
				 "character 2 ' ' (a space) is not allowed");
		else
			snprintf(fragment, sizeof(fragment),
				 "character 2 '%c' is not allowed", c);
		ck_count(SEV_ERROR, 1);
		ck_found(SEV_ERROR, DEV, fragment);
		ck_found(SEV_ERROR, DEV, "in a device id");
	}
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

	TCase *tc = tcase_create("registration_id");
	tcase_add_checked_fixture(tc, setup, teardown);
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
	suite_add_tcase(s, tc);

	tc = tcase_create("device_id");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, dev_valid);
	tcase_add_test(tc, dev_every_allowed_special);
	tcase_add_test(tc, dev_blank_is_fine);
	tcase_add_test(tc, dev_length_boundaries);
	tcase_add_test(tc, dev_every_disallowed_ascii);
	tcase_add_test(tc, dev_non_ascii_and_controls);
	suite_add_tcase(s, tc);

	tc = tcase_create("textpos");
	tcase_add_test(tc, textpos_counts_and_shows);
	tcase_add_test(tc, textpos_excerpt);
	suite_add_tcase(s, tc);

	return s;
}
