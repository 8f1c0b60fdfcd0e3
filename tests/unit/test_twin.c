#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "suites.h"
#include "findings_assert.h"
#include "model/checks.h"

#define TAGS "initialTwin.tags"
#define DESIRED "initialTwin.properties.desired"
#define INFO "optionalDeviceInformation"

static void
check_value(const char *path, const cJSON *value)
{
	findings_clear(&found_list);
	check_twin_collection(path, value, &found_list);
}

/* Checks the tree `v` at `path`, then frees it; the findings stay. */
static void
check_tree(const char *path, cJSON *v)
{
	check_value(path, v);
	cJSON_Delete(v);
}

/* Checks the JSON text at `path`; the text must parse. */
static void
check_json(const char *path, const char *json)
{
	cJSON *v = cJSON_Parse(json);
	ck_assert_msg(v != NULL, "test JSON does not parse: %s", json);
	check_tree(path, v);
}

/* {"<name>": 1}, for names JSON text cannot carry as typed. */
static void
check_name(const char *path, const char *name)
{
	cJSON *v = cJSON_CreateObject();
	cJSON_AddNumberToObject(v, name, 1);
	check_tree(path, v);
}

/* Objects nested `levels` deep below the collection, the innermost
 * holding one plain value: {"l1":{"l2":{...{"lN":{"v":1}}...}}}. */
static cJSON *
nested(int levels)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *at = root;
	for (int i = 1; i <= levels; i++) {
		char name[16];
		snprintf(name, sizeof(name), "l%d", i);
		at = cJSON_AddObjectToObject(at, name);
	}
	cJSON_AddNumberToObject(at, "v", 1);
	return root;
}

/* An object whose unformatted serialization is exactly `bytes` long
 * (at least a few hundred): {"k0":"xxx...","k1":"xxx...",...}. */
static cJSON *
sized(size_t bytes)
{
	cJSON *root = cJSON_CreateObject();
	size_t used = 2;	/* {} */
	for (int n = 0; used < bytes; n++) {
		char name[16];
		snprintf(name, sizeof(name), "k%d", n);
		/* ,"kN":"" around the value; the first member has no comma. */
		size_t overhead = strlen(name) + 5 + (n > 0);
		size_t left = bytes - used - overhead;
		size_t len = left > 2000 ? 1000 : left;
		char *value = repeat_text("x", len);
		cJSON_AddStringToObject(root, name, value);
		free(value);
		used += overhead + len;
	}
	char *text = cJSON_PrintUnformatted(root);
	ck_assert_uint_eq(strlen(text), bytes);
	cJSON_free(text);
	return root;
}

/* ---- shape ---- */

START_TEST(twin_valid)
{
	check_json(TAGS, "{\"location\":{\"building\":\"43\",\"floor\":2},"
			 "\"env\":\"prod\",\"enabled\":true,\"n\":null,"
			 "\"list\":[1,\"two\",{\"three\":3}],"
			 "\"caf\xc3\xa9\":\"\xf0\x9f\x98\x80\","
			 "\"a-b_c:d#e\":1}");
	ck_nothing();
	check_json(DESIRED, "{}");
	ck_nothing();
	check_json(INFO, "{\"model\":\"x\"}");
	ck_nothing();
}
END_TEST

START_TEST(twin_absent_or_null_is_quiet)
{
	check_value(TAGS, NULL);
	ck_nothing();
	check_json(TAGS, "null");
	ck_nothing();
}
END_TEST

