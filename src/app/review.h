#ifndef DPSENROLL_APP_REVIEW_H
#define DPSENROLL_APP_REVIEW_H

/* What an update would do to a device that has already registered: the
 * consequences a field-by-field diff does not spell out (a move to another
 * hub, a twin reset, a refused registration, credentials that stop
 * working). Only warnings: the technician may mean every one of them.
 *
 * Nothing is said for a new enrollment or one whose device has not
 * registered (registrationState absent or "unassigned"); the diff shows
 * its changes all the same. */

#include <cjson/cJSON.h>

#include "model/findings.h"

/* Appends SEV_WARNING findings to *out, each at the field concerned, for
 * the change from `server` (the server copy, with its registrationState)
 * to `pending` (the document to send). `server` NULL: a new enrollment.
 * For the key warnings `server` should carry the keys from the
 * attestation mechanism call; a pending symmetric-key enrollment without
 * keys is always reported, since the service then generates new ones. */
void review_update(const cJSON *server, const cJSON *pending,
		   struct findings *out);

#endif
