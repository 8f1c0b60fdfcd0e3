#include "ui/keymap.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "ui/curses.h"
#include "ui/textedit.h"

#define CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27

/* Shorter rows below. */
#define FORM KEYS_IN(FORM)
#define EDIT KEYS_IN(EDIT)
#define BOTH (FORM | EDIT)
#define LIST KEYS_IN(LIST)

/* Contexts that take text (KC_TEXT) bind no printable key: typed
 * characters must reach the text. The names a person reads as words are
 * marked for the catalog: the help and the key bar show them translated
 * (keymap_key_label), the documentation made from this table English.
 * Within a context the rows' order is the order of the help and the
 * docs, keys a technician reaches for first coming first; the form's bar
 * shows its in_bar keys in this order. */
static const struct key_binding bindings[] = {
	/* the form, typing into a field or not */
	{ BOTH, KEY_F(1), "F1", REQ_HELP, true },
	{ FORM, '?', "?", REQ_HELP, false },
	{ FORM, '\n', N_("Enter"), REQ_EDIT, true },
	{ FORM, '\r', N_("Return"), REQ_EDIT, false },
	{ FORM, KEY_ENTER, N_("Keypad Enter"), REQ_EDIT, false },
	{ FORM, KEY_ESC, N_("Esc"), REQ_CANCEL, true },
	{ EDIT, '\n', N_("Enter"), REQ_STOP_EDIT, true },
	{ EDIT, '\r', N_("Return"), REQ_STOP_EDIT, false },
	{ EDIT, KEY_ENTER, N_("Keypad Enter"), REQ_STOP_EDIT, false },
	{ EDIT, KEY_ESC, N_("Esc"), REQ_STOP_EDIT, false },
	{ BOTH, KEY_F(2), "F2", REQ_SUBMIT, true },
	{ BOTH, CTRL('S'), "Ctrl-S", REQ_SUBMIT, false },
	{ BOTH, KEY_F(5), "F5", REQ_LOAD, true },
	{ BOTH, CTRL('O'), "Ctrl-O", REQ_LOAD, false },
	{ BOTH, KEY_F(7), "F7", REQ_NEW, true },
	{ BOTH, CTRL('N'), "Ctrl-N", REQ_NEW, false },
	{ BOTH | KEYS_IN(SMALL), KEY_F(10), "F10", REQ_QUIT, true },
	{ FORM, 'q', "q", REQ_QUIT, false },
	{ BOTH, KEY_F(12), "F12", REQ_CONNECT, true },
	{ FORM, 'c', "c", REQ_CONNECT, false },

	{ BOTH | KEYS_IN(PASTE), '\t', N_("Tab"), REQ_NEXT_FIELD, false },
	{ BOTH | KEYS_IN(PASTE), KEY_BTAB, N_("Shift-Tab"), REQ_PREV_FIELD, false },
	{ BOTH | KEYS_IN(PASTE), KEY_DOWN, N_("Down"), REQ_NEXT_FIELD, false },
	{ BOTH | KEYS_IN(PASTE), KEY_UP, N_("Up"), REQ_PREV_FIELD, false },
	{ BOTH, KEY_NPAGE, N_("PgDn"), REQ_PAGE_DOWN, false },
	{ BOTH, KEY_PPAGE, N_("PgUp"), REQ_PAGE_UP, false },
	{ FORM, KEY_HOME, N_("Home"), REQ_FIRST_FIELD, false },
	{ FORM, KEY_END, N_("End"), REQ_LAST_FIELD, false },
	{ FORM, KEY_RIGHT, N_("Right"), REQ_NEXT_CHOICE, false },
	{ FORM, ' ', N_("Space"), REQ_NEXT_CHOICE, false },
	{ FORM, KEY_LEFT, N_("Left"), REQ_PREV_CHOICE, false },
	{ FORM, KEY_DC, N_("Delete"), REQ_CLEAR, false },
	/* While typing, Ctrl-K empties the whole field as it does outside. */
	{ BOTH, CTRL('K'), "Ctrl-K", REQ_CLEAR, false },
	{ BOTH, CTRL('R'), "Ctrl-R", REQ_REVEAL, false },
	{ BOTH, KEY_F(4), "F4", REQ_REVEAL, false },
	{ FORM, KEY_F(6), "F6", REQ_FOLD, false },
	{ BOTH, CTRL('L'), "Ctrl-L", REQ_REDRAW, false },
	{ BOTH, CTRL('Z'), "Ctrl-Z", REQ_SUSPEND, false },
	{ FORM, KEY_F(8), "F8", REQ_GENERATE, false },
	{ FORM, 'g', "g", REQ_GENERATE, false },
	{ FORM, KEY_F(3), "F3", REQ_OPEN_FILE, false },
	{ FORM, 'o', "o", REQ_OPEN_FILE, false },
	{ FORM, KEY_F(9), "F9", REQ_SAVE_KEYS, false },
	{ FORM, 'w', "w", REQ_SAVE_KEYS, false },
	{ FORM, 'i', "i", REQ_DETAILS, false },
	{ FORM, 'm', "m", REQ_MESSAGES, false },
	{ FORM, 'u', "u", REQ_UNLOCK, false },
	{ FORM, 't', "t", REQ_AS_TEMPLATE, false },
	{ FORM, 'v', "v", REQ_WATCH, false },
	{ FORM, 'r', "r", REQ_REGISTER, false },
	{ FORM, KEY_F(11), "F11", REQ_LIST, false },
	{ FORM, 'l', "l", REQ_LIST, false },

	/* editing text, wherever it is typed */
	{ KEYS_IN(TYPING), KEY_LEFT, N_("Left"), REQ_CURSOR_LEFT, false },
	{ KEYS_IN(TYPING), KEY_RIGHT, N_("Right"), REQ_CURSOR_RIGHT, false },
	{ KEYS_IN(TYPING), KEY_HOME, N_("Home"), REQ_LINE_START, false },
	{ KEYS_IN(TYPING), CTRL('A'), "Ctrl-A", REQ_LINE_START, false },
	{ KEYS_IN(TYPING), KEY_END, N_("End"), REQ_LINE_END, false },
	{ KEYS_IN(TYPING), CTRL('E'), "Ctrl-E", REQ_LINE_END, false },
	{ KEYS_IN(TYPING), KEY_BACKSPACE, N_("Backspace"), REQ_ERASE_BACK, false },
	{ KEYS_IN(TYPING), KEY_DC, N_("Delete"), REQ_ERASE, false },
	{ KEYS_IN(TYPING), CTRL('U'), "Ctrl-U", REQ_KILL_LINE, false },

	/* the editor */
	{ KEYS_IN(EDITOR), '\n', N_("Enter"), REQ_NEWLINE, true },
	{ KEYS_IN(EDITOR), '\r', N_("Return"), REQ_NEWLINE, false },
	{ KEYS_IN(EDITOR), KEY_ENTER, N_("Keypad Enter"), REQ_NEWLINE, false },
	{ KEYS_IN(EDITOR), '\t', N_("Tab"), REQ_INDENT, false },
	{ KEYS_IN(EDITOR), KEY_UP, N_("Up"), REQ_LINE_UP, false },
	{ KEYS_IN(EDITOR), KEY_DOWN, N_("Down"), REQ_LINE_DOWN, false },
	{ KEYS_IN(EDITOR), KEY_ESC, N_("Esc"), REQ_EDITOR_DONE, true },
	{ KEYS_IN(EDITOR), KEY_F(2), "F2", REQ_EDITOR_DONE, false },
	{ KEYS_IN(EDITOR), CTRL('S'), "Ctrl-S", REQ_EDITOR_DONE, false },

	/* a one-line question */
	{ KEYS_IN(PROMPT), '\n', N_("Enter"), REQ_ANSWER, true },
	{ KEYS_IN(PROMPT), '\r', N_("Return"), REQ_ANSWER, false },
	{ KEYS_IN(PROMPT), KEY_ENTER, N_("Keypad Enter"), REQ_ANSWER, false },

	/* lists */
	{ KEYS_IN(PICKER) | KEYS_IN(DRAFTS) | KEYS_IN(PROFILES), KEY_DOWN, "Down",
	  REQ_LIST_DOWN, false },
	{ KEYS_IN(PICKER) | KEYS_IN(DRAFTS) | KEYS_IN(PROFILES), KEY_UP, "Up",
	  REQ_LIST_UP, false },
	{ KEYS_IN(PICKER), KEY_HOME, N_("Home"), REQ_LIST_FIRST, false },
	{ KEYS_IN(PICKER), KEY_END, N_("End"), REQ_LIST_LAST, false },
	{ KEYS_IN(PICKER), '\n', N_("Enter"), REQ_PICK, true },
	{ KEYS_IN(PICKER), '\r', N_("Return"), REQ_PICK, false },
	{ KEYS_IN(PICKER), KEY_ENTER, N_("Keypad Enter"), REQ_PICK, false },
	{ KEYS_IN(PICKER), ' ', N_("Space"), REQ_PICK, false },

	/* closing a window */
	{ KEYS_IN(PROMPT) | KEYS_IN(PICKER) | KEYS_IN(TEXT) | KEYS_IN(PROFILES) |
	  KEYS_IN(FILES), KEY_ESC, N_("Esc"), REQ_CLOSE, true },
	{ KEYS_IN(TEXT), '\n', N_("Enter"), REQ_CLOSE, false },
	{ KEYS_IN(TEXT), '\r', N_("Return"), REQ_CLOSE, false },
	{ KEYS_IN(TEXT), KEY_ENTER, N_("Keypad Enter"), REQ_CLOSE, false },
	{ KEYS_IN(TEXT) | KEYS_IN(PROFILES), 'q', "q", REQ_CLOSE, false },
	{ KEYS_IN(TEXT), 'n', "n", REQ_CLOSE, false },
	{ KEYS_IN(TEXT), 'N', "N", REQ_CLOSE, false },
	{ KEYS_IN(TEXT) | KEYS_IN(PROFILES), KEY_F(10), "F10", REQ_CLOSE, false },
	{ KEYS_IN(TEXT), KEY_F(1), "F1", REQ_CLOSE, false },

	/* windows of text and questions */
	{ KEYS_IN(TEXT) | KEYS_IN(QUESTION), KEY_DOWN, N_("Down"), REQ_SCROLL_DOWN,
	  false },
	{ KEYS_IN(TEXT) | KEYS_IN(QUESTION), KEY_UP, N_("Up"), REQ_SCROLL_UP, false },
	{ KEYS_IN(TEXT) | KEYS_IN(QUESTION), KEY_NPAGE, "PgDn",
	  REQ_SCROLL_PAGE_DOWN, true },
	{ KEYS_IN(TEXT) | KEYS_IN(QUESTION), KEY_PPAGE, N_("PgUp"), REQ_SCROLL_PAGE_UP,
	  false },
	{ KEYS_IN(TEXT), 'r', "r", REQ_RAW, false },
	{ KEYS_IN(TEXT), 'R', "R", REQ_RAW, false },
	{ KEYS_IN(TEXT), 'u', "u", REQ_USE_CN, false },
	{ KEYS_IN(TEXT), 'c', "c", REQ_CONVERT, false },
	/* in the answer that shows keys the service made */
	{ KEYS_IN(TEXT), 'w', "w", REQ_SAVE_KEYS, false },
	{ KEYS_IN(QUESTION), 'y', "y", REQ_YES, true },
	{ KEYS_IN(QUESTION), 'Y', "Y", REQ_YES, false },
	{ KEYS_IN(QUESTION), 'r', "r", REQ_RETRY, false },
	{ KEYS_IN(QUESTION), 'n', "n", REQ_NO, true },
	{ KEYS_IN(QUESTION), 'N', "N", REQ_NO, false },
	{ KEYS_IN(QUESTION), KEY_ESC, N_("Esc"), REQ_NO, false },
	{ KEYS_IN(QUESTION), '\n', N_("Enter"), REQ_NO, false },
	{ KEYS_IN(QUESTION), '\r', N_("Return"), REQ_NO, false },
	{ KEYS_IN(QUESTION), KEY_ENTER, N_("Keypad Enter"), REQ_NO, false },
	{ KEYS_IN(QUESTION), 'q', "q", REQ_NO, false },
	{ KEYS_IN(QUESTION), KEY_F(10), "F10", REQ_NO, false },
	{ KEYS_IN(QUESTION), KEY_F(1), "F1", REQ_NO, false },

	/* the unfinished enrollments offered at start */
	{ KEYS_IN(DRAFTS), 'y', "y", REQ_RESTORE, true },
	{ KEYS_IN(DRAFTS), 'Y', "Y", REQ_RESTORE, false },
	{ KEYS_IN(DRAFTS), '\n', N_("Enter"), REQ_RESTORE, false },
	{ KEYS_IN(DRAFTS), '\r', N_("Return"), REQ_RESTORE, false },
	{ KEYS_IN(DRAFTS), KEY_ENTER, N_("Keypad Enter"), REQ_RESTORE, false },
	{ KEYS_IN(DRAFTS), 'd', "d", REQ_DELETE_DRAFT, true },
	{ KEYS_IN(DRAFTS), 'D', "D", REQ_DELETE_DRAFT, false },
	{ KEYS_IN(DRAFTS), 'n', "n", REQ_START_EMPTY, true },
	{ KEYS_IN(DRAFTS), 'N', "N", REQ_START_EMPTY, false },
	{ KEYS_IN(DRAFTS), KEY_ESC, N_("Esc"), REQ_START_EMPTY, false },

	/* the connection window */
	{ KEYS_IN(PROFILES), '\n', N_("Enter"), REQ_CHOOSE_PROFILE, true },
	{ KEYS_IN(PROFILES), '\r', N_("Return"), REQ_CHOOSE_PROFILE, false },
	{ KEYS_IN(PROFILES), KEY_ENTER, N_("Keypad Enter"), REQ_CHOOSE_PROFILE,
	  false },
	{ KEYS_IN(PASTE), '\n', N_("Enter"), REQ_CONNECT_PASTED, true },
	{ KEYS_IN(PASTE), '\r', N_("Return"), REQ_CONNECT_PASTED, false },
	{ KEYS_IN(PASTE), KEY_ENTER, N_("Keypad Enter"), REQ_CONNECT_PASTED, false },
	{ KEYS_IN(PASTE), KEY_ESC, N_("Esc"), REQ_PASTE_BACK, true },

	/* the file browser */
	{ KEYS_IN(FILES), KEY_DOWN, N_("Down"), REQ_FILES_DOWN, false },
	{ KEYS_IN(FILES), KEY_UP, N_("Up"), REQ_FILES_UP, false },
	{ KEYS_IN(FILES), KEY_NPAGE, N_("PgDn"), REQ_FILES_PAGE_DOWN, false },
	{ KEYS_IN(FILES), KEY_PPAGE, N_("PgUp"), REQ_FILES_PAGE_UP, false },
	{ KEYS_IN(FILES), '\n', N_("Enter"), REQ_FILES_CHOOSE, true },
	{ KEYS_IN(FILES), '\r', N_("Return"), REQ_FILES_CHOOSE, false },
	{ KEYS_IN(FILES), KEY_ENTER, N_("Keypad Enter"), REQ_FILES_CHOOSE, false },
	{ KEYS_IN(FILES), KEY_BACKSPACE, N_("Backspace"), REQ_FILES_BACK, false },
	{ KEYS_IN(FILES), '\t', N_("Tab"), REQ_FILES_COMPLETE, true },
	{ KEYS_IN(FILES), CTRL('U'), "Ctrl-U", REQ_FILES_CLEAR, false },
	{ KEYS_IN(FILES), CTRL('A'), "Ctrl-A", REQ_FILES_ALL, false },

	/* the fleet list; its bar shows the in_bar rows of its context */
	{ LIST, KEY_F(1), "F1", REQ_HELP, true },
	{ LIST, '?', "?", REQ_HELP, false },
	{ LIST, '\n', N_("Enter"), REQ_OPEN_ROW, true },
	{ LIST, '\r', N_("Return"), REQ_OPEN_ROW, false },
	{ LIST, KEY_ENTER, N_("Keypad Enter"), REQ_OPEN_ROW, false },
	{ LIST, '/', "/", REQ_FILTER, true },
	{ LIST, ' ', N_("Space"), REQ_MARK, true },
	{ LIST, 'e', "e", REQ_ENABLE, true },
	{ LIST, 'd', "d", REQ_DISABLE, true },
	{ LIST, 'x', "x", REQ_DELETE_STATE, false },
	{ LIST, KEY_DC, N_("Delete"), REQ_DELETE_ENROLLMENT, false },
	{ LIST, 'X', "X", REQ_DELETE_ENROLLMENT, false },
	{ LIST, KEY_ESC, N_("Esc"), REQ_BACK_TO_FORM, true },
	{ LIST, 'q', "q", REQ_BACK_TO_FORM, false },
	{ LIST, KEY_F(10), "F10", REQ_QUIT, false },
	{ LIST, KEY_DOWN, N_("Down"), REQ_LIST_DOWN, false },
	{ LIST, KEY_UP, N_("Up"), REQ_LIST_UP, false },
	{ LIST, KEY_NPAGE, N_("PgDn"), REQ_LIST_PAGE_DOWN, false },
	{ LIST, KEY_PPAGE, N_("PgUp"), REQ_LIST_PAGE_UP, false },
	{ LIST, KEY_HOME, N_("Home"), REQ_LIST_FIRST, false },
	{ LIST, KEY_END, N_("End"), REQ_LIST_LAST, false },
	{ LIST, 's', "s", REQ_SORT, false },
	{ LIST, 'S', "S", REQ_SORT_REVERSE, false },
	{ LIST, 'g', "g", REQ_JUMP, false },
	{ LIST, ':', ":", REQ_JUMP, false },
	{ LIST, '+', "+", REQ_MARK_ALL, false },
	{ LIST, '-', "-", REQ_UNMARK_ALL, false },
	{ LIST, 'r', "r", REQ_REFRESH_STATES, false },
	{ LIST, KEY_F(5), "F5", REQ_RELOAD, false },
	{ LIST, 'c', "c", REQ_STOP_ACTION, false },
	{ LIST, 'i', "i", REQ_ROW_DETAILS, false },
	{ LIST, CTRL('L'), "Ctrl-L", REQ_REDRAW, false },
	{ LIST, CTRL('Z'), "Ctrl-Z", REQ_SUSPEND, false },

	/* typing a filter in the fleet list */
	{ KEYS_IN(FILTER), '\n', N_("Enter"), REQ_FILTER_DONE, true },
	{ KEYS_IN(FILTER), '\r', N_("Return"), REQ_FILTER_DONE, false },
	{ KEYS_IN(FILTER), KEY_ENTER, N_("Keypad Enter"), REQ_FILTER_DONE, false },
	{ KEYS_IN(FILTER), KEY_ESC, N_("Esc"), REQ_FILTER_CLEAR, true },
	{ KEYS_IN(FILTER), KEY_DOWN, N_("Down"), REQ_LIST_DOWN, false },
	{ KEYS_IN(FILTER), KEY_UP, N_("Up"), REQ_LIST_UP, false },
};

