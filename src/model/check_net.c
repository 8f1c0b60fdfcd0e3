#include "model/checks.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/textpos.h"
#include "base/url.h"
#include "base/xalloc.h"

#define HOST_MAX 253
#define LABEL_MAX 63
/* Enough of a label or host to recognise it in a message. */
#define EXCERPT_CHARS 24

static const char host_example[] = "myhub.azure-devices.net";
static const char webhook_example[] =
	"https://myfunc.azurewebsites.net/api/allocate?code=KEY";
static const char version_expected[] =
	N_("expected a version like 2021-10-01 or 2019-03-31 (YYYY-MM-DD, "
	   "optionally followed by -preview); the oldest DPS accepts is "
	   "2018-09-01-preview");

static bool
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static unsigned char
ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* ASCII-only case-insensitive search; `needle` is lower case. */
static const char *
find_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && ascii_lower((unsigned char)hay[i]) ==
					   (unsigned char)needle[i])
			i++;
		if (i == n)
			return hay;
	}
	return NULL;
}

/* A byte range [start, end) of the text still being looked at, so that
 * positions in messages stay those of the text as typed. */
struct span {
	size_t start, end;
};

/* Leading and trailing white space: usually a paste that took too much,
 * and worth one clear sentence rather than a character error. */
static struct span
trim_reported(const char *path, const char *text, const char *what,
	      struct findings *out)
{
	struct span s = { 0, strlen(text) };
	while (s.start < s.end && is_space((unsigned char)text[s.start]))
		s.start++;
	while (s.end > s.start && is_space((unsigned char)text[s.end - 1]))
		s.end--;
	if (s.start > 0)
		findings_add(out, path, SEV_ERROR,
			     _("it starts with a space; remove the spaces before "
			     "the %s"), _(what));
	if (s.end < strlen(text) && s.end > s.start)
		findings_add(out, path, SEV_ERROR,
			     _("it ends with a space; remove the spaces after the %s"),
			     _(what));
	return s;
}

/* ---- host names ---- */

/* "HostName=x;SharedAccessKeyName=...;SharedAccessKey=..." pasted whole.
 * Only the host is repeated in the message: the rest holds a secret. */
static bool
check_connection_string(const char *path, const char *text,
			struct findings *out)
{
	const char *host = find_nocase(text, "hostname=");
	if (!host && !find_nocase(text, "sharedaccesskey"))
		return false;
	if (!host) {
		findings_add(out, path, SEV_ERROR,
			     _("this looks like part of a connection string; give "
			     "only the host name, like %s"), host_example);
		return true;
	}
	host += strlen("hostname=");
	char *value = xstrndup(host, strcspn(host, ";"));
	char *shown = text_excerpt(value, HOST_MAX);
	findings_add(out, path, SEV_ERROR,
		     _("this looks like a connection string; give only the host "
		     "name (the HostName= part): %s"), shown);
	free(shown);
	free(value);
	return true;
}

static void
strip_scheme(const char *path, const char *text, struct span *s,
	     struct findings *out)
{
	const char *sep = strstr(text + s->start, "://");
	if (!sep || (size_t)(sep - text) >= s->end)
		return;
	size_t len = (size_t)(sep - text) - s->start;
	findings_add(out, path, SEV_ERROR,
		     _("give the host name only, without %.*s://"),
		     (int)len, text + s->start);
	s->start += len + 3;
}

static void
strip_path(const char *path, const char *text, struct span *s,
	   struct findings *out)
{
	size_t i = s->start;
	while (i < s->end && !strchr("/\\?#", text[i]))
		i++;
	if (i == s->end)
		return;
	if (i + 1 == s->end && text[i] == '/') {
		findings_add(out, path, SEV_ERROR,
			     _("remove the '/' at the end (character %zu); give the "
			     "host name only"), text_char_pos(text, i));
	} else {
		char *rest = xstrndup(text + i, s->end - i);
		char *shown = text_excerpt(rest, EXCERPT_CHARS);
		findings_add(out, path, SEV_ERROR,
			     _("remove '%s' from character %zu on; give the host "
			     "name only, without a path"), shown,
			     text_char_pos(text, i));
		free(shown);
		free(rest);
	}
	s->end = i;
}

