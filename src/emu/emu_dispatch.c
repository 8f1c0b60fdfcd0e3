/* Routes: which handler answers a method and path, and what every route
 * of a kind needs first (api-version, authorisation, throttling, faults,
 * a body's media type). */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "emu/emu_dispatch.h"
#include "emu/emu_faults.h"
#include "emu/emu_handlers.h"
#include "emu/emu_jwt.h"

enum route_kind {
	ROUTE_SERVICE,
	ROUTE_DEVICE,
	ROUTE_REGISTER,		/* a device API call that counts as a
				 * registration against its limit */
	ROUTE_ADMIN,
};

struct route {
	const char *method;
	const char *pattern;	/* "{}" matches one path segment */
	enum route_kind kind;
	emu_handler_fn handler;
};

static const struct route routes[] = {
	{ "POST", "/enrollments/query", ROUTE_SERVICE, emu_enrollment_query },
	{ "POST", "/enrollments", ROUTE_SERVICE, emu_enrollment_bulk },
	{ "POST", "/enrollments/", ROUTE_SERVICE, emu_enrollment_bulk },
	{ "PUT", "/enrollments/{}", ROUTE_SERVICE, emu_enrollment_put },
	{ "GET", "/enrollments/{}", ROUTE_SERVICE, emu_enrollment_get },
	{ "DELETE", "/enrollments/{}", ROUTE_SERVICE, emu_enrollment_delete },
	{ "POST", "/enrollments/{}/attestationmechanism", ROUTE_SERVICE,
	  emu_enrollment_attestation },
	{ "GET", "/registrations/{}", ROUTE_SERVICE, emu_regstate_get },
	{ "DELETE", "/registrations/{}", ROUTE_SERVICE, emu_regstate_delete },
	{ "POST", "/admin/faults", ROUTE_ADMIN, emu_admin_fault_add },
	{ "GET", "/admin/faults", ROUTE_ADMIN, emu_admin_fault_list },
	{ "DELETE", "/admin/faults", ROUTE_ADMIN, emu_admin_fault_clear },
	{ "POST", "/admin/registrations/{}", ROUTE_ADMIN, emu_admin_register },
	{ "POST", "/admin/token", ROUTE_ADMIN, emu_admin_token },
	{ "PUT", "/{}/registrations/{}/register", ROUTE_REGISTER,
	  emu_device_register },
	{ "GET", "/{}/registrations/{}/operations/{}", ROUTE_DEVICE,
	  emu_device_operation },
	{ "POST", "/{}/registrations/{}", ROUTE_DEVICE, emu_device_status },
};

enum { ROUTE_COUNT = sizeof(routes) / sizeof(routes[0]) };

static const char *const service_versions[] = {
	"2021-10-01", "2019-03-31", "2018-04-01", NULL,
};
/* device.json is 2021-10-01 too; SDKs in the field send the older two. */
static const char *const device_versions[] = {
	"2021-10-01", "2021-06-01", "2019-03-31", NULL,
};

/* Matches `path` against `pattern`, storing the {} segments in params
 * (pointers into buf, a writable copy of path). */
static bool
match(const char *pattern, const char *path, char *buf, size_t buflen,
      const char *params[4])
{
	if (strlen(path) >= buflen)
		return false;
	strcpy(buf, path);
	int n = 0;
	const char *pp = pattern;
	char *sp = buf;
	while (*pp && *sp) {
		if (strncmp(pp, "{}", 2) == 0) {
			char *end = strchr(sp, '/');
			if (end == sp || n == 4)
				return false;
			params[n++] = sp;
			pp += 2;
			sp = end ? end : sp + strlen(sp);
			if (end && *pp == '/') {
				*end = '\0';
				sp = end + 1;
				pp++;
			}
			continue;
		}
		if (*pp++ != *sp++)
			return false;
	}
	return *pp == '\0' && *sp == '\0';
}

static bool
version_known(const char *v, const char *const *known)
{
	for (; v && *known; known++)
		if (strcmp(v, *known) == 0)
			return true;
	return false;
}

static bool
check_version(const struct emu_request *req, const char *const *known,
	      struct emu_response *resp)
{
	if (version_known(req->api_version, known))
		return true;
	if (!req->api_version)
		emu_reply_error(resp, 400, 400004,
				"the api-version query parameter is required "
				"(use api-version=%s)", known[0]);
	else
		emu_reply_error(resp, 400, 400004,
				"api-version '%s' is not supported; use %s",
				req->api_version, known[0]);
	return false;
}

