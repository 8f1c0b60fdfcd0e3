#include "base/sas.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/b64.h"
#include "base/secret.h"
#include "base/url.h"
#include "base/xalloc.h"

char *
sas_sign(const char *key_b64, const char *string_to_sign, const char **why)
{
	unsigned char *key;
	size_t key_len;
	if (b64_decode(key_b64, &key, &key_len, NULL) != B64_OK) {
		*why = "the shared access key is not base64";
		return NULL;
	}
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	unsigned char *ok = HMAC(EVP_sha256(), key, (int)key_len,
				 (const unsigned char *)string_to_sign,
				 strlen(string_to_sign), mac, &mac_len);
	secret_free(key, key_len);
	if (!ok) {
		*why = "HMAC-SHA256 failed";
		return NULL;
	}
	char *sig = b64_encode(mac, mac_len);
	OPENSSL_cleanse(mac, sizeof(mac));
	return sig;
}

char *
sas_token_new(const char *resource, const char *key_b64, const char *policy,
	      time_t expiry, const char **why)
{
	char *sr = url_encode(resource);
	char *to_sign = xasprintf("%s\n%lld", sr, (long long)expiry);
	char *sig = sas_sign(key_b64, to_sign, why);
	free(to_sign);
	if (!sig) {
		free(sr);
		return NULL;
	}
	char *sig_enc = url_encode(sig);
	char *skn = policy ? url_encode(policy) : NULL;
	char *token = xasprintf("SharedAccessSignature sr=%s&sig=%s&se=%lld%s%s",
				sr, sig_enc, (long long)expiry,
				skn ? "&skn=" : "", skn ? skn : "");
	secret_str_free(sig);
	secret_str_free(sig_enc);
	free(skn);
	free(sr);
	return token;
}

static void
take_field(struct sas_fields *f, const char *name, size_t name_len,
	   const char *value, size_t value_len)
{
	char **slot = NULL;
	if (name_len == 2 && strncmp(name, "sr", 2) == 0)
		slot = &f->sr;
	else if (name_len == 3 && strncmp(name, "sig", 3) == 0)
		slot = &f->sig;
	else if (name_len == 2 && strncmp(name, "se", 2) == 0)
		slot = &f->se;
	else if (name_len == 3 && strncmp(name, "skn", 3) == 0)
		slot = &f->skn;
	if (slot && !*slot)
		*slot = xstrndup(value, value_len);
}

bool
sas_fields_parse(const char *header, struct sas_fields *out)
{
	static const char scheme[] = "SharedAccessSignature ";
	memset(out, 0, sizeof(*out));
	if (!header || strncmp(header, scheme, sizeof(scheme) - 1) != 0)
		return false;
	const char *p = header + sizeof(scheme) - 1;
	while (*p) {
		const char *amp = strchr(p, '&');
		const char *end = amp ? amp : p + strlen(p);
		const char *eq = memchr(p, '=', (size_t)(end - p));
		if (eq)
			take_field(out, p, (size_t)(eq - p), eq + 1,
				   (size_t)(end - eq - 1));
		p = amp ? amp + 1 : end;
	}
	if (out->sr && out->sig && out->se)
		return true;
	sas_fields_clear(out);
	return false;
}

void
sas_fields_clear(struct sas_fields *f)
{
	free(f->sr);
	secret_str_free(f->sig);
	free(f->se);
	free(f->skn);
	memset(f, 0, sizeof(*f));
}

bool
sas_expired(const char *se, time_t now, int skew)
{
	char *end;
	errno = 0;
	long long t = strtoll(se, &end, 10);
	/* Past the year 9999 no service clock can represent the time (.NET's
	 * DateTime ends there): such a token is refused, not taken as eternal. */
	if (!*se || *end || errno == ERANGE || t < 0 || t > 253402300799LL)
		return true;
	return t < (long long)now - skew;
}

bool
sas_fields_verify(const struct sas_fields *f, const char *key_b64, time_t now,
		  int skew)
{
	if (sas_expired(f->se, now, skew))
		return false;
	char *to_sign = xasprintf("%s\n%s", f->sr, f->se);
	const char *why;
	char *want = sas_sign(key_b64, to_sign, &why);
	free(to_sign);
	char *got = url_decode(f->sig);
	bool ok = want && got && strlen(want) == strlen(got) &&
		  CRYPTO_memcmp(want, got, strlen(want)) == 0;
	secret_str_free(want);
	secret_str_free(got);
	return ok;
}
