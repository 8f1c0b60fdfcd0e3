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

/* How a query that follows the pages ended. */
enum dps_query_end {
	DPS_QUERY_DONE,		/* the last page had no continuation */
	DPS_QUERY_FAILED,	/* a page failed; out holds its answer */
	DPS_QUERY_REPEATED,	/* the service sent a continuation again */
	DPS_QUERY_OVER_MAX,	/* more than max_items enrollments */
	DPS_QUERY_STOPPED,	/* the page callback said stop */
};

#define DPS_QUERY_MAX_ITEMS 1000000L

/* Told each page's enrollments as they arrive (`items` is borrowed and
 * freed after the call); false stops the query. */
typedef bool (*dps_query_page_fn)(void *ctx, const cJSON *items);

/* Follows the pages one at a time, so memory holds one page whatever the
 * total. At most max_items enrollments reach `page`: the one page that
 * crosses the bound is cut there. A continuation seen before ends the
 * query, since a service that repeats one would be followed for ever.
 * out is the last answer (the failed one with DPS_QUERY_FAILED). */
enum dps_query_end dps_enrollment_query_each(struct dps_client *c,
					     int page_size, long max_items,
					     dps_query_page_fn page, void *ctx,
					     struct dps_response *out);
/* Every page (at most DPS_QUERY_MAX_ITEMS enrollments); out->body is the
 * whole array. A repeated continuation or too many enrollments fail as
 * DPS_FAIL_BAD_ANSWER, worded. */
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
