/* memmem */
#define _GNU_SOURCE
#include "model/keymat.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "base/b64.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "model/schema.h"

static const char BEGIN[] = "-----BEGIN ";
enum { BEGIN_LEN = sizeof(BEGIN) - 1, DASHES_LEN = 5 };

/* ---- finding blocks ---- */

/* Length of the label at p, up to the "-----" that closes a BEGIN line;
 * 0 when what follows "-----BEGIN " is no label. */
static size_t
label_len(const char *p, const char *end)
{
	size_t n = 0;
	while (p + n < end && n < KEYMAT_LABEL_SIZE - 1 &&
	       (isalnum((unsigned char)p[n]) || p[n] == ' '))
		n++;
	if (n == 0 || end - (p + n) < DASHES_LEN ||
	    memcmp(p + n, "-----", DASHES_LEN) != 0)
		return 0;
	return n;
}

/* Labels are upper case by the PEM rules; a key typed out in lower case
 * is still a key. */
static bool
names_private_key(const char *label, size_t n)
{
	static const char want[] = "PRIVATE KEY";
	size_t m = sizeof(want) - 1;
	for (size_t i = 0; i + m <= n; i++)
		if (strncasecmp(label + i, want, m) == 0)
			return true;
	return false;
}

/* Where the block whose label is b->label ends: after its END line and
 * that line's break, or at the end of the text. */
static size_t
block_end(const char *text, size_t len, size_t body, const char *label)
{
	char *end_line = xasprintf("-----END %s-----", label);
	size_t n = strlen(end_line);
	const char *at = memmem(text + body, len - body, end_line, n);
	free(end_line);
	if (!at)
		return len;
	size_t e = (size_t)(at - text) + n;
	if (e < len && text[e] == '\r')
		e++;
	if (e < len && text[e] == '\n')
		e++;
	return e;
}

bool
keymat_next(const char *text, size_t len, size_t from, struct keymat_block *b)
{
	const char *end = text + len;
	const char *p = from < len ? text + from : end;
	while (p < end && (p = memmem(p, (size_t)(end - p), BEGIN, BEGIN_LEN))) {
		const char *label = p + BEGIN_LEN;
		size_t n = label_len(label, end);
		if (n && names_private_key(label, n)) {
			b->start = (size_t)(p - text);
			memcpy(b->label, label, n);
			b->label[n] = '\0';
			size_t body = (size_t)(label - text) + n + DASHES_LEN;
			b->end = block_end(text, len, body, b->label);
			return true;
		}
		p += BEGIN_LEN;
	}
	return false;
}

bool
keymat_in_text(const char *text)
{
	struct keymat_block b;
	return text && keymat_next(text, strlen(text), 0, &b);
}

/* ---- files ---- */

/* All of `len` bytes are one DER private key, plain or encrypted. */
/* Every private key encoding (PKCS#1, SEC1, PKCS#8, sealed PKCS#8) is
 * one DER SEQUENCE spanning the data. Checked first because OpenSSL's
 * decoders cost milliseconds a call, and ids, hub names and keys typed
 * in the form are checked on every draft save. */
static bool
der_one_sequence(const unsigned char *der, size_t len)
{
	if (len < 2 || der[0] != 0x30)
		return false;
	size_t head = 2, body = der[1];
	if (der[1] & 0x80) {
		size_t n = der[1] & 0x7f;
		if (n == 0 || n > 4 || len < 2 + n)
			return false;
		body = 0;
		for (size_t i = 0; i < n; i++)
			body = body << 8 | der[2 + i];
		head += n;
	}
	return body == len - head;
}

static bool
der_private_key(const unsigned char *der, size_t len)
{
	if (!der_one_sequence(der, len))
		return false;
	const unsigned char *p = der;
	EVP_PKEY *key = d2i_AutoPrivateKey(NULL, &p, (long)len);
	bool whole = key && p == der + len;
	EVP_PKEY_free(key);
	if (!whole) {
		p = der;
		X509_SIG *sealed = d2i_X509_SIG(NULL, &p, (long)len);
		whole = sealed && p == der + len;
		X509_SIG_free(sealed);
	}
	ERR_clear_error();
	return whole;
}

static bool
base64_private_key(const unsigned char *data, size_t len)
{
	if (memchr(data, '\0', len))
		return false;
	char *text = xstrndup((const char *)data, len);
	unsigned char *der = NULL;
	size_t der_len = 0;
	bool key = b64_decode_loose(text, &der, &der_len, NULL) == B64_OK &&
		   der_private_key(der, der_len);
	secret_free(der, der_len);
	secret_str_free(text);
	return key;
}

bool
keymat_in_data(const unsigned char *data, size_t len)
{
	struct keymat_block b;
	if (keymat_next((const char *)data, len, 0, &b))
		return true;
	/* OpenSSL takes lengths as long; no key file comes near that. */
	if (len == 0 || len > INT_MAX)
		return false;
	return der_private_key(data, len) || base64_private_key(data, len);
}

/* ---- taking blocks out ---- */

