#include "model/x509info.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base/array.h"
#include "base/b64.h"
#include "base/i18n.h"
#include "base/xalloc.h"

/* Most specific RDN first, ", " between them, UTF-8 left as it is (a
 * technician compares it with what the portal shows, not with escapes). */
#define NAME_FLAGS \
	(XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_DN_REV | XN_FLAG_FN_SN | \
	 XN_FLAG_DUMP_UNKNOWN_FIELDS | ASN1_STRFLGS_ESC_2253 | \
	 ASN1_STRFLGS_ESC_CTRL | ASN1_STRFLGS_UTF8_CONVERT | \
	 ASN1_STRFLGS_DUMP_UNKNOWN | ASN1_STRFLGS_DUMP_DER)

/* The certificates found in the input, in input order. */
struct cert_list {
	X509 **items;
	size_t count;
	size_t cap;
};

static void
list_push(struct cert_list *l, X509 *x)
{
	l->items = array_grow(l->items, l->count, &l->cap, sizeof(*l->items));
	l->items[l->count++] = x;
}

static void
list_clear(struct cert_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		X509_free(l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* ---- recognising the input ---- */

static bool
is_cert_block(const char *name)
{
	return strcmp(name, PEM_STRING_X509) == 0 ||
	       strcmp(name, PEM_STRING_X509_OLD) == 0 ||
	       strcmp(name, PEM_STRING_X509_TRUSTED) == 0;
}

static char *
explain_pem_block(const char *name)
{
	if (strstr(name, "PRIVATE KEY"))
		return xstrdup(_("this is a PEM private key, not a "
				 "certificate; give the device's certificate "
				 "(-----BEGIN CERTIFICATE-----)"));
	if (strstr(name, "PUBLIC KEY"))
		return xstrdup(_("this is a PEM public key, not a certificate; "
				 "give the device's certificate (-----BEGIN "
				 "CERTIFICATE-----)"));
	if (strstr(name, "CERTIFICATE REQUEST"))
		return xstrdup(_("this is a certificate signing request (CSR), "
				 "not a certificate; give the certificate the "
				 "CA issued from it "
				 "(-----BEGIN CERTIFICATE-----)"));
	if (strcmp(name, PEM_STRING_PKCS7) == 0)
		return xstrdup(_("this is a PKCS#7 bundle, not a certificate; "
				 "take the certificates out with `openssl pkcs7 "
				 "-print_certs` and give the device's one"));
	return xasprintf(_("this is a PEM \"%s\" block, not a certificate; "
			   "give the device's certificate (-----BEGIN "
			   "CERTIFICATE-----)"), name);
}

enum der_kind {
	DER_UNKNOWN,
	DER_CSR,
	DER_PUBLIC_KEY,
	DER_PRIVATE_KEY,
};

/* What a DER blob that is not a certificate is. */
static enum der_kind
der_kind(const unsigned char *der, size_t len)
{
	enum der_kind kind = DER_UNKNOWN;
	const unsigned char *p = der;
	X509_REQ *req = d2i_X509_REQ(NULL, &p, (long)len);
	if (req) {
		kind = DER_CSR;
		X509_REQ_free(req);
	}
	p = der;
	EVP_PKEY *key = kind ? NULL : d2i_PUBKEY(NULL, &p, (long)len);
	if (key)
		kind = DER_PUBLIC_KEY;
	p = der;
	if (!kind && (key = d2i_AutoPrivateKey(NULL, &p, (long)len)))
		kind = DER_PRIVATE_KEY;
	EVP_PKEY_free(key);
	ERR_clear_error();
	return kind;
}

/* True when all `len` bytes are one or more DER certificates. */
static bool
read_der(const unsigned char *der, size_t len, struct cert_list *certs)
{
	const unsigned char *p = der, *end = der + len;
	while (p < end) {
		X509 *x = d2i_X509(NULL, &p, end - p);
		if (!x) {
			ERR_clear_error();
			list_clear(certs);
			return false;
		}
		list_push(certs, x);
	}
	return certs->count > 0;
}

static void
take_pem_cert(const char *name, const unsigned char *body, long n,
	      struct cert_list *certs, size_t *broken)
{
	const unsigned char *p = body;
	X509 *x = strcmp(name, PEM_STRING_X509_TRUSTED) == 0
			  ? d2i_X509_AUX(NULL, &p, n)
			  : d2i_X509(NULL, &p, n);
	if (x) {
		list_push(certs, x);
	} else {
		(*broken)++;
		ERR_clear_error();
	}
}

struct pem_scan {
	size_t blocks;
	size_t broken;		/* CERTIFICATE blocks whose DER is bad */
	char *other;		/* the first block that is no certificate */
	bool clean_end;		/* ran out of blocks rather than failing */
	char err[120];
};

static void
scan_pem(BIO *bio, struct cert_list *certs, struct pem_scan *scan)
{
	char *name, *header;
	unsigned char *body;
	long n;
	ERR_clear_error();
	while (PEM_read_bio(bio, &name, &header, &body, &n)) {
		scan->blocks++;
		if (is_cert_block(name))
			take_pem_cert(name, body, n, certs, &scan->broken);
		else if (!scan->other)
			scan->other = xstrdup(name);
		OPENSSL_free(name);
		OPENSSL_free(header);
		/* The block may have been a private key. */
		OPENSSL_clear_free(body, (size_t)n);
	}
	unsigned long e = ERR_peek_last_error();
	scan->clean_end = e == 0 || (ERR_GET_LIB(e) == ERR_LIB_PEM &&
				     ERR_GET_REASON(e) == PEM_R_NO_START_LINE);
	const char *reason = ERR_reason_error_string(e);
	snprintf(scan->err, sizeof(scan->err), "%s", reason ? reason : "");
	ERR_clear_error();
}

/* Returns false when the input is no PEM at all, so other forms are tried;
 * otherwise true, with the certificates or an explanation in *why. */
static bool
read_pem(const unsigned char *data, size_t len, struct cert_list *certs,
	 char **why)
{
	BIO *bio = BIO_new_mem_buf(data, (int)len);
	if (!bio) {
		*why = xstrdup(_("OpenSSL could not open the input"));
		return true;
	}
	struct pem_scan scan = { 0 };
	scan_pem(bio, certs, &scan);
	BIO_free(bio);
	bool looked_like_pem = scan.blocks || !scan.clean_end;
	if (!scan.clean_end)
		/* TRANSLATORS: %s is OpenSSL's reason, in English. */
		*why = xasprintf(_("this looks like PEM but a block does not "
				   "decode (%s); keep every line of the "
				   "-----BEGIN ... ----- block as it was, with "
				   "its line breaks"), scan.err);
	else if (scan.broken)
		*why = xstrdup(_("a CERTIFICATE block here does not hold a "
				 "valid certificate (damaged or cut short?); "
				 "give the device's certificate (-----BEGIN "
				 "CERTIFICATE-----)"));
	else if (!certs->count && scan.other)
		*why = explain_pem_block(scan.other);
	free(scan.other);
	if (*why)
		list_clear(certs);
	return looked_like_pem;
}

static char *
explain_der(const unsigned char *der, size_t len, bool from_base64)
{
	switch (der_kind(der, len)) {
	case DER_CSR:
		return xstrdup(from_base64
			? _("this is base64 of a certificate signing request "
			    "(CSR), not a certificate; give the device's "
			    "certificate (-----BEGIN CERTIFICATE-----)")
			: _("this is a certificate signing request (CSR), not "
			    "a certificate; give the device's certificate "
			    "(-----BEGIN CERTIFICATE-----)"));
	case DER_PUBLIC_KEY:
		return xstrdup(from_base64
			? _("this is base64 of a public key, not a "
			    "certificate; give the device's certificate "
			    "(-----BEGIN CERTIFICATE-----)")
			: _("this is a public key, not a certificate; give the "
			    "device's certificate (-----BEGIN CERTIFICATE-----)"));
	case DER_PRIVATE_KEY:
		return xstrdup(from_base64
			? _("this is base64 of a private key, not a "
			    "certificate; give the device's certificate "
			    "(-----BEGIN CERTIFICATE-----)")
			: _("this is a private key, not a certificate; give the "
			    "device's certificate (-----BEGIN "
			    "CERTIFICATE-----)"));
	case DER_UNKNOWN:
		break;
	}
	if (from_base64)
		return xasprintf(_("this is base64, but its %zu bytes are not a "
				   "DER certificate; expected PEM (-----BEGIN "
				   "CERTIFICATE-----), base64 of DER, or DER"),
				 len);
	return xstrdup(_("not a certificate: expected PEM (-----BEGIN "
			 "CERTIFICATE-----), base64 of DER, or DER"));
}

static bool
read_base64(const unsigned char *data, size_t len, struct cert_list *certs,
	    char **why)
{
	if (memchr(data, '\0', len))
		return false;
	char *text = xstrndup((const char *)data, len);
	unsigned char *der = NULL;
	size_t der_len = 0;
	enum b64_status st = b64_decode_loose(text, &der, &der_len, NULL);
	free(text);
	if (st != B64_OK)
		return false;
	if (!read_der(der, der_len, certs))
		*why = explain_der(der, der_len, true);
	free(der);
	return true;
}

static bool
has_pem_begin(const unsigned char *data, size_t len)
{
	static const char begin[] = "-----BEGIN ";
	size_t n = sizeof(begin) - 1;
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(data + i, begin, n) == 0)
			return true;
	return false;
}

/* Fills `certs` (at least one) or sets *why. */
static enum cert_format
read_any(const unsigned char *data, size_t len, struct cert_list *certs,
	 char **why)
{
	if (len == 0 || len > INT_MAX) {
		*why = xstrdup(len
			? _("the input is too large to be a certificate; "
			    "expected PEM (-----BEGIN CERTIFICATE-----), base64 "
			    "of DER, or DER")
			: _("nothing was given; expected PEM (-----BEGIN "
			    "CERTIFICATE-----), base64 of DER, or DER"));
		return CERT_FORMAT_DER;
	}
	if (read_pem(data, len, certs, why))
		return CERT_FORMAT_PEM;
	if (read_der(data, len, certs))
		return CERT_FORMAT_DER;
	if (read_base64(data, len, certs, why))
		return CERT_FORMAT_BASE64_DER;
	if (has_pem_begin(data, len)) {
		*why = xstrdup(_("this has a -----BEGIN line but no PEM block "
				 "OpenSSL can read; the BEGIN and END lines "
				 "must each be on a line of their own (were "
				 "the line breaks lost in pasting?)"));
		return CERT_FORMAT_PEM;
	}
	*why = explain_der(data, len, false);
	return CERT_FORMAT_DER;
}

/* ---- choosing the leaf ---- */

static bool
issued_another(const struct cert_list *certs, size_t i)
{
	const X509_NAME *subject = X509_get_subject_name(certs->items[i]);
	for (size_t j = 0; j < certs->count; j++)
		if (j != i &&
		    X509_NAME_cmp(subject,
				  X509_get_issuer_name(certs->items[j])) == 0)
			return true;
	return false;
}

static size_t
leaf_index(const struct cert_list *certs)
{
	for (size_t i = 0; i < certs->count; i++)
		if (!issued_another(certs, i))
			return i;
	return 0;
}

/* ---- describing one certificate ---- */

static char *
name_text(const X509_NAME *name)
{
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio)
		return NULL;
	char *out = NULL;
	if (X509_NAME_print_ex(bio, name, 0, NAME_FLAGS) >= 0) {
		char *mem;
		long n = BIO_get_mem_data(bio, &mem);
		out = xstrndup(mem, (size_t)(n > 0 ? n : 0));
	}
	BIO_free(bio);
	return out;
}

