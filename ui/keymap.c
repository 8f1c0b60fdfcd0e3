#include "ui/keymap.h"

#include <string.h>

#include "base/xalloc.h"
#include "ui/curses.h"

#define CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27

/* Keys that are text (printable characters) appear only in KEYS_FORM; in
 * KEYS_EDIT they must reach the field. Keys a technician reaches for
 * first come first, since the bar and the help list them in this order. */
static const struct key_binding bindings[] = {
	{ KEYS_ANY, KEY_F(1), "F1", REQ_HELP, true },
	{ KEYS_FORM, '?', "?", REQ_HELP, false },
	{ KEYS_FORM, '\n', "Enter", REQ_EDIT, true },
	{ KEYS_FORM, '\r', "Return", REQ_EDIT, false },
	{ KEYS_FORM, KEY_ENTER, "Keypad Enter", REQ_EDIT, false },
	{ KEYS_ANY, KEY_ESC, "Esc", REQ_CANCEL, true },
	{ KEYS_ANY, KEY_F(2), "F2", REQ_SUBMIT, true },
	{ KEYS_ANY, CTRL('S'), "Ctrl-S", REQ_SUBMIT, false },
	{ KEYS_ANY, KEY_F(5), "F5", REQ_LOAD, true },
	{ KEYS_ANY, CTRL('O'), "Ctrl-O", REQ_LOAD, false },
	{ KEYS_ANY, KEY_F(7), "F7", REQ_NEW, true },
	{ KEYS_ANY, CTRL('N'), "Ctrl-N", REQ_NEW, false },
	{ KEYS_ANY, KEY_F(10), "F10", REQ_QUIT, true },
	{ KEYS_FORM, 'q', "q", REQ_QUIT, false },
	{ KEYS_ANY, KEY_F(12), "F12", REQ_CONNECT, true },
	{ KEYS_FORM, 'c', "c", REQ_CONNECT, false },

	{ KEYS_ANY, '\t', "Tab", REQ_NEXT_FIELD, false },
	{ KEYS_ANY, KEY_BTAB, "Shift-Tab", REQ_PREV_FIELD, false },
	{ KEYS_FORM, KEY_DOWN, "Down", REQ_NEXT_FIELD, false },
	{ KEYS_FORM, KEY_UP, "Up", REQ_PREV_FIELD, false },
	{ KEYS_ANY, KEY_NPAGE, "PgDn", REQ_PAGE_DOWN, false },
	{ KEYS_ANY, KEY_PPAGE, "PgUp", REQ_PAGE_UP, false },
	{ KEYS_FORM, KEY_HOME, "Home", REQ_FIRST_FIELD, false },
	{ KEYS_FORM, KEY_END, "End", REQ_LAST_FIELD, false },
	{ KEYS_FORM, KEY_RIGHT, "Right", REQ_NEXT_CHOICE, false },
	{ KEYS_FORM, ' ', "Space", REQ_NEXT_CHOICE, false },
	{ KEYS_FORM, KEY_LEFT, "Left", REQ_PREV_CHOICE, false },
	{ KEYS_FORM, KEY_DC, "Delete", REQ_CLEAR, false },
	/* While typing, Ctrl-K empties the whole field as it does outside. */
	{ KEYS_ANY, CTRL('K'), "Ctrl-K", REQ_CLEAR, false },
	{ KEYS_ANY, CTRL('R'), "Ctrl-R", REQ_REVEAL, false },
	{ KEYS_ANY, KEY_F(4), "F4", REQ_REVEAL, false },
	{ KEYS_FORM, KEY_F(6), "F6", REQ_FOLD, false },
	{ KEYS_ANY, CTRL('L'), "Ctrl-L", REQ_REDRAW, false },
	{ KEYS_FORM, KEY_F(8), "F8", REQ_GENERATE, false },
	{ KEYS_FORM, 'g', "g", REQ_GENERATE, false },
	{ KEYS_FORM, KEY_F(3), "F3", REQ_OPEN_FILE, false },
	{ KEYS_FORM, 'o', "o", REQ_OPEN_FILE, false },
	{ KEYS_FORM, KEY_F(9), "F9", REQ_SAVE_KEYS, false },
	{ KEYS_FORM, 'w', "w", REQ_SAVE_KEYS, false },
	{ KEYS_FORM, 'i', "i", REQ_DETAILS, false },
	{ KEYS_FORM, 'm', "m", REQ_MESSAGES, false },

	{ KEYS_FILES, KEY_DOWN, "Down", REQ_FILES_DOWN, false },
	{ KEYS_FILES, KEY_UP, "Up", REQ_FILES_UP, false },
	{ KEYS_FILES, KEY_NPAGE, "PgDn", REQ_FILES_PAGE_DOWN, false },
	{ KEYS_FILES, KEY_PPAGE, "PgUp", REQ_FILES_PAGE_UP, false },
	{ KEYS_FILES, '\n', "Enter", REQ_FILES_CHOOSE, false },
	{ KEYS_FILES, '\r', "Return", REQ_FILES_CHOOSE, false },
	{ KEYS_FILES, KEY_ENTER, "Keypad Enter", REQ_FILES_CHOOSE, false },
	/* Terminals send DEL or ^H for Backspace; the browser reads both as
	 * KEY_BACKSPACE. */
	{ KEYS_FILES, KEY_BACKSPACE, "Backspace", REQ_FILES_BACK, false },
	{ KEYS_FILES, '\t', "Tab", REQ_FILES_COMPLETE, false },
	{ KEYS_FILES, CTRL('U'), "Ctrl-U", REQ_FILES_CLEAR, false },
	{ KEYS_FILES, CTRL('A'), "Ctrl-A", REQ_FILES_ALL, false },
	{ KEYS_FILES, KEY_ESC, "Esc", REQ_CANCEL, false },
};

