#ifndef DPSENROLL_BASE_URL_H
#define DPSENROLL_BASE_URL_H

/* URLs: percent-encoding for the parts this project builds itself
 * (enrollment ids in paths, the fields of a SAS token), and splitting a
 * URL someone typed into its parts. */

#include <stdbool.h>

/* Percent-encodes everything but unreserved characters (RFC 3986:
 * A-Z a-z 0-9 - . _ ~), as %XX with upper-case hex; the caller frees. */
char *url_encode(const char *s);
/* Decodes %XX; a '%' not followed by two hex digits stays as it is, and a
 * '+' stays a '+' (in a SAS it is base64). NULL when the result would hold
 * a NUL. The caller frees. */
char *url_decode(const char *s);

/* Splitting is libcurl's work (its URL API), and only src/dps may use
 * libcurl: each program installs a splitter once at start, before any
 * thread (dps/url_curl.h), and the checks below src/dps call url_split. */

enum url_problem {
	URL_OK,
	URL_NO_HOST,
	URL_BAD_HOST,
	URL_BAD_PORT,		/* not a number from 1 to 65535 */
	URL_BAD_SLASHES,	/* a scheme not followed by "//" */
	URL_NOT_ABSOLUTE,	/* no scheme, or not a URL at all */
	URL_OTHER,		/* anything else; *why says what */
	URL_UNCHECKED,		/* no splitter, or no memory; *why says which */
};

/* The parts of a split URL, as written; each NULL when the URL has none.
 * A host in brackets (IPv6) keeps them. Free with url_parts_clear. */
struct url_parts {
	char *scheme;
	char *host;
	char *port;
	char *user;
	char *password;
	char *fragment;
};

enum url_split_mode {
	/* As given: any scheme, spaces taken as part of the URL. */
	URL_AS_GIVEN,
	/* Read as if "https://" stood in front when it has no scheme; a
	 * space makes it no URL. */
	URL_HTTPS_ASSUMED,
};

struct url_splitter {
	/* Fills *out on URL_OK; *why (static text) for URL_OTHER and
	 * URL_UNCHECKED. */
	enum url_problem (*split)(const char *url, enum url_split_mode mode,
				  struct url_parts *out, const char **why);
};

void url_splitter_install(const struct url_splitter *s);
enum url_problem url_split(const char *url, enum url_split_mode mode,
			   struct url_parts *out, const char **why);
void url_parts_clear(struct url_parts *p);

#endif
