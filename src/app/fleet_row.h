#ifndef DPSENROLL_APP_FLEET_ROW_H
#define DPSENROLL_APP_FLEET_ROW_H

/* The fleet list's rows: one compact row per enrollment and its
 * registration state, for the list screen and `dpsenroll list`.
 *
 * A row holds no cJSON and no pointers: its texts are references into
 * the store's string pool, where each distinct text is kept once (hubs,
 * attestation types and statuses repeat on every row; a device id is
 * often its registration id). 100,000 rows take a few tens of bytes
 * each plus their distinct texts. Texts replaced by a newer state stay
 * in the pool until the store is freed: a refresh of every state costs
 * only the texts that changed.
 *
 * Rows and texts are kept in blocks that never move: adding rows copies
 * none, and row numbers, row pointers and texts stay valid while the
 * store lives. A view is an array of row numbers over the store,
 * filtered and sorted; filtering and sorting never copy rows. Not thread-safe: one store
 * belongs to one thread. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* A row's registration status. UNKNOWN until its state is fetched. */
enum fleet_status {
	FLEET_STATUS_UNKNOWN,
	FLEET_STATUS_UNASSIGNED,	/* the service's word, or no state yet */
	FLEET_STATUS_ASSIGNING,
	FLEET_STATUS_ASSIGNED,
	FLEET_STATUS_FAILED,
	FLEET_STATUS_DISABLED,
};

/* "assigned", "failed", ...; "unknown" for FLEET_STATUS_UNKNOWN. */
const char *fleet_status_name(enum fleet_status s);
/* The status named (any case); FLEET_STATUS_UNKNOWN for other words. */
enum fleet_status fleet_status_parse(const char *name);

/* The columns, in the order the list shows them. */
enum fleet_col {
	FLEET_COL_ID,
	FLEET_COL_DEVICE,
	FLEET_COL_ATTESTATION,
	FLEET_COL_PROVISIONING,
	FLEET_COL_STATUS,
	FLEET_COL_HUB,
	FLEET_COL_UPDATED,
	FLEET_COL_COUNT
};

/* "registrationId", "deviceId", ... as `list` names them in JSON and
 * CSV headers; "ID", "DEVICE", ... for table headers. */
const char *fleet_col_key(enum fleet_col c);
const char *fleet_col_title(enum fleet_col c);

/* A text in the store's pool; 0 is the empty text. */
typedef uint32_t fleet_str;

enum {
	FLEET_ROW_STATE_FETCHED = 1 << 0,	/* a state answer was set */
	FLEET_ROW_STATE_ABSENT = 1 << 1,	/* the answer was 404: no state */
	FLEET_ROW_FETCH_FAILED = 1 << 2,	/* the last fetch failed */
};

struct fleet_row {
	/* From the enrollment. */
	fleet_str id;
	fleet_str device_id;
	fleet_str attestation;	/* tpm, x509, symmetricKey */
	fleet_str provisioning;	/* enabled, disabled */
	fleet_str updated;	/* lastUpdatedDateTimeUtc */
	fleet_str etag;		/* the enrollment's, for If-Match */
	/* From the registration state. */
	fleet_str hub;		/* assignedHub */
	fleet_str state_updated;
	fleet_str state_etag;	/* the state's, for deleting it */
	fleet_str error_message;	/* a failed registration's, or why the
					 * last fetch failed */
	int32_t error_code;	/* a failed registration's; 0: none */
	uint8_t status;		/* enum fleet_status */
	uint8_t flags;		/* FLEET_ROW_* */
	int64_t fetched_ms;	/* when the state was set, caller's clock;
				 * 0: never */
};

struct fleet_rows;

struct fleet_rows *fleet_rows_new(void);
void fleet_rows_free(struct fleet_rows *s);

size_t fleet_rows_count(const struct fleet_rows *s);
/* Row `i` (< count), or NULL. Rows never move: the pointer stays
 * valid while the store lives (its contents change with the row). */
const struct fleet_row *fleet_rows_at(const struct fleet_rows *s, size_t i);
/* A pool text; never NULL. Valid while the store lives. */
const char *fleet_rows_str(const struct fleet_rows *s, fleet_str ref);
/* Bytes the store holds (rows, pool and index), for the figures. */
size_t fleet_rows_memory(const struct fleet_rows *s);
/* A count that moves whenever a row already there changes (a state set,
 * an enrollment again): a view compares it to know what it judged. */