/* The most specific CN (the last one in the name), as UTF-8. */
static char *
common_name(const X509_NAME *name)
{
	int idx = -1, last = -1;
	while ((idx = X509_NAME_get_index_by_NID(name, NID_commonName,
						 idx)) >= 0)
		last = idx;
	if (last < 0)
		return NULL;
	const ASN1_STRING *value =
		X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last));
	unsigned char *utf8;
	int n = ASN1_STRING_to_UTF8(&utf8, value);
	if (n < 0)
		return NULL;
	char *cn = xstrndup((const char *)utf8, (size_t)n);
	OPENSSL_free(utf8);
	return cn;
}

static char *
serial_hex(const X509 *x)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	char *out = hex ? xstrdup(hex) : NULL;
	OPENSSL_free(hex);
	BN_free(bn);
	return out;
}

static bool
thumbprint(const X509 *x, const EVP_MD *md, char *out, size_t out_size)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int n;
	if (!X509_digest(x, md, digest, &n))
		return false;
	return OPENSSL_buf2hexstr_ex(out, out_size, NULL, digest, n, '\0') == 1;
}

static bool
time_of(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return false;
	*out = timegm(&tm);
	return true;
}

static void
describe_key(X509 *x, struct cert_info *info)
{
	EVP_PKEY *key = X509_get0_pubkey(x);
	if (!key) {
		snprintf(info->key_type, sizeof(info->key_type), "unknown");
		return;
	}
	const char *type = EVP_PKEY_get0_type_name(key);
	if (!type)
		type = OBJ_nid2sn(EVP_PKEY_get_base_id(key));
	snprintf(info->key_type, sizeof(info->key_type), "%s",
		 type ? type : "unknown");
	info->key_bits = EVP_PKEY_get_bits(key);
	if (EVP_PKEY_is_a(key, "EC") &&
	    !EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
					    info->curve, sizeof(info->curve),
					    NULL))
		info->curve[0] = '\0';
}

