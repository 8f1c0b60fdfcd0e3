#ifndef DPSENROLL_APP_PUTREQ_H
#define DPSENROLL_APP_PUTREQ_H

/* What a submit of the form sends: the PUT's body and its If-Match.
 * An update carries the loaded etag as If-Match. A create carries no etag
 * at all, neither in If-Match nor in the body (the service reads the
 * body's etag as a precondition too, and answers 404 when no record holds
 * it), and nothing else that belonged to the record the form was read
 * from: its times and its device's registration state. */

#include "model/doc.h"

struct put_request {
	char *body;		/* owned; may hold keys (secret_str_free) */
	char *if_match;		/* owned; NULL for a create */
};

/* An update of the record whose etag is `etag`. */
void put_request_update(const struct doc *d, const char *etag,
			struct put_request *out);
/* A new enrollment from `d`, which may be a copy of another record (a
 * loaded one under a new id, or one deleted since it was loaded). */
void put_request_create(const struct doc *d, struct put_request *out);
void put_request_clear(struct put_request *r);

#endif
