#include "dps/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/url.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/readback.h"

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
	if (!dps_write_uncertain(out))
		return;
	out->outcome = dps_readback_delete(c, id, if_match);
	out->hint = NULL;	/* the outcome says what to do */
	if (out->outcome != DPS_OUTCOME_APPLIED)
		return;
	int attempts = out->attempts, port = out->port;
	dps_response_clear(out);
	out->port = port;
	out->status = 204;
	out->retry_after = -1;
	out->attempts = attempts;
	out->answer_lost = out->recovered = true;
	out->outcome = DPS_OUTCOME_APPLIED;
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

/* Applied: the record read back stands for the lost answer. */
static void
take_stored(struct dps_response *out, struct dps_response *stored)
{
	int attempts = out->attempts;
	dps_response_clear(out);
	*out = *stored;
	out->attempts += attempts;
	out->answer_lost = true;
	out->recovered = true;
	out->outcome = DPS_OUTCOME_APPLIED;
}

void
dps_enrollment_put(struct dps_client *c, const char *id, const char *json,
		   const char *if_match, struct dps_response *out)
{
	simple_call(c, "PUT", id_path("/enrollments/", id, NULL), if_match, json,
		    out);
	if (!dps_write_uncertain(out))
		return;
	struct dps_response stored;
	out->outcome = dps_readback_put(c, id, json, if_match, &stored);
	out->hint = NULL;	/* the outcome says what to do */
	if (out->outcome == DPS_OUTCOME_APPLIED)
		take_stored(out, &stored);
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

/* The items from `first` on, `count` of them or to the list's end:
 * walked from there, since finding an item by index walks the list from
 * its head (a long list would cost its length squared). */
static cJSON *
bulk_slice(const char *mode, const cJSON *first, int count)
{
	cJSON *req = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(req, "enrollments");
	for (const cJSON *it = first; it && count-- > 0; it = it->next)
		cJSON_AddItemToArray(list, cJSON_Duplicate(it, 1));
	cJSON_AddStringToObject(req, "mode", mode);
	return req;
}

static const cJSON *
skip_items(const cJSON *it, int count)
{
	while (it && count-- > 0)
		it = it->next;
	return it;
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

/* The If-Match a bulk mode's item was sent with, as a single PUT would
 * carry it: NULL for a create, "*" for an unconditional update. */
static const char *
item_if_match(const char *mode, const cJSON *item)
{
	const cJSON *etag = cJSON_GetObjectItemCaseSensitive(item, "etag");
	if (strcmp(mode, "create") == 0)
		return NULL;
	if (strcmp(mode, "update") == 0)
		return "*";
	return cJSON_IsString(etag) ? etag->valuestring : "*";
}

static enum dps_outcome
read_back_item(struct dps_client *c, const char *mode, const cJSON *item)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "registrationId");
	if (!cJSON_IsString(id))
		return DPS_OUTCOME_UNKNOWN;
	const char *if_match = item_if_match(mode, item);
	if (strcmp(mode, "delete") == 0)
		return dps_readback_delete(c, id->valuestring,
					   strcmp(if_match, "*") ? if_match : NULL);
	char *json = cJSON_PrintUnformatted(item);
	struct dps_response stored;
	enum dps_outcome o = dps_readback_put(c, id->valuestring, json, if_match,
					      &stored);
	if (o == DPS_OUTCOME_APPLIED)
		dps_response_clear(&stored);
	secret_str_free(json);
	return o;
}

/* A batch whose answer is not sure: each of its items is read back and
 * reported in the merged result's "readBack"; false when one could not
 * be read (the rest of the list is then not sent). */
static bool
read_back_slice(struct dps_client *c, const char *mode, const cJSON *first,
		int count, cJSON *merged)
{
	cJSON *rb = cJSON_GetObjectItemCaseSensitive(merged, "readBack");
	if (!rb)
		rb = cJSON_AddArrayToObject(merged, "readBack");
	bool all_known = true;
	for (const cJSON *item = first; item && count-- > 0; item = item->next) {
		enum dps_outcome o = read_back_item(c, mode, item);
		cJSON *entry = cJSON_CreateObject();
		cJSON_AddItemToObject(entry, "registrationId", cJSON_Duplicate(
			cJSON_GetObjectItemCaseSensitive(item, "registrationId"), 1));
		cJSON_AddStringToObject(entry, "outcome", dps_outcome_name(o));
		cJSON_AddItemToArray(rb, entry);
		if (o != DPS_OUTCOME_APPLIED)
			cJSON_ReplaceItemInObject(merged, "isSuccessful",
						  cJSON_CreateFalse());
		all_known = all_known && o != DPS_OUTCOME_UNKNOWN;
	}
	return all_known;
}

static void
mark_not_sent(cJSON *merged, const cJSON *first)
{
	cJSON *rb = cJSON_GetObjectItemCaseSensitive(merged, "readBack");
	for (const cJSON *it = first; it; it = it->next) {
		cJSON *entry = cJSON_CreateObject();
		cJSON_AddItemToObject(entry, "registrationId", cJSON_Duplicate(
			cJSON_GetObjectItemCaseSensitive(it, "registrationId"), 1));
		cJSON_AddStringToObject(entry, "outcome", "notSent");
		cJSON_AddItemToArray(rb, entry);
	}
}

/* The merged result stands as the answer of the whole list. */
static void
answer_merged(struct dps_response *out, cJSON *merged, int attempts,
	      bool lost)
{
	int port = out->port;
	dps_response_clear(out);
	out->port = port;
	out->status = 200;
	out->retry_after = -1;
	out->body = merged;
	out->attempts = attempts;
	out->answer_lost = out->recovered = lost;
}

/* One connection serves the whole list: a batch whose answer was lost
 * (libcurl may even have resent it on a reused connection) is read back
 * item by item rather than assumed failed. */
void
dps_enrollment_bulk(struct dps_client *c, const char *mode,
		    const cJSON *enrollments, struct dps_response *out)
{
	cJSON *merged = cJSON_CreateObject();
	cJSON_AddTrueToObject(merged, "isSuccessful");
	cJSON_AddArrayToObject(merged, "errors");
	int n = cJSON_GetArraySize(enrollments);
	int attempts = 0;
	bool lost = false;
	memset(out, 0, sizeof(*out));
	const cJSON *first = enrollments ? enrollments->child : NULL;
	for (int from = 0; from < n || from == 0; from += BULK_MAX) {
		const cJSON *next = skip_items(first, BULK_MAX);
		cJSON *req = bulk_slice(mode, first, BULK_MAX);
		char *body = cJSON_PrintUnformatted(req);
		cJSON_Delete(req);
		dps_response_clear(out);
		struct dps_call call = { .method = "POST", .path = "/enrollments",
					 .body = body };
		dps_client_call(c, &call, out);
		secret_str_free(body);
		attempts += out->attempts;
		if (out->answer_lost || dps_write_uncertain(out)) {
			lost = true;
			if (!read_back_slice(c, mode, first, BULK_MAX, merged)) {
				mark_not_sent(merged, next);
				break;
			}
		} else if (!merge_bulk(merged, out)) {
			cJSON_Delete(merged);
			return;
		}
		first = next;
	}
	answer_merged(out, merged, attempts, lost);
}