START_TEST(twin_not_an_object)
{
	static const struct {
		const char *json, *what;
	} cases[] = {
		{ "[1,2]", "it is an array" },
		{ "\"building 43\"", "it is text" },
		{ "42", "it is a number" },
		{ "true", "it is true or false" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check_json(TAGS, cases[i].json);
		ck_count(SEV_ERROR, 1);
		ck_found(SEV_ERROR, TAGS, "tags: expected an object");
		ck_found(SEV_ERROR, TAGS, cases[i].what);
	}
	check_json(INFO, "\"x\"");
	ck_found(SEV_ERROR, INFO, "optionalDeviceInformation: expected an "
				  "object");
}
END_TEST

/* ---- names ---- */

START_TEST(twin_reserved_names)
{
	check_json(TAGS, "{\"$metadata\":{\"$lastUpdated\":\"x\"},"
			 "\"$version\":4,\"a\":1}");
	ck_count(SEV_ERROR, 0);
	ck_count(SEV_WARNING, 2);
	ck_found(SEV_WARNING, TAGS, "tags: '$metadata' is set by IoT Hub");
	ck_found(SEV_WARNING, TAGS, "tags: '$version' is set by IoT Hub");
	ck_found(SEV_WARNING, TAGS, "remove it");

	check_json(DESIRED, "{\"$version\":1}");
	ck_found(SEV_WARNING, DESIRED, "desired: '$version'");

	check_json(TAGS, "{\"$etag\":\"x\"}");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, TAGS, "tags: property name '$etag' starts with '$'");

	/* Only the collection's own members may carry IoT Hub's names. */
	check_json(TAGS, "{\"a\":{\"$metadata\":{}}}");
	ck_count(SEV_WARNING, 0);
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, TAGS, "tags.a: property name '$metadata' starts "
				  "with '$'");
}
END_TEST

START_TEST(twin_collection_member_names)
{
	check_json(TAGS, "{\"version\":\"2.1\",\"a\":1}");
	ck_total(1);
	ck_found(SEV_WARNING, TAGS, "tags: 'version' is a reserved name of "
				    "twin collections; the service may read it "
				    "as the collection's version: rename it");

	check_json(DESIRED, "{\"count\":3,\"metadata\":{\"x\":1}}");
	ck_count(SEV_ERROR, 0);
	ck_count(SEV_WARNING, 2);
	ck_found(SEV_WARNING, DESIRED, "desired: 'count' is a reserved name");
	ck_found(SEV_WARNING, DESIRED, "collection's property count");
	ck_found(SEV_WARNING, DESIRED, "desired: 'metadata' is a reserved "
				       "name");

	check_json(INFO, "{\"version\":9,\"count\":16,\"metadata\":{}}");
	ck_count(SEV_WARNING, 3);
	ck_found(SEV_WARNING, INFO, "optionalDeviceInformation: 'version'");

	/* Only the collection's own members, and only these exact names. */
	check_json(TAGS, "{\"fw\":{\"version\":\"2.1\",\"count\":1},"
			 "\"Version\":1,\"versions\":[],\"meta\":0}");
	ck_nothing();

	/* What is below a reserved name is still checked. */
	check_json(TAGS, "{\"metadata\":{\"a b\":1}}");
	ck_count(SEV_WARNING, 1);
	ck_found(SEV_ERROR, TAGS, "tags.metadata: in property name 'a b'");
}
END_TEST

START_TEST(twin_bad_name_characters)
{
	check_name(TAGS, "a.b");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, TAGS, "tags: in property name 'a.b', character 2 "
				  "'.' is not allowed");
	ck_found(SEV_ERROR, TAGS, "cannot contain '.', '$', spaces or control "
				  "characters");

	static const struct {
		const char *name, *fragment;
	} bad[] = {
		{ "a b", "character 2 ' ' (a space)" },
		{ "cost$", "character 5 '$'" },
		{ "a\tb", "character 2 U+0009" },
		{ "a\x7f", "character 2 U+007F" },
		/* C1 controls are excluded too. */
		{ "\xc3\xa9\xc2\x85", "character 2 U+0085" },
		{ "ab\xff", "character 3 byte 0xFF (not UTF-8)" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		check_name(TAGS, bad[i].name);
		ck_found(SEV_ERROR, TAGS, bad[i].fragment);
	}

	check_name(TAGS, "a.b.c d");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, TAGS, "nor are 2 more after it");
}
END_TEST

