#include "base/jwt.h"

#include <math.h>
#include <string.h>

#include "base/b64url.h"
#include "base/secret.h"

bool
jwt_split(const char *token, size_t *header_len, size_t *claims_len,
	  size_t *sig_len)
{
	const char *dot1 = strchr(token, '.');
	const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (!dot2 || strchr(dot2 + 1, '.'))
		return false;
	*header_len = (size_t)(dot1 - token);
	*claims_len = (size_t)(dot2 - dot1 - 1);
	*sig_len = strlen(dot2 + 1);
	return *header_len && *claims_len;
}

cJSON *
jwt_part(const char *token, int part, const char **why)
{
	size_t hl, cl, sl;
	if (!jwt_split(token, &hl, &cl, &sl)) {
		*why = "it is not a JSON Web Token (three parts separated by dots)";
		return NULL;
	}
	const char *start = part == 0 ? token : token + hl + 1;
	size_t len = part == 0 ? hl : cl;
	unsigned char *raw;
	size_t n;
	if (!b64url_decode(start, len, &raw, &n)) {
		*why = "a part of the token is not base64url";
		return NULL;
	}
	cJSON *j = cJSON_ParseWithLength((const char *)raw, n);
	secret_free(raw, n + 1);
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		*why = "a part of the token is not a JSON object";
		return NULL;
	}
	return j;
}

bool
jwt_exp(const cJSON *claims, time_t *exp)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(claims, "exp");
	if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble) ||
	    e->valuedouble < 0 || e->valuedouble > 4e12)
		return false;
	*exp = (time_t)e->valuedouble;
	return true;
}
