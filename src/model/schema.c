#include "model/schema.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/xalloc.h"
#include "model/doc.h"

/* Enums: wire name and the help a picker shows, from the spec's
 * descriptions. */

#define ENUM_VALUE(wire, help) { wire, help },
#define DEFINE_ENUM(var, specname, LIST) \
	static const struct enum_value var##_values[] = { LIST(ENUM_VALUE) }; \
	const struct enum_def var = { specname, var##_values, \
		sizeof(var##_values) / sizeof(var##_values[0]) };

#define ATTESTATION_TYPES(X) \
	X("none", N_("No attestation mechanism (not usable by a real device)")) \
	X("tpm", N_("The device proves itself with its TPM endorsement key")) \
	X("x509", N_("The device proves itself with an X.509 client certificate")) \
	X("symmetricKey", N_("The device signs with a shared symmetric key"))
DEFINE_ENUM(ENUM_ATTESTATION_TYPE, "AttestationType", ATTESTATION_TYPES)

#define ALLOCATION_POLICIES(X) \
	X("hashed", N_("Linked IoT hubs are equally likely to receive the device")) \
	X("geoLatency", N_("The hub with the lowest latency to the device")) \
	X("static", N_("The one hub listed in iotHubs")) \
	X("custom", N_("Your webhook (e.g. an Azure Function) picks the hub"))
DEFINE_ENUM(ENUM_ALLOCATION_POLICY, "AllocationPolicy", ALLOCATION_POLICIES)

#define PROVISIONING_STATUSES(X) \
	X("enabled", N_("The device may register")) \
	X("disabled", N_("Registration attempts are refused"))
DEFINE_ENUM(ENUM_PROVISIONING_STATUS, "ProvisioningStatus",
	    PROVISIONING_STATUSES)

#define ENROLLMENT_STATUSES(X) \
	X("unassigned", N_("The device has not registered yet")) \
	X("assigning", N_("A registration is in progress")) \
	X("assigned", N_("The device is assigned to an IoT hub")) \
	X("failed", N_("The last registration failed")) \
	X("disabled", N_("The enrollment is disabled"))
DEFINE_ENUM(ENUM_ENROLLMENT_STATUS, "EnrollmentStatus", ENROLLMENT_STATUSES)

#define ASSIGNED_SUBSTATUSES(X) \
	X("initialAssignment", N_("Assigned to an IoT hub for the first time")) \
	X("deviceDataMigrated", N_("Moved to another hub; device data migrated")) \
	X("deviceDataReset", N_("Moved to another hub; data reset from the enrollment")) \
	X("reprovisionedToInitialAssignment", N_("Returned to a previously assigned hub"))
DEFINE_ENUM(ENUM_ASSIGNED_DEVICE_SUBSTATUS, "AssignedDeviceSubstatus",
	    ASSIGNED_SUBSTATUSES)

#define OPERATION_MODES(X) \
	X("create", N_("Create new enrollments; existing ids fail")) \
	X("update", N_("Replace enrollments (each item needs its etag)")) \
	X("updateIfMatchETag", N_("Replace only where the item's etag matches")) \
	X("delete", N_("Delete the enrollments"))
DEFINE_ENUM(ENUM_OPERATION_MODE, "OperationMode", OPERATION_MODES)

/* Row builders keep the table to one line of intent per field. */

#define PARTNERS(...) .partners = (const char *const[]){ __VA_ARGS__, NULL }

#define ALWAYS { NULL, NULL }
#define WHEN(p, v) { p, v }

/* Top-level rows name their section after the fixed arguments. */
#define GROUP(p, l, h, cond, nd, fl, ...) \
	{ .path = p, .label = l, .help = h, .kind = FK_GROUP, \
	  .applies = cond, .need = nd, .flags = fl, __VA_ARGS__ },
#define TEXT(p, l, h, chk, nd, ...) \
	{ .path = p, .label = l, .help = h, .kind = FK_TEXT, \
	  .check_text = chk, .need = nd, __VA_ARGS__ },
#define SECRET(p, l, h, chk, ...) \
	{ .path = p, .label = l, .help = h, .kind = FK_SECRET, \
	  .check_text = chk, __VA_ARGS__ },
#define ENUMF(p, l, h, e, dflt, nd, ...) \
	{ .path = p, .label = l, .help = h, .kind = FK_ENUM, .enumdef = &e, \
	  .default_value = dflt, .need = nd, __VA_ARGS__ },
#define BOOLF(p, l, h, dflt) \
	{ .path = p, .label = l, .help = h, .kind = FK_BOOL, \
	  .default_value = dflt, .need = NEED_WITH_PARENT },
#define TWIN(p, l, h, ...) \
	{ .path = p, .label = l, .help = h, .kind = FK_JSON_OBJECT, \
	  .check_json = check_twin_collection, .content = FC_JSON, \
	  __VA_ARGS__ },
#define RO(p, l, h, ...) \
	{ .path = p, .label = l, .help = h, .kind = FK_READONLY, __VA_ARGS__ },
#define RO_ENUM(p, l, h, e) \
	{ .path = p, .label = l, .help = h, .kind = FK_READONLY, \
	  .enumdef = &e },

/* X509CertificateWithInfo: the certificate a technician supplies (`help`
 * for its row; `holds`, its content) and the info the service computes
 * from it. */
#define CERT(p, l, fl, help, holds, ...) \
	GROUP(p, l, N_("A certificate and what the service read from it"), \
	      ALWAYS, NEED_OPTIONAL, fl) \
	TEXT(p ".certificate", N_("Certificate"), help, \
	     check_certificate, NEED_OPTIONAL, .content = holds, __VA_ARGS__) \
	GROUP(p ".info", N_("Certificate info"), \
	      N_("Computed by the service from the certificate"), ALWAYS, \
	      NEED_OPTIONAL, FF_SERVICE_SET) \
	RO(p ".info.subjectName", N_("Subject"), N_("Subject name of the certificate")) \
	RO(p ".info.sha1Thumbprint", N_("SHA-1 thumbprint"), N_("Upper-case hex")) \
	RO(p ".info.sha256Thumbprint", N_("SHA-256 thumbprint"), N_("Upper-case hex")) \
	RO(p ".info.issuerName", N_("Issuer"), N_("Issuer name of the certificate")) \
	RO(p ".info.notBeforeUtc", N_("Valid from"), N_("Certificate validity start (UTC)")) \
	RO(p ".info.notAfterUtc", N_("Valid until"), N_("Certificate validity end (UTC)")) \
	RO(p ".info.serialNumber", N_("Serial number"), N_("Upper-case hex")) \
	RO(p ".info.version", N_("Version"), N_("X.509 version (3 for current certificates)"))

/* The primary's certificate row takes the extra arguments. */
#define CERT_PAIR(p, l, help, fl, cert_help, holds, ...) \
	GROUP(p, l, help, ALWAYS, NEED_OPTIONAL, fl) \
	CERT(p ".primary", N_("Primary"), fl, cert_help, holds, __VA_ARGS__) \
	CERT(p ".secondary", N_("Secondary"), fl | FF_ADVANCED, cert_help, holds)

#define X509_WHEN WHEN("attestation.type", "x509")
/* The cross-field rules report a missing device certificate here. */
#define CLIENT_CERTIFICATE \
	"attestation.x509.clientCertificates.primary.certificate"
#define CUSTOM_WHEN WHEN("allocationPolicy", "custom")

static const struct field_def fields[] = {
	TEXT("registrationId", N_("Registration ID"),
	     N_("Unique id of the device's registration; letters, digits, - . _ :"),
	     check_registration_id, NEED_REQUIRED, .flags = FF_PER_DEVICE)
	TEXT("deviceId", N_("Device ID"),
	     N_("IoT Hub device id to create (blank: same as the registration id)"),
	     check_device_id, NEED_OPTIONAL, .flags = FF_PER_DEVICE)

	GROUP("attestation", N_("Attestation mechanism"),
	      N_("How the device proves its identity"), ALWAYS, NEED_REQUIRED, 0,
	      .section = SECTION_ATTESTATION)
	ENUMF("attestation.type", N_("Attestation type"),
	      N_("Which proof of identity the device uses"),
	      ENUM_ATTESTATION_TYPE, NULL, NEED_REQUIRED,
	      PARTNERS(CLIENT_CERTIFICATE, "registrationId"))
	GROUP("attestation.tpm", N_("TPM"), N_("Keys read from the device's TPM"),
	      WHEN("attestation.type", "tpm"), NEED_REQUIRED, 0)
	TEXT("attestation.tpm.endorsementKey", N_("Endorsement key"),
	     N_("Base64 of the EK's TPM2B_PUBLIC, as read from the TPM"),
	     check_tpm_key, NEED_REQUIRED, .content = FC_TPM_KEY,
	     .flags = FF_PER_DEVICE)
	TEXT("attestation.tpm.storageRootKey", N_("Storage root key"),
	     N_("Base64 of the SRK's TPM2B_PUBLIC (optional)"),
	     check_tpm_key, NEED_OPTIONAL, .content = FC_TPM_KEY,
	     .flags = FF_PER_DEVICE)
	/* Not required as a section: what x509 needs is the certificate, and
	 * saying so there points at the field to fill (validate_cross.c). */
	GROUP("attestation.x509", N_("X.509"), N_("Certificates the device presents"),
	      X509_WHEN, NEED_OPTIONAL, 0)
	CERT_PAIR("attestation.x509.clientCertificates", N_("Client certificates"),
		  N_("The device's own certificates, primary and secondary"),
		  FF_PER_DEVICE,
		  N_("PEM text or base64 of DER; the device's own certificate"),
		  FC_DEVICE_CERTIFICATE,
		  PARTNERS("registrationId"))
	/* In an enrollment group, the CA that vouches for its devices. */
	CERT_PAIR("attestation.x509.signingCertificates",
		  N_("Signing certificates"),
		  N_("CA or intermediate certificates that sign the devices' "
		  "certificates (enrollment groups only)"),
		  FF_GROUP_ONLY | FF_ADVANCED,
		  N_("PEM text or base64 of DER; the root or intermediate CA "
		     "certificate that signed the device certificates (enrollment "
		     "groups only)"),
		  FC_CA_CERTIFICATE, PARTNERS(CLIENT_CERTIFICATE))
	GROUP("attestation.x509.caReferences", N_("CA references"),
	      N_("Names of CA certificates uploaded to the service"),
	      ALWAYS, NEED_OPTIONAL, FF_GROUP_ONLY | FF_ADVANCED)
	TEXT("attestation.x509.caReferences.primary", N_("Primary CA"),
	     N_("Name of a verified CA certificate in the DPS"), NULL,
	     NEED_OPTIONAL, PARTNERS(CLIENT_CERTIFICATE))
	TEXT("attestation.x509.caReferences.secondary", N_("Secondary CA"),
	     N_("Name of a verified CA certificate in the DPS"), NULL,
	     NEED_OPTIONAL)
	GROUP("attestation.symmetricKey", N_("Symmetric key"),
	      N_("Keys shared with the device; blank keys are generated"),
	      WHEN("attestation.type", "symmetricKey"), NEED_OPTIONAL, 0)
	SECRET("attestation.symmetricKey.primaryKey", N_("Primary key"),
	       N_("Base64 of 16 to 64 bytes; blank: the service generates one"),
	       check_symmetric_key, .content = FC_SYMMETRIC_KEY,
	       .flags = FF_PER_DEVICE)
	SECRET("attestation.symmetricKey.secondaryKey", N_("Secondary key"),
	       N_("Base64 of 16 to 64 bytes; blank: the service generates one"),
	       check_symmetric_key, .content = FC_SYMMETRIC_KEY,
	       .flags = FF_PER_DEVICE)

	ENUMF("allocationPolicy", N_("Allocation policy"),
	      N_("How DPS picks the IoT hub (blank: the DPS instance's policy)"),
	      ENUM_ALLOCATION_POLICY, NULL, NEED_OPTIONAL,
	      .section = SECTION_ALLOCATION, PARTNERS("iotHubs"))
	{ .path = "iotHubs", .label = N_("IoT hubs"),
	  .help = N_("Host names of linked hubs this device may be assigned to"),
	  .kind = FK_STRING_LIST, .check_text = check_host_name,
	  .content = FC_HOST_LIST, .section = SECTION_ALLOCATION,
	  PARTNERS("iotHubHostName") },
	GROUP("customAllocationDefinition", N_("Custom allocation"),
	      N_("The webhook DPS calls to pick a hub"), CUSTOM_WHEN,
	      NEED_REQUIRED, 0, .section = SECTION_ALLOCATION)
	TEXT("customAllocationDefinition.webhookUrl", N_("Webhook URL"),
	     N_("https URL of the allocation function"), check_webhook_url,
	     NEED_REQUIRED)
	TEXT("customAllocationDefinition.apiVersion", N_("Webhook API version"),
	     N_("Version of the request sent to the webhook, e.g. 2021-10-01"),
	     check_allocation_api_version, NEED_REQUIRED)
	{ .path = "iotHubHostName", .label = N_("IoT hub host name"),
	  .help = N_("Legacy single hub; prefer allocation policy and IoT hubs"),
	  .kind = FK_TEXT, .check_text = check_host_name,
	  .flags = FF_DEPRECATED | FF_ADVANCED, .section = SECTION_ALLOCATION,
	  PARTNERS("iotHubs") },

	GROUP("capabilities", N_("Capabilities"), N_("What the device can do"),
	      ALWAYS, NEED_OPTIONAL, 0, .section = SECTION_DEVICE)
	BOOLF("capabilities.iotEdge", N_("IoT Edge device"),
	      N_("The device runs the IoT Edge runtime"), "false")
	GROUP("initialTwin", N_("Initial twin"),
	      N_("Twin the device starts with in IoT Hub"), ALWAYS, NEED_OPTIONAL, 0,
	      .section = SECTION_DEVICE)
	TWIN("initialTwin.tags", N_("Twin tags"),
	     N_("JSON object of tags, e.g. {\"site\": \"bench-3\"}"))
	GROUP("initialTwin.properties", N_("Twin properties"),
	      N_("Initial twin properties"), ALWAYS, NEED_OPTIONAL, 0)
	TWIN("initialTwin.properties.desired", N_("Desired properties"),
	     N_("JSON object of desired properties"))
	TWIN("optionalDeviceInformation", N_("Device information"),
	     N_("JSON object with optional information about the device"),
	     .section = SECTION_DEVICE)
	ENUMF("provisioningStatus", N_("Provisioning status"),
	      N_("Whether the device may register"), ENUM_PROVISIONING_STATUS,
	      "enabled", NEED_OPTIONAL, .section = SECTION_STATUS)
	GROUP("reprovisionPolicy", N_("Reprovision policy"),
	      N_("What happens when the device registers again"), ALWAYS,
	      NEED_OPTIONAL, 0, .section = SECTION_STATUS)
	BOOLF("reprovisionPolicy.updateHubAssignment", N_("Update hub assignment"),
	      N_("Re-evaluate the hub on each registration (false: stay put)"),
	      "true")
	BOOLF("reprovisionPolicy.migrateDeviceData", N_("Migrate device data"),
	      N_("Move twin and data to the new hub (false: reset from this enrollment)"),
	      "true")

	RO("etag", N_("ETag"), N_("Version of the record; sent as If-Match on update"),
	   .section = SECTION_STATUS)
	RO("createdDateTimeUtc", N_("Created"), N_("When the enrollment was created (UTC)"),
	   .section = SECTION_STATUS)
	RO("lastUpdatedDateTimeUtc", N_("Last updated"),
	   N_("When the enrollment was last changed (UTC)"), .section = SECTION_STATUS)
	GROUP("registrationState", N_("Registration state"),
	      N_("What happened when the device last registered"), ALWAYS,
	      NEED_OPTIONAL, FF_SERVICE_SET, .section = SECTION_STATUS)
	RO("registrationState.registrationId", N_("Registration ID"),
	   N_("Registration id the device used"))
	RO("registrationState.createdDateTimeUtc", N_("Registered"),
	   N_("When the registration record was created (UTC)"))
	RO("registrationState.assignedHub", N_("Assigned hub"),
	   N_("IoT hub the device was assigned to"))
	RO("registrationState.deviceId", N_("Device ID"), N_("Device id in the IoT hub"))
	RO_ENUM("registrationState.status", N_("Status"), N_("Registration status"),
		ENUM_ENROLLMENT_STATUS)
	RO_ENUM("registrationState.substatus", N_("Substatus"),
		N_("How an assigned device got its hub"),
		ENUM_ASSIGNED_DEVICE_SUBSTATUS)
	RO("registrationState.errorCode", N_("Error code"),
	   N_("Error of the last registration"))
	RO("registrationState.errorMessage", N_("Error message"),
	   N_("Error of the last registration"))
	RO("registrationState.lastUpdatedDateTimeUtc", N_("Last update"),
	   N_("When the registration last changed (UTC)"))
	RO("registrationState.etag", N_("Registration ETag"),
	   N_("Version of the registration record"))
	RO("registrationState.payload", N_("Payload"),
	   N_("Data the custom allocation webhook returned to the device"))
};

enum { FIELD_COUNT = sizeof(fields) / sizeof(fields[0]) };

const struct field_def *
schema_fields(size_t *count)
{
	*count = FIELD_COUNT;
	return fields;
}

const struct field_def *
schema_find(const char *path)
{
	for (size_t i = 0; i < FIELD_COUNT; i++)
		if (strcmp(fields[i].path, path) == 0)
			return &fields[i];
	return NULL;
}

/* Parents are looked up on every keystroke (visibility, sections,
 * read-only): find each row's once. pthread_once because the emulator
 * validates on several threads. */
static long parent_index[FIELD_COUNT];
static pthread_once_t parents_once = PTHREAD_ONCE_INIT;

static long
find_parent(size_t i)
{
	const char *path = fields[i].path;
	const char *dot = strrchr(path, '.');
	if (!dot)
		return -1;
	size_t n = (size_t)(dot - path);
	for (size_t k = i; k-- > 0;)
		if (strlen(fields[k].path) == n && strncmp(fields[k].path, path, n) == 0)
			return (long)k;
	return -1;
}

static void
index_parents(void)
{
	for (size_t i = 0; i < FIELD_COUNT; i++)
		parent_index[i] = find_parent(i);
}

const struct field_def *
schema_parent(const struct field_def *f)
{
	pthread_once(&parents_once, index_parents);
	if (f < fields || f >= fields + FIELD_COUNT)
		return NULL;
	long p = parent_index[f - fields];
	return p < 0 ? NULL : &fields[p];
}

const char *
field_label(const struct field_def *f)
{
	return _(f->label);
}

const char *
field_help(const struct field_def *f)
{
	return _(f->help);
}

const char *
enum_value_help(const struct enum_value *v)
{
	return _(v->help);
}

const char *
section_title(enum field_section sec)
{
#define SECTION_TITLE(id, title) [SECTION_##id] = title,
	static const char *const titles[] = { FIELD_SECTIONS(SECTION_TITLE) };
#undef SECTION_TITLE
	return sec < SECTION_COUNT ? _(titles[sec]) : "";
}

enum field_section
field_section(const struct field_def *f)
{
	const struct field_def *top = f;
	for (const struct field_def *p = f; p; p = schema_parent(p))
		top = p;
	return top->section;
}

bool
field_is_secret(const struct field_def *f)
{
	return f->kind == FK_SECRET;
}

bool
field_holds_certificate(const struct field_def *f)
{
	return f->content == FC_DEVICE_CERTIFICATE ||
	       f->content == FC_CA_CERTIFICATE;
}

bool
field_is_multiline(const struct field_def *f)
{
	switch (f->content) {
	case FC_DEVICE_CERTIFICATE:
	case FC_CA_CERTIFICATE:
	case FC_TPM_KEY:
	case FC_JSON:
	case FC_HOST_LIST:
		return true;
	default:
		return false;
	}
}

bool
field_is_readonly(const struct field_def *f)
{
	for (const struct field_def *p = f; p; p = schema_parent(p))
		if (p->kind == FK_READONLY || (p->flags & FF_SERVICE_SET))
			return true;
	return false;
}

static bool
cond_holds(const struct field_cond *c, const struct doc *d)
{
	if (!c->path)
		return true;
	const char *v = doc_get_string(d, c->path);
	return v && strcmp(v, c->equals) == 0;
}

bool
schema_field_applies(const struct field_def *f, const struct doc *d)
{
	for (const struct field_def *p = f; p; p = schema_parent(p))
		if (!cond_holds(&p->applies, d))
			return false;
	return true;
}

int
enum_index(const struct enum_def *e, const char *wire)
{
	for (size_t i = 0; i < e->count; i++)
		if (strcmp(e->values[i].wire, wire) == 0)
			return (int)i;
	return -1;
}

const char *
enum_list(const struct enum_def *e, char *buf, size_t buflen)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < e->count && used < buflen; i++) {
		int n = snprintf(buf + used, buflen - used, "%s%s",
				 i ? ", " : "", e->values[i].wire);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}

static const char *
last_segment(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot ? dot + 1 : path;
}

static bool
is_child_of(const char *path, const char *parent)
{
	if (!parent || !*parent)
		return strchr(path, '.') == NULL;
	size_t n = strlen(parent);
	return strncmp(path, parent, n) == 0 && path[n] == '.' &&
	       strchr(path + n + 1, '.') == NULL;
}

const struct field_def *
schema_suggest(const char *parent_path, const char *name)
{
	for (size_t i = 0; i < FIELD_COUNT; i++) {
		const struct field_def *f = &fields[i];
		if (is_child_of(f->path, parent_path) &&
		    strcasecmp(last_segment(f->path), name) == 0)
			return f;
	}
	return NULL;
}

cJSON *
schema_list_items(const char *text)
{
	cJSON *arr = cJSON_CreateArray();
	char *copy = xstrdup(text ? text : "");
	char *save = NULL;
	for (char *item = strtok_r(copy, ",\n", &save); item;
	     item = strtok_r(NULL, ",\n", &save)) {
		while (isspace((unsigned char)*item))
			item++;
		char *end = item + strlen(item);
		while (end > item && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*item)
			cJSON_AddItemToArray(arr, cJSON_CreateString(item));
	}
	free(copy);
	return arr;
}
