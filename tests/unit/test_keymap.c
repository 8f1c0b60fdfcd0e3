/* The key table's properties: in each context a key means one thing,
 * typed text stays text where a context takes it, every request can be
 * reached where it means something, the help shows every context with all
 * of its keys, and the key bar fits the narrowest terminal. */

#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "ui/app.h"
#include "ui/curses.h"
#include "ui/keymap.h"

static const struct key_binding *
table(size_t *n)
{
	return keymap_bindings(n);
}

/* Whether b can fire in ctx: its own, or the text keys a context that
 * edits text falls back to. */
static bool
fires_in(const struct key_binding *b, enum key_context ctx)
{
	return keymap_applies(b, ctx) ||
	       ((keymap_context_flags(ctx) & KC_EDITS) &&
		keymap_applies(b, KEYS_TYPING));
}

START_TEST(no_key_bound_twice_where_both_could_fire)
{
	size_t n;
	const struct key_binding *b = table(&n);
	for (int ctx = 0; ctx < KEYS_COUNT; ctx++)
		for (size_t i = 0; i < n; i++) {
			if (!fires_in(&b[i], ctx))
				continue;
			for (size_t j = i + 1; j < n; j++) {
				if (!fires_in(&b[j], ctx))
					continue;
				ck_assert_msg(b[i].key != b[j].key,
					      "%s is bound twice in '%s': %s and %s",
					      b[i].key_name, keymap_context_name(ctx),
					      ui_request_name(b[i].request),
					      ui_request_name(b[j].request));
				ck_assert_msg(strcmp(b[i].key_name, b[j].key_name) != 0,
					      "two keys are called %s in '%s'",
					      b[i].key_name, keymap_context_name(ctx));
			}
		}
}
END_TEST

/* What the table says is what a key does: no row is hidden behind
 * another, and none names a key that never arrives (terminals' DEL and ^H
 * arrive as Backspace; characters beyond ASCII are text). */
START_TEST(every_row_is_what_its_key_does)
{
	size_t n;
	const struct key_binding *b = table(&n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(b[i].key != 0x7f && b[i].key != 8 &&
			      (b[i].key < 0x80 || b[i].key >= KEY_MIN),
			      "%s is a key that never arrives", b[i].key_name);
		ck_assert_msg(b[i].contexts != 0 && *b[i].key_name,
			      "row %zu has no context or no name", i);
		for (int ctx = 0; ctx < KEYS_COUNT; ctx++)
			if (keymap_applies(&b[i], ctx))
				ck_assert_msg(keymap_lookup(ctx, b[i].key,
							    b[i].key < 0x80) ==
					      b[i].request, "%s in '%s' does not %s",
					      b[i].key_name, keymap_context_name(ctx),
					      ui_request_name(b[i].request));
	}
}
END_TEST

START_TEST(backspace_as_terminals_send_it)
{
	for (int ctx = 0; ctx < KEYS_COUNT; ctx++) {
		enum ui_request r = keymap_lookup(ctx, KEY_BACKSPACE, false);
		ck_assert_int_eq(keymap_lookup(ctx, 0x7f, true), r);
		ck_assert_int_eq(keymap_lookup(ctx, 8, true), r);
	}
	ck_assert_int_ne(keymap_lookup(KEYS_EDIT, 0x7f, true), REQ_NONE);
}
END_TEST

/* Where printable characters are text, none of them is a command; and a
 * character beyond ASCII is never one, whatever key code shares its
 * number. */
