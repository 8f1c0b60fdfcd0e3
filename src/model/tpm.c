#include "model/tpm.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "base/b64.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/textpos.h"
#include "base/xalloc.h"

/* What DPS wants, said after what was given: the messages below end
 * with "; %s" and this sentence. */
static const char *
expects(void)
{
	return _("DPS expects the TPM's endorsement key as base64 of "
		 "TPM2B_PUBLIC, e.g. from `tpm2_readpublic -c 0x81010001 -f "
		 "tss -o ek.pub` then base64");
}

enum {
	ALG_RSA = 0x0001,
	ALG_SHA1 = 0x0004,
	ALG_HMAC = 0x0005,
	ALG_AES = 0x0006,
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
	ALG_CFB = 0x0043,
	CURVE_NIST_P256 = 0x0003,
};

/* A cursor over the decoded bytes; the first problem found is kept. */
struct reader {
	const unsigned char *p;
	size_t len;
	size_t pos;
	char err[256];
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
		/* TRANSLATORS: %s names a part of a TPM key, such as "RSA
		 * modulus". */
		return fail(r, _("it ends after %zu bytes, in the middle of "
				 "the %s"), r->len, _(what));
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
		/* TRANSLATORS: %s names a part of a TPM key, such as "RSA
		 * modulus". */
		return fail(r, _("its %s declares %u bytes but only %zu "
				 "remain"), _(what), *size, r->len - r->pos);
	r->pos += *size;
	return true;
}

/* ---- TPMT_PUBLIC ---- */

static bool
parse_sym(struct reader *r)
{
	uint16_t alg = 0, bits = 0, mode = 0;
	if (!get_u16(r, N_("symmetric algorithm"), &alg))
		return false;
	return alg == ALG_NULL || (get_u16(r, N_("symmetric key size"), &bits) &&
				   get_u16(r, N_("symmetric mode"), &mode));
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
	if (!get_u16(r, N_("scheme's hash algorithm"), &hash))
		return false;
	return scheme != ALG_ECDAA || get_u16(r, N_("ECDAA count"), &count);
}

static bool
parse_rsa(struct reader *r, struct tpm_key_info *info)
{
	uint16_t bits = 0, size = 0;
	uint32_t exponent = 0;
	if (!parse_sym(r) || !parse_scheme(r, N_("RSA scheme")) ||
	    !get_u16(r, N_("RSA key size"), &bits) ||
	    !get_u32(r, N_("RSA exponent"), &exponent) ||
	    !get_tpm2b(r, N_("RSA modulus"), &size))
		return false;
	if (bits == 0 || bits % 8)
		return fail(r, _("its RSA key size, %u bits, is not whole bytes"),
			    bits);
	if (size != bits / 8)
		return fail(r, _("its RSA modulus is %u bytes but its key size "
			    "says %u bits (%u bytes)"), size, bits, bits / 8u);
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
	if (!parse_sym(r) || !parse_scheme(r, N_("ECC scheme")) ||
	    !get_u16(r, N_("ECC curve"), &curve) ||
	    !parse_scheme(r, N_("KDF scheme")) ||
	    !get_tpm2b(r, N_("ECC point's x"), &x) ||
	    !get_tpm2b(r, N_("ECC point's y"), &y))
		return false;
	unsigned bits = curve_bits(curve);
	if (!bits)
		return fail(r, _("its ECC curve 0x%04X is not one a TPM uses"),
			    curve);
	unsigned room = (bits + 7) / 8;
	if (!x || !y || x > room || y > room)
		return fail(r, _("its ECC point (%u and %u bytes) does not fit a "
			    "%u-bit curve (up to %u bytes each)"), x, y, bits,
			    room);
	info->key_bits = bits;
	return true;
}

static bool
parse_keyedhash(struct reader *r)
{
	uint16_t scheme = 0, hash = 0, kdf = 0, unique = 0;
	if (!get_u16(r, N_("keyed-hash scheme"), &scheme))
		return false;
	if (scheme == ALG_HMAC && !get_u16(r, N_("HMAC hash algorithm"), &hash))
		return false;
	if (scheme == ALG_XOR && !(get_u16(r, N_("XOR hash algorithm"), &hash) &&
				   get_u16(r, N_("XOR KDF"), &kdf)))
		return false;
	if (scheme != ALG_NULL && scheme != ALG_HMAC && scheme != ALG_XOR)
		return fail(r, _("its keyed-hash scheme 0x%04X is unknown"),
			    scheme);
	return get_tpm2b(r, N_("unique digest"), &unique);
}

