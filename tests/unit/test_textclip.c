/* Cutting text to a number of columns: a cut always ends in an ellipsis,
 * never splits a character, and counts wide characters as two columns. */

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "ui/textclip.h"

#define E_ACUTE "\xc3\xa9"		/* é: 2 bytes, 1 column */
#define NIHON "\xe6\x97\xa5\xe6\x9c\xac"	/* 日本: 3 bytes each, 2 columns */
#define GRIN "\xf0\x9f\x98\x80"		/* 😀: 4 bytes, 2 columns */
#define ELLIPSIS "\xe2\x80\xa6"		/* … */

static void
setup(void)
{
	setlocale(LC_ALL, "C.UTF-8");
}

static void
assert_clipped(const char *s, int cols, const char *want)
{
	char *got = text_clipped(s, cols);
	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(text_that_fits_is_whole)
{
	struct text_clip c = text_clip("SHA-256", 7, 1);
	ck_assert(!c.cut);
	ck_assert_uint_eq(c.bytes, 7);
	ck_assert_int_eq(c.cols, 7);
	assert_clipped("SHA-256", 7, "SHA-256");
	assert_clipped("", 0, "");
	assert_clipped(NIHON, 4, NIHON);
}
END_TEST

START_TEST(a_cut_ends_in_an_ellipsis)
{
	struct text_clip c = text_clip("SHA-256 thumbprint", 17, 1);
	ck_assert(c.cut);
	ck_assert_uint_eq(c.bytes, 16);
	ck_assert_int_eq(c.cols, 16);
	assert_clipped("SHA-256 thumbprint", 17, "SHA-256 thumbpri" ELLIPSIS);
	assert_clipped("ab", 1, ELLIPSIS);
	assert_clipped("ab", 0, "");
}
END_TEST

START_TEST(multibyte_characters_are_never_split)
{
	/* "café!" is 5 columns in 7 bytes; 4 columns keep "caf" */
	struct text_clip c = text_clip("caf" E_ACUTE "!", 4, 1);
	ck_assert(c.cut);
	ck_assert_uint_eq(c.bytes, 3);
	assert_clipped("caf" E_ACUTE "!", 4, "caf" ELLIPSIS);
	assert_clipped("caf" E_ACUTE "!!", 6, "caf" E_ACUTE "!!");
	assert_clipped("caf" E_ACUTE "!!", 5, "caf" E_ACUTE ELLIPSIS);
}
END_TEST

START_TEST(wide_characters_take_two_columns)
{
	/* 日本😀 is 6 columns: in 5, two wide ones and the ellipsis */
	struct text_clip c = text_clip(NIHON GRIN, 5, 1);
	ck_assert(c.cut);
	ck_assert_uint_eq(c.bytes, 6);
	ck_assert_int_eq(c.cols, 4);
	/* in 4, a second wide one would leave no room for the ellipsis */
	c = text_clip(NIHON GRIN, 4, 1);
	ck_assert_uint_eq(c.bytes, 3);
	ck_assert_int_eq(c.cols, 2);
	assert_clipped(NIHON GRIN, 4, "\xe6\x97\xa5" ELLIPSIS);
	assert_clipped(NIHON GRIN, 6, NIHON GRIN);
	assert_clipped(GRIN "x", 2, ELLIPSIS);
}
END_TEST

START_TEST(combining_marks_stay_with_their_letter)
{
	/* e + combining acute is one column */
	assert_clipped("e\xcc\x81" "e\xcc\x81" "x", 3, "e\xcc\x81" "e\xcc\x81" "x");
	assert_clipped("e\xcc\x81" "e\xcc\x81" "xy", 3, "e\xcc\x81" "e\xcc\x81" ELLIPSIS);
}
END_TEST

START_TEST(broken_bytes_count_one_column_each)
{
	struct text_clip c = text_clip("a\xe6" "b\xa9" "cd", 4, 1);
	ck_assert(c.cut);
	ck_assert_uint_eq(c.bytes, 3);
	c = text_clip("a\xe6" "b\xa9", 4, 1);
	ck_assert(!c.cut);
	ck_assert_int_eq(c.cols, 4);
}
END_TEST

START_TEST(the_ellipsis_follows_the_locale)
{
	ck_assert_str_eq(text_ellipsis(), ELLIPSIS);
	setlocale(LC_ALL, "C");
	ck_assert_str_eq(text_ellipsis(), ">");
	setlocale(LC_ALL, "C.UTF-8");
}
END_TEST

START_TEST(wrapping_breaks_after_a_space_or_at_the_width)
{
	const char *s = "The certificate chain could not be verified";
	ck_assert_uint_eq(text_wrap_point(s, strlen(s), 20), strlen("The certificate "));
	ck_assert_uint_eq(text_wrap_point(s, strlen(s), 100), strlen(s));
	/* a thumbprint has no space: it breaks at the width */
	const char *hex = "B44BCF3785784715C8A0";
	ck_assert_uint_eq(text_wrap_point(hex, strlen(hex), 8), 8);
	/* never inside a wide character, and always one character */
	ck_assert_uint_eq(text_wrap_point(NIHON, 6, 3), 3);
	ck_assert_uint_eq(text_wrap_point(NIHON, 6, 1), 3);
}
END_TEST

Suite *
textclip_suite(void)
{
	Suite *s = suite_create("textclip");
	TCase *tc = tcase_create("textclip");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, text_that_fits_is_whole);
	tcase_add_test(tc, a_cut_ends_in_an_ellipsis);
	tcase_add_test(tc, multibyte_characters_are_never_split);
	tcase_add_test(tc, wide_characters_take_two_columns);
	tcase_add_test(tc, combining_marks_stay_with_their_letter);
	tcase_add_test(tc, broken_bytes_count_one_column_each);
	tcase_add_test(tc, the_ellipsis_follows_the_locale);
	tcase_add_test(tc, wrapping_breaks_after_a_space_or_at_the_width);
	suite_add_tcase(s, tc);
	return s;
}
