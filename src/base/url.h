#ifndef DPSENROLL_BASE_URL_H
#define DPSENROLL_BASE_URL_H

/* Percent-encoding for the parts of a URL this project builds itself:
 * enrollment ids in paths and the fields of a SAS token. */

/* Percent-encodes everything but unreserved characters (RFC 3986:
 * A-Z a-z 0-9 - . _ ~), as %XX with upper-case hex; the caller frees. */
char *url_encode(const char *s);
/* Decodes %XX; a '%' not followed by two hex digits stays as it is, and a
 * '+' stays a '+' (in a SAS it is base64). NULL when the result would hold
 * a NUL. The caller frees. */
char *url_decode(const char *s);

#endif
