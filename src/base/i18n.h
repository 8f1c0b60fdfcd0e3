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
 * service or from src/dps, which marks nothing) and exit codes. Sentences
 * are whole, with placeholders, so that a translation may reorder them.
 *
 * Built with NLS=0, _() is the identity and ngettext picks by the count
 * the English way. */

#if DPSENROLL_NLS
#include <libintl.h>
#define _(text) gettext(text)
#else
#undef ngettext
#define ngettext(one, many, n) ((n) == 1 ? (one) : (many))
#define _(text) (text)
#endif

#define N_(text) text

/* The text domain; the program binds it at its start (src/cli/main.c). */
#define I18N_DOMAIN "dpsenroll"

#endif
