#ifndef DPSENROLL_UI_KEYMAP_H
#define DPSENROLL_UI_KEYMAP_H

/* Every key of the program maps to a request through one table, by the
 * context it is pressed in (the form, a field being typed into, a window).
 * The help view, the key bar and the key lists of the README and the
 * manual page are generated from it, so every key is listed. A request is
 * what the user wants (next field, submit, close the window), never a raw
 * key: the form and every window act on requests. */

#include <stdbool.h>
#include <stddef.h>

#include "base/i18n.h"

/* Flags of a context. */
enum {
	/* Printable characters are text there: no printable key is bound. */
	KC_TEXT = 1u << 0,
	/* The keys of KEYS_TYPING (editing text) apply after its own. */
	KC_EDITS = 1u << 1,
};

/* id, name (the docs' part "keys-<name>"), title in help and docs, what
 * typed characters do there (NULL: nothing), flags. The order is the
 * order of the help. */
#define KEY_CONTEXTS(_) \
	_(FORM, "form", N_("In the form"), \
	  N_("Other letters say how to edit the field."), 0) \
	_(EDIT, "edit", N_("Typing into a field of the form"), \
	  N_("Typed characters go into the field."), KC_TEXT | KC_EDITS) \
	_(TYPING, "typing", N_("Editing text: a field, the editor, a one-line " \
	  "question, the connection string"), NULL, KC_TEXT) \
	_(EDITOR, "editor", N_("In the editor (JSON, lists, certificates and keys)"), \
	  N_("Typed and pasted text goes in as it is."), KC_TEXT | KC_EDITS) \
	_(PROMPT, "prompt", N_("In a one-line question (an id to load, where to " \
	  "save keys)"), N_("Typed characters are the answer. Text it opens " \
	  "with (F5 offers the form's id) goes when a character is typed; an " \
	  "arrow key keeps it to edit."), KC_TEXT | KC_EDITS) \
	_(PICKER, "picker", N_("In a list of values (Enter on a field that has them)"), \
	  N_("A letter jumps to the next value that starts with it."), 0) \
	_(TEXT, "text", N_("In a window of text (this help, answers, details)"), \
	  N_("Keys that act on what a window shows work where it offers them."), 0) \
	_(QUESTION, "question", N_("In a yes/no question"), \
	  N_("Try again works where the question offers it."), 0) \
	_(DRAFTS, "drafts", N_("In the list of unfinished enrollments (at start)"), \
	  NULL, 0) \
	_(PROFILES, "profiles", N_("In the connection window (the list of " \
	  "profiles)"), NULL, 0) \
	_(PASTE, "paste", N_("Pasting a connection string"), \
	  N_("Typed or pasted characters go into the field, shown as dots."), \
	  KC_TEXT | KC_EDITS) \
	_(SMALL, "small", N_("When the terminal is too small"), NULL, 0) \
	_(FILES, "files", N_("In the file browser"), \
	  N_("Typing a name lists what starts with it; a path starting with / " \
	  "or ~ goes there."), KC_TEXT) \
	_(LIST, "list", N_("In the fleet list (every enrollment and its device)"), \
	  N_("The actions work on the marked rows, or on the row under the " \
	  "cursor when none is marked."), 0) \
	_(FILTER, "filter", N_("Typing a filter in the fleet list"), \
	  N_("Typed words narrow the list as they are typed: each must be in the " \
	  "registration id, device id, hub, status or attestation type."), \
	  KC_TEXT | KC_EDITS)

#define KEY_CONTEXT_ENUM(id, name, title, typing, flags) KEYS_##id,
enum key_context { KEY_CONTEXTS(KEY_CONTEXT_ENUM) KEYS_COUNT };
#undef KEY_CONTEXT_ENUM

/* A set of contexts. */
#define KEYS_IN(ctx) (1u << KEYS_##ctx)

/* id, contexts where it means something, word for the key bar, name
 * shown in help and docs. */
