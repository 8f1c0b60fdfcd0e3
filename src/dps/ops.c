#include "dps/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/url.h"
#include "base/xalloc.h"
#include "model/json.h"
#include "model/x509info.h"

enum { BULK_MAX = 10 };

static char *
id_path(const char *prefix, const char *id, const char *suffix)
{
	char *enc = url_encode(id);
	char *path = xasprintf("%s%s%s", prefix, enc, suffix ? suffix : "");
	free(enc);
	return path;
}

static void
simple_call(struct dps_client *c, const char *method, char *path,
	    const char *if_match, const char *body, struct dps_response *out)
{
	struct dps_call call = {
		.method = method, .path = path, .if_match = if_match,
		.body = body, .retry_lost_answer = true,
	};
	dps_client_call(c, &call, out);
	free(path);
}

void
dps_enrollment_get(struct dps_client *c, const char *id,
		   struct dps_response *out)
{
	simple_call(c, "GET", id_path("/enrollments/", id, NULL), NULL, NULL, out);
}

void
dps_enrollment_delete(struct dps_client *c, const char *id,
		      const char *if_match, struct dps_response *out)
{
	simple_call(c, "DELETE", id_path("/enrollments/", id, NULL), if_match,
		    NULL, out);
}

void
dps_enrollment_attestation(struct dps_client *c, const char *id,
			   struct dps_response *out)
{
	simple_call(c, "POST", id_path("/enrollments/", id,
				       "/attestationmechanism"), NULL, NULL, out);
}

void
dps_regstate_get(struct dps_client *c, const char *id, struct dps_response *out)
{
	simple_call(c, "GET", id_path("/registrations/", id, NULL), NULL, NULL, out);
}

void
dps_regstate_delete(struct dps_client *c, const char *id, const char *if_match,
		    struct dps_response *out)
{
	simple_call(c, "DELETE", id_path("/registrations/", id, NULL), if_match,
		    NULL, out);
}

static bool
same_member(const cJSON *a, const cJSON *b, const char *name)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, name);
	const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, name);
	return (!x && !y) || (x && y && cJSON_Compare(x, y, 1));
}

/* The service answers X.509 with info only: compare by thumbprint. */
static bool
same_certificate(const cJSON *sent, const cJSON *stored)
{
	const cJSON *pem = cJSON_GetObjectItemCaseSensitive(sent, "certificate");
	const cJSON *thumb = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(stored, "info"), "sha256Thumbprint");
	if (!cJSON_IsString(pem))
		return true;
	struct cert_info info;
	char *why = NULL;
	if (!cJSON_IsString(thumb) ||
	    !cert_info_read((const unsigned char *)pem->valuestring,
			    strlen(pem->valuestring), &info, &why)) {
		free(why);
		return false;
	}
	bool same = strcmp(info.sha256, thumb->valuestring) == 0;
	cert_info_clear(&info);
	return same;
}

static bool
same_attestation(struct dps_client *c, const char *id, const cJSON *sent)
{
	struct dps_response mech;
	dps_enrollment_attestation(c, id, &mech);
	const cJSON *got = mech.body;
	bool same = mech.status == 200 && same_member(sent, got, "type") &&
		    same_member(sent, got, "tpm");
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(sent, "symmetricKey");
	const cJSON *k;
	cJSON_ArrayForEach(k, keys)
		same = same && same_member(keys, cJSON_GetObjectItemCaseSensitive(
					   got, "symmetricKey"), k->string);
	const cJSON *x509 = cJSON_GetObjectItemCaseSensitive(sent, "x509");
	const cJSON *gx = cJSON_GetObjectItemCaseSensitive(got, "x509");
	const cJSON *certs = cJSON_GetObjectItemCaseSensitive(x509,
							      "clientCertificates");
	const cJSON *slot;
	cJSON_ArrayForEach(slot, certs) {
		char *path = xasprintf("clientCertificates.%s", slot->string);
		same = same && same_certificate(slot, json_path_get(gx, path));
		free(path);
	}
	dps_response_clear(&mech);
	return same;
}

static const char *const server_set[] = {
	"etag", "createdDateTimeUtc", "lastUpdatedDateTimeUtc",
	"registrationState", "attestation", NULL,
};

