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
 * "disabled", from a registration state; owned. In English, for the
 * journal (register_journal's `text`). */
char *register_state_text(const cJSON *state);
/* The same in the user's language, for the screen or the terminal. */
char *register_state_words(const cJSON *state);

/* Appends the journal entry `operation: register` for `id`: the outcome,
 * the errorCode of a failed registration, the state's etag, and `text`
 * (the outcome in words; no secret). *why (owned) when it could not be
 * written. */
void register_journal(const char *id, const struct register_outcome *o,
		      const char *text, char **why);

/* The form's register, on the worker (a DPS_OP_CALL job): reads the
 * enrollment's attestation through the service client, then registers
 * with its primary symmetric key, the device client behaving as the
 * service client does (trust, timeouts, cancel). The job's resp is the
 * last answer; register_job_outcome has the status and state. */
struct dps_job;
struct dps_client;
void *register_job_arg(const struct device_target *t);
/* The same for an X.509 device: takes *cred (left empty). */
void *register_job_arg_x509(const struct device_target *t,
			    struct device_credentials *cred);
void register_job_arg_free(void *arg);
void register_job_run(struct dps_client *c, struct dps_job *j);
/* Valid until the job is freed; its resp is in the job. */
const struct register_outcome *register_job_outcome(const struct dps_job *j);

#endif
