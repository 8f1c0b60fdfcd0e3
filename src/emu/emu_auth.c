/* Service-API authorisation: a SharedAccessSignature over the DPS host
 * name, signed with the provisioningserviceowner policy's key. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/sas.h"
#include "base/url.h"
#include "base/xalloc.h"
#include "emu/emu.h"

enum { SAS_CLOCK_SKEW = 300 };

/* "host:port" or "host" matches one of the names this emulator answers
 * to; a ":port" must be ours. */
static bool
host_matches(const struct emu *emu, const char *host)
{
	char port[16];
	snprintf(port, sizeof(port), ":%d", emu->cfg.port);
	static const char *const names[] = { "127.0.0.1", "localhost", "[::1]",
					     NULL };
	if (strcasecmp(host, emu->host_name) == 0)
		return true;
	for (int i = 0; names[i]; i++) {
		size_t n = strlen(names[i]);
		if (strncasecmp(host, names[i], n) != 0)
			continue;
		if (host[n] == '\0' || strcmp(host + n, port) == 0)
			return true;
	}
	return false;
}

/* The docs make sr a prefix of the resource, matched by path segment:
 * "host/enrollments" covers "/enrollments/x" but not "/enrollmentsx". */
static bool
resource_covers(const struct emu *emu, const char *sr, const char *path)
{
	char *decoded = url_decode(sr);
	if (!decoded)
		return false;
	char *slash = strchr(decoded, '/');
	if (slash)
		*slash = '\0';
	bool ok = host_matches(emu, decoded);
	if (ok && slash && slash[1]) {
		size_t n = strlen(slash + 1);
		const char *p = path[0] == '/' ? path + 1 : path;
		ok = strncasecmp(p, slash + 1, n) == 0 &&
		     (p[n] == '\0' || p[n] == '/');
	}
	free(decoded);
	return ok;
}

static bool
deny(struct emu_response *resp, const char *why)
{
	emu_reply_error(resp, 401, 401002, "Unauthorized: %s", why);
	return false;
}

bool
emu_authorize_service(struct emu *emu, const struct emu_request *req,
		      struct emu_response *resp)
{
	if (!req->authorization)
		return deny(resp, "no Authorization header; send a "
			    "SharedAccessSignature made from the connection string");
	struct sas_fields f;
	if (!sas_fields_parse(req->authorization, &f))
		return deny(resp, "the Authorization header is not a "
			    "SharedAccessSignature with sr, sig and se");
	bool ok = false;
	char *skn = f.skn ? url_decode(f.skn) : NULL;
	if (!skn || strcmp(skn, emu->policy_name) != 0)
		deny(resp, "unknown shared access policy (skn)");
	else if (!resource_covers(emu, f.sr, req->path))
		deny(resp, "the token's resource (sr) is not this service's host name");
	else if (sas_expired(f.se, time(NULL), SAS_CLOCK_SKEW))
		deny(resp, "the token has expired, or its se is not a time");
	else if (!sas_fields_verify(&f, emu->policy_key, time(NULL),
				    SAS_CLOCK_SKEW))
		deny(resp, "the signature does not match; check the shared access key");
	else
		ok = true;
	free(skn);
	sas_fields_clear(&f);
	return ok;
}
