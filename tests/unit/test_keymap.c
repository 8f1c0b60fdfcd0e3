/* The key table: each documented key means what the help says, text
 * stays text while typing, and every request can be reached. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "ui/curses.h"
#include "ui/keymap.h"

#define CTRL_KEY(c) ((c) & 0x1f)

struct expect {
	int key;
	enum ui_request form;	/* in KEYS_FORM */
	enum ui_request edit;	/* in KEYS_EDIT */
};

static const struct expect expected[] = {
	{ '\t', REQ_NEXT_FIELD, REQ_NEXT_FIELD },
	{ KEY_BTAB, REQ_PREV_FIELD, REQ_PREV_FIELD },
	{ KEY_DOWN, REQ_NEXT_FIELD, REQ_NONE },
	{ KEY_UP, REQ_PREV_FIELD, REQ_NONE },
	{ KEY_NPAGE, REQ_PAGE_DOWN, REQ_PAGE_DOWN },
	{ KEY_PPAGE, REQ_PAGE_UP, REQ_PAGE_UP },
	{ KEY_HOME, REQ_FIRST_FIELD, REQ_NONE },
	{ KEY_END, REQ_LAST_FIELD, REQ_NONE },
	{ '\n', REQ_EDIT, REQ_NONE },
	{ '\r', REQ_EDIT, REQ_NONE },
	{ KEY_ENTER, REQ_EDIT, REQ_NONE },
	{ 27, REQ_CANCEL, REQ_CANCEL },
	{ KEY_RIGHT, REQ_NEXT_CHOICE, REQ_NONE },
	{ KEY_LEFT, REQ_PREV_CHOICE, REQ_NONE },
	{ ' ', REQ_NEXT_CHOICE, REQ_NONE },
	{ KEY_DC, REQ_CLEAR, REQ_NONE },
	{ CTRL_KEY('K'), REQ_CLEAR, REQ_CLEAR },
	{ CTRL_KEY('R'), REQ_REVEAL, REQ_REVEAL },
	{ KEY_F(4), REQ_REVEAL, REQ_REVEAL },
	{ KEY_F(6), REQ_FOLD, REQ_NONE },
	{ KEY_F(5), REQ_LOAD, REQ_LOAD },
	{ CTRL_KEY('O'), REQ_LOAD, REQ_LOAD },
	{ KEY_F(2), REQ_SUBMIT, REQ_SUBMIT },
	{ CTRL_KEY('S'), REQ_SUBMIT, REQ_SUBMIT },
	{ KEY_F(7), REQ_NEW, REQ_NEW },
	{ CTRL_KEY('N'), REQ_NEW, REQ_NEW },
	{ KEY_F(1), REQ_HELP, REQ_HELP },
	{ '?', REQ_HELP, REQ_NONE },
	{ CTRL_KEY('L'), REQ_REDRAW, REQ_REDRAW },
	{ KEY_F(10), REQ_QUIT, REQ_QUIT },
	{ 'q', REQ_QUIT, REQ_NONE },
	{ KEY_F(12), REQ_CONNECT, REQ_CONNECT },
	{ 'c', REQ_CONNECT, REQ_NONE },
	{ 'm', REQ_MESSAGES, REQ_NONE },
	{ 'a', REQ_NONE, REQ_NONE },
	{ KEY_BACKSPACE, REQ_NONE, REQ_NONE },
};

START_TEST(documented_bindings)
{
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		const struct expect *e = &expected[i];
		ck_assert_msg(keymap_lookup(KEYS_FORM, e->key) == e->form,
			      "key %d in the form: %s", e->key,
			      ui_request_name(keymap_lookup(KEYS_FORM, e->key)));
		ck_assert_msg(keymap_lookup(KEYS_EDIT, e->key) == e->edit,
			      "key %d while typing: %s", e->key,
			      ui_request_name(keymap_lookup(KEYS_EDIT, e->key)));
	}
}
END_TEST