static bool
describe(X509 *x, struct cert_info *info)
{
	info->subject = name_text(X509_get_subject_name(x));
	info->issuer = name_text(X509_get_issuer_name(x));
	info->common_name = common_name(X509_get_subject_name(x));
	info->serial = serial_hex(x);
	info->version = (int)X509_get_version(x) + 1;
	uint32_t flags = X509_get_extension_flags(x);
	info->is_ca = (flags & EXFLAG_CA) != 0;
	info->key_cert_sign = (flags & EXFLAG_KUSAGE) &&
			      (X509_get_key_usage(x) & KU_KEY_CERT_SIGN);
	info->self_signed = X509_self_signed(x, 1) == 1;
	describe_key(x, info);
	bool ok = info->subject && info->issuer && info->serial &&
		  thumbprint(x, EVP_sha1(), info->sha1, sizeof(info->sha1)) &&
		  thumbprint(x, EVP_sha256(), info->sha256,
			     sizeof(info->sha256)) &&
		  time_of(X509_get0_notBefore(x), &info->not_before) &&
		  time_of(X509_get0_notAfter(x), &info->not_after);
	ERR_clear_error();
	return ok;
}

bool
cert_info_read(const unsigned char *data, size_t len, struct cert_info *info,
	       char **why)
{
	memset(info, 0, sizeof(*info));
	*why = NULL;
	struct cert_list certs = { 0 };
	info->format = read_any(data, len, &certs, why);
	if (*why)
		return false;
	info->chain_length = certs.count;
	bool ok = describe(certs.items[leaf_index(&certs)], info);
	list_clear(&certs);
	if (!ok) {
		cert_info_clear(info);
		*why = xstrdup(_("OpenSSL read the certificate but could not "
				 "take its names, thumbprints or dates apart"));
	}
	return ok;
}