static bool
only_space(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

char *
keymat_strip(const char *text, size_t *dropped)
{
	size_t len = strlen(text), from = 0, n = 0, count = 0;
	char *out = xmalloc(len + 1);
	struct keymat_block b;
	while (keymat_next(text, len, from, &b)) {
		memcpy(out + n, text + from, b.start - from);
		n += b.start - from;
		from = b.end;
		count++;
	}
	memcpy(out + n, text + from, len - from);
	n += len - from;
	out[n] = '\0';
	if (count && only_space(out))
		out[0] = '\0';
	if (dropped)
		*dropped = count;
	return out;
}

/* Replaces a string cJSON owns with its stripped copy; the old one is
 * wiped before it goes. */
static size_t
strip_owned(char **slot, bool owned)
{
	size_t dropped = 0;
	char *clean = keymat_strip(*slot, &dropped);
	if (dropped) {
		size_t n = strlen(clean) + 1;
		char *copy = cJSON_malloc(n);
		if (copy) {
			memcpy(copy, clean, n);
			OPENSSL_cleanse(*slot, strlen(*slot));
			if (owned)
				cJSON_free(*slot);
			*slot = copy;
		}
	}
	free(clean);
	return dropped;
}

bool
keymat_in_json(const cJSON *node)
{
	if (!node)
		return false;
	if (keymat_in_text(node->string))
		return true;
	if (cJSON_IsString(node) && keymat_in_text(node->valuestring))
		return true;
	for (const cJSON *c = node->child; c; c = c->next)
		if (keymat_in_json(c))
			return true;
	return false;
}

size_t
keymat_strip_json(cJSON *node)
{
	if (!node || (node->type & cJSON_IsReference))
		return 0;
	size_t dropped = 0;
	if (keymat_in_text(node->string)) {
		bool owned = !(node->type & cJSON_StringIsConst);
		dropped += strip_owned(&node->string, owned);
		node->type &= ~cJSON_StringIsConst;
	}
	if (cJSON_IsString(node) && keymat_in_text(node->valuestring))
		dropped += strip_owned(&node->valuestring, true);
	for (cJSON *c = node->child; c; c = c->next)
		dropped += keymat_strip_json(c);
	return dropped;
}

/* ---- findings ---- */

/* Each sentence is here twice, with the block's label and without, so
 * that a translation keeps it whole. */
char *
keymat_message(const char *path, const char *text)
{
	struct keymat_block b;
	const char *label = keymat_next(text, strlen(text), 0, &b) ? b.label
								 : NULL;
	const struct field_def *row = schema_find(path);
	bool certificate = row && field_holds_certificate(row);
	if (certificate && strstr(text, "-----BEGIN CERTIFICATE-----"))
		return label
		       ? xasprintf(_("a private key (-----BEGIN %s-----) is "
				     "here with the certificate; the key stays "
				     "on the device: give the certificate "
				     "alone"), label)
		       : xstrdup(_("a private key is here with the "
				   "certificate; the key stays on the device: "
				   "give the certificate alone"));
	if (certificate)
		return label
		       ? xasprintf(_("this is a private key (-----BEGIN "
				     "%s-----); it stays on the device, give "
				     "its certificate (-----BEGIN "
				     "CERTIFICATE-----)"), label)
		       : xstrdup(_("this is a private key; it stays on the "
				   "device, give its certificate (-----BEGIN "
				   "CERTIFICATE-----)"));
	if (row && row->content == FC_TPM_KEY)
		return label
		       ? xasprintf(_("this is a private key (-----BEGIN "
				     "%s-----); it stays on the device, give "
				     "the TPM key's public part (tpm2_readpublic "
				     "-c HANDLE -f tss -o key.pub)"), label)
		       : xstrdup(_("this is a private key; it stays on the "
				   "device, give the TPM key's public part "
				   "(tpm2_readpublic -c HANDLE -f tss -o "
				   "key.pub)"));
	return label
	       ? xasprintf(_("this holds a private key (-----BEGIN %s-----); "
			     "a private key stays on the device and is never "
			     "sent to DPS: remove it"), label)
	       : xstrdup(_("this holds a private key; a private key stays "
			   "on the device and is never sent to DPS: remove "
			   "it"));
}

void
keymat_check_text(const char *path, const char *text, struct findings *out)
{
	if (!keymat_in_text(text))
		return;
	char *msg = keymat_message(path, text);
	findings_add(out, path, SEV_ERROR, "%s", msg);
	free(msg);
}

static void
check_members(const char *path, const cJSON *obj, struct findings *out)
{
	for (const cJSON *c = obj->child; c; c = c->next) {
		const char *name = c->string ? c->string : "";
		if (keymat_in_text(name)) {
			findings_add(out, path, SEV_ERROR,
				     _("a member name here holds a private key; "
				       "a private key stays on the device and "
				       "is never sent to DPS: remove it"));
			keymat_check_json(path, c, out);
			continue;
		}
		char *sub = *path ? xasprintf("%s.%s", path, name)
				  : xstrdup(name);
		keymat_check_json(sub, c, out);
		free(sub);
	}
}

void
keymat_check_json(const char *path, const cJSON *value, struct findings *out)
{
	if (cJSON_IsString(value)) {
		keymat_check_text(path, value->valuestring, out);
	} else if (cJSON_IsObject(value)) {
		check_members(path, value, out);
	} else if (cJSON_IsArray(value)) {
		size_t i = 0;
		for (const cJSON *c = value->child; c; c = c->next) {
			char *sub = xasprintf("%s[%zu]", path, i++);
			keymat_check_json(sub, c, out);
			free(sub);
		}
	}
}
