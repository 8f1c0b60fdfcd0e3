#ifndef DPSENROLL_EMU_FAULTS_H
#define DPSENROLL_EMU_FAULTS_H

/* Fault injection, so tests can provoke each failure a client must handle.
 *
 * SPEC is KIND[,option...]:
 *   delay=MS            wait MS milliseconds, then handle the request
 *   status=CODE         answer CODE with a service error body
 *   drop                close the connection without an answer
 *   malformed           answer 200 with a body that is not JSON
 *   oversized           answer 200 with a body of 64 MB
 *   continuation-loop   answer 200 with a query page of one made-up
 *                       enrollment and the same x-ms-continuation each time
 *   continuation-endless  the same with a new x-ms-continuation each time
 * options:
 *   count=N             only the next N matching requests (default: all)
 *   retry-after=S       with status: send Retry-After: S
 *   method=M            only requests with method M
 *   path=PREFIX         only requests whose path starts with PREFIX
 *   after               with drop or delay: handle the request first, then
 *                       drop the connection / delay the answer (the work is
 *                       done but the client does not hear of it in time)
 * e.g. "status=503,retry-after=1,count=2" or "delay=3000,path=/enrollments".
 * Faults never apply to /admin/ paths. Thread-safe. */

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "emu/emu.h"

struct emu_faults *emu_faults_new(void);
void emu_faults_free(struct emu_faults *f);

/* False with *why (owned) naming the bad part of the spec. */
bool emu_faults_add(struct emu_faults *f, const char *spec, char **why);
void emu_faults_clear(struct emu_faults *f);
/* The active faults as a JSON array of {spec, remaining}. */
cJSON *emu_faults_list(struct emu_faults *f);

/* Applies the first active fault that matches. Returns true when the
 * request must not reach its handler (resp is filled: an error status,
 * a drop, a malformed or oversized body), or not yet: a plain delay sets
 * resp->pause_ms, and the HTTP layer sends the request again with
 * faults_done once it is over. With `after`, resp->delay_ms or
 * resp->special is set and it returns false, so the handler runs and the
 * HTTP layer acts after. Nothing here sleeps. */
bool emu_faults_apply(struct emu_faults *f, const struct emu_request *req,
		      struct emu_response *resp);

/* Throttling of service operations: at most `per_minute` (0: off), as a
 * token bucket. True when the request may go on; false with
 * *retry_after seconds until it may. Thread-safe. */
struct emu_throttle *emu_throttle_new(int per_minute);
void emu_throttle_free(struct emu_throttle *t);
bool emu_throttle_take(struct emu_throttle *t, int *retry_after);

#endif
