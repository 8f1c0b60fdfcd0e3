#include "model/secret.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

void
secret_free(void *p, size_t len)
{
	if (!p)
		return;
	OPENSSL_cleanse(p, len);
	free(p);
}

void
secret_str_free(char *s)
{
	if (s)
		secret_free(s, strlen(s));
}
