#include "ui/textclip.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/textpos.h"
#include "base/xalloc.h"
#include "ui/textedit.h"

struct text_clip
text_clip(const char *s, int cols, int mark_cols)
{
	struct text_clip keep = { 0, 0, true };
	size_t len = strlen(s), i = 0;
	int used = 0;
	while (i < len) {
		/* printable ASCII, most of every frame: one byte, one cell */
		bool ascii = (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f;
		size_t n = ascii ? 1 : text_char_decode(s + i).len;
		int w = ascii ? 1 : (int)text_columns(s + i, n);
		if (used + w > cols)
			return keep;
		used += w;
		i += n;
		if (used <= cols - mark_cols) {
			keep.bytes = i;
			keep.cols = used;
		}
	}
	return (struct text_clip){ len, used, false };
}

const char *
text_ellipsis(void)
{
	return MB_CUR_MAX > 1 ? "\u2026" : ">";
}

char *
text_clipped(const char *s, int cols)
{
	struct text_clip c = text_clip(s, cols, 1);
	if (!c.cut)
		return xstrdup(s);
	return xasprintf("%.*s%s", (int)c.bytes, s, cols >= 1 ? text_ellipsis() : "");
}

char *
text_padded(const char *s, int cols)
{
	int w = (int)text_columns(s, strlen(s));
	return xasprintf("%s%*s", s, w < cols ? cols - w : 0, "");
}

size_t
text_wrap_point(const char *s, size_t len, int cols)
{
	/* One pass, the width summed as it goes: measuring every prefix
	 * from the start made wrapping a long message quadratic, and the
	 * form wraps messages on every frame. */
	size_t fit = 0, last_space = 0, width = 0;
	while (fit < len) {
		size_t n = text_char_decode(s + fit).len;
		n = n ? n : 1;
		if (fit + n > len)
			break;
		size_t w = text_columns(s + fit, n);
		if (width + w > (size_t)(cols < 0 ? 0 : cols))
			break;
		width += w;
		fit += n;
		if (s[fit - 1] == ' ')
			last_space = fit;
	}
	if (fit == len)
		return len;
	if (last_space)
		return last_space;
	if (fit)
		return fit;
	size_t first = text_char_decode(s).len;
	return first && first < len ? first : len;
}
