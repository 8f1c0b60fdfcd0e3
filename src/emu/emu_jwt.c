#include "emu/emu_jwt.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/b64url.h"
#include "base/jwt.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

enum { CLOCK_SKEW = EMU_SAS_CLOCK_SKEW };

bool
emu_jwt_load_key(struct emu *emu, char **why)
{
	const char *path = emu->cfg.token_key_path;
	if (!path)
		return true;
	struct stat st;
	if (stat(path, &st) != 0) {
		*why = xasprintf("--token-key %s: %s", path, strerror(errno));
		return false;
	}
	if (st.st_mode & 077) {
		*why = xasprintf("--token-key %s is readable by others (mode %04o); "
				 "run: chmod 600 %s", path,
				 (unsigned)(st.st_mode & 07777), path);
		return false;
	}
	size_t len;
	char *key = file_read_all(path, &len);
	if (!key) {
		*why = xasprintf("--token-key %s: %s", path, strerror(errno));
		return false;
	}
	if (len < EMU_TOKEN_KEY_MIN) {
		secret_free(key, len);
		*why = xasprintf("--token-key %s holds %zu bytes; a key has at least "
				 "%d (e.g. head -c 32 /dev/urandom > %s)", path, len,
				 EMU_TOKEN_KEY_MIN, path);
		return false;
	}
	emu->token_key = (unsigned char *)key;
	emu->token_key_len = len;
	return true;
}

void
emu_jwt_clear(struct emu *emu)
{
	if (emu->token_key)
		secret_free(emu->token_key, emu->token_key_len);
	emu->token_key = NULL;
	emu->token_key_len = 0;
}

/* HMAC-SHA256 of the signing input (header.claims) under the key. */
static bool
sign(const struct emu *emu, const char *input, size_t len,
     unsigned char mac[EVP_MAX_MD_SIZE], unsigned *mac_len)
{
	return HMAC(EVP_sha256(), emu->token_key, (int)emu->token_key_len,
		    (const unsigned char *)input, len, mac, mac_len) != NULL;
}

static bool
deny(struct emu_response *resp, const char *why)
{
	emu_reply_error(resp, 401, 401002, "Unauthorized: %s", why);
	return false;
}

static bool
header_ok(const char *token)
{
	const char *bad;
	cJSON *h = jwt_part(token, 0, &bad);
	const char *alg = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(h, "alg"));
	bool ok = alg && strcmp(alg, "HS256") == 0;
	cJSON_Delete(h);
	return ok;
}

static bool
signature_ok(const struct emu *emu, const char *token)
{
	size_t hl, cl, sl;
	jwt_split(token, &hl, &cl, &sl);
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned mac_len = 0;
	unsigned char *given = NULL;
	size_t given_len = 0;
	bool ok = sign(emu, token, hl + 1 + cl, mac, &mac_len) &&
		  b64url_decode(token + hl + 1 + cl + 1, sl, &given, &given_len) &&
		  given_len == mac_len &&
		  CRYPTO_memcmp(given, mac, mac_len) == 0;
	free(given);
	OPENSSL_cleanse(mac, sizeof(mac));
	return ok;
}

static bool
audience_ok(const cJSON *claims)
{
	const cJSON *aud = cJSON_GetObjectItemCaseSensitive(claims, "aud");
	const cJSON *one;
	if (cJSON_IsString(aud))
		return strcmp(aud->valuestring, EMU_TOKEN_AUDIENCE) == 0 ||
		       strcmp(aud->valuestring, EMU_TOKEN_AUDIENCE "/") == 0;
	if (!cJSON_IsArray(aud))
		return false;
	cJSON_ArrayForEach(one, aud)
		if (cJSON_IsString(one) &&
		    (strcmp(one->valuestring, EMU_TOKEN_AUDIENCE) == 0 ||
		     strcmp(one->valuestring, EMU_TOKEN_AUDIENCE "/") == 0))
			return true;
	return false;
}

/* The claims' times and audience, once the signature holds. */
static bool
claims_ok(const cJSON *claims, time_t now, struct emu_response *resp)
{
	time_t exp;
	if (!jwt_exp(claims, &exp))
		return deny(resp, "the bearer token is malformed: it has no exp "
			    "(expiry) claim");
	if (exp + CLOCK_SKEW < now)
		return deny(resp, "the bearer token has expired; get a new one");
	const cJSON *nbf = cJSON_GetObjectItemCaseSensitive(claims, "nbf");
	if (cJSON_IsNumber(nbf) && nbf->valuedouble > (double)(now + CLOCK_SKEW))
		return deny(resp, "the bearer token is not valid yet (nbf); "
			    "check this computer's clock");
	if (!audience_ok(claims))
		return deny(resp, "the bearer token is for another audience "
			    "(aud) than " EMU_TOKEN_AUDIENCE "; ask for a token "
			    "for that resource");
	return true;
}

