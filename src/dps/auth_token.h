#ifndef DPSENROLL_DPS_AUTH_TOKEN_H
#define DPSENROLL_DPS_AUTH_TOKEN_H

/* Where a client's Entra ID (Azure AD) access tokens come from, when a
 * DPS is reached without a shared access key: a fixed token (the
 * DPS_ACCESS_TOKEN variable), a file only its owner can read (read again
 * when its token runs out), or a command that prints one (a profile's
 * tokenCommand, run through /bin/sh -c). A token is kept in memory only,
 * until DPS_TOKEN_RENEW_BEFORE seconds before the "exp" of its JWT
 * claims (one hour after it was obtained when it has none), then
 * obtained again. Not thread-safe: a source belongs to one client. */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The audience (resource) the service accepts tokens for. */
#define DPS_TOKEN_RESOURCE "https://azure-devices-provisioning.net"

enum {
	DPS_TOKEN_RENEW_BEFORE = 300,	/* seconds before exp */
	DPS_TOKEN_DEFAULT_LIFETIME = 3600,	/* a token without exp */
	DPS_TOKEN_COMMAND_TIMEOUT_MS = 60000,
	DPS_TOKEN_MAX_BYTES = 64 * 1024,
};

struct dps_token_source;

/* `token` is copied (and wiped from the copy's memory when freed). */
struct dps_token_source *dps_token_fixed(const char *token);
struct dps_token_source *dps_token_file(const char *path);
struct dps_token_source *dps_token_command(const char *command);
/* An independent copy (for another thread's client), cache included. */
struct dps_token_source *dps_token_source_dup(const struct dps_token_source *s);
void dps_token_source_free(struct dps_token_source *s);

struct dps_said;

/* The token to send at `now` (borrowed until the next call or the free):
 * the kept one, or a new one. NULL with *why (owned, in both languages:
 * it goes to the journal with a failed request) when none can be had: the command failed, timed out or printed no token, the file is
 * missing or readable by others, or the token has expired (with what to
 * do). The token itself never appears in *why. */
const char *dps_token_get(struct dps_token_source *s, time_t now,
			  struct dps_said *why);

/* How many times a new token was obtained (the command run, the file
 * read); for tests. */
unsigned dps_token_obtained(const struct dps_token_source *s);

#endif