START_TEST(twin_non_ascii_names_are_fine)
{
	check_name(TAGS, "b\xc3\xa2timent");
	ck_nothing();
	check_name(TAGS, "\xe6\xa5\xbc\xf0\x9f\x8f\xa2");
	ck_nothing();
}
END_TEST

START_TEST(twin_empty_name)
{
	check_json(TAGS, "{\"a\":{\"\":1}}");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, TAGS, "tags.a: a property has an empty name");
}
END_TEST

START_TEST(twin_name_length)
{
	char *name = repeat_text("n", 1024);
	check_name(TAGS, name);
	ck_nothing();
	free(name);

	name = repeat_text("n", 1025);
	check_name(TAGS, name);
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, TAGS, "1025 bytes long");
	ck_found(SEV_ERROR, TAGS, "at most 1024");
	/* The name is cut short in the message. */
	ck_found(SEV_ERROR, TAGS, "'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...'");
	free(name);

	/* The limit is in bytes: 512 two-byte characters fit, 513 do not. */
	name = repeat_text("\xc3\xa9", 512);
	check_name(TAGS, name);
	ck_nothing();
	free(name);

	name = repeat_text("\xc3\xa9", 513);
	check_name(TAGS, name);
	ck_found(SEV_ERROR, TAGS, "1026 bytes long");
	free(name);
}
END_TEST

/* ---- values and nesting ---- */

START_TEST(twin_value_length)
{
	cJSON *v = cJSON_CreateObject();
	cJSON *loc = cJSON_AddObjectToObject(v, "location");
	char *text = repeat_text("x", 4096);
	cJSON_AddStringToObject(loc, "notes", text);
	free(text);
	check_value(TAGS, v);
	ck_nothing();

	text = repeat_text("x", 4097);
	cJSON_ReplaceItemInObject(loc, "notes", cJSON_CreateString(text));
	free(text);
	check_value(TAGS, v);
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, TAGS, "tags.location.notes: the text is 4097 "
				  "bytes long");
	ck_found(SEV_ERROR, TAGS, "at most 4096");

	/* Inside arrays as well. */
	cJSON_DeleteItemFromObject(loc, "notes");
	cJSON *list = cJSON_AddArrayToObject(loc, "list");
	text = repeat_text("x", 5000);
	cJSON_AddItemToArray(list, cJSON_CreateString("short"));
	cJSON_AddItemToArray(list, cJSON_CreateString(text));
	free(text);
	check_value(TAGS, v);
	ck_found(SEV_ERROR, TAGS, "tags.location.list[1]: the text is 5000");
	cJSON_Delete(v);
}
END_TEST

START_TEST(twin_depth)
{
	check_tree(TAGS, nested(10));
	ck_nothing();

	check_tree(TAGS, nested(11));
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, TAGS,
		 "tags.l1.l2.l3.l4.l5.l6.l7.l8.l9.l10.l11: nesting is 11 "
		 "levels deep");
	ck_found(SEV_ERROR, TAGS, "at most 10");

	/* Reported once, not again for every level further down. */
	check_tree(DESIRED, nested(15));
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, DESIRED, "desired.l1.");
}
END_TEST

START_TEST(twin_depth_counts_arrays)
{
	/* Nine objects, then an array: ten levels. */
	cJSON *v = nested(9);
	cJSON *at = v;
	for (int i = 1; i <= 9; i++) {
		char name[16];
		snprintf(name, sizeof(name), "l%d", i);
		at = cJSON_GetObjectItem(at, name);
	}
	cJSON *arr = cJSON_AddArrayToObject(at, "arr");
	cJSON_AddItemToArray(arr, cJSON_CreateNumber(1));
	check_value(TAGS, v);
	ck_nothing();

	/* An object inside it is the eleventh. */
	cJSON_AddItemToArray(arr, cJSON_CreateObject());
	check_value(TAGS, v);
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, TAGS, ".l9.arr[1]: nesting is 11 levels deep");
	cJSON_Delete(v);
}
END_TEST