#define UI_REQUESTS(_) \
	_(NONE, 0, "", "") \
	_(NEXT_FIELD, KEYS_IN(FORM) | KEYS_IN(EDIT) | KEYS_IN(PASTE), N_("Next"), N_("Next field")) \
	_(PREV_FIELD, KEYS_IN(FORM) | KEYS_IN(EDIT) | KEYS_IN(PASTE), N_("Previous"), N_("Previous field")) \
	_(PAGE_DOWN, KEYS_IN(FORM) | KEYS_IN(EDIT), N_("Page"), N_("Page down")) \
	_(PAGE_UP, KEYS_IN(FORM) | KEYS_IN(EDIT), N_("Page"), N_("Page up")) \
	_(FIRST_FIELD, KEYS_IN(FORM), N_("First"), N_("First field")) \
	_(LAST_FIELD, KEYS_IN(FORM), N_("Last"), N_("Last field")) \
	_(EDIT, KEYS_IN(FORM), N_("Edit"), N_("Edit the field, open a picker, fold a section, or open a read-only value whole")) \
	_(CANCEL, KEYS_IN(FORM), N_("Back"), N_("Back out: cancel the running request")) \
	_(NEXT_CHOICE, KEYS_IN(FORM), N_("Next"), N_("Next value (lists and yes/no)")) \
	_(PREV_CHOICE, KEYS_IN(FORM), N_("Previous"), N_("Previous value (lists and yes/no)")) \
	_(CLEAR, KEYS_IN(FORM) | KEYS_IN(EDIT), N_("Clear"), N_("Clear the field")) \
	_(REVEAL, KEYS_IN(FORM) | KEYS_IN(EDIT), N_("Reveal"), N_("Show or hide a secret")) \
	_(FOLD, KEYS_IN(FORM), N_("Fold"), N_("Fold or unfold the section")) \
	_(LOAD, KEYS_IN(FORM) | KEYS_IN(EDIT), N_("Load"), N_("Load an enrollment by its registration id")) \
	_(SUBMIT, KEYS_IN(FORM) | KEYS_IN(EDIT), N_("Submit"), N_("Submit to DPS (create or update)")) \
	_(NEW, KEYS_IN(FORM) | KEYS_IN(EDIT), N_("New"), N_("Start a new enrollment")) \
	_(GENERATE, KEYS_IN(FORM), N_("Generate"), N_("Generate a symmetric key into the field")) \
	_(OPEN_FILE, KEYS_IN(FORM), N_("File"), N_("Read a certificate or key from a file")) \
	_(SAVE_KEYS, KEYS_IN(FORM) | KEYS_IN(TEXT), N_("Save keys"), N_("Write the symmetric keys to a file for the device")) \
	_(DETAILS, KEYS_IN(FORM), N_("Details"), N_("Show what a certificate or key says, or a read-only value whole")) \
	_(MESSAGES, KEYS_IN(FORM), N_("Messages"), N_("Show the recent status messages whole")) \
	_(UNLOCK, KEYS_IN(FORM), N_("Unlock"), N_("Station: unlock the template's field for this device")) \
	_(AS_TEMPLATE, KEYS_IN(FORM), N_("Template"), N_("Station: use this enrollment as the template of a batch")) \
	_(WATCH, KEYS_IN(FORM), N_("Watch"), N_("Watch the device register (power it on), then show its hub or its error")) \
	_(REGISTER, KEYS_IN(FORM), N_("Register"), N_("Register the device as it would itself: provisions it into its IoT hub (asks first)")) \
	_(CONNECT, KEYS_IN(FORM) | KEYS_IN(EDIT), N_("DPS"), N_("Connect to another DPS: a profile, or a pasted connection string")) \
	_(LIST, KEYS_IN(FORM), N_("List"), N_("Open the fleet list: every enrollment and its device's registration state")) \
	_(HELP, KEYS_IN(FORM) | KEYS_IN(EDIT) | KEYS_IN(LIST), N_("Help"), N_("Show this help")) \
	_(REDRAW, KEYS_IN(FORM) | KEYS_IN(EDIT) | KEYS_IN(LIST), N_("Redraw"), N_("Redraw the screen")) \
	_(SUSPEND, KEYS_IN(FORM) | KEYS_IN(EDIT) | KEYS_IN(LIST), N_("Suspend"), N_("Suspend dpsenroll and go back to the shell (fg brings it back as it was)")) \
	_(QUIT, KEYS_IN(FORM) | KEYS_IN(EDIT) | KEYS_IN(SMALL) | KEYS_IN(LIST), N_("Quit"), N_("Quit")) \
	_(STOP_EDIT, KEYS_IN(EDIT), N_("Done"), N_("Stop typing (the text stays in the field)")) \
	_(CURSOR_LEFT, KEYS_IN(TYPING), N_("Left"), N_("Move left a character")) \
	_(CURSOR_RIGHT, KEYS_IN(TYPING), N_("Right"), N_("Move right a character")) \
	_(LINE_START, KEYS_IN(TYPING), N_("Start"), N_("Go to the start of the line")) \
	_(LINE_END, KEYS_IN(TYPING), N_("End"), N_("Go to the end of the line")) \
	_(ERASE_BACK, KEYS_IN(TYPING), N_("Erase"), N_("Erase the character before the cursor")) \
	_(ERASE, KEYS_IN(TYPING), N_("Erase"), N_("Erase the character under the cursor")) \
	_(KILL_LINE, KEYS_IN(TYPING), N_("Clear"), N_("Clear the line")) \
	_(LINE_UP, KEYS_IN(EDITOR), N_("Up"), N_("Up a line")) \
	_(LINE_DOWN, KEYS_IN(EDITOR), N_("Down"), N_("Down a line")) \
	_(NEWLINE, KEYS_IN(EDITOR), N_("Line"), N_("Start a new line")) \
	_(INDENT, KEYS_IN(EDITOR), N_("Indent"), N_("Insert two spaces")) \
	_(EDITOR_DONE, KEYS_IN(EDITOR), N_("Done"), N_("Close the editor (the text stays; a pasted certificate or key is checked then)")) \
	_(ANSWER, KEYS_IN(PROMPT), N_("Go on"), N_("Go on with what was typed")) \
	_(CLOSE, KEYS_IN(PROMPT) | KEYS_IN(PICKER) | KEYS_IN(TEXT) | KEYS_IN(PROFILES) | KEYS_IN(FILES), N_("Close"), N_("Close the window (nothing changes)")) \
	_(LIST_DOWN, KEYS_IN(PICKER) | KEYS_IN(DRAFTS) | KEYS_IN(PROFILES) | KEYS_IN(LIST) | KEYS_IN(FILTER), N_("Down"), N_("Next in the list")) \
	_(LIST_UP, KEYS_IN(PICKER) | KEYS_IN(DRAFTS) | KEYS_IN(PROFILES) | KEYS_IN(LIST) | KEYS_IN(FILTER), N_("Up"), N_("Previous in the list")) \
	_(LIST_FIRST, KEYS_IN(PICKER) | KEYS_IN(LIST), N_("First"), N_("First in the list")) \
	_(LIST_LAST, KEYS_IN(PICKER) | KEYS_IN(LIST), N_("Last"), N_("Last in the list")) \
	_(LIST_PAGE_DOWN, KEYS_IN(LIST), N_("Page"), N_("A page down the list")) \
	_(LIST_PAGE_UP, KEYS_IN(LIST), N_("Page"), N_("A page up the list")) \
	_(PICK, KEYS_IN(PICKER), N_("Pick"), N_("Take the highlighted value")) \
	_(SCROLL_DOWN, KEYS_IN(TEXT) | KEYS_IN(QUESTION), N_("Down"), N_("Scroll down a line")) \
	_(SCROLL_UP, KEYS_IN(TEXT) | KEYS_IN(QUESTION), N_("Up"), N_("Scroll up a line")) \
	_(SCROLL_PAGE_DOWN, KEYS_IN(TEXT) | KEYS_IN(QUESTION), N_("Page"), N_("Scroll down a page")) \
	_(SCROLL_PAGE_UP, KEYS_IN(TEXT) | KEYS_IN(QUESTION), N_("Page"), N_("Scroll up a page")) \
	_(RAW, KEYS_IN(TEXT), N_("Raw"), N_("Show the service's raw answer, or go back from it")) \
	_(USE_CN, KEYS_IN(TEXT), N_("Use CN"), N_("Use the certificate's CN as the registration id (certificate details)")) \
	_(CONVERT, KEYS_IN(TEXT), N_("Convert"), N_("Convert the TPM key into the form DPS takes (TPM key details)")) \
	_(YES, KEYS_IN(QUESTION), N_("Yes"), N_("Yes")) \
	_(NO, KEYS_IN(QUESTION), N_("No"), N_("No")) \
	_(RETRY, KEYS_IN(QUESTION), N_("Retry"), N_("Try again (a key that could not be read)")) \
	_(RESTORE, KEYS_IN(DRAFTS), N_("Restore"), N_("Restore the highlighted enrollment")) \
	_(DELETE_DRAFT, KEYS_IN(DRAFTS), N_("Delete"), N_("Delete the highlighted draft (asks first)")) \
	_(START_EMPTY, KEYS_IN(DRAFTS), N_("Empty"), N_("Start with an empty form (the drafts are kept and offered next time)")) \
	_(CHOOSE_PROFILE, KEYS_IN(PROFILES), N_("Connect"), N_("Connect with the highlighted profile, or paste a connection string")) \
	_(CONNECT_PASTED, KEYS_IN(PASTE), N_("Connect"), N_("Connect with the pasted string (kept as a profile when named)")) \
	_(PASTE_BACK, KEYS_IN(PASTE), N_("Back"), N_("Back to the list of profiles")) \
	_(FILES_DOWN, KEYS_IN(FILES), N_("Down"), N_("Next name in the list")) \
	_(FILES_UP, KEYS_IN(FILES), N_("Up"), N_("Previous name in the list")) \
	_(FILES_PAGE_DOWN, KEYS_IN(FILES), N_("Page"), N_("A page down the list")) \
	_(FILES_PAGE_UP, KEYS_IN(FILES), N_("Page"), N_("A page up the list")) \
	_(FILES_CHOOSE, KEYS_IN(FILES), N_("Open"), N_("Open the folder or read the file (the typed path, else the highlighted name)")) \
	_(FILES_BACK, KEYS_IN(FILES), N_("Up"), N_("Erase a typed character; with nothing typed, go to the parent folder")) \
	_(FILES_COMPLETE, KEYS_IN(FILES), N_("Complete"), N_("Complete the typed name or path")) \
	_(FILES_CLEAR, KEYS_IN(FILES), N_("Clear"), N_("Clear what was typed")) \
	_(FILES_ALL, KEYS_IN(FILES), N_("All"), N_("Show every file, or only those the field takes")) \
	_(OPEN_ROW, KEYS_IN(LIST), N_("Open"), N_("Open the enrollment in the form, its keys and state loaded as F5 does (the list keeps its place)")) \
	_(BACK_TO_FORM, KEYS_IN(LIST), N_("Form"), N_("Back to the form (the list keeps its rows, filter and place)")) \
	_(FILTER, KEYS_IN(LIST), N_("Filter"), N_("Type a filter (registration id, device id, hub, status, attestation)")) \
	_(SORT, KEYS_IN(LIST), N_("Sort"), N_("Sort by the next column")) \
	_(SORT_REVERSE, KEYS_IN(LIST), N_("Reverse"), N_("Reverse the order")) \
	_(JUMP, KEYS_IN(LIST), N_("Jump"), N_("Jump to a registration id")) \
	_(MARK, KEYS_IN(LIST), N_("Mark"), N_("Mark or unmark the row, then go to the next")) \
	_(MARK_ALL, KEYS_IN(LIST), N_("Mark all"), N_("Mark every row the filter shows")) \
	_(UNMARK_ALL, KEYS_IN(LIST), N_("Unmark"), N_("Unmark every row")) \
	_(ENABLE, KEYS_IN(LIST), N_("Enable"), N_("Enable the enrollments (asks first; one changed on the service is reported, not overwritten)")) \
	_(DISABLE, KEYS_IN(LIST), N_("Disable"), N_("Disable the enrollments (asks first; one changed on the service is reported, not overwritten)")) \
	_(DELETE_STATE, KEYS_IN(LIST), N_("Unregister"), N_("Delete the devices' registration states (asks first)")) \
	_(DELETE_ENROLLMENT, KEYS_IN(LIST), N_("Delete"), N_("Delete the enrollments (asks first; more than 10 take the count typed)")) \
	_(REFRESH_STATES, KEYS_IN(LIST), N_("States"), N_("Read the registration states again: the marked rows, else the rows on screen")) \
	_(RELOAD, KEYS_IN(LIST), N_("Reload"), N_("Read the list again from the service")) \
	_(STOP_ACTION, KEYS_IN(LIST), N_("Stop"), N_("Stop the running action: what is done stays done, the rest is left as it is")) \
	_(ROW_DETAILS, KEYS_IN(LIST), N_("Details"), N_("Show the row whole, with a failed registration's error")) \
	_(FILTER_DONE, KEYS_IN(FILTER), N_("Done"), N_("Keep the filter and go back to the rows")) \
	_(FILTER_CLEAR, KEYS_IN(FILTER), N_("Clear"), N_("Clear the filter and go back to the rows"))

