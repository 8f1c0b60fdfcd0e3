#ifndef DPSENROLL_DPS_BULK_ITEMS_H
#define DPSENROLL_DPS_BULK_ITEMS_H

/* One bulk request (POST /enrollments, at most DPS_BULK_MAX items) whose
 * result is told item by item, for callers that keep a record per item
 * (import). A request whose answer is lost is read back item by item, as
 * put reads back a single write, so nothing is sent twice. */

#include <cjson/cJSON.h>

#include "dps/client.h"

enum { DPS_BULK_MAX = 10 };

enum dps_item_end {
	DPS_ITEM_NOT_SENT,	/* the request never went out */
	DPS_ITEM_DONE,		/* the service did it */
	DPS_ITEM_REFUSED,	/* the service refused it (status, error) */
	DPS_ITEM_APPLIED,	/* answer lost; read back: done */
	DPS_ITEM_NOT_APPLIED,	/* answer lost; read back: not done, safe to
				 * send again */
	DPS_ITEM_CHANGED,	/* answer lost; read back: someone else's */
	DPS_ITEM_UNKNOWN,	/* neither an answer nor a read-back */
};

struct dps_bulk_item {
	const char *id;			/* borrowed */
	const cJSON *enrollment;	/* borrowed */
	enum dps_item_end end;
	long status;			/* the item's HTTP status, 0: none */
	int error_code;			/* the service's errorCode, 0: none */
	char *message;			/* owned; NULL: none */
};

/* Sends `n` items as one request in `mode` ("create", "update"). out is
 * the request's answer (clear it after): when it failed before anything
 * was sent (no connection), the items stay NOT_SENT; refused as a whole,
 * each item is REFUSED with its status and message. */
void dps_bulk_items_send(struct dps_client *c, const char *mode,
			 struct dps_bulk_item *items, size_t n,
			 struct dps_response *out);

/* Reads back an item written in `mode` whose answer was lost: APPLIED,
 * NOT_APPLIED, CHANGED or UNKNOWN in item->end. */
void dps_bulk_item_read_back(struct dps_client *c, const char *mode,
			     struct dps_bulk_item *item);

/* Frees the message; the item can be sent again. */
void dps_bulk_item_reset(struct dps_bulk_item *item);

#endif
