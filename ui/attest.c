#include "ui/attest.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ui/textclip.h"
#include "ui/theme.h"
#include "app/filepick.h"
#include "base/b64.h"
#include "base/i18n.h"
#include "model/checks.h"
#include "base/clock.h"
#include "model/keymat.h"
#include "model/keys.h"
#include "base/secret.h"
#include "model/settle.h"
#include "model/tpm.h"
#include "model/x509info.h"
#include "model/x509pem.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

enum { FILE_MAX_BYTES = 1 << 20, EXPIRY_WARN_DAYS = 30 };

static struct form_field *
focused_field(struct app *a)
{
	return a->form->on_section ? NULL : &a->form->fields[a->form->focus];
}

enum file_kind
field_file_kind(const struct field_def *def)
{
	if (def && field_holds_certificate(def))
		return FILES_CERTIFICATE;
	if (def && def->content == FC_TPM_KEY)
		return FILES_TPM_KEY;
	return FILES_ANY;
}

static bool
is_certificate(const struct form_field *ff)
{
	return ff && field_file_kind(ff->def) == FILES_CERTIFICATE;
}

static bool
is_tpm_key(const struct form_field *ff)
{
	return ff && field_file_kind(ff->def) == FILES_TPM_KEY;
}

static bool
is_symkey(const struct form_field *ff)
{
	return ff && ff->def->content == FC_SYMMETRIC_KEY;
}

void
attest_generate(struct app *a)
{
	struct form_field *ff = focused_field(a);
	if (!is_symkey(ff)) {
		app_status(a, true, _("Generate works on a symmetric key field"));
		return;
	}
	const char *why;
	char *key = symkey_generate(SYMKEY_DEFAULT_BYTES, &why);
	if (!key) {
		app_status(a, true, _("No key generated: %s"), why);
		return;
	}
	form_set_text(a->form, a->form->focus, key);
	secret_str_free(key);
	/* Short enough for 80 columns: the row beside shows the fingerprint. */
	app_status(a, false, _("Generated a 64-byte key; Ctrl-R shows it, w saves "
		   "both"));
}

/* Binary input (a DER certificate, a TPM2B file from tpm2-tools) is
 * carried as base64; text stays as it is. */
static char *
as_text(const char *data, size_t len)
{
	if (memchr(data, '\0', len) || (len && ((unsigned char)data[0] & 0x80)))
		return b64_encode((const unsigned char *)data, len);
	return xstrndup(data, len);
}

static char *
read_small_file(const char *path, size_t *len, char **why)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		*why = xasprintf(_("cannot read %s: %s"), path,
				 errno ? strerror(errno) : _("not a file"));
		return NULL;
	}
	if (st.st_size > FILE_MAX_BYTES) {
		*why = xasprintf(_("%s is larger than 1 MB; a certificate or key "
				   "is a few KB"), path);
		return NULL;
	}
	char *data = file_read_all(path, len);
	if (!data)
		*why = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
	return data;
}

static void
refused_window(struct app *a, const struct field_def *def, const char *why)
{
	struct text_view *v = text_view_new(field_label(def));
	text_view_add(v, ROLE_FAILURE, _("Not kept: %s"), why);
	text_view_add(v, ROLE_HELP_TEXT, _("Enter or Esc: close"));
	app_open_modal(a, text_view_modal(v, NULL));
}

static void cert_details(struct app *a, const char *pem, const char *note);
static void tpm_details(struct app *a, const char *text, const char *note);

static const char *
text_of_focus(struct app *a)
{
	struct form_field *ff = focused_field(a);
	return ff && ff->text ? ff->text : "";
}

static void
certificate_from_file(struct app *a, const char *path)
{
	size_t len;
	char *why = NULL;
	const struct field_def *def = a->form->fields[a->form->focus].def;
	char *data = read_small_file(path, &len, &why);
	struct cert_pick pick;
	char *pem = data ? cert_leaf_pick((unsigned char *)data, len, &pick, &why)
			 : NULL;
	if (!pem && data && keymat_in_data((unsigned char *)data, len)) {
		/* a key file, not the certificate beside it */
		free(why);
		why = keymat_message(def->path, data);
		refused_window(a, def, why);
	}
	if (data)
		secret_free(data, len);	/* a combined file may hold the private key */
	if (!pem) {
		app_status(a, true, _("Not used: %s"), why);
		free(why);
		return;
	}
	char *note = cert_pick_note(&pick);
	cert_pick_clear(&pick);
	form_set_text(a->form, a->form->focus, pem);
	free(pem);
	cert_details(a, text_of_focus(a), note);
	if (note)
		app_status(a, false, _("From the file: %s"), note);
	free(note);
}

