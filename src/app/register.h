#ifndef DPSENROLL_APP_REGISTER_H
#define DPSENROLL_APP_REGISTER_H

/* Registering as the device would (device.json): PUT .../register, then
 * the operation polled, waiting as its Retry-After asks, until it leaves
 * "assigning". This really provisions the device into an IoT hub. The
 * device proves itself with a SAS signed by the enrollment's symmetric
 * key, or with its certificate and private key over mutual TLS; both
 * secrets are held only for the call and wiped after. */

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "app/device_target.h"
#include "app/explain_device.h"
#include "dps/client.h"

struct device_credentials {
	enum device_proof proof;
	char *key_b64;		/* PROOF_SAS: the enrollment's key; secret */
	char *cert_pem;		/* PROOF_X509: the device's certificate(s) */
	char *key_pem;		/* PROOF_X509: its private key; secret */
};

/* Reads the certificate and private key files (PEM) and checks that the
 * key belongs to the first certificate. False with *why (owned) naming
 * the file and what is wrong with it. */
bool device_credentials_x509(const char *cert_path, const char *key_path,
			     struct device_credentials *out, char **why);
/* Wipes and frees. */
void device_credentials_clear(struct device_credentials *c);

struct register_outcome {
	struct dps_response resp;	/* the last answer (register or poll) */
	cJSON *state;		/* the final registrationState; owned, or NULL */
	const char *status;	/* "assigned", "failed", "disabled"...; NULL:
				 * the call failed (see resp) */
	bool gave_up;		/* still "assigning" after the polls allowed */
};

/* Registers `id`. `opts` gives the TLS trust, timeouts and attempts (its
 * device fields are set here). Clear `out` after. */
void device_register(const struct device_target *t, const char *id,
		     const struct device_credentials *cred,
		     const struct dps_client_opts *opts,
		     struct register_outcome *out);
void register_outcome_clear(struct register_outcome *o);

/* "assigned to HUB as device DEV (SUBSTATUS)", "failed: CODE MESSAGE",
 * "disabled", from a registration state; owned. */
char *register_state_text(const cJSON *state);

#endif