enum { BINDING_COUNT = sizeof(bindings) / sizeof(bindings[0]) };

struct context_info {
	const char *name, *title, *typing;
	unsigned flags;
};

#define CONTEXT_INFO(id, name, title, typing, flags) \
	[KEYS_##id] = { name, title, typing, flags },
static const struct context_info contexts[] = { KEY_CONTEXTS(CONTEXT_INFO) };
#undef CONTEXT_INFO

const char keymap_edits_note[] = N_("The keys for editing text work here too.");

bool
keymap_applies(const struct key_binding *b, enum key_context ctx)
{
	return (b->contexts & (1u << ctx)) != 0;
}

static enum ui_request
find(enum key_context ctx, int key)
{
	for (size_t i = 0; i < BINDING_COUNT; i++)
		if (bindings[i].key == key && keymap_applies(&bindings[i], ctx))
			return bindings[i].request;
	return REQ_NONE;
}

enum ui_request
keymap_lookup(enum key_context ctx, int key, bool is_char)
{
	if ((unsigned)ctx >= KEYS_COUNT || (is_char && key > 0x7f))
		return REQ_NONE;
	if (is_char && (key == 0x7f || key == CTRL('H')))
		key = KEY_BACKSPACE;
	enum ui_request r = find(ctx, key);
	if (r == REQ_NONE && (contexts[ctx].flags & KC_EDITS))
		r = find(KEYS_TYPING, key);
	return r;
}

bool
keymap_is_text(int key, bool is_char)
{
	return is_char && key >= 0x20 && key != 0x7f;
}

#define REQUEST_NAME(id, contexts, word, name) [REQ_##id] = name,
static const char *const request_names[] = { UI_REQUESTS(REQUEST_NAME) };
#undef REQUEST_NAME
#define REQUEST_WORD(id, contexts, word, name) [REQ_##id] = word,
static const char *const request_words[] = { UI_REQUESTS(REQUEST_WORD) };
#undef REQUEST_WORD
#define REQUEST_CONTEXTS(id, contexts, word, name) [REQ_##id] = contexts,
static const unsigned request_contexts[] = { UI_REQUESTS(REQUEST_CONTEXTS) };
#undef REQUEST_CONTEXTS

const char *
ui_request_name(enum ui_request r)
{
	return (unsigned)r < REQ_COUNT ? request_names[r] : "";
}

const char *
ui_request_word(enum ui_request r)
{
	return (unsigned)r < REQ_COUNT ? request_words[r] : "";
}

unsigned
ui_request_contexts(enum ui_request r)
{
	return (unsigned)r < REQ_COUNT ? request_contexts[r] : 0;
}

const char *
keymap_key_label(const struct key_binding *b)
{
	/* names are never empty: gettext("") would be the catalog's header */
	return _(b->key_name);
}

const char *
keymap_key_name(enum ui_request r)
{
	for (size_t i = 0; i < BINDING_COUNT; i++)
		if (bindings[i].request == r)
			return keymap_key_label(&bindings[i]);
	return "";
}

const char *
keymap_context_name(enum key_context ctx)
{
	return (unsigned)ctx < KEYS_COUNT ? contexts[ctx].name : "";
}

const char *
keymap_context_title(enum key_context ctx)
{
	return (unsigned)ctx < KEYS_COUNT ? contexts[ctx].title : "";
}

const char *
keymap_context_typing(enum key_context ctx)
{
	return (unsigned)ctx < KEYS_COUNT ? contexts[ctx].typing : NULL;
}

unsigned
keymap_context_flags(enum key_context ctx)
{
	return (unsigned)ctx < KEYS_COUNT ? contexts[ctx].flags : 0;
}

const struct key_binding *
keymap_bindings(size_t *count)
{
	*count = BINDING_COUNT;
	return bindings;
}

int
keymap_bar_width(const struct key_binding *b)
{
	/* translated, a key's name or its word may not be ASCII */
	const char *key = keymap_key_label(b);
	const char *word = _(ui_request_word(b->request));
	return (int)(text_columns(key, strlen(key)) +
		     text_columns(word, strlen(word))) + 3;
}

static size_t
label_columns(const struct key_binding *b)
{
	const char *key = keymap_key_label(b);
	return text_columns(key, strlen(key));
}

static size_t
widest_key_name(void)
{
	size_t w = 0;
	for (size_t i = 0; i < BINDING_COUNT; i++)
		if (label_columns(&bindings[i]) > w)
			w = label_columns(&bindings[i]);
	return w;
}

int
keymap_help_indent(void)
{
	return 2 + (int)widest_key_name() + 2;
}

char *
keymap_help_line(const struct key_binding *b)
{
	/* padded by columns: a translated name may not be ASCII */
	return xasprintf("  %s%*s  %s", keymap_key_label(b),
			 (int)(widest_key_name() - label_columns(b)), "",
			 _(ui_request_name(b->request)));
}

static void
help_context(enum key_context ctx,
	     void (*emit)(void *arg, enum help_part part, const char *line),
	     void *arg)
{
	const struct context_info *c = &contexts[ctx];
	emit(arg, HELP_HEADING, _(c->title));
	if (c->typing || (c->flags & KC_EDITS)) {
		char *note = xasprintf("  %s%s%s", c->typing ? _(c->typing) : "",
				       c->typing && (c->flags & KC_EDITS) ? " " : "",
				       c->flags & KC_EDITS ? _(keymap_edits_note) : "");
		emit(arg, HELP_NOTE, note);
		free(note);
	}
	for (size_t i = 0; i < BINDING_COUNT; i++) {
		if (!keymap_applies(&bindings[i], ctx))
			continue;
		char *line = keymap_help_line(&bindings[i]);
		emit(arg, HELP_KEY, line);
		free(line);
	}
}

void
keymap_help(void (*emit)(void *arg, enum help_part part, const char *line),
	    void *arg)
{
	for (int ctx = 0; ctx < KEYS_COUNT; ctx++) {
		if (ctx)
			emit(arg, HELP_GAP, " ");
		help_context((enum key_context)ctx, emit, arg);
	}
}
