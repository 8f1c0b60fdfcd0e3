#include "model/settle.h"

#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "base/xalloc.h"
#include "model/keymat.h"
#include "model/tpm.h"
#include "model/x509pem.h"

/* Whatever the field, a key is taken out and the rest left as typed. */
static void
take_keys_out(const struct field_def *f, const char *text,
	      struct settled *out)
{
	out->note = keymat_message(f->path, text);
	out->text = keymat_strip(text, NULL);
	out->refused = true;
}

/* A key given bare: base64 of its DER (or the DER), no PEM lines around
 * it. All of the text is the key, so all of it goes. */
static bool
take_bare_key_out(const struct field_def *f, const char *text,
		  struct settled *out)
{
	if (!keymat_in_data((const unsigned char *)text, strlen(text)))
		return false;
	out->note = keymat_message(f->path, text);
	out->text = xstrdup("");
	out->refused = true;
	return true;
}

static void
settle_certificate(const struct field_def *f, const char *text,
		   struct settled *out)
{
	struct cert_pick pick;
	char *why = NULL;
	char *pem = cert_leaf_pick((const unsigned char *)text, strlen(text),
				   &pick, &why);
	free(why);
	if (!pem) {
		/* Not a certificate: validation says why; a key goes all
		 * the same. */
		if (keymat_in_text(text))
			take_keys_out(f, text, out);
		else
			take_bare_key_out(f, text, out);
		return;
	}
	out->note = cert_pick_note(&pick);
	cert_pick_clear(&pick);
	if (strcmp(pem, text) != 0)
		out->text = pem;
	else
		free(pem);
}

static void
settle_tpm_key(const struct field_def *f, const char *text,
	       struct settled *out)
{
	if (keymat_in_text(text)) {
		take_keys_out(f, text, out);
		return;
	}
	if (take_bare_key_out(f, text, out))
		return;
	char *note = NULL, *why = NULL;
	char *dps = tpm_key_convert(text, &note, &why);
	free(why);
	if (dps && note && strcmp(dps, text) != 0) {
		out->text = dps;
		out->note = note;
		return;
	}
	free(dps);
	free(note);
}

void
field_settle(const struct field_def *f, const char *text, struct settled *out)
{
	memset(out, 0, sizeof(*out));
	if (!text || !*text)
		return;
	if (field_holds_certificate(f))
		settle_certificate(f, text, out);
	else if (f->content == FC_TPM_KEY)
		settle_tpm_key(f, text, out);
	else if (keymat_in_text(text))
		take_keys_out(f, text, out);
}

void
settled_clear(struct settled *s)
{
	secret_str_free(s->text);
	free(s->note);
	memset(s, 0, sizeof(*s));
}

void
doc_settle_attestation(struct doc *d, struct findings *notes)
{
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++) {
		const struct field_def *f = &rows[i];
		if ((!field_holds_certificate(f) && f->content != FC_TPM_KEY) ||
		    !schema_field_applies(f, d))
			continue;
		const char *text = doc_get_string(d, f->path);
		struct settled s;
		field_settle(f, text, &s);
		if (s.text)
			doc_set_string(d, f->path, s.text);
		if (s.note)
			findings_add(notes, f->path, SEV_WARNING, "%s", s.note);
		settled_clear(&s);
	}
}
