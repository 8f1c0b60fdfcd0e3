#ifndef DPSENROLL_MODEL_X509PEM_H
#define DPSENROLL_MODEL_X509PEM_H

/* The one encoding dpsenroll sends for a device certificate: the leaf's
 * PEM, whatever the technician had (PEM, a chain, DER, base64 of DER). */

#include <stddef.h>

/* PEM text of the leaf certificate in `data` (owned), or NULL with *why
 * (owned) when no certificate can be read. */
char *cert_leaf_pem(const unsigned char *data, size_t len, char **why);

/* PEM text of an OpenSSL certificate (owned). */
struct x509_st;
char *cert_pem_of(struct x509_st *cert);

#endif
