#ifndef DPSENROLL_EMU_EMU_JWT_H
#define DPSENROLL_EMU_EMU_JWT_H

/* Bearer tokens, the emulator's stand-in for Entra ID: with --token-key
 * FILE, HS256 JSON Web Tokens signed with the file's bytes are accepted
 * on the service API beside shared access signatures, and the admin call
 * POST /admin/token mints them. A token is checked as the service checks
 * an Entra ID token: signature, expiry and not-before (5 minutes of clock
 * skew), and the audience https://azure-devices-provisioning.net. */

#include <stdbool.h>

#include "emu/emu.h"

#define EMU_TOKEN_AUDIENCE "https://azure-devices-provisioning.net"

enum {
	EMU_TOKEN_KEY_MIN = 16,	/* bytes */
	EMU_TOKEN_LIFETIME_MAX = 24 * 3600,
};

/* Reads emu->cfg.token_key_path (nothing to do when NULL): refused when
 * others can read it or it is shorter than EMU_TOKEN_KEY_MIN bytes.
 * False with *why (owned). */
bool emu_jwt_load_key(struct emu *emu, char **why);
void emu_jwt_clear(struct emu *emu);

/* The service API's check of "Authorization: Bearer <token>" (`token`
 * is what follows the scheme): false after filling resp with 401 /
 * 401002 and a message saying why (no key configured, malformed, bad
 * signature, expired, not yet valid, wrong audience). */
bool emu_jwt_authorize(const struct emu *emu, const char *token,
		       struct emu_response *resp);

/* POST /admin/token {"lifetimeSeconds": N, "audience": "...",
 * "subject": "..."}: 200 {"accessToken", "tokenType": "Bearer",
 * "expiresOn": exp}. N may be negative (an expired token, for tests). */
void emu_admin_token(struct emu *emu, const struct emu_request *req,
		     struct emu_response *resp);

#endif
