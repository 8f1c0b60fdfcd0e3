#ifndef DPSENROLL_EMU_ENROLL_H
#define DPSENROLL_EMU_ENROLL_H

/* What PUT /enrollments/{id}, the bulk operation and the query share, so
 * a bulk item obeys exactly the rules of a single PUT or DELETE. A failure
 * is returned as data, not as a reply: a bulk item reports it inside an
 * answer that is 200 anyway. */

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "emu/emu.h"
#include "emu/emu_store.h"

struct emu_failure {
	unsigned status;	/* HTTP status; 0 while nothing failed */
	int code;		/* the service's 6-digit errorCode */
	char *message;		/* owned */
	cJSON *info;		/* owned; field path -> message, or NULL */
};

/* Records the failure and returns false, for `return emu_fail(...)`. */
bool emu_fail(struct emu_failure *f, unsigned status, int code,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void emu_failure_clear(struct emu_failure *f);
/* 500000 naming what the store said; returns false. */
bool emu_store_failed(struct emu *emu, struct emu_failure *f);
/* The failure as an error answer, info included. */
void emu_reply_failure(struct emu_response *resp, const struct emu_failure *f);

/* If-Match against a stored record (an enrollment or a registration
 * state): absent or "*" allow it, a bad etag is 400004, a different one
 * 412001. One rule for every resource, as the service has. */
bool emu_if_match_allows(const char *if_match, const cJSON *stored,
			 struct emu_failure *f);

/* The request body as a JSON object, owned; NULL with a 400004 failure
 * naming the line and column when it is not one. */
cJSON *emu_parse_body(const struct emu_request *req, struct emu_failure *f);

/* Loading (emu_records.c). */
enum emu_load {
	EMU_LOAD_OK,
	EMU_LOAD_ABSENT,
	EMU_LOAD_STORE_ERROR,	/* emu_store_error says why */
	EMU_LOAD_CORRUPT,	/* the stored text is not a JSON object */
};

/* A stored document by id (any case); *doc is owned on EMU_LOAD_OK. */
enum emu_load emu_record_load(struct emu *emu, enum emu_table t,
			      const char *id, cJSON **doc);
/* The stored enrollment, owned, or NULL when absent (true); false with a
 * 500 failure when the store cannot say. */
bool emu_enrollment_fetch(struct emu *emu, const char *id, cJSON **doc,
			  struct emu_failure *f);
/* Frees an enrollment tree, wiping its keys first; NULL is fine. */
void emu_enrollment_free(cJSON *doc);
/* The same members in the service's key order; consumes `doc`. */
cJSON *emu_enrollment_in_order(cJSON *doc);

/* Writing (emu_enroll.c). `etag` is the precondition as the client sent
 * it (raw, quoted or "*"); NULL when it sent none. */
enum emu_write_mode {
	EMU_WRITE_CREATE,	/* new ids only; an etag is ignored */
	EMU_WRITE_PUT,		/* PUT and bulk update: create, or replace
				 * when the etag matches */
	EMU_WRITE_IF_MATCH,	/* replace only when the etag matches */
};

/* The etag a request item carries in its body, or NULL when it has none
 * (or null, or ""); false with 400004 when it is there but not text. */
bool emu_item_etag(const cJSON *item, const char **etag,
		   struct emu_failure *f);
/* Validates `body` (borrowed), checks the precondition and stores the
 * record built from it; *written (owned) is what was stored. */
bool emu_enrollment_write(struct emu *emu, const cJSON *body,
			  const char *etag, enum emu_write_mode mode,
			  cJSON **written, struct emu_failure *f);
/* Deletes the enrollment `id` (any case) when `etag` allows it; the
 * device's registration state stays. */
bool emu_enrollment_remove(struct emu *emu, const char *id, const char *etag,
			   struct emu_failure *f);

#endif