static void
strip_port(const char *path, const char *text, struct span *s,
	   struct findings *out)
{
	size_t colon = s->end;
	while (colon > s->start && text[colon - 1] != ':')
		colon--;
	if (colon == s->start)
		return;
	colon--;
	if (colon + 1 == s->end)
		return;
	for (size_t i = colon + 1; i < s->end; i++)
		if (!is_digit((unsigned char)text[i]))
			return;
	findings_add(out, path, SEV_ERROR,
		     _("remove the port '%.*s' (character %zu); give the host "
		     "name only, devices choose the port by protocol"),
		     (int)(s->end - colon), text + colon,
		     text_char_pos(text, colon));
	s->end = colon;
}

static void
check_host_chars(const char *path, const char *text, struct span s,
		 struct findings *out)
{
	size_t first = 0, bad = 0;
	for (size_t i = s.start; i < s.end;
	     i += text_char_decode(text + i).len) {
		unsigned char c = (unsigned char)text[i];
		if (is_alnum(c) || c == '-' || c == '.')
			continue;
		if (bad++ == 0)
			first = i;
	}
	if (bad == 0)
		return;
	char shown[TEXT_CHAR_SHOWN];
	text_char_show(text, first, shown);
	if (bad == 1)
		findings_add(out, path, SEV_ERROR,
			     _("character %zu %s is not allowed in a host name; "
			     "use letters, digits and '-', with dots between "
			     "the parts"), text_char_pos(text, first), shown);
	else
		findings_add(out, path, SEV_ERROR,
			     ngettext("character %zu %s is not allowed in a host "
				      "name, nor is %zu more after it; use letters, "
				      "digits and '-', with dots between the parts",
				      "character %zu %s is not allowed in a host "
				      "name, nor are %zu more after it; use letters, "
				      "digits and '-', with dots between the parts",
				      bad - 1),
			     text_char_pos(text, first), shown, bad - 1);
}

static void
check_label(const char *path, const char *text, size_t start, size_t end,
	    struct findings *out)
{
	char *label = xstrndup(text + start, end - start);
	char *shown = text_excerpt(label, EXCERPT_CHARS);
	size_t chars = text_char_count(label);

	if (chars > LABEL_MAX)
		findings_add(out, path, SEV_ERROR,
			     _("the part '%s' (from character %zu) is %zu "
			     "characters long; each part between dots may have "
			     "at most %d"), shown, text_char_pos(text, start),
			     chars, LABEL_MAX);
	if (text[start] == '-')
		findings_add(out, path, SEV_ERROR,
			     _("the part '%s' starts with '-' (character %zu); each "
			     "part between dots must start and end with a letter "
			     "or digit"), shown, text_char_pos(text, start));
	if (end - start > 1 && text[end - 1] == '-')
		findings_add(out, path, SEV_ERROR,
			     _("the part '%s' ends with '-' (character %zu); each "
			     "part between dots must start and end with a letter "
			     "or digit"), shown, text_char_pos(text, end - 1));
	free(shown);
	free(label);
}

static void
check_labels(const char *path, const char *text, struct span s,
	     struct findings *out)
{
	size_t start = s.start;
	for (size_t i = s.start; i <= s.end; i++) {
		if (i < s.end && text[i] != '.')
			continue;
		if (i > start) {
			check_label(path, text, start, i, out);
		} else if (i == s.start) {
			findings_add(out, path, SEV_ERROR,
				     _("it starts with a dot (character %zu); "
				     "remove it"), text_char_pos(text, i));
		} else if (i == s.end) {
			findings_add(out, path, SEV_ERROR,
				     _("it ends with a dot (character %zu); "
				     "remove it"), text_char_pos(text, i - 1));
		} else {
			findings_add(out, path, SEV_ERROR,
				     _("characters %zu and %zu are two dots in a "
				     "row; remove one"),
				     text_char_pos(text, i - 1),
				     text_char_pos(text, i));
		}
		start = i + 1;
	}
}

void
check_host_name(const char *path, const char *text, struct findings *out)
{
	if (!*text)
		return;
	if (check_connection_string(path, text, out))
		return;

	struct span s = trim_reported(path, text, N_("host name"), out);
	strip_scheme(path, text, &s, out);
	strip_path(path, text, &s, out);
	strip_port(path, text, &s, out);
	if (s.start >= s.end) {
		findings_add(out, path, SEV_ERROR,
			     _("no host name is left; expected a name like %s"),
			     host_example);
		return;
	}

	size_t chars = text_char_count_n(text + s.start, s.end - s.start);
	if (chars > HOST_MAX)
		findings_add(out, path, SEV_ERROR,
			     _("the host name is %zu characters long; the most is %d"),
			     chars, HOST_MAX);
	check_host_chars(path, text, s, out);
	check_labels(path, text, s, out);
	if (!memchr(text + s.start, '.', s.end - s.start))
		findings_add(out, path, SEV_WARNING,
			     _("not a fully qualified host name; IoT hub host names "
			     "look like NAME.azure-devices.net"));
}