static bool
parse_symcipher(struct reader *r)
{
	uint16_t unique = 0;
	return parse_sym(r) && get_tpm2b(r, N_("unique digest"), &unique);
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
	if (!get_u16(r, N_("type"), &info->type_alg))
		return false;
	if (!known_type(info->type_alg))
		return fail(r, _("its type 0x%04X is not a TPM key type (RSA is "
			    "0x0001, ECC 0x0023)"), info->type_alg);
	if (!get_u16(r, N_("name algorithm"), &info->name_alg) ||
	    !get_u32(r, N_("object attributes"), &info->attributes))
		return false;
	if (!known_name_alg(info->name_alg))
		return fail(r, _("its name algorithm 0x%04X is not a hash a TPM "
			    "uses (SHA-256 is 0x000B)"), info->name_alg);
	return get_tpm2b(r, N_("authPolicy"), &policy) && parse_parameters(r, info);
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
	/* TRANSLATORS: the first %s is a TPM object type (KEYEDHASH,
	 * SYMCIPHER); the last is the sentence "DPS expects the TPM's
	 * endorsement key as ...". */
	*why = xasprintf(_("this is the TPM2B_PUBLIC of a %s object (a "
			   "symmetric key), not an endorsement key; %s"),
			 info->type_name, expects());
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
	*why = xasprintf(_("this is a TPMT_PUBLIC without the 2-byte size "
			   "prefix (raw tpm2-tools output, `-f tpmt`); DPS "
			   "expects base64 of TPM2B_PUBLIC: the same %zu bytes "
			   "preceded by their size, 0x%04zX (or use `-f "
			   "tss`)"), n, n);
	return true;
}

static char *
explain_body(const struct reader *body, size_t declared, bool body_ok)
{
	size_t n = body->len, key = body->pos - 2;
	/* TRANSLATORS: in these four, the last %s is the sentence "DPS
	 * expects the TPM's endorsement key as ..."; the %s before it, in
	 * the last two, says what is wrong inside the key ("it ends after
	 * 12 bytes, in the middle of the RSA modulus"). */
	if (body_ok && body->pos < n)
		return xasprintf(_("this is a TPM2B_PUBLIC (%zu bytes) followed "
				   "by %zu bytes more; only one key belongs "
				   "here; %s"), body->pos, n - body->pos,
				 expects());
	if (body_ok)
		return xasprintf(_("this is a TPM key whose size prefix "
				   "declares %zu bytes, but the key after it is "
				   "%zu bytes; %s"), declared, key, expects());
	if (declared != n - 2)
		return xasprintf(_("this is base64 of %zu bytes; as a "
				   "TPM2B_PUBLIC its first 2 bytes declare %zu "
				   "bytes, but %zu follow (cut short or "
				   "padded?): %s; %s"), n, declared, n - 2,
				 body->err, expects());
	return xasprintf(_("this is base64 of %zu bytes, but not a "
			   "TPM2B_PUBLIC: %s; %s"), n, body->err, expects());
}

