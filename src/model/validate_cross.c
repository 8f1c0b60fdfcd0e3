#include "model/validate.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/secret.h"
#include "model/x509info.h"

#define CLIENT_PRIMARY "attestation.x509.clientCertificates.primary"

static bool
has_value(const struct doc *d, const char *path)
{
	const cJSON *v = doc_get(d, path);
	return v && !cJSON_IsNull(v) &&
	       !(cJSON_IsString(v) && v->valuestring[0] == '\0');
}

static bool
type_is(const struct doc *d, const char *type)
{
	const char *t = doc_get_string(d, "attestation.type");
	return t && strcmp(t, type) == 0;
}

static void
check_attestation_none(const struct doc *d, struct findings *out)
{
	if (type_is(d, "none"))
		findings_add(out, "attestation.type", SEV_WARNING,
			     _("'none' gives the device no way to prove its identity; "
			     "the service may refuse it for an individual enrollment. "
			     "Use tpm, x509 or symmetricKey"));
}

/* A certificate the service has already read comes back as info only, so
 * either the text or the info stands for "a certificate is there". */
static void
check_x509_has_certificate(const struct doc *d, struct findings *out)
{
	if (!type_is(d, "x509"))
		return;
	if (has_value(d, CLIENT_PRIMARY ".certificate") ||
	    has_value(d, CLIENT_PRIMARY ".info") ||
	    has_value(d, "attestation.x509.caReferences.primary") ||
	    has_value(d, "attestation.x509.signingCertificates.primary"))
		return;
	findings_add(out, CLIENT_PRIMARY ".certificate", SEV_ERROR,
		     _("an X.509 enrollment needs the device's certificate; "
		     "paste its PEM text or load its file"));
}

static void
check_cn_matches_id(const struct doc *d, struct findings *out)
{
	const char *pem = doc_get_string(d, CLIENT_PRIMARY ".certificate");
	const char *id = doc_get_string(d, "registrationId");
	if (!type_is(d, "x509") || !pem || !*pem || !id || !*id)
		return;
	struct cert_info info;
	char *why = NULL;
	if (!cert_info_read((const unsigned char *)pem, strlen(pem), &info,
			    &why)) {
		free(why);	/* the certificate row reports it */
		return;
	}
	if (info.common_name && !registration_id_equal(info.common_name, id))
		findings_add(out, "registrationId", SEV_WARNING,
			     _("the certificate's CN is '%s' but the registration id "
			     "is '%s'; a device with this certificate registers as "
			     "'%s', so use the CN as the registration id"),
			     info.common_name, id, info.common_name);
	cert_info_clear(&info);
}

static void
check_static_hubs(const struct doc *d, struct findings *out)
{
	const char *policy = doc_get_string(d, "allocationPolicy");
	if (!policy || strcmp(policy, "static") != 0)
		return;
	const cJSON *hubs = doc_get(d, "iotHubs");
	int n = cJSON_IsArray(hubs) ? cJSON_GetArraySize(hubs) : 0;
	if (n > 1)
		findings_add(out, "iotHubs", SEV_ERROR,
			     _("static allocation takes exactly one IoT hub, and %d "
			     "are listed; keep one, or use hashed or geoLatency"), n);
	else if (n == 0 && !has_value(d, "iotHubHostName"))
		findings_add(out, "iotHubs", SEV_WARNING,
			     _("static allocation should name its one IoT hub here"));
}

static void
check_legacy_host_name(const struct doc *d, struct findings *out)
{
	if (!has_value(d, "iotHubHostName"))
		return;
	const cJSON *hubs = doc_get(d, "iotHubs");
	if (cJSON_IsArray(hubs) && cJSON_GetArraySize(hubs) > 0)
		findings_add(out, "iotHubHostName", SEV_WARNING,
			     _("iotHubHostName and iotHubs are both set; iotHubHostName "
			     "is the legacy field, so clear it and keep iotHubs"));
	else
		findings_add(out, "iotHubHostName", SEV_WARNING,
			     _("iotHubHostName is deprecated; set allocation policy "
			     "static and put the hub in iotHubs instead"));
}

static void
check_group_only(const struct field_def *f, const struct doc *d,
		 struct findings *out)
{
	if (f->kind != FK_GROUP || !(f->flags & FF_GROUP_ONLY))
		return;
	if (!has_value(d, f->path) || !schema_field_applies(f, d))
		return;
	findings_add(out, f->path, SEV_WARNING,
		     _("%s are for enrollment groups; an individual "
		     "enrollment uses the device's client certificate"),
		     field_label(f));
}

void
validate_size(const struct doc *d, struct findings *out)
{
	char *text = doc_serialize(d, false);
	if (!text)
		return;
	size_t len = strlen(text);
	secret_str_free(text);
	if (len > ENROLLMENT_MAX_BYTES)
		findings_add(out, "", SEV_ERROR,
			     _("the enrollment is %zu bytes; the service accepts at "
			     "most %d (96 KB). Shorten the twin or the device "
			     "information"), len, ENROLLMENT_MAX_BYTES);
}

/* Each rule reports at one row (`at`), or looks at every row in turn
 * (`check_row`). The rows each rule reads name `at` among their partners
 * in the schema table, so that a change to them revalidates it. */
struct cross_rule {
	const char *at;
	void (*check)(const struct doc *d, struct findings *out);
	void (*check_row)(const struct field_def *f, const struct doc *d,
			  struct findings *out);
};

static const struct cross_rule rules[] = {
	{ "attestation.type", check_attestation_none, NULL },
	{ CLIENT_PRIMARY ".certificate", check_x509_has_certificate, NULL },
	{ "registrationId", check_cn_matches_id, NULL },
	{ "iotHubs", check_static_hubs, NULL },
	{ "iotHubHostName", check_legacy_host_name, NULL },
	{ NULL, NULL, check_group_only },
	{ "", validate_size, NULL },
};

void
validate_cross_fields(const struct doc *d, struct findings *out)
{
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		if (rules[r].check)
			rules[r].check(d, out);
		else
			for (size_t i = 0; i < n; i++)
				rules[r].check_row(&rows[i], d, out);
	}
}

void
validate_cross_at(const struct field_def *f, const struct doc *d,
		  struct findings *out)
{
	for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		if (rules[r].check_row)
			rules[r].check_row(f, d, out);
		else if (strcmp(rules[r].at, f->path) == 0)
			rules[r].check(d, out);
	}
}
