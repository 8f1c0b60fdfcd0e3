#include "ui/textedit.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/secret.h"
#include "base/textpos.h"
#include "base/xalloc.h"

/* Character boundaries come from our own UTF-8 decoder, so moves do not
 * depend on the locale; only the display width asks the C library. */

/* Bytes of the character at `pos`, never reaching past `end`; a byte that
 * does not start a whole UTF-8 character is one character of its own. */
static size_t
char_len(const char *s, size_t pos, size_t end)
{
	char tmp[5] = { 0 };
	size_t avail = end - pos < 4 ? end - pos : 4;
	memcpy(tmp, s + pos, avail);
	if (!tmp[0])
		return 1;
	return text_char_decode(tmp).len;
}

/* The start of the character that ends at `pos`: the longest whole UTF-8
 * character ending there, else the single byte before. A whole character
 * starts with a lead byte, which no other character covers, so this agrees
 * with reading forward from the start. */
static size_t
prev_boundary(const char *s, size_t pos)
{
	for (size_t k = 4; k >= 2; k--)
		if (pos >= k && char_len(s, pos - k, pos) == k)
			return pos - k;
	return pos ? pos - 1 : 0;
}

static size_t
char_columns(const char *s, size_t len)
{
	/* Printable ASCII, most of every frame, is one cell in any locale:
	 * asking the locale costs a conversion a character. */
	if (len == 1 && s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	struct text_char c;
	char tmp[5] = { 0 };
	memcpy(tmp, s, len);
	c = text_char_decode(tmp);
	if (!c.valid || c.len != len)
		return 1;
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	wchar_t wc;
	size_t r = mbrtowc(&wc, s, len, &st);
	if (r == (size_t)-1 || r == (size_t)-2)
		return 1;	/* a locale that cannot hold it: one cell */
	int w = wcwidth(wc);
	return w < 0 ? 1 : (size_t)w;
}

size_t
text_columns(const char *s, size_t n)
{
	size_t cols = 0;
	for (size_t i = 0; i < n;) {
		size_t len = char_len(s, i, n);
		cols += char_columns(s + i, len);
		i += len;
	}
	return cols;
}

static void
reserve(struct textedit *t, size_t need)
{
	if (need + 1 <= t->cap)
		return;
	size_t cap = t->cap ? t->cap : 32;
	while (cap < need + 1)
		cap *= 2;
	char *buf = xmalloc(cap);
	if (t->buf)
		memcpy(buf, t->buf, t->len + 1);
	else
		buf[0] = '\0';
	/* realloc could leave a copy of a secret behind in freed memory. */
	if (t->secret)
		secret_free(t->buf, t->cap);
	else
		free(t->buf);
	t->buf = buf;
	t->cap = cap;
}

void
textedit_init(struct textedit *t, const char *text, bool secret)
{
	memset(t, 0, sizeof(*t));
	t->secret = secret;
	textedit_set(t, text);
}

void
textedit_free(struct textedit *t)
{
	if (t->secret)
		secret_free(t->buf, t->cap);
	else
		free(t->buf);
	memset(t, 0, sizeof(*t));
}

void
textedit_set(struct textedit *t, const char *text)
{
	if (!text)
		text = "";
	if (t->buf && t->secret)
		memset(t->buf, 0, t->len);	/* replaced: wipe first */
	t->len = 0;
	if (t->buf)
		t->buf[0] = '\0';
	reserve(t, strlen(text));
	t->len = strlen(text);
	memcpy(t->buf, text, t->len + 1);
	t->cursor = t->len;
}

void
textedit_insert(struct textedit *t, const char *utf8, size_t n)
{
	/* A NUL would end the text early; pasted runs may carry one. */
	size_t keep = 0;
	for (size_t i = 0; i < n; i++)
		keep += utf8[i] != '\0';
	reserve(t, t->len + keep);
	memmove(t->buf + t->cursor + keep, t->buf + t->cursor,
		t->len - t->cursor + 1);
	for (size_t i = 0; i < n; i++)
		if (utf8[i] != '\0')
			t->buf[t->cursor++] = utf8[i];
	t->len += keep;
}

static void
erase(struct textedit *t, size_t from, size_t to)
{
	size_t gone = to - from;
	memmove(t->buf + from, t->buf + to, t->len - to + 1);
	t->len -= gone;
	if (t->secret)
		memset(t->buf + t->len + 1, 0, gone);
	t->cursor = from;
}

void
textedit_backspace(struct textedit *t)
{
	if (t->cursor > 0)
		erase(t, prev_boundary(t->buf, t->cursor), t->cursor);
}

void
textedit_delete(struct textedit *t)
{
	if (t->cursor < t->len)
		erase(t, t->cursor, t->cursor + char_len(t->buf, t->cursor, t->len));
}

void
textedit_left(struct textedit *t)
{
	t->cursor = prev_boundary(t->buf, t->cursor);
}

void
textedit_right(struct textedit *t)
{
	if (t->cursor < t->len)
		t->cursor += char_len(t->buf, t->cursor, t->len);
}

static size_t
line_start(const struct textedit *t, size_t pos)
{
	while (pos > 0 && t->buf[pos - 1] != '\n')
		pos--;
	return pos;
}

static size_t
line_end(const struct textedit *t, size_t pos)
{
	while (pos < t->len && t->buf[pos] != '\n')
		pos++;
	return pos;
}

void
textedit_home(struct textedit *t)
{
	t->cursor = line_start(t, t->cursor);
}

void
textedit_end(struct textedit *t)
{
	t->cursor = line_end(t, t->cursor);
}

/* The last boundary of the line at `start` whose column is at most `col`:
 * a wide character that would straddle the column stays to the right. */
static size_t
at_column(const struct textedit *t, size_t start, size_t col)
{
	size_t end = line_end(t, start);
	size_t pos = start, used = 0;
	while (pos < end) {
		size_t len = char_len(t->buf, pos, end);
		size_t w = char_columns(t->buf + pos, len);
		if (used + w > col)
			break;
		used += w;
		pos += len;
	}
	return pos;
}

static size_t
cursor_column(const struct textedit *t)
{
	size_t start = line_start(t, t->cursor);
	return text_columns(t->buf + start, t->cursor - start);
}

void
textedit_up(struct textedit *t)
{
	size_t start = line_start(t, t->cursor);
	if (start == 0)
		return;
	size_t col = cursor_column(t);
	t->cursor = at_column(t, line_start(t, start - 1), col);
}

void
textedit_down(struct textedit *t)
{
	size_t end = line_end(t, t->cursor);
	if (end == t->len)
		return;
	size_t col = cursor_column(t);
	t->cursor = at_column(t, end + 1, col);
}

void
textedit_kill_line(struct textedit *t)
{
	size_t start = line_start(t, t->cursor);
	erase(t, start, line_end(t, t->cursor));
}

void
textedit_position(const struct textedit *t, int *line, int *col)
{
	int l = 1;
	for (size_t i = 0; i < t->cursor; i++)
		l += t->buf[i] == '\n';
	*line = l;
	*col = (int)cursor_column(t) + 1;
}

static enum textedit_effect
move_request(struct textedit *t, enum ui_request r)
{
	switch (r) {
	case REQ_CURSOR_LEFT: textedit_left(t); break;
	case REQ_CURSOR_RIGHT: textedit_right(t); break;
	case REQ_LINE_START: textedit_home(t); break;
	case REQ_LINE_END: textedit_end(t); break;
	case REQ_LINE_UP: textedit_up(t); break;
	case REQ_LINE_DOWN: textedit_down(t); break;
	default: return TEXTEDIT_NOT_MINE;
	}
	return TEXTEDIT_MOVED;
}

enum textedit_effect
textedit_request(struct textedit *t, enum ui_request r)
{
	switch (r) {
	case REQ_ERASE_BACK: textedit_backspace(t); break;
	case REQ_ERASE: textedit_delete(t); break;
	case REQ_KILL_LINE: textedit_kill_line(t); break;
	default: return move_request(t, r);
	}
	return TEXTEDIT_CHANGED;
}