static void
tpm_from_file(struct app *a, const char *path)
{
	size_t len;
	char *why = NULL;
	char *data = read_small_file(path, &len, &why);
	if (data && keymat_in_data((unsigned char *)data, len)) {
		const struct field_def *def = a->form->fields[a->form->focus].def;
		why = keymat_message(def->path, data);
		secret_free(data, len);
		refused_window(a, def, why);
		app_status(a, true, _("Not used: %s"), why);
		free(why);
		return;
	}
	if (!data) {
		app_status(a, true, _("Not used: %s"), why);
		free(why);
		return;
	}
	char *note = NULL, *bad = NULL;
	char *dps = tpm_key_convert_data((unsigned char *)data, len, &note, &bad);
	char *text = dps ? dps : as_text(data, len);
	secret_free(data, len);
	form_set_text(a->form, a->form->focus, text);
	free(text);
	free(bad);
	tpm_details(a, text_of_focus(a), note);
	free(note);
}

static void
file_chosen(struct app *a, const char *path)
{
	struct form_field *ff = focused_field(a);
	/* news about the field's last file is about another file now */
	app_status_event(a, STATUS_ON_LOAD);
	if (is_certificate(ff))
		certificate_from_file(a, path);
	else if (is_tpm_key(ff))
		tpm_from_file(a, path);
}

void
attest_open_file(struct app *a)
{
	struct form_field *ff = focused_field(a);
	enum file_kind kind = field_file_kind(ff ? ff->def : NULL);
	if (kind == FILES_ANY) {
		app_status(a, true, _("Files can be read into a certificate or a TPM "
			   "key field"));
		return;
	}
	app_open_modal(a, files_new(a, kind, file_chosen));
}

static const char *
field_text(const struct app *a, const char *path)
{
	long i = form_find(a->form, path);
	return i >= 0 && a->form->fields[i].text ? a->form->fields[i].text : "";
}

#define PRIMARY "attestation.symmetricKey.primaryKey"
#define SECONDARY "attestation.symmetricKey.secondaryKey"

static void
add_key(cJSON *o, const char *name, const char *fp_name, const char *key)
{
	char fp[20];
	if (!*key)
		return;
	cJSON_AddStringToObject(o, name, key);
	if (symkey_fingerprint(key, fp))
		cJSON_AddStringToObject(o, fp_name, fp);
}

static void write_keys(struct app *a, const char *path);
static void keys_path_chosen(struct app *a, const char *typed);

/* The keys go where the technician has seen written in full. */
static void
ask_keys_path(struct app *a, const char *path)
{
	app_open_modal(a, prompt_new(a, _("Save keys for the device"),
				     _("File (written with mode 0600):"), path,
				     keys_path_chosen));
}

/* Relative names and ~ are taken from the folder dpsenroll was started
 * from and from $HOME; the full path is shown again before anything is
 * written, so the file can be found. */
static void
keys_path_chosen(struct app *a, const char *typed)
{
	if (!*typed) {
		app_status(a, true, _("Not written: no file name given"));
		return;
	}
	char cwd[PATH_MAX];
	char *path = path_resolve(typed, getcwd(cwd, sizeof(cwd)) ? cwd : "/");
	if (strcmp(path, typed) == 0) {
		write_keys(a, path);
	} else {
		ask_keys_path(a, path);
		app_status(a, false, _("That is %s in full; Enter writes it there"),
			   path);
	}
	free(path);
}

