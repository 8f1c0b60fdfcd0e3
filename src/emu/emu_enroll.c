/* PUT, GET and DELETE of one individual enrollment and its attestation
 * mechanism, and the write rules the bulk operation shares (semantics
 * §5 and §7). */

#include "emu/emu_enroll.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/b64.h"
#include "base/secret.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "emu/emu_enums.h"
#include "emu/emu_handlers.h"
#include "emu/emu_records.h"
#include "model/checks.h"
#include "model/doc.h"
#include "model/json.h"
#include "model/keymat.h"
#include "model/keys.h"
#include "model/validate.h"
#include "model/x509info.h"

static const char *
text_of(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
set_text(cJSON *obj, const char *name, const char *value)
{
	json_path_set(obj, name, cJSON_CreateString(value));
}

/* ---- failures ---- */

bool
emu_fail(struct emu_failure *f, unsigned status, int code, const char *fmt,
	 ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	free(f->message);
	f->status = status;
	f->code = code;
	f->message = msg;
	return false;
}

void
emu_failure_clear(struct emu_failure *f)
{
	free(f->message);
	cJSON_Delete(f->info);
	memset(f, 0, sizeof(*f));
}

void
emu_reply_failure(struct emu_response *resp, const struct emu_failure *f)
{
	emu_reply_error_info(resp, f->status, f->code,
			     f->message ? f->message : "internal error",
			     f->info);
}

bool
emu_store_failed(struct emu *emu, struct emu_failure *f)
{
	return emu_fail(f, 500, 500000, "the enrollment store failed: %s",
			emu_store_error(emu->store));
}

static bool
not_found(struct emu_failure *f)
{
	return emu_fail(f, 404, 404201, "Enrollment not found");
}

cJSON *
emu_parse_body(const struct emu_request *req, struct emu_failure *f)
{
	struct json_error err;
	cJSON *body = json_parse_located(req->body, req->body_len, &err);
	if (!body) {
		emu_fail(f, 400, 400004, "the request body is not valid JSON: "
			 "line %d, column %d: %s", err.line, err.column,
			 err.message);
		return NULL;
	}
	if (cJSON_IsObject(body))
		return body;
	emu_fail(f, 400, 400004,
		 "the request body must be a JSON object { ... }, not %s",
		 json_type_name(body));
	cJSON_Delete(body);
	return NULL;
}

/* ---- the etag precondition (§5) ---- */

struct precond {
	bool given;
	bool any;	/* "*": whatever version is stored */
	char *etag;	/* owned; without surrounding quotes */
};

/* Our etags, like the service's, are base64 of a quoted token. */
static bool
etag_well_formed(const char *etag)
{
	unsigned char *raw = NULL;
	size_t len = 0;
	if (b64_decode(etag, &raw, &len, NULL) != B64_OK)
		return false;
	bool ok = len >= 2 && raw[0] == '"' && raw[len - 1] == '"';
	free(raw);
	return ok;
}

/* Clients send the body value raw, or wrapped in quotes as an HTTP
 * entity tag (C# v1), so one pair of quotes is dropped. */
static bool
precond_parse(const char *text, struct precond *p, struct emu_failure *f)
{
	memset(p, 0, sizeof(*p));
	if (!text)
		return true;
	size_t len = strlen(text);
	if (len >= 2 && text[0] == '"' && text[len - 1] == '"')
		p->etag = xstrndup(text + 1, len - 2);
	else
		p->etag = xstrdup(text);
	p->given = true;
	p->any = strcmp(p->etag, "*") == 0;
	if (p->any || etag_well_formed(p->etag))
		return true;
	return emu_fail(f, 400, 400004, "ETag is invalid");
}

static void
precond_clear(struct precond *p)
{
	free(p->etag);
	memset(p, 0, sizeof(*p));
}

/* Whether the precondition admits the record that is stored. */
static bool
precond_holds(const struct precond *p, const cJSON *stored,
	      struct emu_failure *f)
{
	if (!p->given || p->any)
		return true;
	const cJSON *cur = cJSON_GetObjectItemCaseSensitive(stored, "etag");
	if (cJSON_IsString(cur) && strcmp(cur->valuestring, p->etag) == 0)
		return true;
	return emu_fail(f, 412, 412001,
			"the ETag does not match the enrollment's current one: "
			"it was changed since it was read; get it again and "
			"retry");
}

bool
emu_if_match_allows(const char *if_match, const cJSON *stored,
		    struct emu_failure *f)
{
	struct precond p;
	bool ok = precond_parse(if_match, &p, f) && precond_holds(&p, stored, f);
	precond_clear(&p);
	return ok;
}

/* Whether this write may go ahead given what is stored (NULL: nothing). */
static bool
may_write(enum emu_write_mode mode, const struct precond *p,
	  const cJSON *stored, struct emu_failure *f)
{
	if (!stored) {
		if (mode == EMU_WRITE_IF_MATCH ||
		    (mode == EMU_WRITE_PUT && p->given))
			return not_found(f);
		return true;
	}
	if (mode == EMU_WRITE_CREATE || (mode == EMU_WRITE_PUT && !p->given))
		return emu_fail(f, 409, 409201, "Enrollment already exists.");
	if (!p->given)
		return emu_fail(f, 412, 412001,
				"updateIfMatchETag needs the item's etag; get "
				"the enrollment and send the etag it carries");
	return precond_holds(p, stored, f);
}

/* A blank etag in a body is what a client that never read the record
 * sends, like null. */
bool
emu_item_etag(const cJSON *item, const char **etag, struct emu_failure *f)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, "etag");
	*etag = cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
	if (!v || cJSON_IsNull(v) || cJSON_IsString(v))
		return true;
	return emu_fail(f, 400, 400004, "ETag is invalid");
}

