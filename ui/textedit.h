#ifndef DPSENROLL_UI_TEXTEDIT_H
#define DPSENROLL_UI_TEXTEDIT_H

/* An editable UTF-8 text with a cursor, for one-line fields and the
 * multi-line JSON editor. The cursor is a byte offset that always sits on
 * a character boundary; moves and deletes go by whole characters. No
 * curses here: drawing asks for display columns. */

#include <stdbool.h>
#include <stddef.h>

#include "ui/keymap.h"

struct textedit {
	char *buf;		/* owned, NUL-terminated */
	size_t len;
	size_t cap;
	size_t cursor;		/* byte offset */
	bool secret;		/* wipe on free and on replace */
};

void textedit_init(struct textedit *t, const char *text, bool secret);
void textedit_free(struct textedit *t);
void textedit_set(struct textedit *t, const char *text);

/* Inserts UTF-8 bytes (one character or a pasted run) at the cursor. */
void textedit_insert(struct textedit *t, const char *utf8, size_t n);
void textedit_backspace(struct textedit *t);
void textedit_delete(struct textedit *t);
void textedit_left(struct textedit *t);
void textedit_right(struct textedit *t);
void textedit_home(struct textedit *t);	/* start of the current line */
void textedit_end(struct textedit *t);	/* end of the current line */
/* Line moves for multi-line text, keeping the display column. */
void textedit_up(struct textedit *t);
void textedit_down(struct textedit *t);
void textedit_kill_line(struct textedit *t);	/* Ctrl-U: clear the line */

/* What a request did to the text. */
enum textedit_effect {
	TEXTEDIT_NOT_MINE,	/* not an editing request */
	TEXTEDIT_MOVED,		/* the cursor moved */
	TEXTEDIT_CHANGED,	/* the text changed */
};
/* Carries out a request for editing text (the keys of KEYS_TYPING, and
 * REQ_LINE_UP, REQ_LINE_DOWN). */
enum textedit_effect textedit_request(struct textedit *t, enum ui_request r);

/* Display width (terminal columns) of `n` bytes of UTF-8; invalid bytes
 * count one column each. */
size_t text_columns(const char *s, size_t n);
/* 1-based line and display column of the cursor. */
void textedit_position(const struct textedit *t, int *line, int *col);

#endif
