#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "base/b64.h"

START_TEST(encode_then_decode)
{
	const unsigned char data[] = { 0, 1, 2, 0xfe, 0xff };
	for (size_t n = 0; n <= sizeof(data); n++) {
		char *text = b64_encode(data, n);
		ck_assert_uint_eq(strlen(text), 4 * ((n + 2) / 3));
		if (n == 0) {
			free(text);
			continue;
		}
		unsigned char *back;
		size_t len;
		ck_assert_int_eq(b64_decode(text, &back, &len, NULL), B64_OK);
		ck_assert_uint_eq(len, n);
		ck_assert_mem_eq(back, data, n);
		free(back);
		free(text);
	}
}
END_TEST

START_TEST(strict_decode_says_what_is_wrong)
{
	unsigned char *out;
	size_t len, pos = 99;
	ck_assert_int_eq(b64_decode("", &out, &len, &pos), B64_EMPTY);
	ck_assert_int_eq(b64_decode("QUJD RA==", &out, &len, &pos), B64_BAD_CHAR);
	ck_assert_uint_eq(pos, 4);
	ck_assert_int_eq(b64_decode("QUJDR", &out, &len, &pos), B64_BAD_LENGTH);
	ck_assert_int_eq(b64_decode("QU=DRA==", &out, &len, &pos),
			 B64_BAD_PADDING);
	ck_assert_int_eq(b64_decode("Q===", &out, &len, &pos), B64_BAD_PADDING);
	ck_assert_int_eq(b64_decode("QUJ\xc3\xa9", &out, &len, &pos),
			 B64_BAD_CHAR);
	ck_assert_uint_eq(pos, 3);
	ck_assert(strstr(b64_status_text(B64_BAD_LENGTH), "multiple of 4"));
}
END_TEST

START_TEST(loose_decode_skips_line_breaks)
{
	unsigned char *out;
	size_t len;
	ck_assert_int_eq(b64_decode_loose("QUJD\nRA==\r\n", &out, &len, NULL),
			 B64_OK);
	ck_assert_uint_eq(len, 4);
	ck_assert_mem_eq(out, "ABCD", 4);
	free(out);
}
END_TEST

Suite *
b64_suite(void)
{
	Suite *s = suite_create("b64");
	TCase *tc = tcase_create("b64");
	tcase_add_test(tc, encode_then_decode);
	tcase_add_test(tc, strict_decode_says_what_is_wrong);
	tcase_add_test(tc, loose_decode_skips_line_breaks);
	suite_add_tcase(s, tc);
	return s;
}
