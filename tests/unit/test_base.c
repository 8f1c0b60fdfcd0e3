#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "suites.h"
#include "base/array.h"
#include "base/json_pretty.h"
#include "base/str.h"
#include "base/strbuf.h"

START_TEST(strbuf_joins_and_hands_over)
{
	struct strbuf b = STRBUF_INIT;
	char *empty = strbuf_take(&b);
	ck_assert_str_eq(empty, "");
	free(empty);

	const char *names[] = { "alpha", "beta", "gamma" };
	for (size_t i = 0; i < 3; i++)
		strbuf_add_sep(&b, ", ", names[i]);
	strbuf_addf(&b, " (%d of %s)", 3, "3");
	ck_assert_str_eq(b.s, "alpha, beta, gamma (3 of 3)");
	ck_assert_uint_eq(b.len, strlen(b.s));
	char *text = strbuf_take(&b);
	ck_assert_ptr_null(b.s);
	ck_assert_uint_eq(b.len, 0);
	free(text);

	strbuf_add_n(&b, "a\0b", 3);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_mem_eq(b.s, "a\0b", 4);
	strbuf_free(&b);
	ck_assert_ptr_null(b.s);
}
END_TEST

/* Text far past the first block arrives whole, in a secret buffer too. */
START_TEST(strbuf_grows_without_losing_text)
{
	for (int secret = 0; secret < 2; secret++) {
		struct strbuf b = secret ? (struct strbuf)STRBUF_SECRET
					 : (struct strbuf)STRBUF_INIT;
		for (int i = 0; i < 10000; i++)
			strbuf_addf(&b, "%04d;", i);
		ck_assert_uint_eq(b.len, 50000);
		ck_assert(b.cap > b.len);
		ck_assert(strncmp(b.s, "0000;0001;", 10) == 0);
		ck_assert_str_eq(b.s + b.len - 10, "9998;9999;");
		ck_assert(b.secret == (secret != 0));
		strbuf_free(&b);
		ck_assert(b.secret == (secret != 0));
	}
}
END_TEST

START_TEST(array_grows_and_keeps_items)
{
	struct {
		int *items;
		size_t count, cap;
	} l = { 0 };
	for (int i = 0; i < 1000; i++) {
		l.items = array_grow(l.items, l.count, &l.cap, sizeof(*l.items));
		ck_assert_uint_gt(l.cap, l.count);
		l.items[l.count++] = i * 3;
	}
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(l.items[i], i * 3);
	size_t cap = l.cap;
	int *same = array_grow(l.items, 10, &l.cap, sizeof(*l.items));
	ck_assert_ptr_eq(same, l.items);
	ck_assert_uint_eq(l.cap, cap);
	free(l.items);
}
END_TEST

START_TEST(ends_and_extensions)
{
	ck_assert(str_ends_with("a.b.secondary", ".secondary"));
	ck_assert(str_ends_with("Key", "Key"));
	ck_assert(str_ends_with("x", ""));
	ck_assert(!str_ends_with("ey", "Key"));
	ck_assert(!str_ends_with("a.key", "Key"));

	ck_assert(name_has_extension("dark.theme", ".theme", false));
	ck_assert(!name_has_extension(".theme", ".theme", false));
	ck_assert(!name_has_extension("dark.THEME", ".theme", false));
	ck_assert(name_has_extension("leaf.PEM", ".pem", true));
	ck_assert(!name_has_extension(".pem", ".pem", true));
	ck_assert(!name_has_extension("pem", ".pem", true));
}
END_TEST

START_TEST(json_pretty_two_spaces_a_level)
{
	cJSON *j = cJSON_Parse("{\"a\":{\"b\":[1,\"x\"]},\"c\":{},\"d\":[],"
			       "\"e\":null}");
	char *text = json_pretty(j);
	ck_assert_str_eq(text, "{\n"
			 "  \"a\": {\n"
			 "    \"b\": [\n"
			 "      1,\n"
			 "      \"x\"\n"
			 "    ]\n"
			 "  },\n"
			 "  \"c\": {},\n"
			 "  \"d\": [],\n"
			 "  \"e\": null\n"
			 "}");
	free(text);

	text = json_pretty_spaced(j);
	ck_assert_str_eq(text, "{\n"
			 " \"a\": {\n"
			 "  \"b\": [1, \"x\"]\n"
			 " },\n"
			 " \"c\": {\n"
			 " },\n"
			 " \"d\": [],\n"
			 " \"e\": null\n"
			 "}");
	free(text);
	cJSON_Delete(j);

	cJSON *s = cJSON_CreateString("plain");
	text = json_pretty(s);
	ck_assert_str_eq(text, "\"plain\"");
	free(text);
	cJSON_Delete(s);
}
END_TEST

Suite *
base_suite(void)
{
	Suite *s = suite_create("base");
	TCase *tc = tcase_create("base");
	tcase_add_test(tc, strbuf_joins_and_hands_over);
	tcase_add_test(tc, strbuf_grows_without_losing_text);
	tcase_add_test(tc, array_grows_and_keeps_items);
	tcase_add_test(tc, ends_and_extensions);
	tcase_add_test(tc, json_pretty_two_spaces_a_level);
	suite_add_tcase(s, tc);
	return s;
}
