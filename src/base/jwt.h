#ifndef DPSENROLL_BASE_JWT_H
#define DPSENROLL_BASE_JWT_H

/* Reading a JSON Web Token in compact form ("header.claims.signature",
 * each part base64url): what the client needs to know when an access
 * token expires, and what the emulator needs before it checks one. No
 * signature is checked here. */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

/* The three parts' lengths; false when `token` has not exactly three
 * non-empty dot-separated parts (the signature may be empty). */
bool jwt_split(const char *token, size_t *header_len, size_t *claims_len,
	       size_t *sig_len);

/* A part decoded and parsed as a JSON object (part 0: the header, 1: the
 * claims). NULL with *why (static text) when the token is malformed. */
cJSON *jwt_part(const char *token, int part, const char **why);

/* The "exp" claim (seconds since the epoch); false when it is absent or
 * not a number. */
bool jwt_exp(const cJSON *claims, time_t *exp);

#endif
