/* The form's registration as a worker job (a DPS_OP_CALL). A symmetric
 * key is read and used on the worker, never handed to the UI thread; an
 * X.509 device's key comes with the job and is wiped with it. */

#include <stdlib.h>
#include <string.h>

#include "app/register.h"
#include "base/xalloc.h"
#include "dps/ops.h"
#include "dps/worker.h"
#include "model/json.h"

static const char *
member(const cJSON *o, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, name));
}

struct register_job {
	struct device_target target;
	struct device_credentials cred;	/* X.509: given; else read here */
	struct register_outcome outcome;
};

void *
register_job_arg(const struct device_target *t)
{
	struct register_job *rj = xcalloc(1, sizeof(*rj));
	rj->target.id_scope = xstrdup(t->id_scope);
	rj->target.endpoint = xstrdup(t->endpoint);
	return rj;
}

void *
register_job_arg_x509(const struct device_target *t,
		      struct device_credentials *cred)
{
	struct register_job *rj = register_job_arg(t);
	rj->cred = *cred;
	memset(cred, 0, sizeof(*cred));
	return rj;
}

void
register_job_arg_free(void *arg)
{
	struct register_job *rj = arg;
	if (!rj)
		return;
	device_credentials_clear(&rj->cred);
	device_target_clear(&rj->target);
	register_outcome_clear(&rj->outcome);
	free(rj);
}

static bool
sas_credentials(const cJSON *mech, struct device_credentials *cred)
{
	const char *key = cJSON_GetStringValue(json_path_get(mech,
		"symmetricKey.primaryKey"));
	if (!key || !*key)
		return false;
	cred->proof = PROOF_SAS;
	cred->key_b64 = xstrdup(key);
	return true;
}

static void
register_with(struct dps_client *c, struct dps_job *j,
	      const struct device_credentials *cred)
{
	struct register_job *rj = j->arg;
	device_register(&rj->target, j->reg_id, cred, dps_client_options(c),
			&rj->outcome);
	/* the job's answer is the last one; the outcome keeps the state */
	j->resp = rj->outcome.resp;
	memset(&rj->outcome.resp, 0, sizeof(rj->outcome.resp));
	rj->outcome.status = member(rj->outcome.state, "status");
}

void
register_job_run(struct dps_client *c, struct dps_job *j)
{
	struct register_job *rj = j->arg;
	if (rj->cred.proof == PROOF_X509) {
		register_with(c, j, &rj->cred);
		device_credentials_clear(&rj->cred);
		return;
	}
	dps_enrollment_attestation(c, j->reg_id, &j->resp);
	if (j->resp.failure != DPS_ANSWERED || j->resp.status != 200)
		return;
	struct device_credentials cred = { 0 };
	bool ok = sas_credentials(j->resp.body, &cred);
	dps_response_clear(&j->resp);	/* wipes the keys' copy */
	if (!ok) {
		j->resp.failure = DPS_FAIL_OTHER;
		j->resp.failure_text = xstrdup("the enrollment has no symmetric "
					       "key to sign the device's token with");
		device_credentials_clear(&cred);
		return;
	}
	register_with(c, j, &cred);
	device_credentials_clear(&cred);
}

const struct register_outcome *
register_job_outcome(const struct dps_job *j)
{
	struct register_job *rj = j->arg;
	return &rj->outcome;
}
