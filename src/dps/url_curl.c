#include "dps/url_curl.h"

#include <curl/curl.h>

#include "base/i18n.h"
#include "base/url.h"
#include "base/xalloc.h"

static enum url_problem
problem_of(CURLUcode rc)
{
	switch (rc) {
	case CURLUE_OK:
		return URL_OK;
	case CURLUE_NO_HOST:
		return URL_NO_HOST;
	case CURLUE_BAD_HOSTNAME:
		return URL_BAD_HOST;
	case CURLUE_BAD_PORT_NUMBER:
		return URL_BAD_PORT;
	case CURLUE_BAD_SLASHES:
		return URL_BAD_SLASHES;
	case CURLUE_BAD_SCHEME:
	case CURLUE_MALFORMED_INPUT:
		return URL_NOT_ABSOLUTE;
	default:
		return URL_OTHER;
	}
}

/* An owned copy of one part, or NULL when the URL has none. */
static char *
part(CURLU *u, CURLUPart which)
{
	char *v = NULL;
	if (curl_url_get(u, which, &v, 0) != CURLUE_OK)
		return NULL;
	char *copy = xstrdup(v);
	curl_free(v);
	return copy;
}

static enum url_problem
split(const char *url, enum url_split_mode mode, struct url_parts *out,
      const char **why)
{
	CURLU *u = curl_url();
	if (!u) {
		*why = _("out of memory");
		return URL_UNCHECKED;
	}
	unsigned int flags = CURLU_NON_SUPPORT_SCHEME;
	if (mode == URL_HTTPS_ASSUMED)
		flags |= CURLU_DEFAULT_SCHEME;
#ifdef CURLU_ALLOW_SPACE
	else
		flags |= CURLU_ALLOW_SPACE;
#endif
	CURLUcode rc = curl_url_set(u, CURLUPART_URL, url, flags);
	if (rc == CURLUE_OK) {
		out->scheme = part(u, CURLUPART_SCHEME);
		out->host = part(u, CURLUPART_HOST);
		out->port = part(u, CURLUPART_PORT);
		out->user = part(u, CURLUPART_USER);
		out->password = part(u, CURLUPART_PASSWORD);
		out->fragment = part(u, CURLUPART_FRAGMENT);
	}
	*why = curl_url_strerror(rc);
	curl_url_cleanup(u);
	return problem_of(rc);
}

static const struct url_splitter curl_splitter = { .split = split };

void
url_curl_install(void)
{
	url_splitter_install(&curl_splitter);
}