/* ---- validation ---- */

static void
add_info(cJSON *info, const char *path, const char *message)
{
	cJSON *have = cJSON_GetObjectItemCaseSensitive(info, path);
	if (!cJSON_IsString(have)) {
		cJSON_AddStringToObject(info, path, message);
		return;
	}
	char *both = xasprintf("%s; %s", have->valuestring, message);
	cJSON_ReplaceItemInObjectCaseSensitive(info, path,
					       cJSON_CreateString(both));
	free(both);
}

/* Messages the service was seen to give for a bad value of a field,
 * used word for word. */
static const struct {
	const char *path;
	const char *message;
} recorded_messages[] = {
	/* [OBS S16]: an endorsement key that is not a TPM2B_PUBLIC */
	{ "attestation.tpm.endorsementKey",
	  "Endorsement key is invalid, or does not match the Enrollment." },
};

/* The service's message for a bad value at `path` in `body`, or NULL when
 * none is recorded (or the value is missing rather than bad). */
static const char *
recorded_message(const char *path, const cJSON *body)
{
	const cJSON *v = body ? json_path_get(body, path) : NULL;
	if (!cJSON_IsString(v) || !*v->valuestring)
		return NULL;
	for (size_t i = 0; i < sizeof(recorded_messages) /
				   sizeof(recorded_messages[0]); i++)
		if (strcmp(recorded_messages[i].path, path) == 0)
			return recorded_messages[i].message;
	return NULL;
}

/* The first error is the message (the service's own where it is known);
 * info lists every error by field, as the client's own validation would
 * show them. `body` is what was checked, NULL for none. */
static bool
report_errors(const struct findings *found, const cJSON *body,
	      struct emu_failure *f)
{
	for (size_t i = 0; i < found->count; i++) {
		const struct finding *it = &found->items[i];
		if (it->severity != SEV_ERROR)
			continue;
		if (!f->info) {
			const char *said = recorded_message(it->path, body);
			if (said)
				emu_fail(f, 400, 400004, "%s", said);
			else
				emu_fail(f, 400, 400004, "%s%s%s", it->path,
					 *it->path ? ": " : "", it->message);
			f->info = cJSON_CreateObject();
		}
		add_info(f->info, it->path, it->message);
	}
	return f->info == NULL;
}

static bool
validation_passes(const cJSON *body, struct emu_failure *f)
{
	const struct doc d = { .root = (cJSON *)body };
	struct findings found;
	findings_init(&found);
	validate_enrollment(&d, &found);
	bool ok = report_errors(&found, body, f);
	findings_clear(&found);
	return ok;
}

static char *
linked_hubs_text(const struct emu *emu)
{
	struct strbuf text = STRBUF_INIT;
	for (char **h = emu->cfg.linked_hubs; h && *h; h++)
		strbuf_add_sep(&text, ", ", *h);
	return strbuf_take(&text);
}

static bool
hub_is_linked(const struct emu *emu, const char *path, const char *host,
	      struct emu_failure *f)
{
	for (char **h = emu->cfg.linked_hubs; h && *h; h++)
		if (strcasecmp(*h, host) == 0)
			return true;
	char *linked = linked_hubs_text(emu);
	emu_fail(f, 400, 400004,
		 "%s: '%s' is not an IoT hub linked to this DPS; the linked "
		 "hubs are: %s", path, host, *linked ? linked : "none");
	free(linked);
	return false;
}