void
cert_info_clear(struct cert_info *info)
{
	free(info->subject);
	free(info->issuer);
	free(info->common_name);
	free(info->serial);
	memset(info, 0, sizeof(*info));
}

enum cert_role
cert_info_role(const struct cert_info *info)
{
	if (info->key_cert_sign || (info->is_ca && !info->self_signed))
		return CERT_ROLE_ISSUING_CA;
	return info->self_signed ? CERT_ROLE_SELF_SIGNED : CERT_ROLE_LEAF;
}

/* ---- validity ---- */

#define DAY_SECONDS 86400

static long
days_until(time_t now, time_t then)
{
	double seconds = difftime(then, now);
	long days = (long)(seconds / DAY_SECONDS);
	/* Division truncates toward zero; the first day after is -1. */
	if (seconds < 0 && seconds != (double)days * DAY_SECONDS)
		days--;
	return days;
}

enum cert_validity
cert_info_validity(const struct cert_info *info, time_t now, long *days_left)
{
	long days = days_until(now, info->not_after);
	if (days_left)
		*days_left = days;
	if (now > info->not_after)
		return CERT_EXPIRED;
	if (now < info->not_before)
		return CERT_NOT_YET_VALID;
	if (difftime(info->not_after, now) <= (double)CERT_SOON_DAYS *
						       DAY_SECONDS)
		return CERT_EXPIRES_SOON;
	return CERT_VALID;
}