/* ---- webhook URL ---- */

/* Returns whether a character was reported, so that the URL parser's
 * own, vaguer complaint about the same character can be left out. */
static bool
check_url_spaces(const char *path, const char *text, struct span s,
		 struct findings *out)
{
	for (size_t i = s.start; i < s.end;
	     i += text_char_decode(text + i).len) {
		struct text_char c = text_char_decode(text + i);
		if (!c.valid || (!text_cp_is_control(c.cp) && c.cp != ' '))
			continue;
		char shown[TEXT_CHAR_SHOWN];
		text_char_show(text, i, shown);
		if (c.cp == ' ')
			findings_add(out, path, SEV_ERROR,
				     _("character %zu %s cannot appear in a URL; "
				     "remove it, or write a space in the path or "
				     "query as %%20"), text_char_pos(text, i),
				     shown);
		else
			findings_add(out, path, SEV_ERROR,
				     _("character %zu %s cannot appear in a URL; "
				     "remove it"), text_char_pos(text, i), shown);
		return true;
	}
	return false;
}

static void
report_parse_error(const char *path, const char *url, enum url_problem p,
		   const char *why, bool char_reported, struct findings *out)
{
	switch (p) {
	case URL_NO_HOST:
		findings_add(out, path, SEV_ERROR,
			     _("it has no host name; expected a URL like %s"),
			     webhook_example);
		return;
	case URL_BAD_HOST:
		if (char_reported)
			return;
		findings_add(out, path, SEV_ERROR,
			     _("its host name is not valid; expected a URL like %s"),
			     webhook_example);
		return;
	case URL_BAD_PORT:
		findings_add(out, path, SEV_ERROR,
			     _("its port is not a number from 1 to 65535; leave the "
			     "port out for https"));
		return;
	case URL_BAD_SLASHES:
		findings_add(out, path, SEV_ERROR,
			     _("expected '//' after the scheme; expected a URL like %s"),
			     webhook_example);
		return;
	case URL_UNCHECKED:
		findings_add(out, path, SEV_ERROR,
			     _("the URL could not be checked (%s)"), why);
		return;
	case URL_NOT_ABSOLUTE:
		break;
	default:
		if (char_reported)
			return;
		findings_add(out, path, SEV_ERROR,
			     _("it is not a valid URL (%s); expected a URL like %s"),
			     why, webhook_example);
		return;
	}

	/* No scheme: a host-and-path written without https:// can be told
	 * from a relative path or plain words by reading it as https. */
	struct url_parts guess;
	const char *ignored;
	bool has_host = url_split(url, URL_HTTPS_ASSUMED, &guess, &ignored) ==
			URL_OK && guess.host && strchr(guess.host, '.');
	if (has_host)
		findings_add(out, path, SEV_ERROR,
			     _("it does not start with https://; DPS needs an "
			     "absolute URL, so put https:// in front"));
	else
		findings_add(out, path, SEV_ERROR,
			     _("it is not an absolute URL; expected a URL like %s"),
			     webhook_example);
	url_parts_clear(&guess);
}

static void
warn_local_host(const char *path, const char *host, struct findings *out)
{
	char *shown = text_excerpt(host, EXCERPT_CHARS);
	findings_add(out, path, SEV_WARNING,
		     _("the host '%s' has no dot; DPS calls the webhook from "
		     "Azure, so it needs a public name like "
		     "myfunc.azurewebsites.net"), shown);
	free(shown);
}

static void
check_url_parts(const char *path, const struct url_parts *u,
		struct findings *out)
{
	if (u->scheme && strcmp(u->scheme, "http") == 0)
		findings_add(out, path, SEV_ERROR,
			     _("DPS calls only https webhooks; change http:// to "
			     "https://"));
	else if (u->scheme && strcmp(u->scheme, "https") != 0)
		findings_add(out, path, SEV_ERROR,
			     _("'%s' URLs cannot be called; DPS calls only https "
			     "webhooks, like %s"), u->scheme, webhook_example);

	if (!u->host || !*u->host)
		findings_add(out, path, SEV_ERROR,
			     _("it has no host name; expected a URL like %s"),
			     webhook_example);
	else if (u->host[0] != '[' && !strchr(u->host, '.'))
		warn_local_host(path, u->host, out);

