#ifndef DPSENROLL_BASE_XALLOC_H
#define DPSENROLL_BASE_XALLOC_H

/* Allocation that never returns NULL: on exhaustion the process stops with
 * a message (after running the registered fatal hook, which the TUI uses to
 * restore the terminal). Callers own and free() what these return. */

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xreallocarray(void *p, size_t count, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));

/* Called once before the process exits on an allocation failure. */
void xalloc_set_fatal_hook(void (*hook)(void));

#endif
