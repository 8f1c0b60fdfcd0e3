#include "base/textpos.h"

#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"

/* Longest form one character takes in an excerpt: "U+10FFFF". */
#define EXCERPT_CHAR_MAX 8

struct text_char
text_char_decode(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct text_char bad = { .cp = p[0], .len = 1, .valid = false };
	size_t len;
	unsigned long cp, min;

	if (p[0] < 0x80)
		return (struct text_char){ .cp = p[0], .len = 1, .valid = true };
	if ((p[0] & 0xE0) == 0xC0) {
		len = 2;
		cp = p[0] & 0x1F;
		min = 0x80;
	} else if ((p[0] & 0xF0) == 0xE0) {
		len = 3;
		cp = p[0] & 0x0F;
		min = 0x800;
	} else if ((p[0] & 0xF8) == 0xF0) {
		len = 4;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else {
		return bad;
	}
	/* A NUL fails the continuation test, so a sequence cut short by the
	 * end of the text never reads past it. */
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return bad;
		cp = cp << 6 | (p[i] & 0x3F);
	}
	/* Overlong forms and surrogates are how broken or hostile encoders
	 * sneak in characters that a byte-level check would not see. */
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return bad;
	return (struct text_char){ .cp = cp, .len = len, .valid = true };
}

size_t
text_char_count_n(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n && s[i]; i += text_char_decode(s + i).len)
		count++;
	return count;
}

size_t
text_char_count(const char *s)
{
	return text_char_count_n(s, strlen(s));
}

size_t
text_char_pos(const char *s, size_t offset)
{
	return text_char_count_n(s, offset) + 1;
}

bool
text_cp_is_control(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

bool
text_cp_is_invisible(unsigned long cp)
{
	static const struct {
		unsigned long lo, hi;
	} ranges[] = {
		{ 0x00A0, 0x00A0 },	/* no-break space */
		{ 0x00AD, 0x00AD },	/* soft hyphen */
		{ 0x034F, 0x034F },
		{ 0x061C, 0x061C },
		{ 0x115F, 0x1160 },
		{ 0x180E, 0x180E },
		{ 0x2000, 0x200F },	/* sized spaces, zero-width, marks */
		{ 0x2028, 0x202F },
		{ 0x205F, 0x206F },
		{ 0x3000, 0x3000 },
		{ 0x3164, 0x3164 },
		{ 0xFE00, 0xFE0F },	/* variation selectors */
		{ 0xFEFF, 0xFEFF },	/* byte order mark */
		{ 0xFFA0, 0xFFA0 },
		{ 0xFFF0, 0xFFFB },
		{ 0x1BCA0, 0x1BCA3 },
		{ 0xE0000, 0xE0FFF },	/* tag characters */
	};
	if (text_cp_is_control(cp))
		return true;
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (cp >= ranges[i].lo && cp <= ranges[i].hi)
			return true;
	return false;
}

const char *
text_char_show(const char *s, size_t offset, char buf[TEXT_CHAR_SHOWN])
{
	struct text_char c = text_char_decode(s + offset);
	if (!c.valid)
		snprintf(buf, TEXT_CHAR_SHOWN, _("byte 0x%02lX (not UTF-8)"), c.cp);
	else if (c.cp == ' ')
		snprintf(buf, TEXT_CHAR_SHOWN, "%s", _("' ' (a space)"));
	else if (text_cp_is_invisible(c.cp))
		snprintf(buf, TEXT_CHAR_SHOWN, "U+%04lX", c.cp);
	else
		snprintf(buf, TEXT_CHAR_SHOWN, "'%.*s'", (int)c.len, s + offset);
	return buf;
}

char *
text_excerpt(const char *s, size_t max_chars)
{
	size_t bytes = strlen(s);
	size_t room = (bytes < max_chars ? bytes : max_chars);
	char *out = xmalloc(room * EXCERPT_CHAR_MAX + sizeof("..."));
	size_t n = 0, i = 0, chars = 0;

	while (s[i] && chars < max_chars) {
		struct text_char c = text_char_decode(s + i);
		if (!c.valid)
			n += (size_t)sprintf(out + n, "\\x%02lX", c.cp);
		else if (c.cp != ' ' && text_cp_is_invisible(c.cp))
			n += (size_t)sprintf(out + n, "U+%04lX", c.cp);
		else {
			memcpy(out + n, s + i, c.len);
			n += c.len;
		}
		i += c.len;
		chars++;
	}
	if (s[i]) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
	return out;
}
