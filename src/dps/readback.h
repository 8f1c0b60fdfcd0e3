#ifndef DPSENROLL_DPS_READBACK_H
#define DPSENROLL_DPS_READBACK_H

/* A write without a sure answer may have been applied. These read the
 * enrollment back and compare it with what was sent, so that the caller
 * can say "applied", "not applied" or "changed by someone else" instead
 * of a bare "try again". Used by put (and so by the form and `put`),
 * delete and bulk alike. */

#include "dps/client.h"

/* Whether a write's answer leaves its effect unknown: no answer in time,
 * a dropped connection, an answer that cannot be read, or a refusal
 * after a resend (the first attempt's answer was lost, and it may be
 * the first attempt that the refusal is about). */
bool dps_write_uncertain(const struct dps_response *r);

/* After PUT `json` (if_match NULL for a create, "*" for a replace):
 * APPLIED fills *stored with the record as read (clear it after; it is
 * left empty otherwise), NOT_APPLIED, CHANGED or UNKNOWN. */
enum dps_outcome dps_readback_put(struct dps_client *c, const char *id,
				  const char *json, const char *if_match,
				  struct dps_response *stored);
/* After DELETE: gone is APPLIED. */
enum dps_outcome dps_readback_delete(struct dps_client *c, const char *id,
				     const char *if_match);

/* "applied", "notApplied", "changedBySomeoneElse", "unknown" (the
 * bulk result's words); NULL for DPS_OUTCOME_SURE. */
const char *dps_outcome_name(enum dps_outcome o);

#endif
