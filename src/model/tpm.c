#include "model/tpm.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "model/b64.h"
#include "model/textpos.h"
#include "model/xalloc.h"

#define EXPECTS \
	"DPS expects the TPM's endorsement key as base64 of TPM2B_PUBLIC, " \
	"e.g. from `tpm2_readpublic -c 0x81010001 -f tss -o ek.pub` then base64"

enum {
	ALG_RSA = 0x0001,
	ALG_SHA1 = 0x0004,
	ALG_HMAC = 0x0005,
	ALG_KEYEDHASH = 0x0008,
	ALG_XOR = 0x000A,
	ALG_SHA256 = 0x000B,
	ALG_SHA384 = 0x000C,
	ALG_SHA512 = 0x000D,
	ALG_NULL = 0x0010,
	ALG_SM3_256 = 0x0012,
	ALG_RSAES = 0x0015,
	ALG_ECDAA = 0x001A,
	ALG_ECC = 0x0023,
	ALG_SYMCIPHER = 0x0025,
};

/* A cursor over the decoded bytes; the first problem found is kept. */
struct reader {
	const unsigned char *p;
	size_t len;
	size_t pos;
	char err[160];
};

static bool fail(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool
fail(struct reader *r, const char *fmt, ...)
{
	if (r->err[0])
		return false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return false;
}

static bool
get_u16(struct reader *r, const char *what, uint16_t *v)
{
	if (r->len - r->pos < 2)
		return fail(r, "it ends after %zu bytes, in the middle of "
			    "the %s", r->len, what);
	*v = (uint16_t)(r->p[r->pos] << 8 | r->p[r->pos + 1]);
	r->pos += 2;
	return true;
}

static bool
get_u32(struct reader *r, const char *what, uint32_t *v)
{
	uint16_t hi = 0, lo = 0;
	if (!get_u16(r, what, &hi) || !get_u16(r, what, &lo))
		return false;
	*v = (uint32_t)hi << 16 | lo;
	return true;
}

/* A TPM2B: 2-byte size, then that many bytes (skipped). */
static bool
get_tpm2b(struct reader *r, const char *what, uint16_t *size)
{
	if (!get_u16(r, what, size))
		return false;
	if (r->len - r->pos < *size)
		return fail(r, "its %s declares %u bytes but only %zu remain",
			    what, *size, r->len - r->pos);
	r->pos += *size;
	return true;
}

/* ---- TPMT_PUBLIC ---- */

static bool
parse_sym(struct reader *r)
{
	uint16_t alg = 0, bits = 0, mode = 0;
	if (!get_u16(r, "symmetric algorithm", &alg))
		return false;
	return alg == ALG_NULL || (get_u16(r, "symmetric key size", &bits) &&
				   get_u16(r, "symmetric mode", &mode));
}

/* RSA, ECC and KDF schemes: an algorithm, then its details. */
static bool
parse_scheme(struct reader *r, const char *what)
{
	uint16_t scheme = 0, hash = 0, count = 0;
	if (!get_u16(r, what, &scheme))
		return false;
	if (scheme == ALG_NULL || scheme == ALG_RSAES)
		return true;
	if (!get_u16(r, "scheme's hash algorithm", &hash))
		return false;
	return scheme != ALG_ECDAA || get_u16(r, "ECDAA count", &count);
}

static bool
parse_rsa(struct reader *r, struct tpm_key_info *info)
{
	uint16_t bits = 0, size = 0;
	uint32_t exponent = 0;
	if (!parse_sym(r) || !parse_scheme(r, "RSA scheme") ||
	    !get_u16(r, "RSA key size", &bits) ||
	    !get_u32(r, "RSA exponent", &exponent) ||
	    !get_tpm2b(r, "RSA modulus", &size))
		return false;
	if (bits == 0 || bits % 8)
		return fail(r, "its RSA key size, %u bits, is not whole bytes",
			    bits);
	if (size != bits / 8)
		return fail(r, "its RSA modulus is %u bytes but its key size "
			    "says %u bits (%u bytes)", size, bits, bits / 8u);
	info->key_bits = bits;
	return true;
}

static unsigned
curve_bits(uint16_t curve)
{
	switch (curve) {
	case 0x0001: return 192;	/* NIST P-192 */
	case 0x0002: return 224;	/* NIST P-224 */
	case 0x0003: return 256;	/* NIST P-256 */
	case 0x0004: return 384;	/* NIST P-384 */
	case 0x0005: return 521;	/* NIST P-521 */
	case 0x0010: return 256;	/* BN P-256 */
	case 0x0011: return 638;	/* BN P-638 */
	case 0x0020: return 256;	/* SM2 P-256 */
	}
	return 0;
}

static bool
parse_ecc(struct reader *r, struct tpm_key_info *info)
{
	uint16_t curve = 0, x = 0, y = 0;
	if (!parse_sym(r) || !parse_scheme(r, "ECC scheme") ||
	    !get_u16(r, "ECC curve", &curve) ||
	    !parse_scheme(r, "KDF scheme") ||
	    !get_tpm2b(r, "ECC point's x", &x) ||
	    !get_tpm2b(r, "ECC point's y", &y))
		return false;
	unsigned bits = curve_bits(curve);
	if (!bits)
		return fail(r, "its ECC curve 0x%04X is not one a TPM uses",
			    curve);
	unsigned room = (bits + 7) / 8;
	if (!x || !y || x > room || y > room)
		return fail(r, "its ECC point (%u and %u bytes) does not fit a "
			    "%u-bit curve (up to %u bytes each)", x, y, bits,
			    room);
	info->key_bits = bits;
	return true;
}

static bool
parse_keyedhash(struct reader *r)
{
	uint16_t scheme = 0, hash = 0, kdf = 0, unique = 0;
	if (!get_u16(r, "keyed-hash scheme", &scheme))
		return false;
	if (scheme == ALG_HMAC && !get_u16(r, "HMAC hash algorithm", &hash))
		return false;
	if (scheme == ALG_XOR && !(get_u16(r, "XOR hash algorithm", &hash) &&
				   get_u16(r, "XOR KDF", &kdf)))
		return false;
	if (scheme != ALG_NULL && scheme != ALG_HMAC && scheme != ALG_XOR)
		return fail(r, "its keyed-hash scheme 0x%04X is unknown",
			    scheme);
	return get_tpm2b(r, "unique digest", &unique);
}

static bool
parse_symcipher(struct reader *r)
{
	uint16_t unique = 0;
	return parse_sym(r) && get_tpm2b(r, "unique digest", &unique);
}

static bool
known_name_alg(uint16_t alg)
{
	return alg == ALG_SHA1 || alg == ALG_SHA256 || alg == ALG_SHA384 ||
	       alg == ALG_SHA512 || alg == ALG_SM3_256;
}

static bool
known_type(uint16_t alg)
{
	return alg == ALG_RSA || alg == ALG_ECC || alg == ALG_KEYEDHASH ||
	       alg == ALG_SYMCIPHER;
}

static bool
parse_parameters(struct reader *r, struct tpm_key_info *info)
{
	const char *name;
	bool ok;
	switch (info->type_alg) {
	case ALG_RSA:
		name = "RSA", ok = parse_rsa(r, info);
		break;
	case ALG_ECC:
		name = "ECC", ok = parse_ecc(r, info);
		break;
	case ALG_KEYEDHASH:
		name = "KEYEDHASH", ok = parse_keyedhash(r);
		break;
	case ALG_SYMCIPHER:
		name = "SYMCIPHER", ok = parse_symcipher(r);
		break;
	default:
		return false;
	}
	snprintf(info->type_name, sizeof(info->type_name), "%s", name);
	return ok;
}

/* Reads one TPMT_PUBLIC; bytes after it are the caller's business. */
static bool
parse_tpmt(struct reader *r, struct tpm_key_info *info)
{
	uint16_t policy = 0;
	if (!get_u16(r, "type", &info->type_alg))
		return false;
	if (!known_type(info->type_alg))
		return fail(r, "its type 0x%04X is not a TPM key type (RSA is "
			    "0x0001, ECC 0x0023)", info->type_alg);
	if (!get_u16(r, "name algorithm", &info->name_alg) ||
	    !get_u32(r, "object attributes", &info->attributes))
		return false;
	if (!known_name_alg(info->name_alg))
		return fail(r, "its name algorithm 0x%04X is not a hash a TPM "
			    "uses (SHA-256 is 0x000B)", info->name_alg);
	return get_tpm2b(r, "authPolicy", &policy) && parse_parameters(r, info);
}

/* ---- what the decoded bytes are ---- */

static bool
is_asymmetric(const struct tpm_key_info *info)
{
	return info->type_alg == ALG_RSA || info->type_alg == ALG_ECC;
}

static bool
accept_tpm2b(struct tpm_key_info *info, char **why)
{
	info->form = TPM_FORM_TPM2B_PUBLIC;
	if (is_asymmetric(info))
		return true;
	*why = xasprintf("this is the TPM2B_PUBLIC of a %s object (a "
			 "symmetric key), not an endorsement key; " EXPECTS,
			 info->type_name);
	return false;
}

static bool
try_tpmt(const unsigned char *b, size_t n, struct tpm_key_info *info,
	 char **why)
{
	struct reader r = { .p = b, .len = n };
	if (!parse_tpmt(&r, info) || r.pos != n || !is_asymmetric(info))
		return false;
	info->form = TPM_FORM_TPMT_PUBLIC;
	*why = xasprintf("this is a TPMT_PUBLIC without the 2-byte size prefix "
			 "(raw tpm2-tools output, `-f tpmt`); DPS expects "
			 "base64 of TPM2B_PUBLIC: the same %zu bytes preceded "
			 "by their size, 0x%04zX (or use `-f tss`)", n, n);
	return true;
}

static char *
explain_body(const struct reader *body, size_t declared, bool body_ok)
{
	size_t n = body->len, key = body->pos - 2;
	if (body_ok && body->pos < n)
		return xasprintf("this is a TPM2B_PUBLIC (%zu bytes) followed "
				 "by %zu bytes more; only one key belongs here; "
				 EXPECTS, body->pos, n - body->pos);
	if (body_ok)
		return xasprintf("this is a TPM key whose size prefix declares "
				 "%zu bytes, but the key after it is %zu bytes; "
				 EXPECTS, declared, key);
	if (declared != n - 2)
		return xasprintf("this is base64 of %zu bytes; as a "
				 "TPM2B_PUBLIC its first 2 bytes declare %zu "
				 "bytes, but %zu follow (cut short or padded?): "
				 "%s; " EXPECTS, n, declared, n - 2, body->err);
	return xasprintf("this is base64 of %zu bytes, but not a TPM2B_PUBLIC: "
			 "%s; " EXPECTS, n, body->err);
}

static bool
classify(const unsigned char *b, size_t n, struct tpm_key_info *info,
	 char **why)
{
	if (n < 2) {
		info->form = TPM_FORM_UNKNOWN;
		*why = xasprintf("this decodes to %zu byte%s, too short for any "
				 "TPM key; " EXPECTS, n, n == 1 ? "" : "s");
		return false;
	}
	size_t declared = (size_t)b[0] << 8 | b[1];
	struct reader body = { .p = b, .len = n, .pos = 2 };
	bool body_ok = parse_tpmt(&body, info);
	if (body_ok && body.pos == n && declared == n - 2)
		return accept_tpm2b(info, why);
	struct tpm_key_info raw = *info;
	if (try_tpmt(b, n, &raw, why)) {
		*info = raw;
		return false;
	}
	*why = explain_body(&body, declared, body_ok);
	char print[sizeof(info->fingerprint)];
	memcpy(print, info->fingerprint, sizeof(print));
	memset(info, 0, sizeof(*info));
	memcpy(info->fingerprint, print, sizeof(print));
	info->form = TPM_FORM_UNKNOWN;
	return false;
}

/* ---- text that is not base64 of a key ---- */

static bool
explain_pem(const char *text, struct tpm_key_info *info, char **why)
{
	BIO *bio = BIO_new_mem_buf(text, -1);
	char *name = NULL, *header = NULL;
	unsigned char *body = NULL;
	long n = 0;
	bool ok = bio && PEM_read_bio(bio, &name, &header, &body, &n);
	ERR_clear_error();
	BIO_free(bio);
	info->form = TPM_FORM_PEM_OTHER;
	if (!ok)
		*why = xasprintf("this looks like PEM but does not parse; "
				 EXPECTS);
	else if (strcmp(name, "PUBLIC KEY") == 0 ||
		 strcmp(name, "RSA PUBLIC KEY") == 0) {
		info->form = TPM_FORM_PEM_PUBLIC_KEY;
		*why = xasprintf("this is a PEM public key; " EXPECTS);
	} else {
		*why = xasprintf("this is a PEM \"%s\" block, not a TPM key; "
				 EXPECTS, name);
	}
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_clear_free(body, (size_t)n);
	return false;
}

/* Byte offset in `text` of the `nth` (0-based) non-space byte, which is
 * where b64_decode_loose's position points once spaces are put back. */
static size_t
offset_with_spaces(const char *text, size_t nth)
{
	size_t i = 0;
	for (; text[i]; i++)
		if (!strchr(" \t\n\v\f\r", text[i]) && nth-- == 0)
			break;
	return i;
}

static bool
explain_not_base64(const char *text, enum b64_status st, size_t bad,
		   struct tpm_key_info *info, char **why)
{
	info->form = TPM_FORM_NOT_BASE64;
	if (st == B64_BAD_CHAR || st == B64_BAD_PADDING) {
		size_t off = offset_with_spaces(text, bad);
		char shown[TEXT_CHAR_SHOWN];
		*why = xasprintf("this is not base64: character %zu, %s, %s; "
				 EXPECTS, text_char_pos(text, off),
				 text_char_show(text, off, shown),
				 st == B64_BAD_CHAR
					 ? "is not a base64 character"
					 : "is '=' padding in the middle");
	} else {
		*why = xasprintf("this is not base64: %s; " EXPECTS,
				 b64_status_text(st));
	}
	return false;
}

static void
fingerprint(const unsigned char *b, size_t n, char out[24])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!EVP_Digest(b, n, md, &len, EVP_sha256(), NULL) || len < 8) {
		out[0] = '\0';
		return;
	}
	snprintf(out, 24, "%02X%02X-%02X%02X-%02X%02X-%02X%02X", md[0], md[1],
		 md[2], md[3], md[4], md[5], md[6], md[7]);
}

bool
tpm_key_parse(const char *text, struct tpm_key_info *info, char **why)
{
	memset(info, 0, sizeof(*info));
	*why = NULL;
	if (strstr(text, "-----BEGIN "))
		return explain_pem(text, info, why);
	unsigned char *bytes = NULL;
	size_t n = 0, bad = 0;
	enum b64_status st = b64_decode_loose(text, &bytes, &n, &bad);
	if (st != B64_OK)
		return explain_not_base64(text, st, bad, info, why);
	fingerprint(bytes, n, info->fingerprint);
	bool ok = classify(bytes, n, info, why);
	free(bytes);
	return ok;
}
