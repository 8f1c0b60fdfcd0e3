#ifndef DPSENROLL_BASE_SAS_H
#define DPSENROLL_BASE_SAS_H

/* Shared access signatures, as DPS defines them: the signature is
 * base64(HMAC-SHA256(base64-decode(key), url-encoded resource + "\n" +
 * expiry)), and the token carries sr, sig, se and skn URL-encoded. The
 * client signs with it and the emulator verifies with it. */

#include <stdbool.h>
#include <time.h>

/* base64 HMAC-SHA256 of `string_to_sign` under the base64 `key_b64`.
 * NULL with *why (static text) when the key is not base64. The caller
 * frees the result with secret_str_free. */
char *sas_sign(const char *key_b64, const char *string_to_sign,
	       const char **why);

/* "SharedAccessSignature sr=...&sig=...&se=...[&skn=...]" for `resource`
 * (a host name, or "{idScope}/registrations/{id}" for a device), signed
 * with key_b64 and valid until `expiry`. `policy` NULL leaves skn out.
 * The caller frees with secret_str_free. */
char *sas_token_new(const char *resource, const char *key_b64,
		    const char *policy, time_t expiry, const char **why);

/* The fields of a token, as sent (still URL-encoded). */
struct sas_fields {
	char *sr;
	char *sig;
	char *se;
	char *skn;
};

/* Parses "SharedAccessSignature a=b&c=d..." with the fields in any order.
 * False when the scheme is wrong or sr, sig or se is missing. Free with
 * sas_fields_clear. */
bool sas_fields_parse(const char *header, struct sas_fields *out);
void sas_fields_clear(struct sas_fields *f);

/* True when `se` is not a whole number of seconds, or is more than `skew`
 * seconds before `now`. Any se a client sends is safe here: huge values
 * never overflow the comparison. */
bool sas_expired(const char *se, time_t now, int skew);

/* True when `f` carries a valid signature under key_b64 and has not expired
 * at `now` (with `skew` seconds of grace). */
bool sas_fields_verify(const struct sas_fields *f, const char *key_b64,
		       time_t now, int skew);

#endif
