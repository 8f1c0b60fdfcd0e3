#include "dps/bulk_items.h"

#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/readback.h"

void
dps_bulk_item_reset(struct dps_bulk_item *item)
{
	free(item->message);
	item->message = NULL;
	item->end = DPS_ITEM_NOT_SENT;
	item->status = 0;
	item->error_code = 0;
}

/* The request's text: the items are referenced, not copied. */
static char *
request_text(const char *mode, const struct dps_bulk_item *items, size_t n)
{
	cJSON *req = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(req, "enrollments");
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemReferenceToArray(list, (cJSON *)items[i].enrollment);
	cJSON_AddStringToObject(req, "mode", mode);
	char *text = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	return text;
}

static struct dps_bulk_item *
item_named(struct dps_bulk_item *items, size_t n, const char *id)
{
	for (size_t i = 0; id && i < n; i++)
		if (strcmp(items[i].id, id) == 0)
			return &items[i];
	return NULL;
}

/* A 200 answer: the items its "errors" names were refused, the others
 * done. */
static void
take_result(struct dps_bulk_item *items, size_t n, const cJSON *body)
{
	for (size_t i = 0; i < n; i++) {
		items[i].end = DPS_ITEM_DONE;
		items[i].status = 200;
	}
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(body, "errors")) {
		struct dps_bulk_item *it = item_named(items, n, cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(e, "registrationId")));
		if (!it)
			continue;
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "errorCode");
		const char *msg = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(e, "errorStatus"));
		it->end = DPS_ITEM_REFUSED;
		it->error_code = cJSON_IsNumber(code) ? code->valueint : 0;
		/* DPS error codes are the HTTP status and three digits */
		it->status = it->error_code >= 100000 ? it->error_code / 1000 : 400;
		free(it->message);
		it->message = msg ? secret_redact(msg) : NULL;
	}
}

static void
refuse_all(struct dps_bulk_item *items, size_t n, const struct dps_response *r)
{
	char *text = dps_response_describe(r);
	for (size_t i = 0; i < n; i++) {
		items[i].end = DPS_ITEM_REFUSED;
		items[i].status = r->status;
		items[i].error_code = r->error.error_code;
		free(items[i].message);
		items[i].message = xstrdup(text);
	}
	free(text);
}

static bool
sent_nothing(const struct dps_response *r)
{
	return r->failure != DPS_ANSWERED && !dps_write_uncertain(r) &&
	       !r->answer_lost;
}

void
dps_bulk_items_send(struct dps_client *c, const char *mode,
		    struct dps_bulk_item *items, size_t n,
		    struct dps_response *out)
{
	char *body = request_text(mode, items, n);
	struct dps_call call = { .method = "POST", .path = "/enrollments",
				 .body = body };
	dps_client_call(c, &call, out);
	secret_str_free(body);
	if (out->answer_lost || dps_write_uncertain(out)) {
		for (size_t i = 0; i < n; i++) {
			dps_bulk_item_read_back(c, mode, &items[i]);
			if (items[i].end == DPS_ITEM_UNKNOWN)
				break;	/* the rest is unknown too */
		}
		for (size_t i = 0; i < n; i++)
			if (items[i].end == DPS_ITEM_NOT_SENT)
				items[i].end = DPS_ITEM_UNKNOWN;
		return;
	}
	if (sent_nothing(out))
		return;
	if (out->status == 200 && cJSON_IsObject(out->body))
		take_result(items, n, out->body);
	else
		refuse_all(items, n, out);
}

/* The If-Match a single PUT of the item would carry. */
static const char *
if_match_of(const char *mode)
{
	return strcmp(mode, "create") == 0 ? NULL : "*";
}

void
dps_bulk_item_read_back(struct dps_client *c, const char *mode,
			struct dps_bulk_item *item)
{
	char *json = cJSON_PrintUnformatted(item->enrollment);
	struct dps_response stored;
	enum dps_outcome o = dps_readback_put(c, item->id, json,
					      if_match_of(mode), &stored);
	secret_str_free(json);
	if (o == DPS_OUTCOME_APPLIED)
		dps_response_clear(&stored);
	free(item->message);
	item->message = NULL;
	item->status = 0;
	item->error_code = 0;
	switch (o) {
	case DPS_OUTCOME_APPLIED:
		item->end = DPS_ITEM_APPLIED;
		item->status = 200;
		break;
	case DPS_OUTCOME_NOT_APPLIED:
		item->end = DPS_ITEM_NOT_APPLIED;
		break;
	case DPS_OUTCOME_CHANGED:
		item->end = DPS_ITEM_CHANGED;
		item->message = xstrdup("the answer was lost, and what is stored "
					"now was written by someone else");
		break;
	default:
		item->end = DPS_ITEM_UNKNOWN;
		break;
	}
}
