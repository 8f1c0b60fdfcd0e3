#ifndef DPSENROLL_APP_KEEPKEYS_H
#define DPSENROLL_APP_KEEPKEYS_H

/* Keeping a device's keys across an update. GET hides symmetric keys, so
 * an update built from what GET shows carries none, and the service
 * answers a symmetric-key enrollment without keys by generating new ones:
 * the device's keys stop working. An update therefore resends the keys
 * read from the attestation mechanism, and when they cannot be read it
 * sends nothing at all (fail closed). `put` and the form both follow
 * these rules. */

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "dps/client.h"

/* A symmetric-key enrollment that carries neither key. */
bool keepkeys_missing(const cJSON *enrollment);

/* The keys in an answer to POST .../attestationmechanism: an owned copy
 * of its symmetricKey object, holding both keys (wipe it before freeing:
 * json_wipe_strings). NULL with *why (owned) when the answer gives no
 * keys: no answer came, the service refused, or the answer lacks them. */
cJSON *keepkeys_from_answer(const struct dps_response *r, char **why);

#endif