static bool
hubs_linked(const struct emu *emu, const cJSON *body, struct emu_failure *f)
{
	const cJSON *hubs = cJSON_GetObjectItemCaseSensitive(body, "iotHubs");
	const cJSON *item;
	cJSON_ArrayForEach(item, hubs)
		if (cJSON_IsString(item) &&
		    !hub_is_linked(emu, "iotHubs", item->valuestring, f))
			return false;
	const char *legacy = text_of(body, "iotHubHostName");
	return !legacy || !*legacy ||
	       hub_is_linked(emu, "iotHubHostName", legacy, f);
}

/* ---- the stored record (§7) ---- */

static char *
member_path(const char *prefix, const char *name)
{
	return *prefix ? xasprintf("%s.%s", prefix, name) : xstrdup(name);
}

/* Read-only members are the service's to set; members that do not apply
 * (a tpm section on a symmetricKey enrollment) were reported as ignored by
 * validation, so they are. A null provisioningStatus is echoed as null by
 * the service, unlike every other null. */
static bool
keep_member(const struct field_def *row, const cJSON *value,
	    const struct doc *d)
{
	if (!row || field_is_readonly(row) || !schema_field_applies(row, d))
		return false;
	return !cJSON_IsNull(value) ||
	       strcmp(row->path, "provisioningStatus") == 0;
}

static cJSON *copy_known(const cJSON *obj, const char *prefix,
			 const struct doc *d);

static cJSON *
copy_value(const struct field_def *row, const cJSON *value, const char *path,
	   const struct doc *d)
{
	if (row->kind == FK_GROUP && cJSON_IsObject(value))
		return copy_known(value, path, d);
	return cJSON_Duplicate(value, 1);
}

/* The members of `obj` at `prefix` the schema knows; a repeated name
 * keeps its first value, the one validation looked at. */
static cJSON *
copy_known(const cJSON *obj, const char *prefix, const struct doc *d)
{
	cJSON *out = cJSON_CreateObject();
	const cJSON *item;
	cJSON_ArrayForEach(item, obj) {
		char *path = member_path(prefix, item->string);
		const struct field_def *row = schema_find(path);
		if (keep_member(row, item, d) &&
		    !cJSON_GetObjectItemCaseSensitive(out, item->string))
			cJSON_AddItemToObject(out, item->string,
					      copy_value(row, item, path, d));
		free(path);
	}
	return out;
}

static void
add_defaults(cJSON *rec)
{
	const struct field_def *row = schema_find("provisioningStatus");
	if (!cJSON_GetObjectItemCaseSensitive(rec, row->path))
		cJSON_AddStringToObject(rec, row->path, row->default_value);
}

/* Each key the client left out (or blank) is made, as the service does. */
static bool
fill_keys(cJSON *rec, struct emu_failure *f)
{
	struct doc d = { .root = rec };
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++) {
		const struct field_def *row = &rows[i];
		if (row->content != FC_SYMMETRIC_KEY ||
		    !schema_field_applies(row, &d))
			continue;
		const char *have = doc_get_string(&d, row->path);
		if (have && *have)
			continue;
		const char *why = NULL;
		char *key = symkey_generate(SYMKEY_DEFAULT_BYTES, &why);
		if (!key)
			return emu_fail(f, 500, 500000, "cannot make a key: %s",
					why);
		doc_set_string(&d, row->path, key);
		secret_str_free(key);
	}
	return true;
}

