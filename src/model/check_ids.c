#include "model/checks.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/textpos.h"

#define ID_MAX_CHARS 128

static const char reg_id_specials[] = "-._:";
static const char reg_id_allowed_text[] = N_("letters, digits and - . _ :");

/* IoT Hub's list for device ids (7-bit ASCII only). */
static const char device_id_specials[] = "-:.+%_#*?!(),=@;$'";
static const char device_id_allowed_text[] =
	N_("letters, digits and - : . + % _ # * ? ! ( ) , = @ ; $ '");

static bool
is_ascii_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool
is_allowed(unsigned char c, const char *specials)
{
	return is_ascii_alnum(c) || (c != '\0' && strchr(specials, c));
}

static void
check_length(const char *path, const char *text, const char *what,
	     struct findings *out)
{
	size_t chars = text_char_count(text);
	if (chars > ID_MAX_CHARS)
		findings_add(out, path, SEV_ERROR,
			     _("it is %zu characters long; a %s may have at most %d"),
			     chars, _(what), ID_MAX_CHARS);
}

/* Reports the first character outside the allowed set, and how many more
 * there are, rather than one finding per character: a pasted line with
 * twenty spaces should not bury the other findings. */
static void
check_charset(const char *path, const char *text, const char *specials,
	      const char *allowed_text, const char *what,
	      struct findings *out)
{
	size_t first = 0, bad = 0;
	for (size_t i = 0; text[i]; i += text_char_decode(text + i).len) {
		if (is_allowed((unsigned char)text[i], specials))
			continue;
		if (bad++ == 0)
			first = i;
	}
	if (bad == 0)
		return;

	char shown[TEXT_CHAR_SHOWN];
	text_char_show(text, first, shown);
	size_t pos = text_char_pos(text, first);
	if (bad == 1)
		findings_add(out, path, SEV_ERROR,
			     _("character %zu %s is not allowed in a %s; use %s"),
			     pos, shown, _(what), _(allowed_text));
	else
		findings_add(out, path, SEV_ERROR,
			     ngettext("character %zu %s is not allowed in a %s, "
				      "nor is %zu more after it; use %s",
				      "character %zu %s is not allowed in a %s, "
				      "nor are %zu more after it; use %s", bad - 1),
			     pos, shown, _(what), bad - 1, _(allowed_text));
}

void
check_registration_id(const char *path, const char *text,
		      struct findings *out)
{
	if (!*text)
		return;
	check_length(path, text, N_("registration id"), out);
	check_charset(path, text, reg_id_specials, reg_id_allowed_text,
		      N_("registration id"), out);

	/* Only the allowed specials need the end rule; any other character
	 * at either end was already reported above. */
	size_t len = strlen(text);
	unsigned char first = (unsigned char)text[0];
	unsigned char last = (unsigned char)text[len - 1];
	if (strchr(reg_id_specials, first))
		findings_add(out, path, SEV_ERROR,
			     _("it starts with '%c'; the first character of a "
			     "registration id must be a letter or digit"), first);
	if (len > 1 && strchr(reg_id_specials, last))
		findings_add(out, path, SEV_ERROR,
			     _("it ends with '%c'; the last character of a "
			     "registration id must be a letter or digit"), last);
}

static unsigned char
ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* strcasecmp follows the locale, and under some locales folds bytes that
 * DPS treats as distinct; the service folds ASCII only. */
bool
registration_id_equal(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	for (; *a && *b; a++, b++)
		if (ascii_lower((unsigned char)*a) !=
		    ascii_lower((unsigned char)*b))
			return false;
	return *a == *b;
}

void
check_device_id(const char *path, const char *text, struct findings *out)
{
	/* Blank is meaningful: DPS then names the device after the
	 * registration id. */
	if (!*text)
		return;
	check_length(path, text, N_("device id"), out);
	check_charset(path, text, device_id_specials, device_id_allowed_text,
		      N_("device id"), out);
}
