#ifndef DPSENROLL_UI_KEYMAP_H
#define DPSENROLL_UI_KEYMAP_H

/* Keys map to requests through one table; the help view and the bottom
 * bar are generated from it, so every key is listed. A request is what
 * the user wants (next field, submit), never a raw key. */

#include <stdbool.h>
#include <stddef.h>

/* id, word for the key bar, name shown in help */
#define UI_REQUESTS(_) \
	_(NONE, "", "") \
	_(NEXT_FIELD, "Next", "Next field") \
	_(PREV_FIELD, "Previous", "Previous field") \
	_(PAGE_DOWN, "Page", "Page down") \
	_(PAGE_UP, "Page", "Page up") \
	_(FIRST_FIELD, "First", "First field") \
	_(LAST_FIELD, "Last", "Last field") \
	_(EDIT, "Edit", "Edit the field, open a picker, fold a section, or open a read-only value whole") \
	_(CANCEL, "Back", "Back out (stop editing, close a window, cancel a request)") \
	_(NEXT_CHOICE, "Next", "Next value (lists and yes/no)") \
	_(PREV_CHOICE, "Previous", "Previous value (lists and yes/no)") \
	_(CLEAR, "Clear", "Clear the field") \
	_(REVEAL, "Reveal", "Show or hide a secret") \
	_(FOLD, "Fold", "Fold or unfold the section") \
	_(LOAD, "Load", "Load an enrollment by its registration id") \
	_(SUBMIT, "Submit", "Submit to DPS (create or update)") \
	_(NEW, "New", "Start a new enrollment") \
	_(GENERATE, "Generate", "Generate a symmetric key into the field") \
	_(OPEN_FILE, "File", "Read a certificate or key from a file") \
	_(SAVE_KEYS, "Save keys", "Write the symmetric keys to a file for the device") \
	_(DETAILS, "Details", "Show what a certificate or key says, or a read-only value whole") \
	_(MESSAGES, "Messages", "Show the recent status messages whole") \
	_(CONNECT, "DPS", "Connect to another DPS: a profile, or a pasted connection string") \
	_(HELP, "Help", "Show this help") \
	_(REDRAW, "Redraw", "Redraw the screen") \
	_(QUIT, "Quit", "Quit") \
	_(FILES_DOWN, "Down", "Next name in the list") \
	_(FILES_UP, "Up", "Previous name in the list") \
	_(FILES_PAGE_DOWN, "Page", "A page down the list") \
	_(FILES_PAGE_UP, "Page", "A page up the list") \
	_(FILES_CHOOSE, "Open", "Open the folder or read the file (the typed path, else the highlighted name)") \
	_(FILES_BACK, "Up", "Erase a typed character; with nothing typed, go to the parent folder") \
	_(FILES_COMPLETE, "Complete", "Complete the typed name or path") \
	_(FILES_CLEAR, "Clear", "Clear what was typed") \
	_(FILES_ALL, "All", "Show every file, or only those the field takes")

#define UI_REQUEST_ENUM(id, word, name) REQ_##id,
enum ui_request { UI_REQUESTS(UI_REQUEST_ENUM) REQ_COUNT };
#undef UI_REQUEST_ENUM

/* Where the keys apply. In KEYS_FORM printable keys are commands; in
 * KEYS_EDIT and KEYS_FILES they are text, and only keys that are not text
 * are bound. */
enum key_context {
	KEYS_FORM,	/* moving between fields */
	KEYS_EDIT,	/* typing into a field */
	KEYS_ANY,	/* both */
	KEYS_FILES,	/* the file browser: printable keys type a name or
			 * a path there, and KEYS_ANY does not apply */
};

struct key_binding {
	enum key_context context;
	int key;		/* a curses key code or a character */
	const char *key_name;	/* "F2", "Ctrl-S", "q" */
	enum ui_request request;
	bool in_bar;		/* shown in the bottom bar */
};

/* The request for `key` in `ctx` (REQ_NONE when unbound). */
enum ui_request keymap_lookup(enum key_context ctx, int key);
const char *ui_request_name(enum ui_request r);
/* One word for the key bar. */
const char *ui_request_word(enum ui_request r);
/* The name of the first key bound to `r` ("F12"), or "" when none is. */
const char *keymap_key_name(enum ui_request r);
/* The table, for the help view and the bottom bar. */
const struct key_binding *keymap_bindings(size_t *count);
/* A binding's line in the help view: its key padded to the widest key
 * name ("Keypad Enter"), so every description starts in one column. The
 * caller frees. */
char *keymap_help_line(const struct key_binding *b);

#endif