#define UI_REQUEST_ENUM(id, contexts, word, name) REQ_##id,
enum ui_request { UI_REQUESTS(UI_REQUEST_ENUM) REQ_COUNT };
#undef UI_REQUEST_ENUM

struct key_binding {
	unsigned contexts;	/* where it applies: KEYS_IN(FORM) | ... */
	int key;		/* a curses key code or a character */
	const char *key_name;	/* "F2", "Ctrl-S", "q" */
	enum ui_request request;
	bool in_bar;		/* shown in the form's bottom bar */
};

/* The request for `key` in `ctx`, then in KEYS_TYPING when ctx edits
 * text; REQ_NONE when unbound. `is_char`: the key is a character (curses
 * key codes and characters beyond ASCII share numbers; such characters
 * are always text). DEL and ^H are Backspace, as terminals send them. */
enum ui_request keymap_lookup(enum key_context ctx, int key, bool is_char);
/* A printable character: text where a context takes it. */
bool keymap_is_text(int key, bool is_char);
bool keymap_applies(const struct key_binding *b, enum key_context ctx);

const char *ui_request_name(enum ui_request r);
/* One word for the key bar. */
const char *ui_request_word(enum ui_request r);
/* The contexts where `r` means something. */
unsigned ui_request_contexts(enum ui_request r);
/* The name of the first key bound to `r` ("F12"), or "" when none is,
 * as a person reads it (translated). */