static bool
read_certificate(cJSON *slot, const char *path, struct emu_failure *f)
{
	const char *text = text_of(slot, "certificate");
	struct cert_info info;
	char *why = NULL;
	if (!cert_info_read((const unsigned char *)text, strlen(text), &info,
			    &why)) {
		emu_fail(f, 400, 400004, "%s.certificate: %s", path, why);
		free(why);
		return false;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(slot, "info");
	cJSON_AddItemToObject(slot, "info", cert_info_to_service_json(&info));
	cert_info_clear(&info);
	return true;
}

/* A client that GETs and PUTs back has only the info (the service never
 * returns the text), which stands for "keep the certificate I have". */
static bool
keep_stored_certificate(cJSON *rec, const cJSON *stored, const char *path,
			struct emu_failure *f)
{
	const cJSON *old = stored ? json_path_get(stored, path) : NULL;
	const char *text = text_of(old, "certificate");
	if (!text || !*text)
		return emu_fail(f, 400, 400004,
				"%s.certificate: only the certificate's info "
				"was sent, and no certificate is stored there "
				"to keep; send the certificate itself", path);
	json_path_set(rec, path, cJSON_Duplicate(old, 1));
	return true;
}

static bool
fill_slot(cJSON *rec, const cJSON *body, const cJSON *stored,
	  const char *path, struct emu_failure *f)
{
	cJSON *slot = json_path_get(rec, path);
	if (!slot)
		return true;
	const char *text = text_of(slot, "certificate");
	if (text && *text)
		return read_certificate(slot, path, f);
	json_path_remove(rec, path);
	const cJSON *sent = cJSON_GetObjectItemCaseSensitive(
		json_path_get(body, path), "info");
	if (!sent || cJSON_IsNull(sent))
		return true;
	return keep_stored_certificate(rec, stored, path, f);
}

/* "x.secondary" -> "x.primary"; NULL for any other slot. */
static char *
primary_of(const char *slot)
{
	const char *dot = strrchr(slot, '.');
	if (!dot || strcmp(dot + 1, "secondary") != 0)
		return NULL;
	return xasprintf("%.*s.primary", (int)(dot - slot), slot);
}

/* The service shows a lone primary certificate as the secondary too. */
static void
mirror_primary(cJSON *rec, const char *slot)
{
	char *primary = primary_of(slot);
	const cJSON *p = primary ? json_path_get(rec, primary) : NULL;
	if (p && !json_path_get(rec, slot))
		json_path_set(rec, slot, cJSON_Duplicate(p, 1));
	free(primary);
}

/* Certificate slots are the rows checked as certificates, so a slot added
 * to the schema is handled without a change here. */
static bool
fill_certificates(cJSON *rec, const cJSON *body, const cJSON *stored,
		  struct emu_failure *f)
{
	const struct doc d = { .root = rec };
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		if (!field_holds_certificate(&rows[i]) ||
		    !schema_field_applies(&rows[i], &d))
			continue;
		char *slot = json_path_parent(rows[i].path);
		ok = fill_slot(rec, body, stored, slot, f);
		if (ok)
			mirror_primary(rec, slot);
		free(slot);
	}
	return ok;
}

/* An update keeps the id's first spelling and its creation time. */
static void
stamp(cJSON *rec, const cJSON *stored)
{
	char now[40];
	emu_timestamp(now);
	const char *id = text_of(stored, "registrationId");
	const char *created = text_of(stored, "createdDateTimeUtc");
	if (id)
		set_text(rec, "registrationId", id);
	set_text(rec, "createdDateTimeUtc", created ? created : now);
	set_text(rec, "lastUpdatedDateTimeUtc", now);
	char *etag = emu_new_etag();
	set_text(rec, "etag", etag);
	free(etag);
}

/* The record to store for a validated `body`; owned, NULL on failure. */
static cJSON *
build_record(const cJSON *body, const cJSON *stored, struct emu_failure *f)
{
	const struct doc d = { .root = (cJSON *)body };
	cJSON *rec = copy_known(body, "", &d);
	add_defaults(rec);
	if (!fill_keys(rec, f) || !fill_certificates(rec, body, stored, f)) {
		emu_enrollment_free(rec);
		return NULL;
	}
	stamp(rec, stored);
	return emu_enrollment_in_order(rec);
}

static bool
store_record(struct emu *emu, const cJSON *rec, struct emu_failure *f)
{
	char *key = emu_lower(text_of(rec, "registrationId"));
	char *text = cJSON_PrintUnformatted(rec);
	bool ok = text && emu_store_put(emu->store, EMU_ENROLLMENTS, key,
					text) == STORE_OK;
	secret_str_free(text);
	free(key);
	return ok || emu_store_failed(emu, f);
}

bool
emu_enrollment_write(struct emu *emu, const cJSON *body, const char *etag,
		     enum emu_write_mode mode, cJSON **written,
		     struct emu_failure *f)
{
	*written = NULL;
	struct precond pre;
	cJSON *stored = NULL;
	if (mode == EMU_WRITE_CREATE)
		etag = NULL;
	bool ok = precond_parse(etag, &pre, f) &&
		  validation_passes(body, f) && hubs_linked(emu, body, f) &&
		  emu_enrollment_fetch(emu, text_of(body, "registrationId"),
				       &stored, f) &&
		  may_write(mode, &pre, stored, f);
	if (ok) {
		*written = build_record(body, stored, f);
		ok = *written && store_record(emu, *written, f);
	}
	if (!ok) {
		emu_enrollment_free(*written);
		*written = NULL;
	}
	emu_enrollment_free(stored);
	precond_clear(&pre);
	return ok;
}

