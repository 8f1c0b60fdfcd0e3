#ifndef DPSENROLL_DPS_SAID_H
#define DPSENROLL_DPS_SAID_H

/* A message of src/dps that may go both to a record and to a person: in
 * English for the records (the journal, JSON output), and in the
 * person's language for the screen. Formats are marked with N_() (or
 * said_ntext's pair, a keyword of xgettext) and formatted once for each,
 * with parts chosen in the same language (`local` true: the person's). */

#include <stdarg.h>
#include <stdbool.h>

#include "base/i18n.h"

struct dps_said {
	char *record;	/* owned; English */
	char *shown;	/* owned; the person's language; NULL: record */
};

__attribute__((format_arg(2))) static inline const char *
said_text(bool local, const char *text)
{
	return local ? _(text) : text;
}

__attribute__((format_arg(2), format_arg(3))) static inline const char *
said_ntext(bool local, const char *one, const char *many, unsigned long n)
{
	if (local)
		return ngettext(one, many, n);
	return n == 1 ? one : many;
}

/* Both from `fmt`, marked with N_(). */
void dps_said_printf(struct dps_said *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dps_said_vprintf(struct dps_said *s, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Takes both (owned). */
void dps_said_take(struct dps_said *s, char *record, char *shown);
void dps_said_clear(struct dps_said *s);

#endif
