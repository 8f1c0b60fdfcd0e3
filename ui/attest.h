#ifndef DPSENROLL_UI_ATTEST_H
#define DPSENROLL_UI_ATTEST_H

/* Guided attestation: generating and saving symmetric keys, reading
 * certificates and TPM keys from files, and showing what they say. Each
 * acts on the focused field. */

#include "ui/app.h"
#include "app/filepick.h"

/* What a row takes from a file, by what it holds (a certificate, a TPM
 * key); FILES_ANY: it takes no file. NULL: no row. */
enum file_kind field_file_kind(const struct field_def *def);

void attest_generate(struct app *a);
void attest_open_file(struct app *a);
void attest_save_keys(struct app *a);
void attest_details(struct app *a);

/* Puts field `field`'s text in the form it is kept and sent in, once the
 * technician is done with it (field_settle): private keys out, a
 * certificate's leaf alone, a TPM key in the DPS form. What was done goes
 * to the status line; a converted TPM key also shows its details, as when
 * it is read from a file. */
void attest_settle(struct app *a, size_t field);
/* The same without a word on screen: the note (owned, starting with the
 * field's label), or NULL when nothing was done; *refused when a private
 * key was taken out. */
char *attest_settle_quietly(struct app *a, size_t field, bool *refused);

/* A short note drawn after field i's value: a key's fingerprint, a
 * certificate's CN and expiry (for one the service keeps, what it says
 * of it), a TPM key's type and fingerprint. Owned; NULL when there is
 * nothing to add. *role is the theme role to draw it with (a certificate
 * near or past its end is coloured). */
char *attest_note(const struct form *f, size_t i, int *role);

#endif
