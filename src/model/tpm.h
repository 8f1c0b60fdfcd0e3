#ifndef DPSENROLL_MODEL_TPM_H
#define DPSENROLL_MODEL_TPM_H

/* TPM endorsement and storage root keys as DPS wants them: base64 of a
 * TPM2B_PUBLIC (2-byte big-endian size, then a TPMT_PUBLIC). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tpm_key_form {
	TPM_FORM_TPM2B_PUBLIC,	/* what DPS expects */
	TPM_FORM_TPMT_PUBLIC,	/* the same without the size prefix */
	TPM_FORM_PEM_PUBLIC_KEY,	/* -----BEGIN PUBLIC KEY----- */
	TPM_FORM_PEM_OTHER,	/* some other PEM block (a certificate, ...) */
	TPM_FORM_NOT_BASE64,
	TPM_FORM_UNKNOWN,	/* base64, but no TPM structure parses */
};

struct tpm_key_info {
	enum tpm_key_form form;
	uint16_t type_alg;	/* TPM_ALG_RSA 0x0001, TPM_ALG_ECC 0x0023 */
	uint16_t name_alg;	/* TPM_ALG_SHA256 0x000B, ... */
	uint32_t attributes;
	unsigned key_bits;	/* RSA modulus bits, or ECC curve size */
	char type_name[12];	/* "RSA", "ECC", "KEYEDHASH", "SYMCIPHER" */
	char fingerprint[24];	/* short SHA-256 of the decoded key, "AB12-CD34-EF56-7890" */
};

/* Parses `text` (white space, as in wrapped base64, is ignored). Returns
 * true only for a TPM2B_PUBLIC of an RSA or ECC key. On false, info->form
 * says what the text looked like and *why (owned) explains, in words a
 * technician can act on, what was given and what DPS expects. A
 * TPM2B_PUBLIC of a symmetric object (KEYEDHASH, SYMCIPHER) is refused
 * with form TPM_FORM_TPM2B_PUBLIC: it parses but cannot attest. Whenever
 * the text was base64, fingerprint is set. */
bool tpm_key_parse(const char *text, struct tpm_key_info *info, char **why);

#endif