static bool
classify(const unsigned char *b, size_t n, struct tpm_key_info *info,
	 char **why)
{
	if (n < 2) {
		info->form = TPM_FORM_UNKNOWN;
		/* TRANSLATORS: the last %s is the sentence "DPS expects the
		 * TPM's endorsement key as ...". */
		*why = xasprintf(ngettext("this decodes to %zu byte, too short "
					  "for any TPM key; %s",
					  "this decodes to %zu bytes, too short "
					  "for any TPM key; %s", n),
				 n, expects());
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

/* The first -----BEGIN name----- block of a text, its body decoded. Line
 * breaks are not required: a one-line field loses them in pasting. */
struct armour {
	char name[64];
	unsigned char *body;
	size_t len;
};

static bool
unarmour(const char *text, struct armour *a)
{
	static const char begin[] = "-----BEGIN ", dashes[] = "-----";
	memset(a, 0, sizeof(*a));
	const char *name = strstr(text, begin);
	if (!name)
		return false;
	name += strlen(begin);
	const char *name_end = strstr(name, dashes);
	if (!name_end || (size_t)(name_end - name) >= sizeof(a->name))
		return false;
	const char *body = name_end + strlen(dashes);
	const char *end = strstr(body, "-----END ");
	if (!end)
		return false;
	memcpy(a->name, name, (size_t)(name_end - name));
	char *b64 = xstrndup(body, (size_t)(end - body));
	enum b64_status st = b64_decode_loose(b64, &a->body, &a->len, NULL);
	secret_str_free(b64);
	return st == B64_OK;
}

/* The block may have been a private key pasted by mistake. */
static void
armour_clear(struct armour *a)
{
	secret_free(a->body, a->len);
	memset(a, 0, sizeof(*a));
}

/* A SubjectPublicKeyInfo or a PKCS#1 RSAPublicKey, every byte of it. */
static EVP_PKEY *
der_public_key(const unsigned char *der, size_t n)
{
	const unsigned char *p = der;
	EVP_PKEY *key = d2i_PUBKEY(NULL, &p, (long)n);
	if (key && p != der + n) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	p = der;
	if (!key && (key = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)n)) &&
	    p != der + n) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	ERR_clear_error();
	return key;
}

static bool
is_der_public_key(const unsigned char *der, size_t n)
{
	EVP_PKEY *key = der_public_key(der, n);
	EVP_PKEY_free(key);
	return key != NULL;
}

/* TPM_FORM_TPM2B_PUBLIC or TPM_FORM_TPMT_PUBLIC when `b` is an asymmetric
 * key in one of those structures, TPM_FORM_UNKNOWN otherwise. */
static enum tpm_key_form
tpm_structure(const unsigned char *b, size_t n)
{
	struct tpm_key_info info = { 0 };
	char *why = NULL;
	bool ok = classify(b, n, &info, &why);
	free(why);
	if (ok || info.form == TPM_FORM_TPMT_PUBLIC)
		return info.form;
	return TPM_FORM_UNKNOWN;
}

static char *
explain_block(const struct armour *a, struct tpm_key_info *info)
{
	enum tpm_key_form structure = tpm_structure(a->body, a->len);
	info->form = TPM_FORM_PEM_OTHER;
	if (structure == TPM_FORM_TPM2B_PUBLIC) {
		info->form = TPM_FORM_ARMOURED;
		return xasprintf(_("this is a TPM2B_PUBLIC inside -----BEGIN "
				   "%s----- and -----END lines; DPS expects the "
				   "base64 between them alone"), a->name);
	}
	if (structure == TPM_FORM_TPMT_PUBLIC) {
		info->form = TPM_FORM_ARMOURED;
		return xasprintf(_("this is a TPMT_PUBLIC inside -----BEGIN "
				   "%s----- and -----END lines; DPS expects "
				   "base64 of TPM2B_PUBLIC: the same bytes "
				   "preceded by their size, without the lines"),
				 a->name);
	}
	if (is_der_public_key(a->body, a->len)) {
		info->form = TPM_FORM_PEM_PUBLIC_KEY;
		/* TRANSLATORS: %s is the sentence "DPS expects the TPM's
		 * endorsement key as ...". */
		return xasprintf(_("this is a PEM public key; %s"), expects());
	}
	/* TRANSLATORS: the first %s is the PEM block's name ("PUBLIC
	 * KEY"); the last is the sentence "DPS expects the TPM's
	 * endorsement key as ...". */
	if (strstr(a->name, "PUBLIC KEY"))
		return xasprintf(_("this is a PEM \"%s\" block, but OpenSSL "
				   "cannot read a key in it (damaged or cut "
				   "short?); %s"), a->name, expects());
	return xasprintf(_("this is a PEM \"%s\" block, not a TPM key; %s"),
			 a->name, expects());
}