static void
write_keys(struct app *a, const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		app_status(a, true, _("Not written, it exists already: %s"),
			   path);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "registrationId", field_text(a, "registrationId"));
	add_key(o, "primaryKey", "primaryKeyFingerprint", field_text(a, PRIMARY));
	add_key(o, "secondaryKey", "secondaryKeyFingerprint",
		field_text(a, SECONDARY));
	char *text = cJSON_Print(o);
	char *why = NULL;
	bool ok = file_write_atomic(path, text, strlen(text), 0600, &why);
	secret_str_free(text);
	/* The tree holds the keys too. */
	cJSON *k;
	cJSON_ArrayForEach(k, o)
		if (cJSON_IsString(k))
			OPENSSL_cleanse(k->valuestring, strlen(k->valuestring));
	cJSON_Delete(o);
	if (ok)
		app_status(a, false, _("Keys written to %s (mode 0600)"), path);
	else
		app_status(a, true, _("Not written: %s"), why);
	free(why);
}

void
attest_save_keys(struct app *a)
{
	if (!*field_text(a, PRIMARY) && !*field_text(a, SECONDARY)) {
		app_status(a, true, _("No keys in the form yet: generate them (g on a "
			   "key field) or submit and let the service make them"));
		return;
	}
	const char *id = field_text(a, "registrationId");
	char *name = xasprintf("%s-keys.json", *id ? id : "device");
	char cwd[PATH_MAX];
	char *initial = path_resolve(name, getcwd(cwd, sizeof(cwd)) ? cwd : "/");
	ask_keys_path(a, initial);
	free(initial);
	free(name);
}

/* `u` in the details window: the window is about the focused field. */
static void
use_cn_as_id(struct app *a)
{
	struct form_field *ff = focused_field(a);
	const char *pem = is_certificate(ff) ? ff->text : NULL;
	struct cert_info info;
	char *why = NULL;
	if (!pem || !cert_info_read((const unsigned char *)pem, strlen(pem), &info,
				    &why)) {
		free(why);
		return;
	}
	if (info.common_name) {
		form_set_text(a->form, (size_t)form_find(a->form, "registrationId"),
			      info.common_name);
		app_status(a, false, _("Registration id set to the certificate's CN, %s"),
			   info.common_name);
	}
	cert_info_clear(&info);
}

/* DPS registers an X.509 device under its CN; a CN that cannot be a
 * registration id is no offer, and the technician learns why. */
static void
offer_cn(struct text_view *v, const char *cn)
{
	struct findings f;
	findings_init(&f);
	check_registration_id("registrationId", cn, &f);
	const char *why = NULL;
	for (size_t i = 0; i < f.count && !why; i++)
		if (f.items[i].severity == SEV_ERROR)
			why = f.items[i].message;
	if (why) {
		text_view_add(v, ROLE_MESSAGE_WARNING, _("The CN cannot be a "
			      "registration id: %s"), why);
		text_view_add(v, ROLE_POPUP, _("The device registers under its CN: "
			      "it needs a certificate whose CN is a valid "
			      "registration id."));
	} else {
		text_view_add(v, ROLE_POPUP, _("u: use the CN as the registration id"));
		text_view_action(v, REQ_USE_CN, use_cn_as_id);
	}
	findings_clear(&f);
}

static int
validity_role(enum cert_validity v)
{
	return v == CERT_EXPIRED || v == CERT_NOT_YET_VALID ? ROLE_FAILURE
	     : v == CERT_EXPIRES_SOON ? ROLE_MESSAGE_WARNING : ROLE_SUCCESS;
}

static void
add_validity(struct text_view *v, const struct cert_info *info)
{
	time_t now = clock_now();
	enum cert_validity val = cert_info_validity(info, now, NULL);
	char from[21], until[21];
	format_utc(info->not_before, from);
	format_utc(info->not_after, until);
	text_view_add(v, ROLE_POPUP, _("Valid from     %s"), from);
	char *what = cert_validity_text(info, now);
	text_view_add(v, validity_role(val), _("Valid until    %s (%s)"), until, what);
	free(what);
}

/* `note`, when set, says what was done to what was given (a chain's CA
 * certificates or a private key dropped). */
