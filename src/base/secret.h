#ifndef DPSENROLL_BASE_SECRET_H
#define DPSENROLL_BASE_SECRET_H

/* Freeing memory that held a secret (keys, tokens): the bytes are wiped
 * with OPENSSL_cleanse first, so they do not linger in freed heap. */

#include <stddef.h>

void secret_free(void *p, size_t len);
/* For NUL-terminated secrets: wipes strlen(s) bytes, then frees. */
void secret_str_free(char *s);

/* realloc for buffers that may hold secrets: the old block is wiped
 * before it is released (realloc may move data and leave the old copy in
 * freed heap). `old_len` bytes are copied. */
void *secret_grow(void *p, size_t old_len, size_t new_len);

/* Makes cJSON wipe every block it frees: its nodes, strings and print
 * buffers may hold keys. Call once at start, before any cJSON use. */
void secret_json_hooks(void);

/* A copy of `text` with the values of SharedAccessKey=, sig= and
 * SharedAccessSignature masked, for messages that may quote what a user
 * typed (a connection string given in the wrong place). Owned. */
char *secret_redact(const char *text);

#endif
