/* POST /enrollments/query: every enrollment, a page at a time (semantics
 * §9). Real clients send "SELECT *", "select *", "*" and the like, and the
 * service answers all of them with every record, so the text is only
 * required, not read. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "base/b64.h"
#include "base/xalloc.h"
#include "emu/emu_enroll.h"
#include "emu/emu_handlers.h"
#include "emu/emu_records.h"

enum {
	PAGE_DEFAULT = 100,
	PAGE_MAX = 1000,
};

static bool
page_size(const char *text, size_t *size, struct emu_failure *f)
{
	*size = PAGE_DEFAULT;
	if (!text)
		return true;
	size_t len = strspn(text, "0123456789");
	long n = 0;
	if (len > 0 && len <= 4 && text[len] == '\0')
		n = strtol(text, NULL, 10);
	if (n >= 1 && n <= PAGE_MAX) {
		*size = (size_t)n;
		return true;
	}
	return emu_fail(f, 400, 400004,
			"x-ms-max-item-count must be a whole number from 1 "
			"to %d, not '%s'", PAGE_MAX, text);
}

static bool
query_given(const cJSON *body, struct emu_failure *f)
{
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(body, "query");
	const char *text = cJSON_IsString(q) ? q->valuestring : "";
	while (isspace((unsigned char)*text))
		text++;
	if (*text)
		return true;
	return emu_fail(f, 400, 400004,
			"query is required: send {\"query\": \"SELECT * FROM "
			"enrollments\"}");
}

/* The token is ours alone, so clients must treat it as opaque: base64 of
 * {"last": "<id of the last record sent>"}. */
static char *
continuation_encode(const char *last_id)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "last", last_id);
	char *json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	char *token = b64_encode((const unsigned char *)json, strlen(json));
	free(json);
	return token;
}

/* *after (owned) is where the page starts; NULL without a token. */
static bool
continuation_decode(const char *token, char **after, struct emu_failure *f)
{
	*after = NULL;
	if (!token)
		return true;
	unsigned char *raw = NULL;
	size_t len = 0;
	cJSON *o = NULL;
	if (b64_decode(token, &raw, &len, NULL) == B64_OK)
		o = cJSON_ParseWithLength((const char *)raw, len);
	free(raw);
	const cJSON *last = cJSON_GetObjectItemCaseSensitive(o, "last");
	if (cJSON_IsObject(o) && cJSON_IsString(last) && *last->valuestring)
		*after = xstrdup(last->valuestring);
	cJSON_Delete(o);
	return *after || emu_fail(f, 400, 400004, "invalid continuation token");
}

static bool
add_views(struct emu *emu, cJSON *page, char **docs, size_t count,
	  struct emu_failure *f)
{
	for (size_t i = 0; i < count; i++) {
		cJSON *stored = cJSON_Parse(docs[i]);
		if (!cJSON_IsObject(stored)) {
			cJSON_Delete(stored);
			return emu_fail(f, 500, 500000, "a stored "
					"enrollment is not valid JSON");
		}
		cJSON_AddItemToArray(page, emu_enrollment_view(emu, stored,
							       EMU_VIEW_QUERY));
		emu_enrollment_free(stored);
	}
	return true;
}

/* Stored enrollments hold keys. */
static void
free_docs(char **docs, size_t count)
{
	for (size_t i = 0; i < count; i++)
		OPENSSL_cleanse(docs[i], strlen(docs[i]));
	emu_store_free_list(docs, count);
}

/* One page of views, owned, and *next (owned) the token for the rest, or
 * NULL when nothing remains. */
static cJSON *
list_page(struct emu *emu, const char *after, size_t size, char **next,
	  struct emu_failure *f)
{
	char **docs = NULL, *last_id = NULL;
	size_t count = 0;
	bool more = false;
	*next = NULL;
	if (emu_store_list(emu->store, EMU_ENROLLMENTS, after, size, &docs,
			   &count, &more, &last_id) != STORE_OK) {
		emu_store_failed(emu, f);
		return NULL;
	}
	cJSON *page = cJSON_CreateArray();
	if (!add_views(emu, page, docs, count, f)) {
		cJSON_Delete(page);
		page = NULL;
	} else if (more && last_id) {
		*next = continuation_encode(last_id);
	}
	free_docs(docs, count);
	free(last_id);
	return page;
}

void
emu_enrollment_query(struct emu *emu, const struct emu_request *req,
		     struct emu_response *resp)
{
	struct emu_failure f = { 0 };
	size_t size = 0;
	char *after = NULL, *next = NULL;
	cJSON *page = NULL;
	cJSON *body = emu_parse_body(req, &f);
	if (body && query_given(body, &f) &&
	    page_size(req->max_item_count, &size, &f) &&
	    continuation_decode(req->continuation, &after, &f))
		page = list_page(emu, after, size, &next, &f);
	if (page) {
		emu_reply_json(resp, 200, page);
		emu_reply_header(resp, "x-ms-item-type", "Enrollment");
		if (next)
			emu_reply_header(resp, "x-ms-continuation", next);
	} else {
		emu_reply_failure(resp, &f);
	}
	free(next);
	free(after);
	cJSON_Delete(body);
	emu_failure_clear(&f);
}
