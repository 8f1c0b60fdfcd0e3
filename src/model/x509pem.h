#ifndef DPSENROLL_MODEL_X509PEM_H
#define DPSENROLL_MODEL_X509PEM_H

/* The one encoding dpsenroll sends for a device certificate: the leaf's
 * PEM, whatever the technician had (PEM, a chain, DER, base64 of DER, a
 * key file with its certificates). */

#include <stddef.h>

#include "model/x509info.h"

/* What the input held besides the leaf. */
struct cert_pick {
	enum cert_format format;
	size_t certs;		/* certificates read, the leaf included */
	size_t cas;		/* CA certificates among the others */
	size_t keys;		/* private key blocks */
	size_t others;		/* other PEM blocks (requests, public keys) */
	char *leaf_subject;	/* owned */
};

/* PEM text of the leaf certificate in `data` (owned), or NULL with *why
 * (owned) when no certificate can be read. *pick, unless NULL, says what
 * was around it; free it with cert_pick_clear. */
char *cert_leaf_pick(const unsigned char *data, size_t len,
		     struct cert_pick *pick, char **why);
void cert_pick_clear(struct cert_pick *pick);
/* cert_leaf_pick without the report. */
char *cert_leaf_pem(const unsigned char *data, size_t len, char **why);

/* What keeping the leaf alone did, for the technician: "kept the device
 * certificate; dropped a private key and 1 CA certificate", or "converted
 * the certificate from DER to PEM"; NULL when there was nothing else.
 * Owned. */
char *cert_pick_note(const struct cert_pick *pick);

/* PEM text of an OpenSSL certificate (owned). */
struct x509_st;
char *cert_pem_of(struct x509_st *cert);

#endif