/* `what` names what the limit counts, e.g. "operations". */
static bool
check_throttle(struct emu_throttle *t, int per_min, const char *what,
	       struct emu_response *resp)
{
	int retry_after;
	if (emu_throttle_take(t, &retry_after))
		return true;
	char text[16];
	snprintf(text, sizeof(text), "%d", retry_after);
	emu_reply_error(resp, 429, 429001,
			"too many requests: the service allows %d %s per "
			"minute; retry after %d s", per_min, what, retry_after);
	emu_reply_header(resp, "Retry-After", text);
	return false;
}

static bool
check_service_throttle(struct emu *emu, struct emu_response *resp)
{
	return check_throttle(emu->throttle, emu->cfg.throttle_per_min,
			      "operations", resp);
}

static bool
check_registration_throttle(struct emu *emu, struct emu_response *resp)
{
	return check_throttle(emu->registration_throttle,
			      emu->cfg.registration_throttle_per_min,
			      "device registrations", resp);
}

/* JSON whatever its parameters: SDKs send "application/json" (Java,
 * Python) or "application/json; charset=utf-8" (C, C#, Node). */
static bool
is_json_type(const char *type)
{
	static const char json[] = "application/json";
	size_t n = sizeof(json) - 1;
	type += strspn(type, " \t");
	if (strncasecmp(type, json, n) != 0)
		return false;
	const char *rest = type + n + strspn(type + n, " \t");
	return *rest == '\0' || *rest == ';';
}

/* A body in another media type (text, form data) is refused as the
 * service refuses it [DOC S3]. The notes say nothing of a body without a
 * Content-Type: it is read as JSON. */
static bool
check_media_type(const struct emu_request *req, struct emu_response *resp)
{
	const char *type = req->content_type;
	if (req->body_len == 0 || !type || is_json_type(type))
		return true;
	/* Quoted back only when it is short, printable text. */
	size_t len = strlen(type);
	bool plain = len <= 100;
	for (size_t i = 0; i < len && plain; i++)
		plain = type[i] >= 0x20 && type[i] < 0x7f;
	emu_reply_error(resp, 415, 415001, "Unsupported media type: the body's "
			"Content-Type is %s%s%s; send the body as JSON with "
			"Content-Type: application/json", plain ? "'" : "",
			plain ? type : "not JSON", plain ? "'" : "");
	return false;
}

/* The admin API: from loopback, with the token of DATA/admin-token. */
static bool
admit_admin(const struct emu *emu, const struct emu_request *req,
	    struct emu_response *resp)
{
	if (!req->from_loopback) {
		emu_reply_error(resp, 403, 403000,
				"the admin API answers only on loopback");
		return false;
	}
	const char *got = req->admin_token;
	size_t n = strlen(emu->admin_token);
	if (got && strlen(got) == n &&
	    CRYPTO_memcmp(got, emu->admin_token, n) == 0)
		return true;
	emu_reply_error(resp, 401, 401000, "the admin API needs the header "
			"x-dpsemu-admin-token with the contents of the data "
			"folder's admin-token file");
	return false;
}

/* Everything a route of this kind needs before its handler runs. */
static bool
admit(struct emu *emu, const struct route *r, const struct emu_request *req,
      struct emu_response *resp)
{
	if (r->kind == ROUTE_ADMIN)
		return admit_admin(emu, req, resp);
	if (!req->faults_done && emu_faults_apply(emu->faults, req, resp))
		return false;
	bool ok;
	if (r->kind == ROUTE_SERVICE)
		ok = check_version(req, service_versions, resp) &&
		     emu_authorize_service(emu, req, resp) &&
		     check_service_throttle(emu, resp);
	else
		ok = check_version(req, device_versions, resp) &&
		     (r->kind != ROUTE_REGISTER ||
		      check_registration_throttle(emu, resp));
	if (ok && req->body_too_large) {
		emu_reply_error(resp, 413, 413001,
				"the request body is larger than the service's "
				"96 KB limit");
		return false;
	}
	return ok && check_media_type(req, resp);
}

void
emu_dispatch(struct emu *emu, struct emu_request *req,
	     struct emu_response *resp)
{
	char buf[1024];
	bool path_known = false;
	for (size_t i = 0; i < ROUTE_COUNT; i++) {
		const struct route *r = &routes[i];
		const char *params[4] = { 0 };
		if (!match(r->pattern, req->path, buf, sizeof(buf), params))
			continue;
		path_known = true;
		if (strcmp(r->method, req->method) != 0)
			continue;
		memcpy(req->params, params, sizeof(params));
		if (admit(emu, r, req, resp)) {
			pthread_mutex_lock(&emu->lock);
			r->handler(emu, req, resp);
			pthread_mutex_unlock(&emu->lock);
		}
		return;
	}
	if (path_known)
		emu_reply_error(resp, 405, 405000, "%s is not allowed on %s",
				req->method, req->path);
	else
		emu_reply_error(resp, 404, 404000, "no such resource: %s",
				req->path);
}
