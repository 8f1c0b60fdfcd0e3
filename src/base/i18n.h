#ifndef DPSENROLL_BASE_I18N_H
#define DPSENROLL_BASE_I18N_H

/* Translations (gettext, domain "dpsenroll"; catalogs in po/).
 *
 *   _("text")      translated where a person reads it
 *   N_("text")     marked for the catalog, translated later with _():
 *                  tables (the schema, the key map) keep English, so the
 *                  documentation made from them stays English
 *   ngettext(one, many, n)  a sentence with a count
 *
 * What programs and records read is never translated: JSON output, field
 * paths, enum wire values, the journal (its messages come from the
 * service, or are kept in English beside the translation shown: see
 * src/dps/said.h) and exit codes. Sentences are whole, with
 * placeholders, so that a translation may reorder them.
 *
 * Built with NLS=0, _() is the identity and ngettext picks by the count
 * the English way. */

#if DPSENROLL_NLS
#include <libintl.h>
#include <stdbool.h>

/* Set by i18n_start: no catalog speaks the user's language, so _() and
 * ngettext need not ask gettext, which costs a lookup a string even
 * then (a frame of the form asks some hundred). */
extern bool i18n_off;

__attribute__((format_arg(1))) static inline char *
i18n_text(const char *text)
{
	return i18n_off ? (char *)text : gettext(text);
}

__attribute__((format_arg(1), format_arg(2))) static inline char *
i18n_ntext(const char *one, const char *many, unsigned long n)
{
	if (i18n_off)
		return (char *)(n == 1 ? one : many);
	return ngettext(one, many, n);
}

#define _(text) i18n_text(text)
#undef ngettext
#define ngettext(one, many, n) i18n_ntext(one, many, n)
#else
#undef ngettext
#define ngettext(one, many, n) ((n) == 1 ? (one) : (many))
#define _(text) (text)
#endif

#define N_(text) text

/* The text domain; the program binds it at its start (src/cli/main.c). */
#define I18N_DOMAIN "dpsenroll"

/* After the locale is set and the domain bound: notes whether a catalog
 * answers, so that without one the strings are used as they are.
 * Without this call every string is looked up. */
void i18n_start(void);

#endif