static void
add_role(struct text_view *v, const struct cert_info *info)
{
	switch (cert_info_role(info)) {
	case CERT_ROLE_ISSUING_CA:
		text_view_add(v, ROLE_MESSAGE_WARNING, _("This is a CA certificate "
			      "(%s); a device needs its own (leaf) certificate"),
			      info->key_cert_sign ? "keyUsage keyCertSign"
						  : _("CA:TRUE, issued by a CA"));
		break;
	case CERT_ROLE_SELF_SIGNED:
		text_view_add(v, ROLE_POPUP, "%s", info->is_ca
			      ? _("Self-signed, CA:TRUE as openssl req -x509 makes "
				  "it: fine for a device certificate (this "
				  "enrollment trusts it as it is)")
			      : _("Self-signed: fine for a device certificate "
				  "(this enrollment trusts it as it is)"));
		break;
	case CERT_ROLE_LEAF:
		break;
	}
}

static void
cert_details(struct app *a, const char *pem, const char *note)
{
	struct cert_info info;
	char *why = NULL;
	if (!cert_info_read((const unsigned char *)pem, strlen(pem), &info, &why)) {
		app_status(a, true, "%s", why);
		free(why);
		return;
	}
	struct text_view *v = text_view_new(_("Certificate"));
	if (note)
		text_view_add(v, ROLE_MESSAGE_WARNING, "%c%s",
			      toupper((unsigned char)note[0]), note + 1);
	text_view_add(v, ROLE_POPUP, _("Subject        %s"), info.subject);
	text_view_add(v, ROLE_POPUP, _("Issuer         %s"), info.issuer);
	text_view_add(v, ROLE_POPUP, _("Serial         %s"), info.serial);
	text_view_add(v, ROLE_POPUP, _("SHA-1          %s"), info.sha1);
	text_view_add(v, ROLE_POPUP, _("SHA-256        %s"), info.sha256);
	add_validity(v, &info);
	text_view_add(v, ROLE_POPUP, _("Key            %s %d%s%s"), info.key_type,
		      info.key_bits, *info.curve ? " " : "", info.curve);
	if (info.chain_length > 1)
		text_view_add(v, ROLE_MESSAGE_WARNING, _("The leaf was chosen out of a "
			      "chain of %zu certificates"), info.chain_length);
	add_role(v, &info);
	const char *id = field_text(a, "registrationId");
	if (info.common_name && !registration_id_equal(info.common_name, id)) {
		text_view_add(v, ROLE_MESSAGE_WARNING, _("The CN '%s' differs from the "
			      "registration id '%s'"), info.common_name, id);
		offer_cn(v, info.common_name);
	}
	text_view_add(v, ROLE_HELP_TEXT, _("Enter or Esc: close"));
	cert_info_clear(&info);
	app_open_modal(a, text_view_modal(v, NULL));
}

/* The certificate a loaded enrollment keeps, as the service describes it
 * (it never returns the certificate itself). */
static void
kept_details(struct app *a, const cJSON *service_info)
{
	struct cert_info info;
	struct text_view *v = text_view_new(_("Certificate on the service"));
	if (cert_info_from_service_json(service_info, &info)) {
		text_view_add(v, ROLE_POPUP, _("Subject        %s"), info.subject);
		text_view_add(v, ROLE_POPUP, _("Issuer         %s"), info.issuer);
		text_view_add(v, ROLE_POPUP, _("Serial         %s"), info.serial);
		text_view_add(v, ROLE_POPUP, _("SHA-1          %s"), info.sha1);
		text_view_add(v, ROLE_POPUP, _("SHA-256        %s"), info.sha256);
		add_validity(v, &info);
		text_view_add(v, ROLE_POPUP, _("Version        %d"), info.version);
		cert_info_clear(&info);
	} else {
		text_view_add(v, ROLE_MESSAGE_WARNING, _("The service's description "
			      "of it cannot be read; the Certificate info rows "
			      "show what it sent"));
	}
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, _("The service keeps this certificate "
		      "when the enrollment is updated. To replace it, paste a "
		      "new one (Enter) or read its file (o)."));
	text_view_add(v, ROLE_HELP_TEXT, _("Enter or Esc: close"));
	app_open_modal(a, text_view_modal(v, NULL));
}

static void
convert_tpm(struct app *a)
{
	struct form_field *ff = focused_field(a);
	if (!is_tpm_key(ff))
		return;
	char *note = NULL, *why = NULL;
	char *dps = tpm_key_convert(ff->text, &note, &why);
	if (dps) {
		form_set_text(a->form, a->form->focus, dps);
		app_status(a, false, _("Converted: %s"), note ? note : "");
	} else {
		app_status(a, true, _("Not converted: %s"), why ? why : "");
	}
	free(dps);
	free(note);
	free(why);
}