const char *keymap_key_name(enum ui_request r);
/* A binding's key as a person reads it: "Entrée" for "Enter" in French.
 * The table's key_name stays English, for the documentation. */
const char *keymap_key_label(const struct key_binding *b);

const char *keymap_context_name(enum key_context ctx);
const char *keymap_context_title(enum key_context ctx);
/* What typed characters do in `ctx`, or NULL. */
const char *keymap_context_typing(enum key_context ctx);
unsigned keymap_context_flags(enum key_context ctx);
/* The sentence a context that edits text adds to its help. */
extern const char keymap_edits_note[];

/* The table, for the help view, the bottom bar and the docs. */
const struct key_binding *keymap_bindings(size_t *count);
/* Columns a binding takes in the bottom bar: " F2 Submit ". */
int keymap_bar_width(const struct key_binding *b);

/* A binding's line in the help view: its key padded to the widest key
 * name ("Keypad Enter"), so every description starts in one column. The
 * caller frees. */
char *keymap_help_line(const struct key_binding *b);
/* The column where keymap_help_line's descriptions start. */
int keymap_help_indent(void);

enum help_part {
	HELP_HEADING,	/* a context's title */
	HELP_NOTE,	/* what typing does there */
	HELP_KEY,	/* a key and what it does */
	HELP_GAP,	/* between contexts */
};

/* The help, every context in its own section, one line at a time. */
void keymap_help(void (*emit)(void *arg, enum help_part part,
			      const char *line),
		 void *arg);

#endif
