#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "emu/emu.h"

void
emu_reply_header(struct emu_response *resp, const char *name,
		 const char *value)
{
	if (resp->header_count == sizeof(resp->headers) / sizeof(resp->headers[0]))
		return;
	resp->headers[resp->header_count++] = (struct emu_header){
		.name = xstrdup(name), .value = xstrdup(value),
	};
}

void
emu_reply_json(struct emu_response *resp, unsigned status, cJSON *body)
{
	resp->status = status;
	free(resp->body);
	resp->body = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	emu_reply_header(resp, "Content-Type", "application/json; charset=utf-8");
}

void
emu_reply_empty(struct emu_response *resp, unsigned status)
{
	resp->status = status;
	free(resp->body);
	resp->body = NULL;
}

void
emu_reply_error_info(struct emu_response *resp, unsigned status, int code,
		     const char *msg, const cJSON *info)
{
	char tracking[37], stamp[40], codetext[16];
	emu_new_guid(tracking);
	emu_timestamp(stamp);
	cJSON *b = cJSON_CreateObject();
	cJSON_AddNumberToObject(b, "errorCode", code);
	cJSON_AddStringToObject(b, "trackingId", tracking);
	cJSON_AddStringToObject(b, "message", msg);
	cJSON_AddStringToObject(b, "timestampUtc", stamp);
	if (info)
		cJSON_AddItemToObject(b, "info", cJSON_Duplicate(info, 1));
	snprintf(codetext, sizeof(codetext), "%d", code);
	emu_reply_json(resp, status, b);
	emu_reply_header(resp, "x-ms-error-code", codetext);
}

void
emu_reply_error(struct emu_response *resp, unsigned status, int code,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	emu_reply_error_info(resp, status, code, msg, NULL);
	free(msg);
}

/* The service says only "Unauthorized" [OBS S17]; what was wrong goes in
 * info, where a person reading the answer still finds it. */
void
emu_reply_unauthorized(struct emu_response *resp, const char *why)
{
	cJSON *info = cJSON_CreateObject();
	cJSON_AddStringToObject(info, "reason", why);
	emu_reply_error_info(resp, 401, 401002, "Unauthorized", info);
	cJSON_Delete(info);
}

void
emu_response_clear(struct emu_response *resp)
{
	free(resp->body);
	for (size_t i = 0; i < resp->header_count; i++) {
		free(resp->headers[i].name);
		free(resp->headers[i].value);
	}
	memset(resp, 0, sizeof(*resp));
}