static bool
explain_pem(const char *text, struct tpm_key_info *info, char **why)
{
	struct armour a;
	if (unarmour(text, &a)) {
		*why = explain_block(&a, info);
	} else {
		info->form = TPM_FORM_PEM_OTHER;
		/* TRANSLATORS: %s is the sentence "DPS expects the TPM's
		 * endorsement key as ...". */
		*why = xasprintf(_("this looks like PEM but does not parse: a "
				   "-----BEGIN line needs base64 after it and "
				   "an -----END line; %s"), expects());
	}
	armour_clear(&a);
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
		size_t at = text_char_pos(text, off);
		text_char_show(text, off, shown);
		/* TRANSLATORS: "character 12, 'x', is not ..."; the last %s
		 * is the sentence "DPS expects the TPM's endorsement key as
		 * ...". */
		*why = st == B64_BAD_CHAR
			? xasprintf(_("this is not base64: character %zu, %s, "
				      "is not a base64 character; %s"), at,
				    shown, expects())
			: xasprintf(_("this is not base64: character %zu, %s, "
				      "is '=' padding in the middle; %s"), at,
				    shown, expects());
	} else {
		/* TRANSLATORS: the first %s says what is wrong ("it is
		 * empty"); the last is the sentence "DPS expects the TPM's
		 * endorsement key as ...". */
		*why = xasprintf(_("this is not base64: %s; %s"),
				 b64_status_text(st), expects());
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

/* tpm_key_parse without looking at what the text converts to. */
static bool
parse_text(const char *text, struct tpm_key_info *info, char **why)
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
	if (!ok && info->form == TPM_FORM_UNKNOWN &&
	    is_der_public_key(bytes, n)) {
		free(*why);
		/* TRANSLATORS: %s is the sentence "DPS expects the TPM's
		 * endorsement key as ...". */
		*why = xasprintf(_("this is base64 of a DER public key, not of "
				   "a TPM2B_PUBLIC; %s"), expects());
		info->form = TPM_FORM_PEM_PUBLIC_KEY;
	}
	free(bytes);
	return ok;
}

/* ---- conversion ---- */

/* Bytes of a TPM2B_PUBLIC being built; the largest made here, an RSA 2048
 * EK, takes 316. */
struct writer {
	unsigned char b[512];
	size_t n;
};

static void
put16(struct writer *w, unsigned v)
{
	w->b[w->n++] = (unsigned char)(v >> 8);
	w->b[w->n++] = (unsigned char)v;
}

static void
put32(struct writer *w, uint32_t v)
{
	put16(w, v >> 16);
	put16(w, v & 0xFFFF);
}

/* `bn` as exactly `len` big-endian bytes, as the TPM writes key values. */
static bool
put_bn(struct writer *w, const BIGNUM *bn, int len)
{
	put16(w, (unsigned)len);
	if (BN_bn2binpad(bn, w->b + w->n, len) != len)
		return false;
	w->n += (size_t)len;
	return true;
}

/* PolicySecret(TPM_RH_ENDORSEMENT): only the endorsement hierarchy's
 * owner may use the key. */
static const unsigned char ek_policy[32] = {
	0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xB3, 0xF8, 0x1A, 0x90, 0xCC,
	0x8D, 0x46, 0xA5, 0xD7, 0x24, 0xFD, 0x52, 0xD7, 0x6E, 0x06, 0x52,
	0x0B, 0x64, 0xF2, 0xA1, 0xDA, 0x1B, 0x33, 0x14, 0x69, 0xAA,
};

/* fixedTPM, fixedParent, sensitiveDataOrigin, adminWithPolicy,
 * restricted, decrypt */
#define EK_ATTRIBUTES 0x000300B2u

/* The TCG EK Credential Profile's default templates (L-1 RSA 2048, L-2
 * ECC P-256) up to the parameters that differ, with room for the size. */
static void
put_ek_head(struct writer *w, unsigned type)
{
	w->n = 2;
	put16(w, type);
	put16(w, ALG_SHA256);
	put32(w, EK_ATTRIBUTES);
	put16(w, sizeof(ek_policy));
	memcpy(w->b + w->n, ek_policy, sizeof(ek_policy));
	w->n += sizeof(ek_policy);
	put16(w, ALG_AES);
	put16(w, 128);
	put16(w, ALG_CFB);
	put16(w, ALG_NULL);	/* no signing or decryption scheme */
}

static void
put_size(struct writer *w)
{
	w->b[0] = (unsigned char)((w->n - 2) >> 8);
	w->b[1] = (unsigned char)(w->n - 2);
}