/* Whole days in `seconds` (>= 0), rounded down. */
static long
whole_days(double seconds)
{
	return (long)(seconds / DAY_SECONDS);
}

/* Each state with its count of days is one whole sentence: "EXPIRED 3
 * days ago", "expires soon, less than a day left". */
char *
cert_validity_text(const struct cert_info *info, time_t now)
{
	enum cert_validity v = cert_info_validity(info, now, NULL);
	long d;
	switch (v) {
	case CERT_EXPIRED:
		d = whole_days(difftime(now, info->not_after));
		return d < 1 ? xstrdup(_("EXPIRED less than a day ago"))
			     : xasprintf(ngettext("EXPIRED %ld day ago",
						  "EXPIRED %ld days ago", d), d);
	case CERT_NOT_YET_VALID:
		d = whole_days(difftime(info->not_before, now));
		return d < 1 ? xstrdup(_("not valid yet, starts in less than "
					 "a day"))
			     : xasprintf(ngettext("not valid yet, starts in %ld "
						  "day",
						  "not valid yet, starts in %ld "
						  "days", d), d);
	case CERT_EXPIRES_SOON:
		d = whole_days(difftime(info->not_after, now));
		return d < 1 ? xstrdup(_("expires soon, less than a day left"))
			     : xasprintf(ngettext("expires soon, %ld day left",
						  "expires soon, %ld days left",
						  d), d);
	default:
		d = whole_days(difftime(info->not_after, now));
		return d < 1 ? xstrdup(_("valid, less than a day left"))
			     : xasprintf(ngettext("valid, %ld day left",
						  "valid, %ld days left", d), d);
	}
}

/* ---- output ---- */

void
format_utc(time_t t, char buf[21])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) ||
	    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		snprintf(buf, 21, "%s", t < 0 ? "0000-01-01T00:00:00Z"
					      : "9999-12-31T23:59:59Z");
}

static const char *
format_name(enum cert_format f)
{
	switch (f) {
	case CERT_FORMAT_PEM:
		return "PEM";
	case CERT_FORMAT_BASE64_DER:
		return "base64 DER";
	case CERT_FORMAT_DER:
		return "DER";
	}
	return "unknown";
}

static void
add_time(cJSON *o, const char *key, time_t t)
{
	char buf[21];
	format_utc(t, buf);
	cJSON_AddStringToObject(o, key, buf);
}

static void
add_key_json(cJSON *o, const struct cert_info *info)
{
	cJSON_AddStringToObject(o, "keyType", info->key_type);
	cJSON_AddNumberToObject(o, "keyBits", info->key_bits);
	if (strcmp(info->key_type, "EC") == 0)
		cJSON_AddStringToObject(o, "curve", info->curve);
	cJSON_AddBoolToObject(o, "isCA", info->is_ca);
	cJSON_AddBoolToObject(o, "selfSigned", info->self_signed);
	cJSON_AddBoolToObject(o, "keyCertSign", info->key_cert_sign);
}

