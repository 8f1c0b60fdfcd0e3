#ifndef DPSENROLL_UI_MODAL_H
#define DPSENROLL_UI_MODAL_H

/* Windows over the form (a picker, an editor, the response, help, a
 * question). One is open at a time; it gets every key until it closes,
 * as a request of its context (ui/keymap.h), or as text. */

#include <stdbool.h>
#include <stddef.h>

#include "app/filepick.h"
#include "ui/curses.h"
#include "ui/keymap.h"

struct app;
struct modal;

enum modal_result {
	MODAL_STAY,
	MODAL_CLOSE,
};

struct modal_ops {
	/* Where its keys are looked up; it may change with its state. */
	enum key_context (*context)(const struct modal *m);
	void (*draw)(struct modal *m, const struct app *a);
	/* What a key meant in its context (never REQ_NONE). */
	enum modal_result (*request)(struct modal *m, struct app *a,
				     enum ui_request r);
	/* A printable character (UTF-8) that its context does not bind:
	 * text where it takes text; NULL when it takes none. */
	enum modal_result (*text)(struct modal *m, struct app *a,
				  const char *utf8);
	/* A mouse click at screen row, col. */
	enum modal_result (*click)(struct modal *m, struct app *a, int row,
				   int col);
	void (*free)(struct modal *m);
};

struct modal {
	const struct modal_ops *ops;
	int top, left, height, width;	/* where it was last drawn */
};

/* Hands a key to the open modal as a request or as text, and closes it
 * when it says so. */
void modal_key(struct app *a, int key, bool is_char, const char *utf8);
/* Whose keys the key bar names: the open window's, else `under`'s (the
 * screen's own context). */
enum key_context modal_bar_context(const struct app *a, enum key_context under);

/* The box every modal draws first: a frame with a title, centred, of at
 * most `height` x `width`; fills m's geometry. */
void modal_frame(struct modal *m, const char *title, int height, int width);

/* Pickers and editors (modal_picker.c, modal_editor.c). */
/* Enum picker for form field `field`. */
struct modal *picker_new(struct app *a, size_t field);
/* Multi-line editor for a JSON object or a string list field; the text
 * goes to the field as it is typed. */
struct modal *editor_new(struct app *a, size_t field);
/* One-line question for a registration id to load. */
struct modal *prompt_load_new(struct app *a, const char *initial);
/* A one-line question; Enter calls on_enter with the text (after the
 * window is closed). */
struct modal *prompt_new(struct app *a, const char *title, const char *label,
			 const char *initial,
			 void (*on_enter)(struct app *a, const char *text));
/* A file browser (modal_files.c) for files of `kind`, starting in the
 * folder it was last in (else the working folder); choosing a file calls
 * `chosen` with its absolute path (after the window is closed). */
struct modal *files_new(struct app *a, enum file_kind kind,
			void (*chosen)(struct app *a, const char *path));

/* Text viewers (modal_text.c): owned lines of text with roles. */
struct text_view;
struct text_view *text_view_new(const char *title);
void text_view_add(struct text_view *v, int role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A request of its context (REQ_USE_CN, REQ_RETRY...) that closes the
 * view and calls `fn`. */
void text_view_action(struct text_view *v, enum ui_request r,
		      void (*fn)(struct app *a));
/* The rows a wrapped last-added line continues on start `cols` columns
 * in (the help's descriptions, under their first row). */
void text_view_indent(struct text_view *v, int cols);
/* Words added to the end of the first line while the lines do not all
 * fit in the window ("(PgDn shows more)"). */
void text_view_more_hint(struct text_view *v, const char *hint);
/* Raw text (the response body) that REQ_RAW shows instead of the lines. */
void text_view_set_raw(struct text_view *v, const char *raw);
/* A modal showing the view; `on_yes`, when set, makes it a yes/no
 * question (KEYS_QUESTION): REQ_YES calls it, REQ_NO closes. */
struct modal *text_view_modal(struct text_view *v,
			      void (*on_yes)(struct app *a));


/* The drafts of closed or crashed windows, offered at start to restore
 * or delete (modal_drafts.c); takes the list. */
struct draft_summary;
struct modal *drafts_offer_new(struct draft_summary *list, size_t count);

/* The window that switches the DPS (modal_conn.c): the config's
 * profiles and a masked paste of a connection string. Takes the list and
 * `problem` (why the profiles could not be read, or NULL). */
struct profile_info;
struct modal *connection_new(struct profile_info *list, size_t count,
			     char *problem);

#endif