/* The stored enrollment `id`; false with 404201 when there is none. */
static bool
load_existing(struct emu *emu, const char *id, cJSON **stored,
	      struct emu_failure *f)
{
	return emu_enrollment_fetch(emu, id, stored, f) &&
	       (*stored || not_found(f));
}

bool
emu_enrollment_remove(struct emu *emu, const char *id, const char *etag,
		      struct emu_failure *f)
{
	struct precond pre;
	cJSON *stored = NULL;
	bool ok = precond_parse(etag, &pre, f) &&
		  load_existing(emu, id, &stored, f) &&
		  precond_holds(&pre, stored, f);
	if (ok) {
		char *key = emu_lower(id);
		ok = emu_store_delete(emu->store, EMU_ENROLLMENTS, key) !=
			     STORE_ERROR || emu_store_failed(emu, f);
		free(key);
	}
	emu_enrollment_free(stored);
	precond_clear(&pre);
	return ok;
}

/* ---- handlers ---- */

/* Checked before anything quotes the body back (ids_agree names the id
 * it was given): a private key is refused without a byte of it shown. */
static bool
free_of_keys(const cJSON *body, struct emu_failure *f)
{
	struct findings found;
	findings_init(&found);
	keymat_check_json("", body, &found);
	bool ok = report_errors(&found, NULL, f);
	findings_clear(&found);
	return ok;
}

static bool
ids_agree(const char *url_id, const cJSON *body, struct emu_failure *f)
{
	const char *id = text_of(body, "registrationId");
	if (!id || registration_id_equal(id, url_id))
		return true;
	return emu_fail(f, 400, 400004,
			"the body's registrationId '%s' differs from the id in "
			"the URL, '%s'; both must name the same enrollment", id,
			url_id);
}

/* If-Match wins; without it the body's etag is the precondition. */
static bool
put_etag(const struct emu_request *req, const cJSON *body, const char **etag,
	 struct emu_failure *f)
{
	*etag = req->if_match;
	return *etag || emu_item_etag(body, etag, f);
}

void
emu_enrollment_put(struct emu *emu, const struct emu_request *req,
		   struct emu_response *resp)
{
	struct emu_failure f = { 0 };
	const char *etag = NULL;
	cJSON *written = NULL;
	cJSON *body = emu_parse_body(req, &f);
	if (body)
		emu_enums_normalize(body);
	if (body && free_of_keys(body, &f) &&
	    ids_agree(req->params[0], body, &f) &&
	    put_etag(req, body, &etag, &f) &&
	    emu_enrollment_write(emu, body, etag, EMU_WRITE_PUT, &written, &f))
		emu_reply_json(resp, 200,
			       emu_enrollment_view(emu, written, EMU_VIEW_PUT));
	else
		emu_reply_failure(resp, &f);
	emu_enrollment_free(written);
	emu_enrollment_free(body);
	emu_failure_clear(&f);
}

void
emu_enrollment_get(struct emu *emu, const struct emu_request *req,
		   struct emu_response *resp)
{
	struct emu_failure f = { 0 };
	cJSON *stored = NULL;
	if (load_existing(emu, req->params[0], &stored, &f))
		emu_reply_json(resp, 200,
			       emu_enrollment_view(emu, stored, EMU_VIEW_GET));
	else
		emu_reply_failure(resp, &f);
	emu_enrollment_free(stored);
	emu_failure_clear(&f);
}

void
emu_enrollment_delete(struct emu *emu, const struct emu_request *req,
		      struct emu_response *resp)
{
	struct emu_failure f = { 0 };
	if (emu_enrollment_remove(emu, req->params[0], req->if_match, &f))
		emu_reply_empty(resp, 204);
	else
		emu_reply_failure(resp, &f);
	emu_failure_clear(&f);
}

/* The body carries nothing the service uses (SDKs send none or {}), so
 * it is not read. */
void
emu_enrollment_attestation(struct emu *emu, const struct emu_request *req,
			   struct emu_response *resp)
{
	struct emu_failure f = { 0 };
	cJSON *stored = NULL;
	if (load_existing(emu, req->params[0], &stored, &f)) {
		cJSON *shown = emu_enrollment_view(emu, stored, EMU_VIEW_PUT);
		cJSON *att = cJSON_DetachItemFromObjectCaseSensitive(
			shown, "attestation");
		emu_enrollment_free(shown);
		emu_reply_json(resp, 200, att ? att : cJSON_CreateObject());
	} else {
		emu_reply_failure(resp, &f);
	}
	emu_enrollment_free(stored);
	emu_failure_clear(&f);
}
