#ifndef DPSENROLL_DPS_DEVICE_H
#define DPSENROLL_DPS_DEVICE_H

/* The device registration API (device.json), over a dps_client made for
 * it: host the global endpoint, and either a device SAS (opts.sas_resource
 * "{idScope}/registrations/{id}", policy "registration", the enrollment's
 * key) or the device's certificate (opts.client_cert_pem/client_key_pem).
 * Every function fills `out` (clear it after). */

#include "dps/client.h"

#define DPS_GLOBAL_ENDPOINT "global.azure-devices-provisioning.net"

/* "{idScope}/registrations/{id}", the device token's resource; owned. */
char *dps_device_resource(const char *id_scope, const char *id);

/* PUT /{idScope}/registrations/{id}/register with {"registrationId": id}:
 * 202 and a RegistrationOperationStatus (operationId, status) to poll. */
void dps_device_register(struct dps_client *c, const char *id_scope,
			 const char *id, struct dps_response *out);
/* GET /{idScope}/registrations/{id}/operations/{operationId}. */
void dps_device_operation(struct dps_client *c, const char *id_scope,
			  const char *id, const char *operation_id,
			  struct dps_response *out);

#endif