START_TEST(twin_nested_paths)
{
	check_json(TAGS, "{\"location\":{\"building\":{\"bad.name\":1}}}");
	ck_found(SEV_ERROR, TAGS, "tags.location.building: in property name "
				  "'bad.name'");

	check_json(DESIRED, "{\"list\":[{\"x y\":1}]}");
	ck_found(SEV_ERROR, DESIRED, "desired.list[0]: in property name 'x y'");

	/* A name that would read as two steps is shown in brackets. */
	check_json(TAGS, "{\"a.b\":{\"c d\":{\"\":{\"$x\":1}}}}");
	ck_found(SEV_ERROR, TAGS, "tags: in property name 'a.b'");
	ck_found(SEV_ERROR, TAGS, "tags[\"a.b\"]: in property name 'c d'");
	ck_found(SEV_ERROR, TAGS, "tags[\"a.b\"][\"c d\"]: a property has an "
				  "empty name");
	ck_found(SEV_ERROR, TAGS, "tags[\"a.b\"][\"c d\"][\"\"]: property "
				  "name '$x'");

	check_json(INFO, "{\"hw\":{\"$rev\":1}}");
	ck_found(SEV_ERROR, INFO, "optionalDeviceInformation.hw: property name "
				  "'$rev'");
}
END_TEST

START_TEST(twin_every_problem_reported)
{
	check_json(TAGS, "{\"a.b\":1,\"$x\":2,\"\":3,\"ok\":{\"c d\":4}}");
	ck_count(SEV_ERROR, 4);
}
END_TEST

/* ---- size ---- */

/* `limit` bytes at `path` pass; one byte more is a warning and no error,
 * saying the size and the limit for `name` of `kb` KB. */
static void
expect_size_limit(const char *path, const char *name, size_t limit,
		  unsigned kb)
{
	check_tree(path, sized(limit));
	ck_nothing();

	check_tree(path, sized(limit + 1));
	ck_count(SEV_ERROR, 0);
	ck_count(SEV_WARNING, 1);
	char size[64], rule[64];
	snprintf(size, sizeof(size), "%s: %zu bytes as sent", name, limit + 1);
	snprintf(rule, sizeof(rule), "limit for %s of %u KB", name, kb);
	ck_found(SEV_WARNING, path, size);
	ck_found(SEV_WARNING, path, rule);
}

START_TEST(twin_size_tags)
{
	expect_size_limit(TAGS, "tags", 8192, 8);
}
END_TEST

START_TEST(twin_size_desired)
{
	expect_size_limit(DESIRED, "desired", 32768, 32);

	/* Tags are held to the smaller limit by the path alone. */
	check_tree(TAGS, sized(32769));
	ck_found(SEV_WARNING, TAGS, "limit for tags of 8 KB");
}
END_TEST

START_TEST(twin_size_device_information)
{
	check_tree(INFO, sized(40000));
	ck_nothing();
}
END_TEST

Suite *
twin_suite(void)
{
	Suite *s = suite_create("twin");

	TCase *tc = findings_tcase(s, "shape");
	tcase_add_test(tc, twin_valid);
	tcase_add_test(tc, twin_absent_or_null_is_quiet);
	tcase_add_test(tc, twin_not_an_object);

	tc = findings_tcase(s, "names");
	tcase_add_test(tc, twin_reserved_names);
	tcase_add_test(tc, twin_collection_member_names);
	tcase_add_test(tc, twin_bad_name_characters);
	tcase_add_test(tc, twin_non_ascii_names_are_fine);
	tcase_add_test(tc, twin_empty_name);
	tcase_add_test(tc, twin_name_length);

	tc = findings_tcase(s, "values");
	tcase_add_test(tc, twin_value_length);
	tcase_add_test(tc, twin_depth);
	tcase_add_test(tc, twin_depth_counts_arrays);
	tcase_add_test(tc, twin_nested_paths);
	tcase_add_test(tc, twin_every_problem_reported);

	tc = findings_tcase(s, "size");
	tcase_add_test(tc, twin_size_tags);
	tcase_add_test(tc, twin_size_desired);
	tcase_add_test(tc, twin_size_device_information);

	return s;
}
