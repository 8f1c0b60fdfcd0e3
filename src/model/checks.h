#ifndef DPSENROLL_MODEL_CHECKS_H
#define DPSENROLL_MODEL_CHECKS_H

/* Field checks: each looks at one field's value and appends findings for
 * `path` (never prints, never stops at the first problem when more than
 * one thing is worth saying). Messages name what was given, what is
 * expected and, where it helps, the position (1-based character index).
 *
 * Text checks receive the field's text exactly as typed or read; they are
 * never called with NULL. An empty text means "the user left it blank";
 * whether blank is allowed is the schema's business (required rows), so a
 * check returns quietly for "" unless blank has a meaning of its own. */

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "model/findings.h"

typedef void (*text_check_fn)(const char *path, const char *text,
			      struct findings *out);
typedef void (*json_check_fn)(const char *path, const cJSON *value,
			      struct findings *out);

/* ids (check_ids.c) */
void check_registration_id(const char *path, const char *text,
			   struct findings *out);
void check_device_id(const char *path, const char *text, struct findings *out);
/* Registration ids are case-insensitive (ASCII). */
bool registration_id_equal(const char *a, const char *b);

/* network names (check_net.c) */
void check_host_name(const char *path, const char *text, struct findings *out);
void check_webhook_url(const char *path, const char *text,
		       struct findings *out);
void check_allocation_api_version(const char *path, const char *text,
				  struct findings *out);

/* attestation material (check_attestation.c) */
void check_symmetric_key(const char *path, const char *text,
			 struct findings *out);
void check_certificate(const char *path, const char *text,
		       struct findings *out);
void check_tpm_key(const char *path, const char *text, struct findings *out);

/* twin collections (check_twin.c): initialTwin.tags,
 * initialTwin.properties.desired, optionalDeviceInformation. `value` is
 * whatever the document holds there (not necessarily an object). */
void check_twin_collection(const char *path, const cJSON *value,
			   struct findings *out);

#endif