enum { BINDING_COUNT = sizeof(bindings) / sizeof(bindings[0]) };

static bool
applies_in(enum key_context binding, enum key_context ctx)
{
	return binding == ctx || (binding == KEYS_ANY && ctx != KEYS_FILES);
}

enum ui_request
keymap_lookup(enum key_context ctx, int key)
{
	for (size_t i = 0; i < BINDING_COUNT; i++)
		if (bindings[i].key == key && applies_in(bindings[i].context, ctx))
			return bindings[i].request;
	return REQ_NONE;
}

const char *
ui_request_name(enum ui_request r)
{
#define REQUEST_NAME(id, word, name) [REQ_##id] = name,
	static const char *const names[] = { UI_REQUESTS(REQUEST_NAME) };
#undef REQUEST_NAME
	return (unsigned)r < REQ_COUNT ? names[r] : "";
}

const char *
ui_request_word(enum ui_request r)
{
#define REQUEST_WORD(id, word, name) [REQ_##id] = word,
	static const char *const words[] = { UI_REQUESTS(REQUEST_WORD) };
#undef REQUEST_WORD
	return (unsigned)r < REQ_COUNT ? words[r] : "";
}

const char *
keymap_key_name(enum ui_request r)
{
	for (size_t i = 0; i < BINDING_COUNT; i++)
		if (bindings[i].request == r)
			return bindings[i].key_name;
	return "";
}

const struct key_binding *
keymap_bindings(size_t *count)
{
	*count = BINDING_COUNT;
	return bindings;
}

static int
widest_key_name(void)
{
	size_t w = 0;
	for (size_t i = 0; i < BINDING_COUNT; i++)
		if (strlen(bindings[i].key_name) > w)
			w = strlen(bindings[i].key_name);
	return (int)w;
}

char *
keymap_help_line(const struct key_binding *b)
{
	/* key names are ASCII: bytes are columns */
	return xasprintf("  %-*s  %s", widest_key_name(), b->key_name,
			 ui_request_name(b->request));
}
