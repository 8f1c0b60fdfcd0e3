#ifndef DPSENROLL_EMU_DEVICE_H
#define DPSENROLL_EMU_DEVICE_H

/* The assignment a registering device receives, shared by the device API
 * (emu_device.c) and the admin call that simulates a registration
 * (emu_admin.c), so both produce the same registration states. */

#include <cjson/cJSON.h>

#include "emu/emu.h"

/* The outcome of one registration. Strings are borrowed from the
 * enrollment, the previous state or the configuration; NULL and 0 mean
 * "absent from the state". */
struct emu_reg_outcome {
	const char *status;	/* "assigned", "disabled", "failed", ... */
	const char *hub;
	const char *device_id;
	const char *substatus;
	int error_code;
	const char *error_message;
	const cJSON *payload;
};

/* What a device registering now gets from `enrollment`, given its
 * `previous` registration state (NULL the first time): the hub by the
 * enrollment's allocation and reprovision policies, its device id, and
 * the substatus. */
void emu_device_assignment(const struct emu *emu, const cJSON *enrollment,
			   const cJSON *previous, struct emu_reg_outcome *out);

/* The registration state to store for `outcome`, in the service's key
 * order: created time kept from `previous`, updated time now, a new etag.
 * Owned; not saved. */
cJSON *emu_registration_build(const cJSON *enrollment, const cJSON *previous,
			      const struct emu_reg_outcome *outcome);

#endif