static char *
rsa_ek(const EVP_PKEY *key, struct writer *w)
{
	BIGNUM *n = NULL, *e = NULL;
	char *why = NULL;
	if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) ||
	    !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e)) {
		/* TRANSLATORS: the last %s is the sentence "DPS expects the TPM's
		 * endorsement key as ...". */
		why = xasprintf(_("OpenSSL could not read this RSA public "
				  "key's modulus and exponent; %s"), expects());
	} else if (BN_num_bits(n) != 2048) {
		/* TRANSLATORS: the last %s is the sentence "DPS expects the TPM's
		 * endorsement key as ...". */
		why = xasprintf(_("this is a %d-bit RSA public key; the "
				  "standard EK this can be put in is RSA 2048 "
				  "(or ECC P-256), so its TPM2B_PUBLIC cannot be "
				  "rebuilt here; %s"), BN_num_bits(n),
				expects());
	} else if (!BN_is_word(e, 65537)) {
		char *dec = BN_bn2dec(e);
		/* TRANSLATORS: the last %s is the sentence "DPS expects the TPM's
		 * endorsement key as ...". */
		why = dec ? xasprintf(_("this RSA public key's exponent is "
					"%s; the standard EK's is 65537, so the "
					"key was not made from the standard "
					"template and its TPM2B_PUBLIC cannot be "
					"rebuilt here; %s"), dec, expects())
			  : xasprintf(_("this RSA public key's exponent is not "
					"readable; the standard EK's is 65537, "
					"so its TPM2B_PUBLIC cannot be rebuilt "
					"here; %s"), expects());
		OPENSSL_free(dec);
	} else {
		put_ek_head(w, ALG_RSA);
		put16(w, 2048);
		put32(w, 0);	/* the default exponent, 65537 */
		if (!put_bn(w, n, 256))
			why = xstrdup(_("OpenSSL could not write the modulus"));
	}
	BN_free(n);
	BN_free(e);
	ERR_clear_error();
	return why;
}

static char *
ecc_ek(const EVP_PKEY *key, struct writer *w)
{
	char group[64] = "";
	BIGNUM *x = NULL, *y = NULL;
	char *why = NULL;
	if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
					    group, sizeof(group), NULL) ||
	    strcmp(group, "prime256v1") != 0) {
		/* TRANSLATORS: the first %s is a curve's name
		 * ("secp384r1"); the last is the sentence "DPS expects the
		 * TPM's endorsement key as ...". */
		why = *group
			? xasprintf(_("this is an EC public key on curve %s; "
				      "the standard EK this can be put in is "
				      "ECC NIST P-256 (or RSA 2048), so its "
				      "TPM2B_PUBLIC cannot be rebuilt here; %s"),
				    group, expects())
			: xasprintf(_("this is an EC public key on an unnamed "
				      "curve; the standard EK this can be put "
				      "in is ECC NIST P-256 (or RSA 2048), so "
				      "its TPM2B_PUBLIC cannot be rebuilt here; "
				      "%s"), expects());
	} else if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
		   !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y)) {
		/* TRANSLATORS: the last %s is the sentence "DPS expects the TPM's
		 * endorsement key as ...". */
		why = xasprintf(_("OpenSSL could not read this EC public "
				  "key's point; %s"), expects());
	} else {
		put_ek_head(w, ALG_ECC);
		put16(w, CURVE_NIST_P256);
		put16(w, ALG_NULL);	/* no KDF */
		if (!put_bn(w, x, 32) || !put_bn(w, y, 32))
			why = xstrdup(_("OpenSSL could not write the point"));
	}
	BN_free(x);
	BN_free(y);
	ERR_clear_error();
	return why;
}

/* A key on its way to the DPS form. */
struct converted {
	unsigned char *tpm2b;	/* owned */
	size_t len;
	char *how;		/* what was done to the structure, or NULL */
	bool assumed;		/* built from a public key and a template */
	char *why;		/* when it cannot be converted, or NULL to ask
				 * the parser why */
};

static void
converted_clear(struct converted *c)
{
	free(c->tpm2b);
	free(c->how);
	free(c->why);
	memset(c, 0, sizeof(*c));
}

