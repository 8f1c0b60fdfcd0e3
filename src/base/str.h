#ifndef DPSENROLL_BASE_STR_H
#define DPSENROLL_BASE_STR_H

/* Small questions about strings. */

#include <stdbool.h>

/* True when `s` ends with `tail` (or is it). */
bool str_ends_with(const char *s, const char *tail);

/* True when the file name `name` is a name followed by the extension
 * `ext` (".pem"): "a.pem" is, ".pem" alone is not. With `any_case`, ASCII
 * letters match in either case. */
bool name_has_extension(const char *name, const char *ext, bool any_case);

#endif
