#ifndef DPSENROLL_EMU_RECORDS_H
#define DPSENROLL_EMU_RECORDS_H

/* How records are kept in the store, so every module reads them alike.
 *
 * EMU_ENROLLMENTS, id = lower-cased registration id: the full
 * IndividualEnrollment JSON as last written, *including* secrets (keys)
 * and certificate text, in the service's key order, without
 * registrationState. What a client sees is derived from it
 * (emu_enrollment_view).
 *
 * EMU_REGISTRATIONS, id = lower-cased registration id: the
 * DeviceRegistrationState JSON exactly as GET /registrations/{id} serves
 * it, plus internal members whose names start with '_' (e.g.
 * "_operationId"), which are never served. */

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "emu/emu.h"

/* The stored enrollment for `id` (any case), owned; NULL when absent. */
cJSON *emu_enrollment_load(struct emu *emu, const char *id);

/* The stored registration state for `id` (any case), owned, with its
 * internal members; NULL when absent. */
cJSON *emu_registration_load(struct emu *emu, const char *id);
bool emu_registration_save(struct emu *emu, const cJSON *state);

/* A copy without the internal '_' members; owned. */
cJSON *emu_registration_public(const cJSON *state);

enum emu_view {
	EMU_VIEW_PUT,		/* PUT answer: keys shown, no registrationState */
	EMU_VIEW_GET,		/* GET: keys and certificate text hidden,
				 * registrationState added */
	EMU_VIEW_QUERY,		/* query: as GET, without registrationState,
				 * which the service leaves out of query
				 * results (semantics §9) */
};

/* What a client is shown of a stored enrollment; owned. */
cJSON *emu_enrollment_view(struct emu *emu, const cJSON *stored,
			   enum emu_view view);

#endif
