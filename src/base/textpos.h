#ifndef DPSENROLL_BASE_TEXTPOS_H
#define DPSENROLL_BASE_TEXTPOS_H

/* Pointing at characters in UTF-8 text the way a person counts them, for
 * messages: positions are 1-based and count one per code point, so "é" or
 * an emoji is one character however many bytes it takes. A byte that is not
 * part of well-formed UTF-8 counts as one character of its own, so
 * positions stay meaningful in broken input. */

#include <stdbool.h>
#include <stddef.h>

/* Room for what text_char_show writes, terminator included. */
#define TEXT_CHAR_SHOWN 32

struct text_char {
	unsigned long cp;	/* code point; the byte's value when !valid */
	size_t len;		/* bytes it takes, 1 to 4 */
	bool valid;		/* false for a byte that is not UTF-8 */
};

/* Decodes the character starting at `s` (which must not be the NUL). */
struct text_char text_char_decode(const char *s);

/* Characters in the first `n` bytes of `s` (stops early at a NUL). */
size_t text_char_count_n(const char *s, size_t n);
size_t text_char_count(const char *s);

/* 1-based position of the character that starts at byte `offset`. */
size_t text_char_pos(const char *s, size_t offset);

/* The character at byte `offset` of `s` as a message shows it: 'x' for
 * printable characters (ASCII or not), U+XXXX for control and invisible
 * characters, "byte 0xNN (not UTF-8)" for broken input. Returns `buf`. */
const char *text_char_show(const char *s, size_t offset,
			   char buf[TEXT_CHAR_SHOWN]);

/* True for the characters a message cannot show as themselves: C0 and C1
 * controls, DEL, and spaces or marks that look like nothing on screen. */
bool text_cp_is_invisible(unsigned long cp);
/* C0 and C1 control characters and DEL. */
bool text_cp_is_control(unsigned long cp);

/* Safe to put in a message: at most `max_chars` characters of `s`, with
 * control and invisible characters as U+XXXX, broken bytes as \xNN, and
 * "..." when cut. The caller frees. */
char *text_excerpt(const char *s, size_t max_chars);

#endif