START_TEST(printable_keys_are_text_while_editing)
{
	for (int c = 0x20; c < 0x7f; c++)
		ck_assert_msg(keymap_lookup(KEYS_EDIT, c) == REQ_NONE,
			      "'%c' is bound while typing", c);
	for (int c = 0x80; c < 0x100; c++)
		ck_assert_int_eq(keymap_lookup(KEYS_EDIT, c), REQ_NONE);
	size_t n;
	const struct key_binding *b = keymap_bindings(&n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(b[i].context == KEYS_FORM || b[i].key >= 0x100 ||
			      !isprint(b[i].key),
			      "%s is text but bound outside the form",
			      b[i].key_name);
}
END_TEST

/* In the file browser letters, digits, '/', '~' and '.' make a name or
 * a path, and the form's keys do not reach it. */
START_TEST(file_browser_keys)
{
	for (int c = 0x20; c < 0x7f; c++)
		ck_assert_msg(keymap_lookup(KEYS_FILES, c) == REQ_NONE,
			      "'%c' is bound in the file browser", c);
	ck_assert_int_eq(keymap_lookup(KEYS_FILES, '\t'), REQ_FILES_COMPLETE);
	ck_assert_int_eq(keymap_lookup(KEYS_FILES, '\n'), REQ_FILES_CHOOSE);
	ck_assert_int_eq(keymap_lookup(KEYS_FILES, KEY_BACKSPACE), REQ_FILES_BACK);
	ck_assert_int_eq(keymap_lookup(KEYS_FILES, KEY_DOWN), REQ_FILES_DOWN);
	ck_assert_int_eq(keymap_lookup(KEYS_FILES, KEY_UP), REQ_FILES_UP);
	ck_assert_int_eq(keymap_lookup(KEYS_FILES, CTRL_KEY('A')), REQ_FILES_ALL);
	ck_assert_int_eq(keymap_lookup(KEYS_FILES, CTRL_KEY('U')), REQ_FILES_CLEAR);
	ck_assert_int_eq(keymap_lookup(KEYS_FILES, 27), REQ_CANCEL);
	ck_assert_int_eq(keymap_lookup(KEYS_FILES, KEY_F(2)), REQ_NONE);
	ck_assert_int_eq(keymap_lookup(KEYS_FILES, CTRL_KEY('K')), REQ_NONE);
	/* and the browser's keys stay out of the form */
	ck_assert_int_eq(keymap_lookup(KEYS_FORM, '\t'), REQ_NEXT_FIELD);
	ck_assert_int_eq(keymap_lookup(KEYS_EDIT, CTRL_KEY('A')), REQ_NONE);
}
END_TEST

START_TEST(every_request_has_a_key)
{
	size_t n;
	const struct key_binding *b = keymap_bindings(&n);
	for (int r = REQ_NONE + 1; r < REQ_COUNT; r++) {
		bool found = false;
		for (size_t i = 0; i < n; i++)
			found |= (int)b[i].request == r;
		ck_assert_msg(found, "no key for \"%s\"", ui_request_name(r));
		ck_assert_str_ne(ui_request_name(r), "");
	}
	for (size_t i = 0; i < n; i++)
		ck_assert_int_ne(b[i].request, REQ_NONE);
	ck_assert_str_eq(ui_request_name(REQ_COUNT), "");
}
END_TEST

/* KEYS_ANY is the form, typing or not; the file browser has its own. */
static bool
shared(enum key_context a, enum key_context b)
{
	if (a == KEYS_FILES || b == KEYS_FILES)
		return a == b;
	return a == b || a == KEYS_ANY || b == KEYS_ANY;
}

START_TEST(names_and_keys_are_unique_per_context)
{
	size_t n;
	const struct key_binding *b = keymap_bindings(&n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_ne(b[i].key_name, "");
		for (size_t j = i + 1; j < n; j++) {
			if (!shared(b[i].context, b[j].context))
				continue;
			ck_assert_msg(strcmp(b[i].key_name, b[j].key_name) != 0,
				      "%s is listed twice", b[i].key_name);
			ck_assert_msg(b[i].key != b[j].key,
				      "%s and %s are the same key",
				      b[i].key_name, b[j].key_name);
		}
	}
}
END_TEST

START_TEST(bar_shows_the_main_keys)
{
	static const struct {
		const char *name;
		enum ui_request request;
	} bar[] = {
		{ "F1", REQ_HELP }, { "F2", REQ_SUBMIT }, { "F5", REQ_LOAD },
		{ "F7", REQ_NEW }, { "F10", REQ_QUIT }, { "Enter", REQ_EDIT },
		{ "Esc", REQ_CANCEL }, { "F12", REQ_CONNECT },
	};
	size_t n, shown = 0;
	const struct key_binding *b = keymap_bindings(&n);
	for (size_t i = 0; i < n; i++) {
		if (!b[i].in_bar)
			continue;
		shown++;
		bool listed = false;
		for (size_t k = 0; k < sizeof(bar) / sizeof(bar[0]); k++)
			listed |= strcmp(bar[k].name, b[i].key_name) == 0 &&
				  bar[k].request == b[i].request;
		ck_assert_msg(listed, "%s is in the bar", b[i].key_name);
	}
	ck_assert_uint_eq(shown, sizeof(bar) / sizeof(bar[0]));
}
END_TEST

/* Help lines: every description starts in one column, however long the
 * key's name ("Keypad Enter"), with at least two spaces before it. */
START_TEST(help_lines_align_the_descriptions)
{
	size_t n;
	const struct key_binding *b = keymap_bindings(&n);
	long column = -1;
	bool saw_long = false;
	for (size_t i = 0; i < n; i++) {
		char *line = keymap_help_line(&b[i]);
		size_t key_len = strlen(b[i].key_name);
		ck_assert_msg(strncmp(line, "  ", 2) == 0 &&
			      strncmp(line + 2, b[i].key_name, key_len) == 0,
			      "line does not start with its key: '%s'", line);
		const char *desc = strstr(line + 2 + key_len,
					  ui_request_name(b[i].request));
		ck_assert_msg(desc, "no description in '%s'", line);
		ck_assert_msg(desc - line >= (long)(2 + key_len + 2) &&
			      desc[-1] == ' ' && desc[-2] == ' ',
			      "key and description run together: '%s'", line);
		if (column < 0)
			column = desc - line;
		ck_assert_msg(desc - line == column, "'%s' starts its description "
			      "at column %ld, the first line at %ld", line,
			      (long)(desc - line), column);
		saw_long = saw_long || key_len > 10;
		free(line);
	}
	ck_assert_msg(saw_long, "no key name longer than 10 characters to test");
}
END_TEST

Suite *
keymap_suite(void)
{
	Suite *s = suite_create("keymap");
	TCase *tc = tcase_create("keymap");
	tcase_add_test(tc, documented_bindings);
	tcase_add_test(tc, printable_keys_are_text_while_editing);
	tcase_add_test(tc, file_browser_keys);
	tcase_add_test(tc, every_request_has_a_key);
	tcase_add_test(tc, names_and_keys_are_unique_per_context);
	tcase_add_test(tc, bar_shows_the_main_keys);
	tcase_add_test(tc, help_lines_align_the_descriptions);
	suite_add_tcase(s, tc);
	return s;
}
