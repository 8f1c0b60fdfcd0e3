/* strcasestr */
#define _GNU_SOURCE
#include "base/secret.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "base/xalloc.h"

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

void *
secret_grow(void *p, size_t old_len, size_t new_len)
{
	void *q = xmalloc(new_len);
	if (p) {
		memcpy(q, p, old_len < new_len ? old_len : new_len);
		secret_free(p, old_len);
	}
	return q;
}

static void
wiping_free(void *p)
{
	if (p)
		OPENSSL_cleanse(p, malloc_usable_size(p));
	free(p);
}

void
secret_json_hooks(void)
{
	/* With a free function of its own, cJSON also stops using realloc for
	 * its print buffers, so no copy escapes unwiped. */
	cJSON_Hooks hooks = { .malloc_fn = malloc, .free_fn = wiping_free };
	cJSON_InitHooks(&hooks);
}

/* The value of `name` (up to ';', '&', white space or the end) masked. */
static void
mask_after(char *s, const char *name)
{
	size_t n = strlen(name);
	for (char *p = s; (p = strcasestr(p, name)); ) {
		p += n;
		while (*p && *p != ';' && *p != '&' && *p != ' ' && *p != '\'' &&
		       *p != '"' && *p != '\n')
			*p++ = '*';
	}
}

char *
secret_redact(const char *text)
{
	char *s = xstrdup(text ? text : "");
	mask_after(s, "SharedAccessKey=");
	mask_after(s, "sig=");
	mask_after(s, "SharedAccessSignature ");
	return s;
}
