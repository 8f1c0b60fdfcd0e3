/* memmem */
#define _GNU_SOURCE
#include "model/x509pem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base/array.h"
#include "base/b64.h"
#include "base/i18n.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "model/keymat.h"

/* The certificates of the input, in input order. */
struct certs {
	X509 **items;
	size_t count;
	size_t cap;
};

static void
certs_push(struct certs *l, X509 *x)
{
	l->items = array_grow(l->items, l->count, &l->cap, sizeof(*l->items));
	l->items[l->count++] = x;
}

static void
certs_clear(struct certs *l)
{
	for (size_t i = 0; i < l->count; i++)
		X509_free(l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static bool
has_thumbprint(X509 *x, const char *sha256)
{
	unsigned char md[32];
	unsigned int n = 0;
	char hex[65] = "";
	if (!X509_digest(x, EVP_sha256(), md, &n) || n != 32)
		return false;
	for (unsigned i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02X", md[i]);
	return strcmp(hex, sha256) == 0;
}

/* Private key and other blocks are skipped by the reader. */
static void
pem_certs(const unsigned char *data, size_t len, struct certs *out)
{
	BIO *b = BIO_new_mem_buf(data, (int)len);
	X509 *x;
	while (b && (x = PEM_read_bio_X509_AUX(b, NULL, NULL, NULL)))
		certs_push(out, x);
	BIO_free(b);
	ERR_clear_error();
}

static void
der_certs(const unsigned char *data, size_t len, struct certs *out)
{
	const unsigned char *p = data, *end = data + len;
	X509 *x;
	while (p < end && (x = d2i_X509(NULL, &p, (long)(end - p))))
		certs_push(out, x);
	ERR_clear_error();
}

static void
base64_certs(const unsigned char *data, size_t len, struct certs *out)
{
	char *text = xstrndup((const char *)data, len);
	unsigned char *der;
	size_t der_len;
	if (b64_decode_loose(text, &der, &der_len, NULL) == B64_OK) {
		der_certs(der, der_len, out);
		free(der);
	}
	free(text);
}

static bool
is_cert_label(const char *label, size_t n)
{
	static const char *const names[] = { "CERTIFICATE", "X509 CERTIFICATE",
					     "TRUSTED CERTIFICATE" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && memcmp(label, names[i], n) == 0)
			return true;
	return false;
}

/* PEM blocks that are neither certificates nor private keys. */
static size_t
other_blocks(const char *text, size_t len)
{
	static const char begin[] = "-----BEGIN ";
	const size_t b = sizeof(begin) - 1;
	size_t n = 0;
	for (const char *p = text, *end = text + len;
	     (p = memmem(p, (size_t)(end - p), begin, b)); p += b) {
		const char *label = p + b;
		const char *dash = memchr(label, '-', (size_t)(end - label));
		size_t l = dash ? (size_t)(dash - label) : 0;
		if (l && !is_cert_label(label, l) &&
		    !memmem(label, l, "PRIVATE KEY", 11))
			n++;
	}
	return n;
}

static size_t
key_blocks(const char *text, size_t len)
{
	struct keymat_block b;
	size_t n = 0;
	for (size_t from = 0; keymat_next(text, len, from, &b); from = b.end)
		n++;
	return n;
}

/* The leaf (owned), found again by the thumbprint cert_info_read gave
 * it; the others are counted into *pick. */
static X509 *
take_leaf(struct certs *all, const char *sha256, struct cert_pick *pick)
{
	X509 *leaf = NULL;
	for (size_t i = 0; i < all->count; i++) {
		X509 *x = all->items[i];
		if (!leaf && has_thumbprint(x, sha256)) {
			leaf = x;
			all->items[i] = NULL;
		} else if (X509_get_extension_flags(x) & EXFLAG_CA) {
			pick->cas++;
		}
	}
	pick->certs = all->count;
	return leaf;
}

char *
cert_pem_of(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(b, x);
	char *mem;
	long n = BIO_get_mem_data(b, &mem);
	char *out = xstrndup(mem, (size_t)n);
	BIO_free(b);
	return out;
}

static X509 *
find_leaf(const unsigned char *data, size_t len, const struct cert_info *info,
	  struct cert_pick *pick)
{
	struct certs all = { 0 };
	if (info->format == CERT_FORMAT_PEM)
		pem_certs(data, len, &all);
	else if (info->format == CERT_FORMAT_DER)
		der_certs(data, len, &all);
	else
		base64_certs(data, len, &all);
	X509 *leaf = take_leaf(&all, info->sha256, pick);
	certs_clear(&all);
	if (info->format == CERT_FORMAT_PEM) {
		pick->keys = key_blocks((const char *)data, len);
		pick->others = other_blocks((const char *)data, len);
	}
	return leaf;
}

char *
cert_leaf_pick(const unsigned char *data, size_t len, struct cert_pick *pick,
	       char **why)
{
	struct cert_pick scratch;
	if (!pick)
		pick = &scratch;
	memset(pick, 0, sizeof(*pick));
	struct cert_info info;
	if (!cert_info_read(data, len, &info, why))
		return NULL;
	pick->format = info.format;
	X509 *x = find_leaf(data, len, &info, pick);
	pick->leaf_subject = xstrdup(info.subject);
	cert_info_clear(&info);
	char *pem = x ? cert_pem_of(x) : NULL;
	X509_free(x);
	if (!pem)
		*why = xstrdup(_("the certificate was read but could not be "
				 "re-encoded"));
	if (!pem || pick == &scratch)
		cert_pick_clear(pick);
	return pem;
}

char *
cert_leaf_pem(const unsigned char *data, size_t len, char **why)
{
	return cert_leaf_pick(data, len, NULL, why);
}

void
cert_pick_clear(struct cert_pick *pick)
{
	free(pick->leaf_subject);
	memset(pick, 0, sizeof(*pick));
}

/* Joins the parts that are set: "a, b and c". */
static char *
join_parts(char *const *parts, size_t n)
{
	struct strbuf out = STRBUF_INIT;
	size_t done = 0, total = 0;
	for (size_t i = 0; i < n; i++)
		total += parts[i] != NULL;
	for (size_t i = 0; i < n; i++) {
		if (!parts[i])
			continue;
		done++;
		/* TRANSLATORS: what joins the last two items of a list, as
		 * in "a private key, 2 CA certificates and 1 other PEM
		 * block"; keep its spaces. */
		strbuf_add_sep(&out, done == total ? _(" and ") : ", ",
			       parts[i]);
	}
	return strbuf_take(&out);
}

static char *
keys_dropped(size_t n)
{
	if (n == 1)
		return xstrdup(_("a private key"));
	return xasprintf(ngettext("%zu private key", "%zu private keys", n),
			 n);
}

char *
cert_pick_note(const struct cert_pick *p)
{
	size_t plain = p->certs > 1 + p->cas ? p->certs - 1 - p->cas : 0;
	char *parts[4] = {
		p->keys ? keys_dropped(p->keys) : NULL,
		p->cas ? xasprintf(ngettext("%zu CA certificate",
					    "%zu CA certificates", p->cas),
				   p->cas) : NULL,
		plain ? xasprintf(ngettext("%zu other certificate",
					   "%zu other certificates", plain),
				  plain) : NULL,
		p->others ? xasprintf(ngettext("%zu other PEM block",
					       "%zu other PEM blocks",
					       p->others), p->others) : NULL,
	};
	char *dropped = join_parts(parts, 4);
	for (size_t i = 0; i < 4; i++)
		free(parts[i]);
	char *note = NULL;
	if (*dropped)
		/* TRANSLATORS: %s lists what was dropped: "a private key and
		 * 2 CA certificates". */
		note = xasprintf(_("kept the device certificate; dropped %s"),
				 dropped);
	else if (p->format == CERT_FORMAT_DER)
		note = xstrdup(_("converted the certificate from DER to PEM"));
	else if (p->format == CERT_FORMAT_BASE64_DER)
		note = xstrdup(_("converted the certificate from base64 of "
				 "DER to PEM"));
	free(dropped);
	return note;
}
