/* Reading back what a write without a sure answer did. */

#include "dps/readback.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "dps/ops.h"
#include "model/json.h"
#include "model/x509info.h"

bool
dps_write_uncertain(const struct dps_response *r)
{
	switch (r->failure) {
	case DPS_FAIL_TIMEOUT:
	case DPS_FAIL_DROPPED:
	case DPS_FAIL_BAD_ANSWER:
	case DPS_FAIL_TOO_LARGE:
		return true;
	case DPS_ANSWERED:
		return r->answer_lost && r->status >= 400;
	default:
		return false;
	}
}

static bool
same_member(const cJSON *a, const cJSON *b, const char *name)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, name);
	const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, name);
	return (!x && !y) || (x && y && cJSON_Compare(x, y, 1));
}

/* The service answers X.509 with info only: compare by thumbprint. */
static bool
same_certificate(const cJSON *sent, const cJSON *stored)
{
	const cJSON *pem = cJSON_GetObjectItemCaseSensitive(sent, "certificate");
	const cJSON *thumb = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(stored, "info"), "sha256Thumbprint");
	if (!cJSON_IsString(pem))
		return true;
	struct cert_info info;
	char *why = NULL;
	if (!cJSON_IsString(thumb) ||
	    !cert_info_read((const unsigned char *)pem->valuestring,
			    strlen(pem->valuestring), &info, &why)) {
		free(why);
		return false;
	}
	bool same = strcmp(info.sha256, thumb->valuestring) == 0;
	cert_info_clear(&info);
	return same;
}

/* `mech` is the attestation mechanism read (clear it after). */
static bool
same_attestation(struct dps_client *c, const char *id, const cJSON *sent,
		 struct dps_response *mech)
{
	dps_enrollment_attestation(c, id, mech);
	const cJSON *got = mech->body;
	bool same = mech->status == 200 && same_member(sent, got, "type") &&
		    same_member(sent, got, "tpm");
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(sent, "symmetricKey");
	const cJSON *k;
	cJSON_ArrayForEach(k, keys)
		same = same && same_member(keys, cJSON_GetObjectItemCaseSensitive(
					   got, "symmetricKey"), k->string);
	const cJSON *x509 = cJSON_GetObjectItemCaseSensitive(sent, "x509");
	const cJSON *gx = cJSON_GetObjectItemCaseSensitive(got, "x509");
	const cJSON *certs = cJSON_GetObjectItemCaseSensitive(x509,
							      "clientCertificates");
	const cJSON *slot;
	cJSON_ArrayForEach(slot, certs) {
		char *path = xasprintf("clientCertificates.%s", slot->string);
		same = same && same_certificate(slot, json_path_get(gx, path));
		free(path);
	}
	return same;
}

static const char *const server_set[] = {
	"etag", "createdDateTimeUtc", "lastUpdatedDateTimeUtc",
	"registrationState", "attestation", NULL,
};

static bool
is_server_set(const char *name)
{
	for (int i = 0; server_set[i]; i++)
		if (strcmp(server_set[i], name) == 0)
			return true;
	return false;
}

/* GET hides the keys; the record read back stands for a PUT's answer,
 * which shows them (the service may have made them). */
static void
add_keys(struct dps_response *stored, struct dps_response *mech)
{
	if (!cJSON_GetObjectItemCaseSensitive(mech->body, "symmetricKey"))
		return;
	cJSON_ReplaceItemInObjectCaseSensitive(stored->body, "attestation",
					       mech->body);
	mech->body = NULL;
}

/* The write landed when the stored record holds every field that was
 * sent (the keys and certificates through the attestation mechanism). */
static bool
holds_what_was_sent(struct dps_client *c, const char *id, const char *json,
		    struct dps_response *stored)
{
	cJSON *sent = cJSON_Parse(json);
	bool same = sent && stored->body;
	const cJSON *m;
	cJSON_ArrayForEach(m, sent)
		if (same && !is_server_set(m->string))
			same = same_member(sent, stored->body, m->string);
	const cJSON *att = cJSON_GetObjectItemCaseSensitive(sent, "attestation");
	struct dps_response mech = { 0 };
	same = same && same_attestation(c, id, att, &mech);
	if (same)
		add_keys(stored, &mech);
	dps_response_clear(&mech);
	cJSON_Delete(sent);
	return same;
}

/* The stored record's etag is still the one the write was based on. */
static bool
same_etag(const struct dps_response *stored, const char *if_match)
{
	const cJSON *etag = cJSON_GetObjectItemCaseSensitive(stored->body, "etag");
	return cJSON_IsString(etag) && strcmp(etag->valuestring, if_match) == 0;
}

static bool
conditional(const char *if_match)
{
	return if_match && strcmp(if_match, "*") != 0;
}

enum dps_outcome
dps_readback_put(struct dps_client *c, const char *id, const char *json,
		 const char *if_match, struct dps_response *stored)
{
	dps_enrollment_get(c, id, stored);
	enum dps_outcome o = DPS_OUTCOME_UNKNOWN;
	if (stored->failure != DPS_ANSWERED)
		o = DPS_OUTCOME_UNKNOWN;
	else if (stored->status == 404)
		/* an update's enrollment gone: deleted by someone else */
		o = conditional(if_match) ? DPS_OUTCOME_CHANGED
					  : DPS_OUTCOME_NOT_APPLIED;
	else if (stored->status != 200 || !cJSON_IsObject(stored->body))
		o = DPS_OUTCOME_UNKNOWN;
	else if (holds_what_was_sent(c, id, json, stored))
		return DPS_OUTCOME_APPLIED;
	else if (if_match && (!conditional(if_match) ||
			      same_etag(stored, if_match)))
		o = DPS_OUTCOME_NOT_APPLIED;
	else
		/* a create met a record it did not make, or an update a
		 * version it was not based on */
		o = DPS_OUTCOME_CHANGED;
	dps_response_clear(stored);
	return o;
}

enum dps_outcome
dps_readback_delete(struct dps_client *c, const char *id,
		    const char *if_match)
{
	struct dps_response now;
	dps_enrollment_get(c, id, &now);
	enum dps_outcome o = DPS_OUTCOME_UNKNOWN;
	if (now.failure == DPS_ANSWERED && now.status == 404)
		o = DPS_OUTCOME_APPLIED;
	else if (now.failure == DPS_ANSWERED && now.status == 200)
		o = conditional(if_match) && !same_etag(&now, if_match)
		    ? DPS_OUTCOME_CHANGED : DPS_OUTCOME_NOT_APPLIED;
	dps_response_clear(&now);
	return o;
}

const char *
dps_outcome_name(enum dps_outcome o)
{
	switch (o) {
	case DPS_OUTCOME_APPLIED: return "applied";
	case DPS_OUTCOME_NOT_APPLIED: return "notApplied";
	case DPS_OUTCOME_CHANGED: return "changedBySomeoneElse";
	case DPS_OUTCOME_UNKNOWN: return "unknown";
	case DPS_OUTCOME_SURE: break;
	}
	return NULL;
}
