#ifndef DPSENROLL_UI_STATION_H
#define DPSENROLL_UI_STATION_H

/* Station mode of the form: one device after another from a template
 * (src/app/station.h has the template's rules). The template's values
 * are locked (REQ_UNLOCK opens one for this device); the registration id
 * takes a scan and Enter and moves on; after a create the device's keys
 * file is written when the template says so, a receipt stays in the
 * title, the session's count goes up, and the form is the template again
 * with the focus on the id. */

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "dps/worker.h"

struct app;
struct station_rules;

/* Starts station mode on `tmpl` (borrowed; its "station" member, when it
 * has one, is read as the rules). The device's own values (id, device
 * id, keys, certificates, TPM key) are left out; *dropped names the
 * paths the template held (owned, NULL: none). False with *why (owned). */
bool station_begin(struct app *a, const cJSON *tmpl, char **dropped,
		   char **why);
/* The form's enrollment as the template (REQ_AS_TEMPLATE): the id, the
 * device's keys, certificates and TPM key stay open. */
void station_from_form(struct app *a);
void station_free(struct app *a);

/* Field i holds a template value not unlocked for this device. */
bool station_locked(const struct app *a, size_t i);
/* When the focused field is locked, says so (and how to unlock it):
 * true, and the caller does nothing more. */
bool station_refuse_locked(struct app *a);
void station_unlock(struct app *a);
/* A printable key on the focused field, not being typed into: true when
 * it is an open text field the scanner types into. */
bool station_types_in(const struct app *a);
/* The focus is on the registration id, in station mode. */
bool station_on_id(const struct app *a);
/* Enter after typing into the focused field: for the registration id, the
 * scan is checked, split and the focus moves on. */
void station_field_done(struct app *a);
/* REQ_NEW: back to the template. */
void station_next_device(struct app *a);

/* A create went through: keys file, receipt, count, next device. True
 * when station mode took it. */
bool station_took_create(struct app *a, const struct dps_job *j);
/* A create met an existing id: open it or skip the device. */
bool station_offer_existing(struct app *a, const struct dps_job *j);

/* The id of the last device created in this station session, NULL
 * before the first (or outside station mode). */
const char *station_last_created(const struct app *a);

/* What the title shows in station mode (owned), NULL otherwise; *alarm
 * when a wrong scan is being pointed out. */
char *station_title(const struct app *a, bool *alarm);

#endif