uint64_t fleet_rows_changes(const struct fleet_rows *s);

/* Adds the row of one enrollment (IndividualEnrollment JSON, as a query
 * page lists them) and returns its number; an enrollment whose id is
 * already there updates that row and keeps its state. -1 when the object
 * has no registrationId. */
long fleet_rows_add_enrollment(struct fleet_rows *s, const cJSON *enrollment);
/* Adds each enrollment of a query page's array; returns how many were
 * added or updated. */
size_t fleet_rows_add_page(struct fleet_rows *s, const cJSON *items);

/* Row number of registration id `id` (ids compare in any case, as the
 * service's do), or -1. */
long fleet_rows_find(const struct fleet_rows *s, const char *id);

/* Sets row `i`'s state from a DeviceRegistrationState object, at
 * `now_ms`. */
void fleet_rows_set_state(struct fleet_rows *s, size_t i, const cJSON *state,
			  int64_t now_ms);
/* The state answer was 404: the device has not registered; the row
 * reads unassigned. */
void fleet_rows_set_no_state(struct fleet_rows *s, size_t i, int64_t now_ms);
/* The fetch failed (`why` borrowed): the status becomes unknown, the
 * reason is kept as the error message. */
void fleet_rows_set_fetch_failed(struct fleet_rows *s, size_t i,
				 const char *why, int64_t now_ms);
/* The row's state is to be fetched again: unknown, fetch time 0. */
void fleet_rows_forget_state(struct fleet_rows *s, size_t i);

/* Milliseconds since the row's state was set, or -1 when never. */
int64_t fleet_row_age_ms(const struct fleet_row *r, int64_t now_ms);

/* The text of column `c` in row `r`, as shown: the status's name for
 * FLEET_COL_STATUS. Never NULL. */
const char *fleet_row_text(const struct fleet_rows *s,
			   const struct fleet_row *r, enum fleet_col c);

/* Whether row `r` matches typed filter text: every word of `filter`
 * (split at spaces) is found, in any case, in the registration id,
 * device id or hub, or begins the registration status, provisioning
 * status or attestation type ("assigned" is not "unassigned"). An empty
 * filter matches every row. */
bool fleet_row_matches(const struct fleet_rows *s, const struct fleet_row *r,
		       const char *filter);

/* A filtered, sorted list of row numbers. Start from FLEET_VIEW_INIT. */
struct fleet_view {
	uint32_t *idx;		/* row numbers, in display order */
	size_t count;
	size_t cap;
	size_t seen;		/* store rows already considered */
	char *filter;		/* owned; NULL: none */
	enum fleet_col sort;
	bool descending;
	uint64_t judged;	/* fleet_rows_changes when all were judged */
};

#define FLEET_VIEW_INIT { NULL, 0, 0, 0, NULL, FLEET_COL_ID, false, 0 }

void fleet_view_clear(struct fleet_view *v);
/* A new filter (borrowed, copied; NULL or "" for none). A filter that
 * extends the last one (a letter typed) only narrows the rows listed
 * when no row changed since the view last judged them all; otherwise
 * the view is rebuilt from every row. */
void fleet_view_set_filter(struct fleet_view *v, const struct fleet_rows *s,
			   const char *filter);
/* A new order: the view is sorted again. Rows that sort equal keep the
 * order in which they arrived; FLEET_COL_COUNT is that order alone. */
void fleet_view_set_sort(struct fleet_view *v, const struct fleet_rows *s,
			 enum fleet_col col, bool descending);
/* Takes in the rows added to the store since the last call (a new page)
 * at their places in the order; rows already listed are left alone. A
 * change to rows already listed (a state set) that moves them in the
 * order or in or out of the filter shows after fleet_view_rebuild. */
void fleet_view_update(struct fleet_view *v, const struct fleet_rows *s);
/* Filters and sorts every row again. */
void fleet_view_rebuild(struct fleet_view *v, const struct fleet_rows *s);
/* Position of row number `row` in the view, or -1 when filtered out. */
long fleet_view_position(const struct fleet_view *v, size_t row);

#endif
