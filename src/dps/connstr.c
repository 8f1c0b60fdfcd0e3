#include "dps/connstr.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/b64.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/auth_token.h"

static char *
trimmed(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

static char **
slot_for(struct dps_conn *c, const char *name, size_t len)
{
	static const char *const names[] = { "HostName", "SharedAccessKeyName",
					     "SharedAccessKey" };
	char **slots[] = { &c->host, &c->policy, &c->key };
	for (int i = 0; i < 3; i++)
		if (strlen(names[i]) == len && strncasecmp(name, names[i], len) == 0)
			return slots[i];
	return NULL;
}

/* A part without '=' may be a pasted key: say where it is, not what. */
static bool
take_part(struct dps_conn *c, const char *part, size_t len, int index,
	  char **why)
{
	const char *eq = memchr(part, '=', len);
	if (!eq) {
		/* TRANSLATORS: %d counts the parts between ';' from 1; the
		 * names stay as they are. */
		*why = xasprintf(_("part %d of the connection string has no "
				   "'='; it should read HostName=...;"
				   "SharedAccessKeyName=...;SharedAccessKey=..."),
				 index);
		return false;
	}
	char *name = trimmed(part, (size_t)(eq - part));
	char **slot = slot_for(c, name, strlen(name));
	bool ok = true;
	if (slot && *slot) {
		/* TRANSLATORS: %s is a part's name (HostName...). */
		*why = xasprintf(_("%s appears twice in the connection string"),
				 name);
		ok = false;
	} else if (slot) {
		*slot = trimmed(eq + 1, len - (size_t)(eq + 1 - part));
	}
	/* Unknown parts (e.g. from a newer portal) are ignored; the "name"
	 * may be a key pasted without one. */
	secret_str_free(name);
	return ok;
}

static bool
host_ok(const char *host, char **why)
{
	if (strpbrk(host, "/ ") || strncasecmp(host, "https:", 6) == 0) {
		*why = xstrdup(_("HostName must be the host name only, e.g. "
				 "mydps.azure-devices-provisioning.net"));
		return false;
	}
	return true;
}

static bool
check_parts(const struct dps_conn *c, char **why)
{
	const char *missing = !c->host || !*c->host ? "HostName"
			    : !c->policy || !*c->policy ? "SharedAccessKeyName"
			    : !c->key || !*c->key ? "SharedAccessKey" : NULL;
	if (missing) {
		/* TRANSLATORS: %s is a part's name (HostName,
		 * SharedAccessKeyName or SharedAccessKey). */
		*why = xasprintf(_("the connection string has no %s; copy the "
				   "whole string of a shared access policy from "
				   "the DPS (HostName=...;SharedAccessKeyName=...;"
				   "SharedAccessKey=...)"), missing);
		return false;
	}
	if (!host_ok(c->host, why))
		return false;
	unsigned char *raw;
	size_t len;
	if (b64_decode(c->key, &raw, &len, NULL) != B64_OK) {
		*why = xstrdup(_("the connection string's SharedAccessKey is "
				 "not base64; was it cut short when copied?"));
		return false;
	}
	secret_free(raw, len);
	return true;
}

bool
dps_conn_parse(const char *text, struct dps_conn *out, char **why)
{
	memset(out, 0, sizeof(*out));
	const char *p = text;
	int index = 0;
	while (*p) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		char *part = trimmed(p, len);
		bool empty = !*part;
		secret_str_free(part);
		index++;
		if (!empty && !take_part(out, p, len, index, why)) {
			dps_conn_clear(out);
			return false;
		}
		p = semi ? semi + 1 : p + len;
	}
	if (!check_parts(out, why)) {
		dps_conn_clear(out);
		return false;
	}
	return true;
}

void
dps_conn_clear(struct dps_conn *c)
{
	free(c->host);
	free(c->policy);
	secret_str_free(c->key);
	dps_token_source_free(c->token);
	memset(c, 0, sizeof(*c));
}

bool
dps_conn_with_token(const char *host, struct dps_token_source *source,
		    struct dps_conn *out, char **why)
{
	memset(out, 0, sizeof(*out));
	if (!host || !*host) {
		*why = xstrdup(_("an access token needs the DPS host name too, "
				 "e.g. mydps.azure-devices-provisioning.net"));
		dps_token_source_free(source);
		return false;
	}
	if (!host_ok(host, why)) {
		dps_token_source_free(source);
		return false;
	}
	out->host = xstrdup(host);
	out->token = source;
	return true;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
dps_conn_copy(struct dps_conn *dst, const struct dps_conn *src)
{
	dst->host = dup_or_null(src->host);
	dst->policy = dup_or_null(src->policy);
	dst->key = dup_or_null(src->key);
	dst->token = dps_token_source_dup(src->token);
}

int
dps_conn_port(const struct dps_conn *c)
{
	const char *h = c->host ? c->host : "";
	const char *colon;
	if (*h == '[') {
		colon = strstr(h, "]:");
		colon = colon ? colon + 1 : NULL;
	} else {
		colon = strchr(h, ':');
		/* more than one: an IPv6 address without brackets, no port */
		if (colon && strchr(colon + 1, ':'))
			colon = NULL;
	}
	if (!colon)
		return 443;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (!isdigit((unsigned char)colon[1]) || *end || port < 1 || port > 65535)
		return 0;
	return (int)port;
}
