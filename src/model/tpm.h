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
	TPM_FORM_ARMOURED,	/* either, inside -----BEGIN ...----- lines */
	/* -----BEGIN PUBLIC KEY-----, or its DER in base64 */
	TPM_FORM_PEM_PUBLIC_KEY,
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
	/* short SHA-256 of the TPM2B_PUBLIC, "AB12-CD34-EF56-7890" */
	char fingerprint[24];
};

/* Parses `text` (white space, as in wrapped base64, is ignored). Returns
 * true only for a TPM2B_PUBLIC of an RSA or ECC key. On false, info->form
 * says what the text looked like and *why (owned) explains, in words a
 * technician can act on, what was given and what DPS expects. A
 * TPM2B_PUBLIC of a symmetric object (KEYEDHASH, SYMCIPHER) is refused
 * with form TPM_FORM_TPM2B_PUBLIC: it parses but cannot attest.
 *
 * When the text is another form that tpm_key_convert turns into the DPS
 * form, the other fields describe the converted key, so every form of one
 * key shows the same fingerprint (for a public key, the fingerprint of the
 * standard EK built around it). Otherwise, whenever the text was base64,
 * fingerprint is that of the decoded bytes. The fingerprint is the first
 * 8 bytes of the SHA-256 of the TPM2B_PUBLIC: on the device, the first 16
 * hex digits of `sha256sum` of the file `tpm2_readpublic -f tss` writes. */
bool tpm_key_parse(const char *text, struct tpm_key_info *info, char **why);

/* The DPS form (base64 of TPM2B_PUBLIC, no white space) of a key given in
 * another form whose information is all there:
 *  - the DPS form with spaces or line breaks in it: they are removed;
 *  - a TPMT_PUBLIC (tpm2-tools `-f tpmt`): the size prefix is added;
 *  - either inside -----BEGIN ...----- lines: the lines are removed;
 *  - a public key (PEM, or its DER in base64), RSA 2048 with exponent
 *    65537 or ECC NIST P-256: it is put in the TPM2B_PUBLIC of the standard
 *    EK (TCG EK Credential Profile, default templates L-1 and L-2). That
 *    is an assumption, since a TPM may make its EK from another template,
 *    and *note asks the technician to compare fingerprints with the device.
 * *note (owned) says what was done, or is NULL when the text was already
 * the DPS form, exactly. Returns the owned result, or NULL with *why
 * (owned) saying what was given and what is expected. */
char *tpm_key_convert(const char *text, char **note, char **why);

/* The same for a file as read: `tpm2_readpublic -f tss`, `-f tpmt` and
 * `-f der` write binary, which is taken as it is; text is read as by
 * tpm_key_convert. */
char *tpm_key_convert_data(const unsigned char *data, size_t len, char **note,
			   char **why);

#endif