static void
take_writer(struct converted *c, const struct writer *w)
{
	c->len = w->n;
	c->tpm2b = xmalloc(w->n);
	memcpy(c->tpm2b, w->b, w->n);
}

static char *
assumed_note(const struct converted *c, const char *type, const char *handle)
{
	char print[24];
	fingerprint(c->tpm2b, c->len, print);
	/* TRANSLATORS: the template ("RSA 2048"), the fingerprint
	 * ("AB12-CD34-EF56-7890") and the TPM handle ("0x81010001"). */
	return xasprintf(_("assumed the standard EK template (TCG EK "
			   "Credential Profile, default %s) to put this public "
			   "key in a TPM2B_PUBLIC; the EK of a TPM that used "
			   "another template differs, and the device would "
			   "then fail to register, so check that the "
			   "fingerprint, %s, matches the first 16 hex digits "
			   "`sha256sum ek.pub` prints after `tpm2_readpublic "
			   "-c %s -f tss -o ek.pub` on the device"), type,
			 print, handle);
}

static bool
from_public_key(EVP_PKEY *key, struct converted *c)
{
	struct writer w = { .n = 0 };
	bool rsa = EVP_PKEY_is_a(key, "RSA");
	const char *type = EVP_PKEY_get0_type_name(key);
	if (rsa)
		c->why = rsa_ek(key, &w);
	else if (EVP_PKEY_is_a(key, "EC"))
		c->why = ecc_ek(key, &w);
	else
		/* TRANSLATORS: the first %s is a key type ("ED25519");
		 * the last is the sentence "DPS expects the TPM's
		 * endorsement key as ...". */
		c->why = type ? xasprintf(_("this is a public key of type %s; "
					    "a TPM's EK is RSA or ECC; %s"),
					  type, expects())
			      : xasprintf(_("this is a non-RSA, non-EC public "
					    "key; a TPM's EK is RSA or ECC; "
					    "%s"), expects());
	if (c->why)
		return false;
	put_size(&w);
	take_writer(c, &w);
	c->assumed = true;
	/* The conventional persistent handles for the RSA and ECC EK. */
	c->how = rsa ? assumed_note(c, "RSA 2048", "0x81010001")
		     : assumed_note(c, "ECC NIST P-256", "0x81010002");
	return true;
}

static bool
from_tpm(const unsigned char *b, size_t n, struct converted *c)
{
	enum tpm_key_form structure = tpm_structure(b, n);
	if (structure == TPM_FORM_TPM2B_PUBLIC) {
		c->len = n;
		c->tpm2b = xmalloc(n);
		memcpy(c->tpm2b, b, n);
		return true;
	}
	if (structure != TPM_FORM_TPMT_PUBLIC || n > 0xFFFF)
		return false;
	c->len = n + 2;
	c->tpm2b = xmalloc(n + 2);
	c->tpm2b[0] = (unsigned char)(n >> 8);
	c->tpm2b[1] = (unsigned char)n;
	memcpy(c->tpm2b + 2, b, n);
	c->how = xasprintf(_("added the 2-byte size prefix, 0x%04zX, that a "
			     "TPMT_PUBLIC (tpm2-tools `-f tpmt`) lacks"), n);
	return true;
}

/* Decoded bytes: a TPM structure, or a DER public key to put in the
 * standard EK template. */
static bool
from_bytes(const unsigned char *b, size_t n, struct converted *c)
{
	if (from_tpm(b, n, c))
		return true;
	EVP_PKEY *key = der_public_key(b, n);
	bool ok = key && from_public_key(key, c);
	EVP_PKEY_free(key);
	return ok;
}

static bool
has_space(const char *text)
{
	for (; *text; text++)
		if (isspace((unsigned char)*text))
			return true;
	return false;
}

/* Fills `c` from text; *wrapping says what was around the key. */
static bool
from_text(const char *text, struct converted *c, char **wrapping)
{
	*wrapping = NULL;
	if (strstr(text, "-----BEGIN ")) {
		struct armour a;
		bool ok = unarmour(text, &a) && from_bytes(a.body, a.len, c);
		if (ok)
			*wrapping = xasprintf(_("removed the -----BEGIN "
						"%s----- and -----END lines"),
					      a.name);
		armour_clear(&a);
		return ok;
	}
	unsigned char *bytes = NULL;
	size_t n = 0;
	if (b64_decode_loose(text, &bytes, &n, NULL) != B64_OK)
		return false;
	bool ok = from_bytes(bytes, n, c);
	free(bytes);
	if (ok && has_space(text))
		*wrapping = xstrdup(_("removed the spaces and line breaks"));
	return ok;
}