static bool
is_server_set(const char *name)
{
	for (int i = 0; server_set[i]; i++)
		if (strcmp(server_set[i], name) == 0)
			return true;
	return false;
}

/* After a lost answer, a 409 may mean our own create landed. It did when
 * the stored record holds every field that was sent. */
static bool
holds_what_was_sent(struct dps_client *c, const char *id, const char *json,
		    struct dps_response *stored)
{
	cJSON *sent = cJSON_Parse(json);
	dps_enrollment_get(c, id, stored);
	bool same = sent && stored->status == 200 && stored->body;
	const cJSON *m;
	cJSON_ArrayForEach(m, sent)
		if (same && !is_server_set(m->string))
			same = same_member(sent, stored->body, m->string);
	const cJSON *att = cJSON_GetObjectItemCaseSensitive(sent, "attestation");
	same = same && same_attestation(c, id, att);
	cJSON_Delete(sent);
	return same;
}

void
dps_enrollment_put(struct dps_client *c, const char *id, const char *json,
		   const char *if_match, struct dps_response *out)
{
	simple_call(c, "PUT", id_path("/enrollments/", id, NULL), if_match, json,
		    out);
	if (if_match || !out->answer_lost || out->status != 409)
		return;
	struct dps_response stored;
	if (holds_what_was_sent(c, id, json, &stored)) {
		int attempts = out->attempts;
		dps_response_clear(out);
		*out = stored;
		out->attempts = attempts + stored.attempts;
		out->answer_lost = true;
		out->recovered = true;
		return;
	}
	dps_response_clear(&stored);
}

void
dps_enrollment_query_page(struct dps_client *c, int page_size,
			  const char *continuation, struct dps_response *out)
{
	char items[16];
	snprintf(items, sizeof(items), "%d", page_size);
	struct dps_call call = {
		.method = "POST", .path = "/enrollments/query",
		.body = "{\"query\":\"SELECT * FROM enrollments\"}",
		.max_items = page_size > 0 ? items : NULL,
		.continuation = continuation, .retry_lost_answer = true,
	};
	dps_client_call(c, &call, out);
}

static cJSON *
bulk_slice(const char *mode, const cJSON *enrollments, int from, int to)
{
	cJSON *req = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(req, "enrollments");
	for (int i = from; i < to; i++)
		cJSON_AddItemToArray(list, cJSON_Duplicate(
			cJSON_GetArrayItem(enrollments, i), 1));
	cJSON_AddStringToObject(req, "mode", mode);
	return req;
}

/* Folds one slice's result into the merged one; false when the slice
 * itself failed (the caller keeps that answer). */
static bool
merge_bulk(cJSON *merged, const struct dps_response *r)
{
	if (r->failure != DPS_ANSWERED || r->status != 200 || !r->body)
		return false;
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->body, "isSuccessful")))
		cJSON_ReplaceItemInObject(merged, "isSuccessful", cJSON_CreateFalse());
	cJSON *errs = cJSON_GetObjectItemCaseSensitive(merged, "errors");
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r->body, "errors"))
		cJSON_AddItemToArray(errs, cJSON_Duplicate(e, 1));
	return true;
}

void
dps_enrollment_bulk(struct dps_client *c, const char *mode,
		    const cJSON *enrollments, struct dps_response *out)
{
	cJSON *merged = cJSON_CreateObject();
	cJSON_AddTrueToObject(merged, "isSuccessful");
	cJSON_AddArrayToObject(merged, "errors");
	int n = cJSON_GetArraySize(enrollments);
	memset(out, 0, sizeof(*out));
	for (int from = 0; from < n || from == 0; from += BULK_MAX) {
		int to = from + BULK_MAX < n ? from + BULK_MAX : n;
		cJSON *req = bulk_slice(mode, enrollments, from, to);
		char *body = cJSON_PrintUnformatted(req);
		cJSON_Delete(req);
		dps_response_clear(out);
		struct dps_call call = { .method = "POST", .path = "/enrollments",
					 .body = body };
		dps_client_call(c, &call, out);
		free(body);
		if (!merge_bulk(merged, out)) {
			cJSON_Delete(merged);
			return;
		}
	}
	cJSON_Delete(out->body);
	out->body = merged;
}
