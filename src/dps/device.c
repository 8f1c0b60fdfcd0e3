#include "dps/device.h"

#include <stdlib.h>

#include "base/url.h"
#include "base/xalloc.h"

char *
dps_device_resource(const char *id_scope, const char *id)
{
	return xasprintf("%s/registrations/%s", id_scope, id);
}

static char *
device_path(const char *id_scope, const char *id, const char *tail,
	    const char *tail_arg)
{
	char *scope = url_encode(id_scope), *rid = url_encode(id);
	char *arg = tail_arg ? url_encode(tail_arg) : NULL;
	char *path = xasprintf("/%s/registrations/%s%s%s", scope, rid, tail,
			       arg ? arg : "");
	free(arg);
	free(rid);
	free(scope);
	return path;
}

void
dps_device_register(struct dps_client *c, const char *id_scope,
		    const char *id, struct dps_response *out)
{
	char *path = device_path(id_scope, id, "/register", NULL);
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "registrationId", id);
	char *body = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	/* Registering twice is what a device does after a lost answer. */
	struct dps_call call = { .method = "PUT", .path = path, .body = body,
				 .retry_lost_answer = true };
	dps_client_call(c, &call, out);
	free(body);
	free(path);
}

void
dps_device_operation(struct dps_client *c, const char *id_scope,
		     const char *id, const char *operation_id,
		     struct dps_response *out)
{
	char *path = device_path(id_scope, id, "/operations/", operation_id);
	struct dps_call call = { .method = "GET", .path = path,
				 .retry_lost_answer = true };
	dps_client_call(c, &call, out);
	free(path);
}
