/* The field editor: moves and deletes by whole UTF-8 characters, display
 * columns for wide characters, and line moves that keep the column. */

#include <locale.h>
#include <string.h>

#include "suites.h"
#include "ui/textedit.h"

#define E_ACUTE "\xc3\xa9"		/* é: 2 bytes, 1 column */
#define NIHON "\xe6\x97\xa5\xe6\x9c\xac"	/* 日本: 3 bytes each, 2 columns */
#define GRIN "\xf0\x9f\x98\x80"		/* 😀: 4 bytes, 2 columns */

static struct textedit t;

static void
setup(void)
{
	/* The program takes LC_ALL from the environment; tests pin one that
	 * knows UTF-8 so wcwidth answers for wide characters. */
	setlocale(LC_ALL, "C.UTF-8");
}

static void
teardown(void)
{
	textedit_free(&t);
}

static void
insert_str(const char *s)
{
	textedit_insert(&t, s, strlen(s));
}

static int
col_of_cursor(void)
{
	int line, col;
	textedit_position(&t, &line, &col);
	return col;
}

static int
line_of_cursor(void)
{
	int line, col;
	textedit_position(&t, &line, &col);
	return line;
}

START_TEST(init_puts_the_cursor_at_the_end)
{
	textedit_init(&t, "abc", false);
	ck_assert_str_eq(t.buf, "abc");
	ck_assert_uint_eq(t.len, 3);
	ck_assert_uint_eq(t.cursor, 3);
	textedit_set(&t, "");
	ck_assert_str_eq(t.buf, "");
	ck_assert_uint_eq(t.cursor, 0);
	textedit_set(&t, NULL);
	ck_assert_str_eq(t.buf, "");
}
END_TEST

START_TEST(insert_and_delete_multibyte)
{
	textedit_init(&t, "", false);
	insert_str("caf" E_ACUTE);
	ck_assert_uint_eq(t.cursor, 5);
	textedit_backspace(&t);
	ck_assert_str_eq(t.buf, "caf");
	insert_str(NIHON GRIN "!");
	ck_assert_str_eq(t.buf, "caf" NIHON GRIN "!");
	textedit_left(&t);
	textedit_left(&t);
	ck_assert_uint_eq(t.cursor, 3 + 6);	/* before the emoji */
	textedit_delete(&t);
	ck_assert_str_eq(t.buf, "caf" NIHON "!");
	textedit_backspace(&t);
	ck_assert_str_eq(t.buf, "caf\xe6\x97\xa5!");
	ck_assert_uint_eq(t.cursor, 6);
}
END_TEST

START_TEST(moves_stop_on_character_boundaries)
{
	textedit_init(&t, E_ACUTE NIHON GRIN, false);
	size_t stops[] = { 12, 8, 5, 2, 0, 0 };
	for (size_t i = 0; i < 6; i++) {
		ck_assert_uint_eq(t.cursor, stops[i]);
		textedit_left(&t);
	}
	size_t ahead[] = { 0, 2, 5, 8, 12, 12 };
	textedit_home(&t);
	for (size_t i = 0; i < 6; i++) {
		ck_assert_uint_eq(t.cursor, ahead[i]);
		textedit_right(&t);
	}
}
END_TEST

START_TEST(broken_bytes_are_one_character_each)
{
	/* a lead byte with no continuation, then a lone continuation */
	textedit_init(&t, "a\xe6" "b\xa9", false);
	textedit_backspace(&t);
	ck_assert_str_eq(t.buf, "a\xe6" "b");
	textedit_left(&t);
	textedit_left(&t);
	ck_assert_uint_eq(t.cursor, 1);
	textedit_delete(&t);
	ck_assert_str_eq(t.buf, "ab");
	ck_assert_uint_eq(text_columns("a\xe6" "b\xa9", 4), 4);
}
END_TEST

START_TEST(nul_bytes_in_a_paste_are_dropped)
{
	textedit_init(&t, "", false);
	textedit_insert(&t, "a\0b", 3);
	ck_assert_str_eq(t.buf, "ab");
	ck_assert_uint_eq(t.len, 2);
}
END_TEST

START_TEST(columns_of_wide_characters)
{
	ck_assert_uint_eq(text_columns("abc", 3), 3);
	ck_assert_uint_eq(text_columns(E_ACUTE, 2), 1);
	ck_assert_uint_eq(text_columns(NIHON, 6), 4);
	ck_assert_uint_eq(text_columns(GRIN, 4), 2);
	/* e + combining acute takes one cell */
	ck_assert_uint_eq(text_columns("e\xcc\x81", 3), 1);
	/* a count that cuts a character in half counts what is there */
	ck_assert_uint_eq(text_columns(NIHON, 4), 3);

	textedit_init(&t, "x" NIHON, false);
	ck_assert_int_eq(col_of_cursor(), 6);
	textedit_left(&t);
	ck_assert_int_eq(col_of_cursor(), 4);
}
END_TEST

START_TEST(long_text_grows)
{
	textedit_init(&t, "", false);
	for (int i = 0; i < 500; i++)
		insert_str(E_ACUTE);
	ck_assert_uint_eq(t.len, 1000);
	ck_assert_uint_eq(text_columns(t.buf, t.len), 500);
	for (int i = 0; i < 500; i++)
		textedit_backspace(&t);
	ck_assert_str_eq(t.buf, "");
}
END_TEST

START_TEST(home_end_act_on_the_line)
{
	textedit_init(&t, "one\ntwo\nthree", false);
	textedit_home(&t);
	ck_assert_uint_eq(t.cursor, 8);
	textedit_up(&t);
	textedit_end(&t);
	ck_assert_uint_eq(t.cursor, 7);
	textedit_home(&t);
	ck_assert_uint_eq(t.cursor, 4);
	ck_assert_int_eq(line_of_cursor(), 2);
	ck_assert_int_eq(col_of_cursor(), 1);
}
END_TEST