	if (u->port && strcmp(u->port, "0") == 0)
		findings_add(out, path, SEV_ERROR,
			     _("port 0 cannot be called; leave the port out for "
			     "https, or give one from 1 to 65535"));

	if ((u->user && *u->user) || u->password)
		findings_add(out, path, SEV_WARNING,
			     _("it has a user name or password before the host "
			     "(user:password@); anyone who can read the "
			     "enrollment sees them and DPS may not send them; "
			     "Azure Functions take a key in the query instead "
			     "(?code=...)"));

	if (u->fragment)
		findings_add(out, path, SEV_WARNING,
			     _("the part from '#' on is never sent to the server; "
			     "remove it"));
}

void
check_webhook_url(const char *path, const char *text, struct findings *out)
{
	if (!*text)
		return;
	struct span s = trim_reported(path, text, N_("URL"), out);
	if (s.start >= s.end)
		return;
	bool char_reported = check_url_spaces(path, text, s, out);

	/* Spaces were reported above; splitting the URL as given, spaces
	 * and all, means the rest of it still gets looked at. */
	char *url = xstrndup(text + s.start, s.end - s.start);
	struct url_parts parts;
	const char *why = NULL;
	enum url_problem p = url_split(url, URL_AS_GIVEN, &parts, &why);
	if (p != URL_OK)
		report_parse_error(path, url, p, why, char_reported, out);
	else
		check_url_parts(path, &parts, out);
	url_parts_clear(&parts);
	free(url);
}

/* ---- custom allocation apiVersion ---- */

struct api_version {
	int year, month, day;
	bool preview;
};

enum version_parse {
	VERSION_OK,
	VERSION_BAD_FORM,	/* not YYYY-MM-DD at the start */
	VERSION_BAD_SUFFIX,	/* a date, then something other than -preview */
};

static bool
digits(const char *s, size_t n, int *value)
{
	*value = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return false;
		*value = *value * 10 + (s[i] - '0');
	}
	return true;
}

static enum version_parse
parse_version(const char *s, size_t len, struct api_version *v)
{
	if (len < 10 || s[4] != '-' || s[7] != '-' ||
	    !digits(s, 4, &v->year) || !digits(s + 5, 2, &v->month) ||
	    !digits(s + 8, 2, &v->day))
		return VERSION_BAD_FORM;
	v->preview = false;
	if (len == 10)
		return VERSION_OK;
	if (len == 18 && memcmp(s + 10, "-preview", 8) == 0) {
		v->preview = true;
		return VERSION_OK;
	}
	return VERSION_BAD_SUFFIX;
}

static int
days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

static const char *
month_name(int month)
{
	static const char *const names[] = {
		"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November",
		"December",
	};
	return names[month - 1];
}

void
check_allocation_api_version(const char *path, const char *text,
			     struct findings *out)
{
	if (!*text)
		return;
	struct span s = trim_reported(path, text, N_("version"), out);
	if (s.start >= s.end)
		return;
	const char *v = text + s.start;
	size_t len = s.end - s.start;

	struct api_version ver;
	switch (parse_version(v, len, &ver)) {
	case VERSION_BAD_FORM:
		findings_add(out, path, SEV_ERROR,
			     _("it is not a version date; %s"), _(version_expected));
		return;
	case VERSION_BAD_SUFFIX:
		findings_add(out, path, SEV_ERROR,
			     _("only -preview may follow the date; %s"),
			     _(version_expected));
		return;
	case VERSION_OK:
		break;
	}
	if (ver.month < 1 || ver.month > 12) {
		findings_add(out, path, SEV_ERROR,
			     _("month %02d does not exist; %s"), ver.month,
			     _(version_expected));
		return;
	}
	int max_day = days_in_month(ver.year, ver.month);
	if (ver.day < 1 || ver.day > max_day) {
		findings_add(out, path, SEV_ERROR,
			     _("%.10s is not a real date (%s %04d has %d days); %s"),
			     v, month_name(ver.month), ver.year, max_day,
			     _(version_expected));
		return;
	}
	/* 2018-09-01-preview is the oldest; a preview sorts before the
	 * release of the same date, so any version dated 2018-09-01 is new
	 * enough and only the date matters. */
	long date = ver.year * 10000L + ver.month * 100L + ver.day;
	if (date < 20180901L)
		findings_add(out, path, SEV_ERROR,
			     _("%.*s is older than the oldest version DPS accepts "
			     "(2018-09-01-preview); use a version like 2021-10-01 "
			     "or 2019-03-31"), (int)len, v);
}
