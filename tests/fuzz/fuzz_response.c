/* What the service answers, as the program reads it once it has arrived:
 * status, the headers the client keeps, the body and its error details
 * (ProvisioningServiceErrorDetails), turned into the message, the advice,
 * the journal entry and the keys a user is shown.
 *
 * Input: "STATUS\n", then "Name: value\n" header lines, an empty line, and
 * the body. The transfer itself (libcurl's callbacks in dps/client.c) is
 * not reached here: it needs a connection. */

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "app/explain.h"
#include "app/journal.h"
#include "app/keepkeys.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/client.h"
#include "model/json.h"
#include "tests/fuzz/fuzz.h"

static char *
member(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

static void
keep_header(struct dps_response *r, const char *name, const char *value)
{
	char **slot = NULL;
	if (strcasecmp(name, "x-ms-error-code") == 0)
		slot = &r->ms_error_code;
	else if (strcasecmp(name, "x-ms-continuation") == 0)
		slot = &r->continuation;
	else if (strcasecmp(name, "x-ms-item-type") == 0)
		slot = &r->item_type;
	else if (strcasecmp(name, "retry-after") == 0)
		r->retry_after = atoi(value);
	if (slot) {
		free(*slot);
		*slot = xstrdup(value);
	}
}

/* Splits `text` (modified) into status, headers and body. */
static char *
read_head(struct dps_response *r, char *text)
{
	char *line = text;
	r->status = strtol(line, NULL, 10);
	for (bool first = true;; first = false) {
		char *nl = strchr(line, '\n');
		if (!nl)
			return line + strlen(line);
		*nl = '\0';
		if (!first && line[0] == '\0')
			return nl + 1;
		char *colon = first ? NULL : strchr(line, ':');
		if (colon) {
			*colon = '\0';
			keep_header(r, line, colon + 1 + strspn(colon + 1, " "));
		}
		line = nl + 1;
	}
}

static void
read_body(struct dps_response *r, const char *body)
{
	r->raw = xstrdup(body);
	r->body = cJSON_Parse(body);
	if (r->status < 400 || !cJSON_IsObject(r->body))
		return;
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(r->body, "errorCode");
	r->error.error_code = cJSON_IsNumber(code) ? code->valueint : 0;
	r->error.message = member(r->body, "message");
	r->error.tracking_id = member(r->body, "trackingId");
	r->error.timestamp = member(r->body, "timestampUtc");
	const cJSON *info = cJSON_GetObjectItemCaseSensitive(r->body, "info");
	r->error.info = cJSON_IsObject(info) ? cJSON_Duplicate(info, 1) : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct dps_response r = { .failure = DPS_ANSWERED, .retry_after = -1,
				  .port = 443, .attempts = 1 };
	read_body(&r, read_head(&r, text));
	free(text);

	free(dps_response_describe(&r));
	struct advice a = explain_response(&r);
	advice_clear(&a);
	struct journal_entry e = { .registration_id = "dev-1",
				   .operation = "update" };
	journal_entry_from_response(&e, &r);
	char *why = NULL;
	cJSON *keys = keepkeys_from_answer(&r, &why);
	if (keys) {
		json_wipe_strings(keys);
		cJSON_Delete(keys);
	}
	free(why);
	if (r.body)
		(void)keepkeys_missing(r.body);
	dps_response_clear(&r);
	return 0;
}
