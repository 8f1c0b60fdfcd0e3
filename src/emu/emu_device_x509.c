#include "emu/emu_device_x509.h"

#include <stdlib.h>
#include <strings.h>
#include <time.h>

#include "base/xalloc.h"
#include "model/checks.h"
#include "model/json.h"
#include "model/x509info.h"

static bool
same_hex(const cJSON *info, const char *name, const char *want)
{
	const char *v = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(info, name));
	return v && *want && strcasecmp(v, want) == 0;
}

/* Whether the certificate is the enrollment's primary or secondary. */
static bool
is_enrolled(const cJSON *enrollment, const struct cert_info *ci)
{
	static const char *const slots[] = {
		"attestation.x509.clientCertificates.primary.info",
		"attestation.x509.clientCertificates.secondary.info",
	};
	for (size_t i = 0; i < 2; i++) {
		const cJSON *info = json_path_get(enrollment, slots[i]);
		if (same_hex(info, "sha256Thumbprint", ci->sha256) ||
		    same_hex(info, "sha1Thumbprint", ci->sha1))
			return true;
	}
	return false;
}

static char *
validity_refusal(const struct cert_info *ci)
{
	char when[21];
	switch (cert_info_validity(ci, time(NULL), NULL)) {
	case CERT_EXPIRED:
		format_utc(ci->not_after, when);
		return xasprintf("the device certificate expired at %s", when);
	case CERT_NOT_YET_VALID:
		format_utc(ci->not_before, when);
		return xasprintf("the device certificate is not valid before %s",
				 when);
	default:
		return NULL;
	}
}

char *
emu_x509_refusal(const struct emu_request *req, const cJSON *enrollment)
{
	const char *id = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(enrollment, "registrationId"));
	if (!req->client_cert)
		return xstrdup("no client certificate was presented; an X.509 "
			       "device registers over mutual TLS with its "
			       "certificate and private key");
	struct cert_info ci;
	char *why = NULL;
	if (!cert_info_read(req->client_cert, req->client_cert_len, &ci, &why)) {
		char *r = xasprintf("the client certificate cannot be read: %s",
				    why);
		free(why);
		return r;
	}
	char *refusal = NULL;
	if (!is_enrolled(enrollment, &ci))
		refusal = xasprintf("the device certificate (SHA-256 %s) is "
				    "neither the primary nor the secondary "
				    "certificate of enrollment '%s'", ci.sha256,
				    id ? id : "");
	else if (!ci.common_name || !id ||
		 !registration_id_equal(ci.common_name, id))
		refusal = xasprintf("the device certificate's CN '%s' is not the "
				    "registration id '%s'",
				    ci.common_name ? ci.common_name : "(none)",
				    id ? id : "");
	else
		refusal = validity_refusal(&ci);
	cert_info_clear(&ci);
	return refusal;
}
