#ifndef DPSENROLL_EMU_DEVICE_X509_H
#define DPSENROLL_EMU_DEVICE_X509_H

/* An X.509 device proves itself with the certificate it presents in the
 * TLS handshake: it must be one of the enrollment's client certificates
 * (by thumbprint), name the registration id as its CN, and be within its
 * validity. */

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "emu/emu.h"

/* NULL when the request's client certificate proves the device enrolled
 * as `enrollment`; else why not (owned), worded for the device. */
char *emu_x509_refusal(const struct emu_request *req, const cJSON *enrollment);

#endif
