#ifndef DPSENROLL_MODEL_SECRET_H
#define DPSENROLL_MODEL_SECRET_H

/* Freeing memory that held a secret (keys, tokens): the bytes are wiped
 * with OPENSSL_cleanse first, so they do not linger in freed heap. */

#include <stddef.h>

void secret_free(void *p, size_t len);
/* For NUL-terminated secrets: wipes strlen(s) bytes, then frees. */
void secret_str_free(char *s);

#endif
