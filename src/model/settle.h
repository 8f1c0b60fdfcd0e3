#ifndef DPSENROLL_MODEL_SETTLE_H
#define DPSENROLL_MODEL_SETTLE_H

/* A field's text as it is kept once the technician is done with it (leaves
 * its editor, reads a file into it, gets it back from a draft) and as it
 * is sent: private key material never stays; a certificate is its leaf's
 * PEM alone; a TPM key is in the DPS form (base64 of TPM2B_PUBLIC, no
 * white space). The form and `put` settle texts the same way, so what a
 * technician sees in a field is what the service gets. */

#include <stdbool.h>

#include "model/doc.h"
#include "model/findings.h"
#include "model/schema.h"

struct settled {
	char *text;	/* owned: the text to keep; NULL: keep it as it is */
	char *note;	/* owned: what was done, for the technician; or NULL */
	bool refused;	/* private key material was taken out, and the
			 * note says what to give instead */
};

void field_settle(const struct field_def *f, const char *text,
		  struct settled *out);
void settled_clear(struct settled *s);

/* Settles the certificates and TPM keys of an enrollment that passed
 * validation, in place; one SEV_WARNING finding per field changed, whose
 * message says what was done. */
void doc_settle_attestation(struct doc *d, struct findings *notes);

#endif