static void
tpm_details(struct app *a, const char *text, const char *note)
{
	struct tpm_key_info info;
	char *why = NULL;
	struct text_view *v = text_view_new(_("TPM key"));
	if (note)
		text_view_add(v, ROLE_MESSAGE_WARNING, _("Converted: %s"), note);
	if (tpm_key_parse(text, &info, &why)) {
		text_view_add(v, ROLE_SUCCESS, _("DPS form: base64 of a TPM2B_PUBLIC"));
		text_view_add(v, ROLE_POPUP, _("Key            %s %u"), info.type_name,
			      info.key_bits);
		text_view_add(v, ROLE_POPUP, _("Fingerprint    %s"), info.fingerprint);
		text_view_add(v, ROLE_HELP_TEXT, _("Read the fingerprint back against "
			      "the device's label or console."));
	} else {
		text_view_add(v, ROLE_FAILURE, _("Not in the form DPS expects"));
		text_view_add(v, ROLE_POPUP, "%s", why ? why : "");
		char *how = NULL, *bad = NULL;
		char *dps = tpm_key_convert(text, &how, &bad);
		if (dps) {
			text_view_add(v, ROLE_POPUP, _("c: convert it (%s)"), how ? how : "");
			text_view_action(v, REQ_CONVERT, convert_tpm);
		}
		free(dps);
		free(how);
		free(bad);
	}
	free(why);
	text_view_add(v, ROLE_HELP_TEXT, _("Enter or Esc: close"));
	app_open_modal(a, text_view_modal(v, NULL));
}

static void
key_details(struct app *a)
{
	struct text_view *v = text_view_new(_("Symmetric keys"));
	const char *paths[] = { PRIMARY, SECONDARY };
	/* whole names: a language may word a key and a certificate apart */
	const char *names[] = { _("Primary key"), _("Secondary key") };
	for (int i = 0; i < 2; i++) {
		char fp[20];
		const char *k = field_text(a, paths[i]);
		char *name = text_padded(names[i], 14);
		if (!*k)
			text_view_add(v, ROLE_POPUP, _("%s (blank: the service "
				      "generates one)"), name);
		else if (symkey_fingerprint(k, fp)) {
			text_view_add(v, ROLE_POPUP, _("%s fingerprint %s"), name, fp);
			/* revealed on the form: the whole key, wrapped, to read out */
			long f = form_find(a->form, paths[i]);
			if (f >= 0 && a->form->fields[f].revealed)
				text_view_add(v, ROLE_SECRET, "%-14s %s", "", k);
		}
		else
			text_view_add(v, ROLE_FAILURE, _("%s not base64"), name);
		free(name);
	}
	text_view_add(v, ROLE_HELP_TEXT, _("g: generate   w: save to a file   "
		      "Ctrl-R: show"));
	app_open_modal(a, text_view_modal(v, NULL));
}

void
attest_details(struct app *a)
{
	struct form_field *ff = focused_field(a);
	if (is_symkey(ff)) {
		key_details(a);
		return;
	}
	if (!is_certificate(ff) && !is_tpm_key(ff)) {
		app_status(a, true, _("Details are for certificates and keys"));
		return;
	}
	const cJSON *kept = form_kept_certificate(a->form, a->form->focus);
	if (kept) {
		kept_details(a, kept);
		return;
	}
	if (!ff->text || !*ff->text) {
		app_status(a, true, _("Nothing to show yet: paste it (Enter) or read a "
			   "file (o)"));
		return;
	}
	if (is_certificate(ff))
		cert_details(a, ff->text, NULL);
	else
		tpm_details(a, ff->text, NULL);
}

static char *
cert_note(const char *pem, int *role)
{
	struct cert_info info;
	char *why = NULL;
	if (!cert_info_read((const unsigned char *)pem, strlen(pem), &info, &why)) {
		free(why);
		return NULL;
	}
	long days = 0;
	enum cert_validity v = cert_info_validity(&info, clock_now(), &days);
	char until[21];
	format_utc(info.not_after, until);
	*role = validity_role(v);
	const char *cn = info.common_name ? info.common_name : _("(none)");
	/* TRANSLATORS: a certificate's subject and its last day. */
	char *note = v == CERT_EXPIRED
		? xasprintf(_("CN=%s, until %.10s EXPIRED"), cn, until)
		: xasprintf(_("CN=%s, until %.10s"), cn, until);
	cert_info_clear(&info);
	return note;
}

