/* Service-API authorisation: a SharedAccessSignature over the DPS host
 * name, signed with the provisioningserviceowner policy's key. */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/sas.h"
#include "base/url.h"
#include "base/xalloc.h"
#include "emu/emu.h"
#include "emu/emu_jwt.h"

enum { SAS_CLOCK_SKEW = EMU_SAS_CLOCK_SKEW };

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

/* Finds se's value in the token's a=b&c=d list; false when a field name
 * comes twice (names compared without case, as some parsers do). */
static bool
scan_fields(const char *fields, const char **se, size_t *se_len)
{
	*se = NULL;
	for (const char *p = fields; *p;) {
		size_t len = strcspn(p, "&");
		size_t name_len = strcspn(p, "=&");
		for (const char *q = fields; q < p; q += strcspn(q, "&") + 1)
			if (strcspn(q, "=&") == name_len &&
			    strncasecmp(q, p, name_len) == 0)
				return false;
		if (name_len == 2 && strncmp(p, "se", 2) == 0 && p[2] == '=') {
			*se = p + 3;
			*se_len = len - 3;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	return true;
}

const char *
emu_sas_refusal(const char *header, time_t now)
{
	static const char scheme[] = "SharedAccessSignature ";
	if (!header || strncmp(header, scheme, sizeof(scheme) - 1) != 0)
		return NULL;	/* not a token: the parser says so */
	const char *se;
	size_t se_len = 0;
	if (!scan_fields(header + sizeof(scheme) - 1, &se, &se_len))
		return "a field of the token is given twice";
	if (!se)
		return NULL;
	if (se_len == 0 || strspn(se, "0123456789") < se_len)
		return "the token's se is not a whole number of seconds in "
		       "plain decimal digits";
	long long t = se_len > 18 ? LLONG_MAX : strtoll(se, NULL, 10);
	if (t > (long long)now + EMU_SAS_MAX_LIFETIME + SAS_CLOCK_SKEW)
		return "the token expires more than a year from now; make "
		       "tokens that live at most a year (an hour is usual)";
	return NULL;
}

static bool
deny(struct emu_response *resp, const char *why)
{
	emu_reply_unauthorized(resp, why);
	return false;
}

bool
emu_authorize_service(struct emu *emu, const struct emu_request *req,
		      struct emu_response *resp)
{
	if (!req->authorization)
		return deny(resp, "no Authorization header; send a "
			    "SharedAccessSignature made from the connection string");
	static const char bearer[] = "Bearer ";
	if (strncasecmp(req->authorization, bearer, sizeof(bearer) - 1) == 0)
		return emu_jwt_authorize(emu, req->authorization +
					 sizeof(bearer) - 1, resp);
	const char *refused = emu_sas_refusal(req->authorization, time(NULL));
	if (refused)
		return deny(resp, refused);
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
