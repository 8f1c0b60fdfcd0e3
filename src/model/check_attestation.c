#include "model/checks.h"

#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "base/clock.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/textpos.h"
#include "model/keys.h"
#include "model/schema.h"
#include "model/tpm.h"
#include "model/x509info.h"

/* ---- symmetric keys ---- */

static void
report_bad_base64(const char *path, const char *text, enum b64_status st,
		  size_t bad, struct findings *out)
{
	char shown[TEXT_CHAR_SHOWN];
	if (st == B64_BAD_CHAR)
		findings_add(out, path, SEV_ERROR,
			     _("character %zu, %s, is not base64; a key uses only "
			     "A-Z, a-z, 0-9, + and /, with = at the end "
			     "(remove spaces and line breaks)"),
			     text_char_pos(text, bad),
			     text_char_show(text, bad, shown));
	else if (st == B64_BAD_PADDING)
		findings_add(out, path, SEV_ERROR,
			     _("the '=' at character %zu is misplaced; base64 "
			     "padding is at most two '=' at the very end"),
			     text_char_pos(text, bad));
	else
		findings_add(out, path, SEV_ERROR,
			     _("this is not base64: %s (it has %zu characters)"),
			     b64_status_text(st), text_char_count(text));
}

void
check_symmetric_key(const char *path, const char *text, struct findings *out)
{
	if (!*text)
		return;
	unsigned char *key = NULL;
	size_t len = 0, bad = 0;
	enum b64_status st = b64_decode(text, &key, &len, &bad);
	if (st != B64_OK) {
		report_bad_base64(path, text, st, bad, out);
		return;
	}
	if (len < SYMKEY_MIN_BYTES || len > SYMKEY_MAX_BYTES)
		findings_add(out, path, SEV_ERROR,
			     _("the key decodes to %zu bytes; DPS needs %d to %d "
			     "bytes. Generate one with `dpsenroll keygen`."),
			     len, SYMKEY_MIN_BYTES, SYMKEY_MAX_BYTES);
	secret_free(key, len);
}

/* ---- certificates ---- */

static void
check_validity(const char *path, const struct cert_info *info,
	       struct findings *out)
{
	time_t now = clock_now();
	char when[21];
	if (info->not_after < now) {
		format_utc(info->not_after, when);
		findings_add(out, path, SEV_WARNING,
			     _("the certificate expired on %s; the device cannot "
			     "authenticate with it, so renew it"), when);
	}
	if (info->not_before > now) {
		format_utc(info->not_before, when);
		findings_add(out, path, SEV_WARNING,
			     _("the certificate is not valid until %s; the device "
			     "cannot authenticate with it before then (check the "
			     "clock of the machine that issued it)"), when);
	}
}

/* Signing certificates of a group are CA certificates by design. */
static bool
expects_device_cert(const char *path)
{
	const struct field_def *row = schema_find(path);
	return !row || row->content != FC_CA_CERTIFICATE;
}

static void
check_device_role(const char *path, const struct cert_info *info,
		  struct findings *out)
{
	enum cert_role role = cert_info_role(info);
	if (role == CERT_ROLE_ISSUING_CA)
		findings_add(out, path, SEV_WARNING, "%s", info->key_cert_sign
			     ? _("this is a CA certificate (it may sign "
				 "certificates), given as a device certificate; "
				 "a device presents its own leaf certificate (a "
				 "CA belongs in an enrollment group)")
			     : _("this is a CA certificate (CA:TRUE, issued by "
				 "another CA), given as a device certificate; a "
				 "device presents its own leaf certificate (a CA "
				 "belongs in an enrollment group)"));
	else if (role == CERT_ROLE_SELF_SIGNED && info->is_ca)
		findings_add(out, path, SEV_NOTE,
			     _("self-signed, with the CA:TRUE that `openssl req "
			     "-x509` adds by default; fine for a device "
			     "certificate: this enrollment trusts this very "
			     "certificate"));
}

void
check_certificate(const char *path, const char *text, struct findings *out)
{
	if (!*text)
		return;
	struct cert_info info;
	char *why = NULL;
	if (!cert_info_read((const unsigned char *)text, strlen(text), &info,
			    &why)) {
		findings_add(out, path, SEV_ERROR, "%s", why);
		free(why);
		return;
	}
	check_validity(path, &info, out);
	if (expects_device_cert(path))
		check_device_role(path, &info, out);
	if (info.chain_length > 1)
		findings_add(out, path, SEV_WARNING,
			     _("a chain of %zu certificates was given; the leaf, "
			     "\"%s\", is the one used"), info.chain_length,
			     info.subject);
	cert_info_clear(&info);
}

/* ---- TPM keys ---- */

void
check_tpm_key(const char *path, const char *text, struct findings *out)
{
	if (!*text)
		return;
	struct tpm_key_info info;
	char *why = NULL;
	if (!tpm_key_parse(text, &info, &why))
		findings_add(out, path, SEV_ERROR, "%s", why);
	free(why);
}
