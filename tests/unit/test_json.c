#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "model/json.h"

START_TEST(path_get_set_remove)
{
	cJSON *root = cJSON_Parse("{\"a\":{\"b\":{\"c\":1}},\"s\":\"x\"}");
	ck_assert_int_eq(json_path_get(root, "a.b.c")->valueint, 1);
	ck_assert_ptr_null(json_path_get(root, "a.b.d"));
	ck_assert_ptr_null(json_path_get(root, "s.t"));
	ck_assert(json_path_set(root, "a.x.y", cJSON_CreateString("new")));
	ck_assert_str_eq(json_path_get(root, "a.x.y")->valuestring, "new");
	ck_assert(json_path_set(root, "a.b.c", cJSON_CreateNumber(2)));
	ck_assert_int_eq(json_path_get(root, "a.b.c")->valueint, 2);
	ck_assert(!json_path_set(root, "s.t", cJSON_CreateNull()));
	ck_assert(json_path_remove(root, "a.b"));
	ck_assert_ptr_null(json_path_get(root, "a.b.c"));
	ck_assert(!json_path_remove(root, "a.b"));
	cJSON_Delete(root);
}
END_TEST

START_TEST(parent_paths)
{
	char *p = json_path_parent("a.b.c");
	ck_assert_str_eq(p, "a.b");
	free(p);
	ck_assert_ptr_null(json_path_parent("a"));
}
END_TEST

START_TEST(parse_located_counts_lines_and_characters)
{
	struct json_error err;
	const char *text = "{\n\t\"k\": [1, 2,, 3]\n}";
	ck_assert_ptr_null(json_parse_located(text, strlen(text), &err));
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(err.column, 13);
	ck_assert_str_eq(err.message, "unexpected ','");
	cJSON *ok = json_parse_located("  {\"a\":1}\n\n", 11, &err);
	ck_assert_ptr_nonnull(ok);
	cJSON_Delete(ok);
	/* bytes that are not UTF-8 are refused where they are */
	const char *latin1 = "{\"a\": \"caf\xe9\"}";
	ck_assert_ptr_null(json_parse_located(latin1, strlen(latin1), &err));
	ck_assert_int_eq(err.column, 11);
	ck_assert(strstr(err.message, "not UTF-8"));
	/* not NUL-terminated: only len bytes count */
	ok = json_parse_located("{}garbage", 2, &err);
	ck_assert_ptr_nonnull(ok);
	cJSON_Delete(ok);
}
END_TEST

Suite *
json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");
	tcase_add_test(tc, path_get_set_remove);
	tcase_add_test(tc, parent_paths);
	tcase_add_test(tc, parse_located_counts_lines_and_characters);
	suite_add_tcase(s, tc);
	return s;
}
