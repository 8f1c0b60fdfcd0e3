/* A certificate the service holds, as it describes it: a GET never
 * returns the certificate, only what the service read from it. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "model/x509info.h"

static const char *
text_of(const cJSON *j, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "2027-03-04T17:10:20Z" (fractions of a second allowed); false when it
 * is not such a time. */
static bool
parse_utc(const char *s, time_t *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	char rest = '\0';
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon,
			 &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
			 &rest) != 7 || (rest != 'Z' && rest != '.'))
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	return true;
}

/* The CN of "CN=dev-01, O=Contoso, C=US"; NULL when there is none. */
static char *
common_name(const char *subject)
{
	for (const char *p = subject; p && *p; ) {
		if (strncmp(p, "CN=", 3) == 0) {
			const char *end = strstr(p + 3, ", ");
			return end ? xstrndup(p + 3, (size_t)(end - p - 3))
				   : xstrdup(p + 3);
		}
		p = strstr(p, ", ");
		if (p)
			p += 2;
	}
	return NULL;
}

static void
copy_hex(char *to, size_t size, const char *from)
{
	snprintf(to, size, "%s", from ? from : "");
}

bool
cert_info_from_service_json(const cJSON *j, struct cert_info *info)
{
	memset(info, 0, sizeof(*info));
	const char *sha256 = text_of(j, "sha256Thumbprint");
	if (!cJSON_IsObject(j) || !sha256 || !*sha256 ||
	    !parse_utc(text_of(j, "notAfterUtc"), &info->not_after))
		return false;
	parse_utc(text_of(j, "notBeforeUtc"), &info->not_before);
	const char *subject = text_of(j, "subjectName");
	const char *issuer = text_of(j, "issuerName");
	const char *serial = text_of(j, "serialNumber");
	info->subject = xstrdup(subject ? subject : "");
	info->issuer = xstrdup(issuer ? issuer : "");
	info->common_name = common_name(subject);
	info->serial = xstrdup(serial ? serial : "");
	copy_hex(info->sha1, sizeof(info->sha1), text_of(j, "sha1Thumbprint"));
	copy_hex(info->sha256, sizeof(info->sha256), sha256);
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(j, "version");
	info->version = cJSON_IsNumber(version) ? version->valueint : 0;
	info->chain_length = 1;
	return true;
}
