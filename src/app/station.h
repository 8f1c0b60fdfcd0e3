#ifndef DPSENROLL_APP_STATION_H
#define DPSENROLL_APP_STATION_H

/* A bench station: one device after another from a template. The
 * template is an enrollment whose values the batch shares, with an
 * optional "station" member that is not sent:
 *
 *   "station": {
 *     "idPattern": "^bench-[0-9]{6}$",      a scan must match (POSIX ERE)
 *     "split": { "separator": ";",           a scan "id;ek" fills two fields
 *                "fields": ["registrationId", "attestation.tpm.endorsementKey"] },
 *     "keysFolder": "keys"                   ID-keys.json (0600) after a create
 *   }
 */

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

struct station_rules {
	char *id_pattern;	/* NULL: any id */
	regex_t id_re;
	char separator;		/* '\0': scans are not split */
	char **split_fields;	/* paths, in the scan's order */
	size_t split_count;
	char *keys_folder;	/* NULL: no keys file */
};

/* Those of an enrollment's fields that are each device's own (the
 * schema's FF_PER_DEVICE: its id, device id, keys, certificates and TPM
 * key) that `tmpl` holds, ", " between their paths; NULL when it holds
 * none; owned. */
char *station_per_device_held(const cJSON *tmpl);
/* Takes them out of `tmpl`. */
void station_drop_per_device(cJSON *tmpl);

/* Takes the "station" member out of `tmpl` (an enrollment) and reads it.
 * False with *why (owned) naming what is wrong. */
bool station_rules_take(cJSON *tmpl, struct station_rules *r, char **why);
void station_rules_clear(struct station_rules *r);

/* Whether a scanned id fits the pattern (always, without one). */
bool station_id_fits(const struct station_rules *r, const char *id);

/* A scan split by the rule: parts[i] (owned) for split_fields[i], at most
 * split_count; returns how many. 0 when the rule does not apply (no rule,
 * or no separator in the scan). */
size_t station_split(const struct station_rules *r, const char *scan,
		     char **parts);

/* Writes KEYS_FOLDER/ID-keys.json (mode 0600) with the keys and their
 * fingerprints, the way the form's "save keys" does. *path (owned) is
 * where; false with *why (owned). An existing file is not replaced. */
bool station_write_keys(const struct station_rules *r, const char *id,
			const char *primary, const char *secondary,
			char **path, char **why);

#endif
