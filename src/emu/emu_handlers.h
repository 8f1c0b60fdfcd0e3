#ifndef DPSENROLL_EMU_HANDLERS_H
#define DPSENROLL_EMU_HANDLERS_H

/* Route handlers. Each is called with emu->lock held (admin handlers
 * too), after the route's api-version, authorisation (service routes),
 * throttling and fault injection were applied; req->params holds the {}
 * segments of the route in order. */

#include "emu/emu.h"

/* Individual enrollments (emu_enroll.c). params[0] = registration id. */
void emu_enrollment_put(struct emu *emu, const struct emu_request *req,
			struct emu_response *resp);
void emu_enrollment_get(struct emu *emu, const struct emu_request *req,
			struct emu_response *resp);
void emu_enrollment_delete(struct emu *emu, const struct emu_request *req,
			   struct emu_response *resp);
void emu_enrollment_attestation(struct emu *emu, const struct emu_request *req,
				struct emu_response *resp);
/* POST /enrollments (emu_bulk.c) and POST /enrollments/query (emu_query.c). */
void emu_enrollment_bulk(struct emu *emu, const struct emu_request *req,
			 struct emu_response *resp);
void emu_enrollment_query(struct emu *emu, const struct emu_request *req,
			  struct emu_response *resp);

/* Registration states (emu_regstate.c). params[0] = registration id. */
void emu_regstate_get(struct emu *emu, const struct emu_request *req,
		      struct emu_response *resp);
void emu_regstate_delete(struct emu *emu, const struct emu_request *req,
			 struct emu_response *resp);

/* Device runtime API (emu_device.c). params[0] = ID scope,
 * params[1] = registration id, params[2] = operation id. */
void emu_device_register(struct emu *emu, const struct emu_request *req,
			 struct emu_response *resp);
void emu_device_operation(struct emu *emu, const struct emu_request *req,
			  struct emu_response *resp);
void emu_device_status(struct emu *emu, const struct emu_request *req,
		       struct emu_response *resp);

/* Loopback-only administration (emu_admin.c). */
void emu_admin_fault_add(struct emu *emu, const struct emu_request *req,
			 struct emu_response *resp);
void emu_admin_fault_list(struct emu *emu, const struct emu_request *req,
			  struct emu_response *resp);
void emu_admin_fault_clear(struct emu *emu, const struct emu_request *req,
			   struct emu_response *resp);
/* POST /admin/registrations/{id}: simulates a device registering, for any
 * attestation type. */
void emu_admin_register(struct emu *emu, const struct emu_request *req,
			struct emu_response *resp);

#endif