bool
emu_jwt_authorize(const struct emu *emu, const char *token,
		  struct emu_response *resp)
{
	if (!emu->token_key)
		return deny(resp, "this emulator checks no bearer tokens (start "
			    "it with --token-key FILE); use the connection "
			    "string's shared access key");
	size_t hl, cl, sl;
	const char *bad = NULL;
	if (!jwt_split(token, &hl, &cl, &sl) || !sl)
		return deny(resp, "the bearer token is malformed: it is not a "
			    "JSON Web Token (header.claims.signature)");
	cJSON *claims = jwt_part(token, 1, &bad);
	bool ok = false;
	if (!claims || !header_ok(token))
		deny(resp, "the bearer token is malformed: its header or claims "
		     "are not base64url JSON, or it is not signed with HS256");
	else if (!signature_ok(emu, token))
		deny(resp, "the bearer token's signature does not match; it was "
		     "not issued by this emulator's --token-key");
	else
		ok = claims_ok(claims, time(NULL), resp);
	cJSON_Delete(claims);
	return ok;
}

/* ---- minting ---- */

static char *
encode_json(const cJSON *j)
{
	char *text = cJSON_PrintUnformatted(j);
	char *enc = b64url_encode((const unsigned char *)text, strlen(text));
	free(text);
	return enc;
}

static char *
mint(const struct emu *emu, const char *audience, const char *subject,
     time_t now, time_t exp)
{
	cJSON *h = cJSON_CreateObject();
	cJSON_AddStringToObject(h, "alg", "HS256");
	cJSON_AddStringToObject(h, "typ", "JWT");
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "aud", audience);
	cJSON_AddStringToObject(c, "iss", "https://dpsemu.invalid/");
	cJSON_AddStringToObject(c, "sub", subject);
	cJSON_AddNumberToObject(c, "iat", (double)now);
	cJSON_AddNumberToObject(c, "nbf", (double)(now < exp ? now : exp));
	cJSON_AddNumberToObject(c, "exp", (double)exp);
	char *head = encode_json(h), *claims = encode_json(c);
	cJSON_Delete(h);
	cJSON_Delete(c);
	char *input = xasprintf("%s.%s", head, claims);
	free(head);
	free(claims);
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned mac_len = 0;
	char *token = NULL;
	if (sign(emu, input, strlen(input), mac, &mac_len)) {
		char *sig = b64url_encode(mac, mac_len);
		token = xasprintf("%s.%s", input, sig);
		free(sig);
	}
	OPENSSL_cleanse(mac, sizeof(mac));
	free(input);
	return token;
}

/* The request's settings; false with *why (static text). */
static bool
mint_settings(const char *body, long *lifetime, char **audience,
	      char **subject, const char **why)
{
	cJSON *j = *body ? cJSON_Parse(body) : cJSON_CreateObject();
	const cJSON *life = cJSON_GetObjectItemCaseSensitive(j, "lifetimeSeconds");
	const cJSON *aud = cJSON_GetObjectItemCaseSensitive(j, "audience");
	const cJSON *sub = cJSON_GetObjectItemCaseSensitive(j, "subject");
	*why = !cJSON_IsObject(j) ? "the body must be a JSON object"
	     : life && (!cJSON_IsNumber(life) || !isfinite(life->valuedouble) ||
			fabs(life->valuedouble) > EMU_TOKEN_LIFETIME_MAX)
		? "lifetimeSeconds must be a number of seconds within a day "
		  "either way (negative: already expired)"
	     : aud && !cJSON_IsString(aud) ? "audience must be a string"
	     : sub && !cJSON_IsString(sub) ? "subject must be a string" : NULL;
	if (!*why) {
		*lifetime = life ? (long)life->valuedouble : 3600;
		*audience = xstrdup(aud ? aud->valuestring : EMU_TOKEN_AUDIENCE);
		*subject = xstrdup(sub ? sub->valuestring : "dpsemu-user");
	}
	cJSON_Delete(j);
	return !*why;
}

void
emu_admin_token(struct emu *emu, const struct emu_request *req,
		struct emu_response *resp)
{
	if (!emu->token_key) {
		emu_reply_error(resp, 409, 409000, "no --token-key was given to "
				"this emulator, so it cannot mint tokens");
		return;
	}
	long lifetime;
	char *audience = NULL, *subject = NULL;
	const char *why;
	if (req->body_too_large ||
	    !mint_settings(req->body, &lifetime, &audience, &subject, &why)) {
		emu_reply_error(resp, 400, 400004, "%s",
				req->body_too_large ? "the body is too large" : why);
		return;
	}
	time_t now = time(NULL);
	char *token = mint(emu, audience, subject, now, now + lifetime);
	cJSON *out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "accessToken", token ? token : "");
	cJSON_AddStringToObject(out, "tokenType", "Bearer");
	cJSON_AddNumberToObject(out, "expiresOn", (double)(now + lifetime));
	emu_reply_json(resp, 200, out);
	secret_str_free(token);
	free(audience);
	free(subject);
}
