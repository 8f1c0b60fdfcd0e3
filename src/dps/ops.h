#ifndef DPSENROLL_DPS_OPS_H
#define DPSENROLL_DPS_OPS_H

/* The DPS operations dpsenroll uses, over dps_client. Every function
 * fills `out` (clear it after); the body parsed from the service's answer
 * is out->body. Ids are escaped here. */

#include "dps/client.h"

/* PUT /enrollments/{id}. `json` is the enrollment; if_match NULL for a
 * create. A write without a sure answer (dps_write_uncertain) is read
 * back: out->outcome says what it did, and when it was applied the call
 * reports the stored record with out->recovered set. DELETE alike. */
void dps_enrollment_put(struct dps_client *c, const char *id, const char *json,
			const char *if_match, struct dps_response *out);
void dps_enrollment_get(struct dps_client *c, const char *id,
			struct dps_response *out);
void dps_enrollment_delete(struct dps_client *c, const char *id,
			   const char *if_match, struct dps_response *out);
/* POST /enrollments/{id}/attestationmechanism: the attestation with keys. */
void dps_enrollment_attestation(struct dps_client *c, const char *id,
				struct dps_response *out);

/* One page of POST /enrollments/query; out->continuation leads on. */
void dps_enrollment_query_page(struct dps_client *c, int page_size,
			       const char *continuation,
			       struct dps_response *out);
/* Every page; out->body is the whole array. */
void dps_enrollment_query_all(struct dps_client *c, int page_size,
			      struct dps_response *out);

/* POST /enrollments in requests of at most 10 over one connection;
 * results merged into one BulkEnrollmentOperationResult in out->body. The
 * items of a request whose answer was lost are read back, each listed in
 * "readBack" as {registrationId, outcome} (applied, notApplied,
 * changedBySomeoneElse, unknown; notSent for the rest of the list after
 * an unknown). `enrollments` is borrowed. */
void dps_enrollment_bulk(struct dps_client *c, const char *mode,
			 const cJSON *enrollments, struct dps_response *out);

void dps_regstate_get(struct dps_client *c, const char *id,
		      struct dps_response *out);
void dps_regstate_delete(struct dps_client *c, const char *id,
			 const char *if_match, struct dps_response *out);

#endif
