#ifndef DPSENROLL_UI_TEXTCLIP_H
#define DPSENROLL_UI_TEXTCLIP_H

/* Cutting text to a number of terminal columns, and saying so: whatever
 * is cut ends in an ellipsis, so a reader knows there is more. No curses
 * here (draw_clipped in draw.c puts the result on screen); widths are
 * text_columns', so wide characters take two columns and a character is
 * never split. */

#include <stdbool.h>
#include <stddef.h>

struct text_clip {
	size_t bytes;	/* how much of the text to show */
	int cols;	/* the columns those bytes take */
	bool cut;	/* not all of it: an ellipsis follows */
};

/* The part of `s` that fits in `cols` columns. When the whole text does
 * not fit, the part leaves `mark_cols` columns free for the ellipsis. */
struct text_clip text_clip(const char *s, int cols, int mark_cols);

/* The ellipsis for the locale: "…" where UTF-8 can be shown, else ">".
 * Either takes one column. */
const char *text_ellipsis(void);

/* `s` cut to `cols` columns with the ellipsis when cut; owned. */
char *text_clipped(const char *s, int cols);

/* `s` followed by spaces up to `cols` columns (as it is when it is wider);
 * owned. printf's "%-22s" counts bytes, and a translated label with
 * accents would come out short. */
char *text_padded(const char *s, int cols);

/* Where a line of `len` bytes breaks to fit `cols` columns: after the last
 * space that fits, else at the width (never inside a character), and at
 * least one character. */
size_t text_wrap_point(const char *s, size_t len, int cols);

#endif
