#ifndef DPSENROLL_UI_FIELD_DETAILS_H
#define DPSENROLL_UI_FIELD_DETAILS_H

/* Rows the service sets (the registration state, a certificate's info,
 * the etag and times) cannot be edited, and are often longer than their
 * row: i or Enter opens them whole, and editing keys say why not. */

#include <stdbool.h>

#include "ui/app.h"

/* The focused row is one the service sets (a read-only value, or a group
 * that holds only such values). */
bool field_details_applies(const struct app *a);
/* A window with the focused read-only row's whole value (a group's: every
 * value in it), its help, and why it cannot be edited. */
void field_details(struct app *a);
/* What an editing key on a read-only row says. */
void field_readonly_said(struct app *a);

#endif
