#include "app/explain_device.h"

#include <stddef.h>
#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"

struct words {
	int code;
	enum device_proof proof;	/* PROOF_NONE: whatever the proof */
	const char *cause;
	const char *next_step;
};

static const struct words device_words[] = {
	{ 400208, PROOF_NONE,
	  N_("the provisioning service has no IoT hub linked that the enrollment "
	  "could assign the device to"),
	  N_("link an IoT hub to the DPS (or list one in the enrollment's IoT "
	  "hubs), then register again") },
	{ 400209, PROOF_NONE,
	  N_("the IoT hub the device was assigned to did not accept it: the DPS "
	  "is not authorised on that hub, or the hub refused the device id"),
	  N_("check the linked hub's access policy in the DPS and that the device "
	  "id is free on the hub, then register again") },
	{ 401002, PROOF_X509,
	  N_("the service did not accept the device's certificate: it matches "
	  "neither of the enrollment's certificates, its CN is not the "
	  "registration id, or it has expired or is not valid yet"),
	  N_("use the certificate the enrollment holds (and its key); 'dpsenroll "
	  "certinfo FILE' shows its CN, thumbprint and dates") },
	{ 401002, PROOF_SAS,
	  N_("the service did not accept the device's token: the enrollment's key "
	  "was regenerated, or this computer's clock is off"),
	  N_("load the enrollment again so its current key is used, and check the "
	  "time here (use NTP)") },
	{ 401002, PROOF_NONE,
	  N_("the service did not accept the device's credentials (its key or "
	  "certificate)"),
	  N_("check that the device holds the enrollment's current key or "
	  "certificate, then power it on again") },
	{ 404201, PROOF_NONE,
	  N_("the service has no enrollment for this registration id under this "
	  "ID scope"),
	  N_("check the registration id and the ID scope (--id-scope, the "
	  "profile's idScope, DPS_ID_SCOPE)") },
	{ 409203, PROOF_NONE,
	  N_("another registration of the same device was in progress"),
	  N_("wait a few seconds and register again") },
};

static const struct words *
find(int code, enum device_proof proof)
{
	size_t n = sizeof(device_words) / sizeof(device_words[0]);
	for (size_t i = 0; i < n; i++)
		if (device_words[i].code == code &&
		    (device_words[i].proof == proof ||
		     device_words[i].proof == PROOF_NONE))
			return &device_words[i];
	return NULL;
}

struct advice
explain_registration(int error_code, const char *message,
		     enum device_proof proof)
{
	const struct words *w = find(error_code, proof);
	if (w)
		return (struct advice){ xstrdup(_(w->cause)), xstrdup(_(w->next_step)) };
	/* the service's own codes mean the same on both APIs */
	struct dps_response r = { .failure = DPS_ANSWERED };
	r.status = error_code >= 100000 && error_code < 600000
		   ? error_code / 1000 : 400;
	r.error.error_code = error_code;
	r.error.message = (char *)message;
	return explain_response(&r);
}

/* Not the connection string's host: the device's endpoint. */
static struct advice
unreachable_endpoint(const struct dps_response *r)
{
	const char *what = r->failure == DPS_FAIL_RESOLVE
			   ? _("the device endpoint's host name does not resolve")
			   : _("nothing accepted the connection at the device "
			       "endpoint");
	return (struct advice){
		xasprintf(_("%s (where devices register: the global endpoint, or "
			    "dpsemu's own address)"), what),
		xstrdup(_("check --global-endpoint, DPS_GLOBAL_ENDPOINT or the "
			  "profile's \"globalEndpoint\" (default global.azure-devices-"
			  "provisioning.net), and this computer's network")),
	};
}

struct advice
explain_device_response(const struct dps_response *r, enum device_proof proof)
{
	if (proof != PROOF_NONE && (r->failure == DPS_FAIL_RESOLVE ||
				    r->failure == DPS_FAIL_CONNECT))
		return unreachable_endpoint(r);
	if (r->failure != DPS_ANSWERED || r->status < 400)
		return explain_response(r);
	int code = r->error.error_code;
	if (!code && r->status == 401)
		code = 401002;
	const struct words *w = find(code, proof);
	if (w)
		return (struct advice){ xstrdup(_(w->cause)), xstrdup(_(w->next_step)) };
	return explain_response(r);
}