START_TEST(typed_text_stays_text)
{
	size_t n;
	const struct key_binding *b = table(&n);
	bool some_text = false;
	for (int ctx = 0; ctx < KEYS_COUNT; ctx++) {
		if (keymap_context_flags(ctx) & KC_TEXT) {
			some_text = true;
			for (int c = 0x20; c < 0x7f; c++)
				ck_assert_msg(keymap_lookup(ctx, c, true) == REQ_NONE,
					      "'%c' is bound in '%s', where it is "
					      "text", c, keymap_context_name(ctx));
		}
		for (size_t i = 0; i < n; i++)
			if (b[i].key >= 0x80)
				ck_assert_int_eq(keymap_lookup(ctx, b[i].key, true),
						 REQ_NONE);
	}
	ck_assert(some_text);
	ck_assert(keymap_is_text('a', true) && keymap_is_text(0xe9, true));
	ck_assert(!keymap_is_text('\t', true) && !keymap_is_text(0x7f, true) &&
		  !keymap_is_text(KEY_DOWN, false));
}
END_TEST

/* Each request is reached by a key in every context it means something
 * in, and no key asks for it anywhere else. */
START_TEST(every_request_reachable_in_its_contexts)
{
	size_t n;
	const struct key_binding *b = table(&n);
	for (int r = REQ_NONE + 1; r < REQ_COUNT; r++) {
		unsigned where = ui_request_contexts(r);
		ck_assert_str_ne(ui_request_name(r), "");
		ck_assert_msg(where, "\"%s\" means nothing anywhere",
			      ui_request_name(r));
		for (int ctx = 0; ctx < KEYS_COUNT; ctx++) {
			if (!(where & (1u << ctx)))
				continue;
			bool found = false;
			for (size_t i = 0; i < n; i++)
				found |= (int)b[i].request == r &&
					 keymap_applies(&b[i], ctx);
			ck_assert_msg(found, "no key for \"%s\" in '%s'",
				      ui_request_name(r), keymap_context_name(ctx));
		}
	}
	for (size_t i = 0; i < n; i++) {
		unsigned stray = b[i].contexts & ~ui_request_contexts(b[i].request);
		ck_assert_msg(b[i].request != REQ_NONE && !stray, "%s asks for "
			      "\"%s\" where it means nothing", b[i].key_name,
			      ui_request_name(b[i].request));
	}
	ck_assert_str_eq(ui_request_name(REQ_COUNT), "");
}
END_TEST

/* ---- the help ---- */

struct help_copy {
	enum help_part part[512];
	char *line[512];
	size_t count;
};

static void
collect(void *arg, enum help_part part, const char *line)
{
	struct help_copy *h = arg;
	ck_assert_uint_lt(h->count, 512);
	h->part[h->count] = part;
	h->line[h->count++] = strdup(line);
}

static void
help_copy_free(struct help_copy *h)
{
	for (size_t i = 0; i < h->count; i++)
		free(h->line[i]);
}

/* The rows of the section titled `title`: [*from, *to). */
static void
section(const struct help_copy *h, const char *title, size_t *from, size_t *to)
{
	size_t found = 0;
	*from = h->count;
	for (size_t i = 0; i < h->count; i++)
		if (h->part[i] == HELP_HEADING && !strcmp(h->line[i], title)) {
			*from = i + 1;
			found++;
		}
	ck_assert_msg(found == 1, "the help has %zu sections \"%s\"", found, title);
	for (*to = *from; *to < h->count && h->part[*to] != HELP_HEADING; (*to)++)
		;
}

START_TEST(help_shows_every_context_with_all_its_keys)
{
	static struct help_copy h;
	h.count = 0;
	keymap_help(collect, &h);
	size_t n;
	const struct key_binding *b = table(&n);
	size_t headings = 0;
	for (size_t i = 0; i < h.count; i++)
		headings += h.part[i] == HELP_HEADING;
	ck_assert_uint_eq(headings, KEYS_COUNT);
	for (int ctx = 0; ctx < KEYS_COUNT; ctx++) {
		size_t from, to, keys = 0;
		section(&h, keymap_context_title(ctx), &from, &to);
		for (size_t i = 0; i < n; i++) {
			if (!keymap_applies(&b[i], ctx))
				continue;
			char *want = keymap_help_line(&b[i]);
			bool listed = false;
			for (size_t k = from; k < to; k++)
				listed |= h.part[k] == HELP_KEY &&
					  !strcmp(h.line[k], want);
			ck_assert_msg(listed, "'%s' is not in the help's \"%s\"",
				      want, keymap_context_title(ctx));
			free(want);
			keys++;
		}
		for (size_t k = from; k < to; k++)
			keys -= h.part[k] == HELP_KEY;
		ck_assert_msg(keys == 0, "\"%s\" lists keys of another context",
			      keymap_context_title(ctx));
		/* where typing edits text, the help says those keys work */
		bool says = false;
		for (size_t k = from; k < to; k++)
			says |= h.part[k] == HELP_NOTE &&
				strstr(h.line[k], keymap_edits_note);
		ck_assert_int_eq(says, !!(keymap_context_flags(ctx) & KC_EDITS));
	}
	help_copy_free(&h);
}
END_TEST