START_TEST(up_and_down_keep_the_column)
{
	textedit_init(&t, "{\n  \"site\": 1,\n  \"a\": 2\n}", false);
	textedit_up(&t);
	textedit_up(&t);
	ck_assert_int_eq(line_of_cursor(), 2);
	textedit_home(&t);
	for (int i = 0; i < 5; i++)
		textedit_right(&t);
	ck_assert_int_eq(col_of_cursor(), 6);
	textedit_down(&t);
	ck_assert_int_eq(line_of_cursor(), 3);
	ck_assert_int_eq(col_of_cursor(), 6);
	/* a shorter line puts the cursor at its end */
	textedit_down(&t);
	ck_assert_int_eq(line_of_cursor(), 4);
	ck_assert_int_eq(col_of_cursor(), 2);
	/* the last line has nowhere to go */
	textedit_down(&t);
	ck_assert_int_eq(line_of_cursor(), 4);
	textedit_home(&t);
	for (int i = 0; i < 3; i++)
		textedit_up(&t);
	ck_assert_int_eq(line_of_cursor(), 1);
	textedit_up(&t);
	ck_assert_int_eq(line_of_cursor(), 1);
}
END_TEST

START_TEST(up_and_down_count_display_columns)
{
	/* column 4 is after 日本 on the first line; on the second it is
	 * after four ASCII characters */
	textedit_init(&t, NIHON "x\nabcdef", false);
	textedit_up(&t);
	textedit_home(&t);
	textedit_right(&t);
	textedit_right(&t);
	ck_assert_int_eq(col_of_cursor(), 5);
	textedit_down(&t);
	ck_assert_uint_eq(t.cursor, strlen(NIHON "x\n") + 4);
	/* column 3 falls inside 本: the cursor stays before it */
	textedit_left(&t);
	textedit_up(&t);
	ck_assert_uint_eq(t.cursor, 3);
	ck_assert_int_eq(col_of_cursor(), 3);
}
END_TEST

START_TEST(kill_line_clears_only_the_current_line)
{
	textedit_init(&t, "one\ntwo\nthree", false);
	textedit_up(&t);
	textedit_kill_line(&t);
	ck_assert_str_eq(t.buf, "one\n\nthree");
	ck_assert_uint_eq(t.cursor, 4);
	insert_str("2");
	ck_assert_str_eq(t.buf, "one\n2\nthree");

	textedit_set(&t, "single " GRIN);
	textedit_left(&t);
	textedit_kill_line(&t);
	ck_assert_str_eq(t.buf, "");
	ck_assert_uint_eq(t.cursor, 0);
}
END_TEST

START_TEST(secret_text_edits_like_any_other)
{
	textedit_init(&t, "c2VjcmV0", true);
	ck_assert(t.secret);
	textedit_backspace(&t);
	insert_str("A=");
	ck_assert_str_eq(t.buf, "c2VjcmVA=");
	/* the bytes past the end were wiped when the text got shorter */
	textedit_set(&t, "c2VjcmV0c2VjcmV0");
	textedit_home(&t);
	textedit_kill_line(&t);
	for (size_t i = 0; i < 17; i++)
		ck_assert_int_eq(t.buf[i], '\0');
	textedit_set(&t, "short");
	ck_assert_str_eq(t.buf, "short");
}
END_TEST

/* Every request of the text-editing keys acts on the text, saying whether
 * the text changed (so a field is told) or only the cursor moved; any
 * other request leaves both alone. */
START_TEST(requests_of_the_editing_keys)
{
	textedit_init(&t, "", false);
	for (int r = REQ_NONE; r < REQ_COUNT; r++) {
		bool editing = ui_request_contexts(r) & KEYS_IN(TYPING) ||
			       r == REQ_LINE_UP || r == REQ_LINE_DOWN;
		textedit_set(&t, "ab\ncd\nef");
		t.cursor = 4;
		enum textedit_effect e = textedit_request(&t, r);
		ck_assert_msg((e != TEXTEDIT_NOT_MINE) == editing, "\"%s\"",
			      ui_request_name(r));
		if (e != TEXTEDIT_CHANGED)
			ck_assert_str_eq(t.buf, "ab\ncd\nef");
		if (e == TEXTEDIT_NOT_MINE)
			ck_assert_uint_eq(t.cursor, 4);
		if (e == TEXTEDIT_MOVED)
			ck_assert_uint_ne(t.cursor, 4);
		if (e == TEXTEDIT_CHANGED)
			ck_assert_str_ne(t.buf, "ab\ncd\nef");
	}
}
END_TEST

Suite *
textedit_suite(void)
{
	Suite *s = suite_create("textedit");
	TCase *tc = tcase_create("textedit");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, init_puts_the_cursor_at_the_end);
	tcase_add_test(tc, insert_and_delete_multibyte);
	tcase_add_test(tc, moves_stop_on_character_boundaries);
	tcase_add_test(tc, broken_bytes_are_one_character_each);
	tcase_add_test(tc, nul_bytes_in_a_paste_are_dropped);
	tcase_add_test(tc, columns_of_wide_characters);
	tcase_add_test(tc, long_text_grows);
	tcase_add_test(tc, home_end_act_on_the_line);
	tcase_add_test(tc, up_and_down_keep_the_column);
	tcase_add_test(tc, up_and_down_count_display_columns);
	tcase_add_test(tc, kill_line_clears_only_the_current_line);
	tcase_add_test(tc, secret_text_edits_like_any_other);
	tcase_add_test(tc, requests_of_the_editing_keys);
	suite_add_tcase(s, tc);
	return s;
}