/* Binary is what tpm2-tools writes to a file unless asked for PEM; text
 * has no control characters but white space. */
static bool
is_binary(const unsigned char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (data[i] == 0x7F ||
		    (data[i] < 0x20 && !isspace(data[i])))
			return true;
	return false;
}

static bool
from_data(const unsigned char *data, size_t len, struct converted *c,
	  char **wrapping)
{
	if (!is_binary(data, len)) {
		char *text = xstrndup((const char *)data, len);
		bool ok = from_text(text, c, wrapping);
		if (!ok && !c->why) {
			struct tpm_key_info info;
			if (parse_text(text, &info, &c->why) && !c->why)
				/* TRANSLATORS: %s is the sentence "DPS
				 * expects the TPM's endorsement key as
				 * ...". */
				c->why = xasprintf(_("this key could not be "
						     "converted; %s"),
						   expects());
		}
		free(text);
		return ok;
	}
	*wrapping = NULL;
	if (from_bytes(data, len, c)) {
		*wrapping = xstrdup(_("encoded the binary data in base64"));
		return true;
	}
	if (!c->why)
		/* TRANSLATORS: the last %s is the sentence "DPS expects
		 * the TPM's endorsement key as ...". */
		c->why = xasprintf(_("this is %zu bytes of binary data but "
				     "neither a TPM2B_PUBLIC, a TPMT_PUBLIC "
				     "nor a DER public key; %s"), len,
				   expects());
	return false;
}

/* What was done, in the order it was done; NULL when nothing was. */
static char *
join_note(const char *wrapping, const char *how)
{
	if (wrapping && how)
		return xasprintf("%s; %s", wrapping, how);
	if (wrapping || how)
		return xstrdup(wrapping ? wrapping : how);
	return NULL;
}

char *
tpm_key_convert_data(const unsigned char *data, size_t len, char **note,
		     char **why)
{
	*note = NULL;
	*why = NULL;
	struct converted c = { 0 };
	char *wrapping = NULL;
	if (!from_data(data, len, &c, &wrapping)) {
		*why = c.why;
		c.why = NULL;
		converted_clear(&c);
		return NULL;
	}
	char *out = b64_encode(c.tpm2b, c.len);
	/* A public key's note says where it came from by itself. */
	*note = join_note(c.assumed ? NULL : wrapping, c.how);
	if (!*note && (len != strlen(out) || memcmp(data, out, len) != 0))
		*note = xstrdup(_("rewrote the base64 in its standard form"));
	free(wrapping);
	converted_clear(&c);
	return out;
}

char *
tpm_key_convert(const char *text, char **note, char **why)
{
	return tpm_key_convert_data((const unsigned char *)text, strlen(text),
				    note, why);
}

/* For a text that converts, the key it converts to, keeping the form
 * and the explanation of what the text is. */
static void
describe_converted(const char *text, struct tpm_key_info *info)
{
	struct converted c = { 0 };
	char *wrapping = NULL;
	if (from_text(text, &c, &wrapping)) {
		struct tpm_key_info key = { 0 };
		char *why = NULL;
		enum tpm_key_form form = info->form;
		if (classify(c.tpm2b, c.len, &key, &why)) {
			*info = key;
			info->form = form;
			fingerprint(c.tpm2b, c.len, info->fingerprint);
		}
		free(why);
	}
	free(wrapping);
	converted_clear(&c);
}

bool
tpm_key_parse(const char *text, struct tpm_key_info *info, char **why)
{
	bool ok = parse_text(text, info, why);
	if (!ok && (info->form == TPM_FORM_TPMT_PUBLIC ||
		    info->form == TPM_FORM_ARMOURED ||
		    info->form == TPM_FORM_PEM_PUBLIC_KEY))
		describe_converted(text, info);
	return ok;
}
