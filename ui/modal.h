#ifndef DPSENROLL_UI_MODAL_H
#define DPSENROLL_UI_MODAL_H

/* Windows over the form (a picker, an editor, the response, help, a
 * question). One is open at a time; it gets every key until it closes. */

#include <stdbool.h>
#include <stddef.h>

#include "app/filepick.h"
#include "ui/curses.h"

struct app;
struct modal;

enum modal_result {
	MODAL_STAY,
	MODAL_CLOSE,
};

struct modal_ops {
	void (*draw)(struct modal *m, const struct app *a);
	/* `key` is a curses key code, or a character when is_char. */
	enum modal_result (*key)(struct modal *m, struct app *a, int key,
				 bool is_char, const char *utf8);
	/* A mouse click at screen row, col. */
	enum modal_result (*click)(struct modal *m, struct app *a, int row,
				   int col);
	void (*free)(struct modal *m);
};

struct modal {
	const struct modal_ops *ops;
	int top, left, height, width;	/* where it was last drawn */
};

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
/* An extra key (a character) that closes the view and calls `fn`. */
void text_view_action(struct text_view *v, int key, void (*fn)(struct app *a));
/* Words added to the end of the first line while the lines do not all
 * fit in the window ("(PgDn shows more)"). */
void text_view_more_hint(struct text_view *v, const char *hint);
/* Raw text (the response body) that 'r' shows instead of the lines. */
void text_view_set_raw(struct text_view *v, const char *raw);
/* A modal showing the view; `on_yes`, when set, makes it a yes/no
 * question: 'y' calls it, 'n' or Esc closes. */
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
