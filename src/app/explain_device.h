#ifndef DPSENROLL_APP_EXPLAIN_DEVICE_H
#define DPSENROLL_APP_EXPLAIN_DEVICE_H

/* The device side's errors in words a technician can act on: a
 * registration that failed (the errorCode in its registration state) and
 * the device API's refusals. Like explain.h, the advice never repeats the
 * raw answer, which the caller shows beside it. */

#include <stdbool.h>

#include "app/explain.h"
#include "dps/client.h"

/* How the device proves itself, which changes what a 401 means. */
enum device_proof {
	PROOF_NONE,		/* watching: someone else's device */
	PROOF_SAS,		/* a token signed with the enrollment's key */
	PROOF_X509,		/* its certificate, over mutual TLS */
};

/* A registration state's errorCode and errorMessage. */
struct advice explain_registration(int error_code, const char *message,
				   enum device_proof proof);
/* An answer of the device API (register, operation); { NULL, NULL } for
 * a success. Free with advice_clear. */
struct advice explain_device_response(const struct dps_response *r,
				      enum device_proof proof);

#endif