/* Help lines: every description starts in one column, however long the
 * key's name ("Keypad Enter"), with at least two spaces before it. */
START_TEST(help_lines_align_the_descriptions)
{
	size_t n;
	const struct key_binding *b = table(&n);
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

/* ---- the key bar ---- */

/* A screen's bar (the form's, the list's) shows its keys whole on the
 * narrowest terminal the program works in, each doing what the bar says
 * there. */
static void
assert_bar_fits(enum key_context ctx)
{
	size_t n, shown = 0;
	const struct key_binding *b = table(&n);
	int width = 0;
	for (size_t i = 0; i < n; i++) {
		if (!b[i].in_bar || !keymap_applies(&b[i], ctx))
			continue;
		shown++;
		width += keymap_bar_width(&b[i]);
		ck_assert_msg(keymap_lookup(ctx, b[i].key, b[i].key < 0x80) ==
			      b[i].request, "the bar's %s does not %s in '%s'",
			      b[i].key_name, ui_request_word(b[i].request),
			      keymap_context_name(ctx));
		ck_assert_str_ne(ui_request_word(b[i].request), "");
	}
	ck_assert_uint_gt(shown, 0);
	ck_assert_msg(width <= MIN_COLS, "the key bar of '%s' takes %d columns, "
		      "more than %d", keymap_context_name(ctx), width, MIN_COLS);
}

START_TEST(key_bar_fits_the_narrowest_terminal)
{
	/* every screen and window names its keys, the way out among them */
	static const enum key_context with_bar[] = {
		KEYS_FORM, KEYS_EDIT, KEYS_LIST, KEYS_FILTER, KEYS_EDITOR,
		KEYS_PROMPT, KEYS_PICKER, KEYS_TEXT, KEYS_QUESTION, KEYS_DRAFTS,
		KEYS_PROFILES, KEYS_PASTE, KEYS_FILES,
	};
	unsigned bars = KEYS_IN(SMALL);
	for (size_t k = 0; k < sizeof(with_bar) / sizeof(*with_bar); k++) {
		assert_bar_fits(with_bar[k]);
		bars |= 1u << with_bar[k];
	}
	/* no bar row belongs to a context without a bar */
	size_t n;
	const struct key_binding *b = table(&n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(!b[i].in_bar || !(b[i].contexts & ~bars),
			      "%s is in a bar no screen shows",
			      b[i].key_name);
}
END_TEST

Suite *
keymap_suite(void)
{
	Suite *s = suite_create("keymap");
	TCase *tc = tcase_create("keymap");
	tcase_add_test(tc, no_key_bound_twice_where_both_could_fire);
	tcase_add_test(tc, every_row_is_what_its_key_does);
	tcase_add_test(tc, backspace_as_terminals_send_it);
	tcase_add_test(tc, typed_text_stays_text);
	tcase_add_test(tc, every_request_reachable_in_its_contexts);
	tcase_add_test(tc, help_shows_every_context_with_all_its_keys);
	tcase_add_test(tc, help_lines_align_the_descriptions);
	tcase_add_test(tc, key_bar_fits_the_narrowest_terminal);
	suite_add_tcase(s, tc);
	return s;
}
