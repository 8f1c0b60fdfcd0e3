#ifndef DPSENROLL_UI_ATTEST_H
#define DPSENROLL_UI_ATTEST_H

/* Guided attestation: generating and saving symmetric keys, reading
 * certificates and TPM keys from files, and showing what they say. Each
 * acts on the focused field. */

#include "ui/app.h"

void attest_generate(struct app *a);
void attest_open_file(struct app *a);
void attest_save_keys(struct app *a);
void attest_details(struct app *a);

/* A short note drawn after field i's value: a key's fingerprint, a
 * certificate's CN and expiry (for one the service keeps, what it says
 * of it), a TPM key's type and fingerprint. Owned; NULL when there is
 * nothing to add. *role is the theme role to draw it with (a certificate
 * near or past its end is coloured). */
char *attest_note(const struct form *f, size_t i, int *role);

#endif