/* What the service says of the certificate it keeps, shortest first where
 * a row is narrow: who, until when, then the thumbprint to compare. */
static char *
kept_note(const cJSON *service_info, int *role)
{
	struct cert_info info;
	if (!cert_info_from_service_json(service_info, &info))
		return xstrdup(_("on the service (i shows what it says)"));
	enum cert_validity v = cert_info_validity(&info, clock_now(), NULL);
	char until[21];
	format_utc(info.not_after, until);
	*role = validity_role(v);
	const char *cn = info.common_name ? info.common_name : _("(none)");
	/* TRANSLATORS: the subject, the last day, then the start of the
	 * SHA-256 thumbprint and an ellipsis. */
	char *note = v == CERT_EXPIRED
		? xasprintf(_("on the service: CN=%s, until %.10s EXPIRED, SHA-256 "
			      "%.8s%s"), cn, until, info.sha256, text_ellipsis())
		: xasprintf(_("on the service: CN=%s, until %.10s, SHA-256 %.8s%s"),
			    cn, until, info.sha256, text_ellipsis());
	cert_info_clear(&info);
	return note;
}

char *
attest_note(const struct form *f, size_t i, int *role)
{
	const struct form_field *ff = &f->fields[i];
	*role = ROLE_HELP_TEXT;
	const cJSON *kept = form_kept_certificate(f, i);
	if (kept)
		return kept_note(kept, role);
	if (!ff->text || !*ff->text)
		return NULL;
	if (is_symkey(ff)) {
		char fp[20];
		/* TRANSLATORS: "fp" is short for the key's fingerprint. */
		return symkey_fingerprint(ff->text, fp) ? xasprintf(_("fp %s"), fp)
							: NULL;
	}
	if (is_certificate(ff))
		return cert_note(ff->text, role);
	struct tpm_key_info info;
	char *why = NULL;
	if (is_tpm_key(ff) && tpm_key_parse(ff->text, &info, &why))
		/* TRANSLATORS: the key's type and size (RSA 2048), then its
		 * fingerprint. */
		return xasprintf(_("%s %u, fp %s"), info.type_name, info.key_bits,
				 info.fingerprint);
	free(why);
	return NULL;
}

/* Applies field_settle to the form; *s keeps its note and verdict. */
static void
settle_into_form(struct app *a, size_t field, struct settled *s)
{
	field_settle(a->form->fields[field].def, a->form->fields[field].text, s);
	if (s->text)
		form_set_text(a->form, field, s->text);
}

static char *
settled_note(const struct field_def *def, const struct settled *s)
{
	if (!s->note)
		return NULL;
	if (s->refused)
		return xasprintf(_("%s: not kept: %s"), field_label(def), s->note);
	if (def->content == FC_TPM_KEY)
		return xasprintf(_("%s converted: %s"), field_label(def), s->note);
	return xasprintf(_("%s: %s"), field_label(def), s->note);
}

char *
attest_settle_quietly(struct app *a, size_t field, bool *refused)
{
	struct settled s;
	settle_into_form(a, field, &s);
	*refused = s.refused;
	char *note = settled_note(a->form->fields[field].def, &s);
	settled_clear(&s);
	return note;
}

void
attest_settle(struct app *a, size_t field)
{
	struct settled s;
	settle_into_form(a, field, &s);
	const struct form_field *ff = &a->form->fields[field];
	char *note = settled_note(ff->def, &s);
	if (note)
		app_status(a, s.refused, "%s", note);
	/* As when it comes from a file: what was done, in full, and what to
	 * read back against the device. */
	if (s.refused)
		refused_window(a, ff->def, s.note);
	else if (s.note && is_tpm_key(ff))
		tpm_details(a, ff->text, s.note);
	else if (s.note && is_certificate(ff))
		cert_details(a, ff->text, s.note);
	free(note);
	settled_clear(&s);
}