cJSON *
cert_info_to_json(const struct cert_info *info)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "format", format_name(info->format));
	cJSON_AddNumberToObject(o, "chainLength", (double)info->chain_length);
	cJSON_AddStringToObject(o, "subject", info->subject);
	cJSON_AddStringToObject(o, "issuer", info->issuer);
	if (info->common_name)
		cJSON_AddStringToObject(o, "commonName", info->common_name);
	else
		cJSON_AddNullToObject(o, "commonName");
	cJSON_AddStringToObject(o, "serialNumber", info->serial);
	cJSON_AddStringToObject(o, "sha1Thumbprint", info->sha1);
	cJSON_AddStringToObject(o, "sha256Thumbprint", info->sha256);
	add_time(o, "notBefore", info->not_before);
	add_time(o, "notAfter", info->not_after);
	cJSON_AddNumberToObject(o, "version", info->version);
	add_key_json(o, info);
	if (info->chain_length > 1)
		cJSON_AddTrueToObject(o, "leafChosenFromChain");
	return o;
}

static char *
key_text(const struct cert_info *info)
{
	if (info->curve[0])
		/* TRANSLATORS: a key's type, size and curve: "EC 256 bits
		 * (prime256v1)". */
		return xasprintf(_("%s %d bits (%s)"), info->key_type,
				 info->key_bits, info->curve);
	/* TRANSLATORS: a key's type and size: "RSA 2048 bits". */
	return xasprintf(_("%s %d bits"), info->key_type, info->key_bits);
}

static char *
chain_text(const struct cert_info *info)
{
	if (info->chain_length <= 1)
		return xstrdup("");
	/* TRANSLATORS: a line of `dpsenroll certinfo --text`; its label
	 * lines up with the other labels of that output. */
	return xasprintf(ngettext("Chain:        the leaf was chosen out of a "
				  "chain of %zu certificate\n",
				  "Chain:        the leaf was chosen out of a "
				  "chain of %zu certificates\n",
				  info->chain_length), info->chain_length);
}

static const char *
ca_text(const struct cert_info *info)
{
	if (info->key_cert_sign)
		return info->is_ca ? _("yes, issues certificates (keyCertSign)")
				   : _("no, but keyUsage has keyCertSign");
	return info->is_ca ? _("yes (CA:TRUE)") : _("no");
}

char *
cert_info_to_text(const struct cert_info *info)
{
	char from[21], to[21];
	format_utc(info->not_before, from);
	format_utc(info->not_after, to);
	char *key = key_text(info);
	char *chain = chain_text(info);
	/* TRANSLATORS: `dpsenroll certinfo --text`; keep the values lined
	 * up in one column, and the last %s (the chain's line, or nothing)
	 * right after the last new line. */
	char *s = xasprintf(_(
		"Subject:      %s\nIssuer:       %s\nCommon name:  %s\n"
		"Serial:       %s\nSHA-1:        %s\nSHA-256:      %s\n"
		"Not before:   %s\nNot after:    %s\nVersion:      %d\n"
		"Key:          %s\nCA:           %s\nSelf-signed:  %s\n"
		"Format:       %s\n%s"),
		info->subject, info->issuer,
		info->common_name ? info->common_name : _("(none)"),
		info->serial, info->sha1, info->sha256, from, to,
		info->version, key, ca_text(info),
		info->self_signed ? _("yes") : _("no"),
		format_name(info->format), chain);
	free(key);
	free(chain);
	return s;
}

/* The service reads the serial as the DER integer's bytes, so a positive
 * serial whose top bit is set keeps the 00 byte that DER puts before it. */
static char *
service_serial(const char *serial)
{
	if (serial[0] && strchr("89ABCDEF", serial[0]))
		return xasprintf("00%s", serial);
	return xstrdup(serial);
}

cJSON *
cert_info_to_service_json(const struct cert_info *info)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "subjectName", info->subject);
	cJSON_AddStringToObject(o, "sha1Thumbprint", info->sha1);
	cJSON_AddStringToObject(o, "sha256Thumbprint", info->sha256);
	cJSON_AddStringToObject(o, "issuerName", info->issuer);
	add_time(o, "notBeforeUtc", info->not_before);
	add_time(o, "notAfterUtc", info->not_after);
	char *serial = service_serial(info->serial);
	cJSON_AddStringToObject(o, "serialNumber", serial);
	free(serial);
	cJSON_AddNumberToObject(o, "version", info->version);
	return o;
}
