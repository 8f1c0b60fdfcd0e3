#include "app/explain.h"

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/xalloc.h"

/* The words, before they are handed out (owned) as a struct advice. */
struct advice_text {
	const char *cause;
	const char *next_step;
};

/* ---- the service's answers ---- */

static const struct advice_text INVALID = {
	N_("the service found the enrollment, or one of its fields, invalid"),
	N_("read the service's message for the field it names, correct it and "
	   "submit again"),
};
static const struct advice_text BAD_EK = {
	N_("the service could not use the TPM endorsement key, or it does not "
	   "match the enrollment"),
	N_("the EK must be base64 of the TPM2B_PUBLIC read from the TPM (an "
	   "RSA-2048 EK starts AToAAQALAAMAsgAg); tpm2-tools output or a PEM "
	   "public key must be converted first"),
};
static const struct advice_text BAD_ETAG = {
	N_("the service did not accept the ETag sent with the update"),
	N_("reload the enrollment so its current etag is sent, then submit again"),
};
static const struct advice_text BAD_CERT = {
	N_("the service could not read the X.509 certificate"),
	N_("give the device's own (leaf) certificate as PEM or base64 of DER: one "
	   "certificate, not a chain, a key or a request"),
};
static const struct advice_text BAD_BASE64 = {
	"a value that must be base64 (a key, certificate or endorsement key) "
	"is not valid base64",
	"look for missing characters, spaces or line breaks in the value the "
	"message names, then submit again",
};
static const struct advice_text AUTH = {
	N_("the service did not accept the credentials: the shared access key or "
	   "policy name in the connection string is wrong or was regenerated, or "
	   "this computer's clock is off (the signed token carries its expiry)"),
	N_("check the profile's connection string against the DPS's shared access "
	   "policies, and check the time and time zone here (use NTP)"),
};
static const struct advice_text TOKEN_EXPIRED = {
	N_("the service did not accept the Entra ID access token: it has expired"),
	N_("get a new token: run az login again (or whatever signs you in), then "
	   "submit again; a fixed token (DPS_ACCESS_TOKEN, --access-token-file) "
	   "must be replaced by hand"),
};
static const struct advice_text TOKEN_AUDIENCE = {
	N_("the service did not accept the Entra ID access token: it was issued "
	   "for another resource (audience) than the DPS"),
	N_("check the profile's tokenCommand asks for the resource "
	   "https://azure-devices-provisioning.net (az account get-access-token "
	   "--resource https://azure-devices-provisioning.net)"),
};
static const struct advice_text TOKEN_REFUSED = {
	N_("the service did not accept the Entra ID access token: it is damaged, "
	   "expired, for another resource, or the signed-in identity has no "
	   "role on this DPS"),
	N_("run az login again; check the profile's tokenCommand and its "
	   "resource (https://azure-devices-provisioning.net), and that the "
	   "identity has a role such as Device Provisioning Service Data "
	   "Contributor"),
};
static const struct advice_text RIGHTS = {
	N_("the shared access policy in the connection string lacks the rights "
	   "for this operation"),
	N_("use a policy with EnrollmentRead and EnrollmentWrite (such as "
	   "provisioningserviceowner), or ask the DPS owner to grant them"),
};
static const struct advice_text NO_ENROLLMENT = {
	N_("there is no individual enrollment with that registration id"),
	N_("check the id (spelling and separators; case does not matter), or "
	   "create the enrollment"),
};
static const struct advice_text NO_GROUP = {
	N_("there is no enrollment group with that id"),
	N_("check the group id, or create the group"),
};
static const struct advice_text NEVER_REGISTERED = {
	N_("the device has never registered, so there is no registration record "
	   "for it"),
	N_("nothing is wrong with the enrollment; the registration state appears "
	   "once the device first registers"),
};
static const struct advice_text NOT_FOUND = {
	N_("the service has no such resource: the id is wrong, or the host is not "
	   "a DPS"),
	N_("check the id, and the HostName in the connection string"),
};
static const struct advice_text NOT_ALLOWED = {
	N_("the request did not name an enrollment (the id is missing from the "
	   "address)"),
	N_("give a registration id and submit again"),
};
static const struct advice_text EXISTS = {
	N_("an enrollment with that registration id already exists"),
	N_("load it and update it, or choose another registration id"),
};
static const struct advice_text CHANGED = {
	N_("someone changed the enrollment since you loaded it (its etag no "
	   "longer matches)"),
	N_("reload it, review what changed on the server and in your edit, and "
	   "submit again"),
};
static const struct advice_text TOO_BIG = {
	N_("the enrollment is larger than the service accepts (96 KB)"),
	N_("shorten the initial twin or the device information, and submit again"),
};
static const struct advice_text THROTTLED = {
	N_("the service is throttling requests (it allows about 1,000 operations "
	   "a minute for the whole DPS)"),
	N_("wait for the time the service gave (Retry-After), then submit again"),
};
static const struct advice_text THROTTLED_RETRIED = {
	N_("the service is throttling requests (it allows about 1,000 operations "
	   "a minute for the whole DPS)"),
	N_("dpsenroll already retried, waiting as the service asked; wait a minute "
	   "and submit again, and spread out batch work"),
};
static const struct advice_text SERVICE = {
	N_("the service had a problem of its own, not caused by the enrollment"),
	N_("try again in a few minutes; if it goes on, quote the tracking id to "
	   "Azure support"),
};
static const struct advice_text REFUSED = {
	N_("the service refused the request"),
	N_("read the service's message; the raw answer shows the details"),
};

/* ---- no answer ---- */

static const struct advice_text NO_HOST = {
	N_("the DPS host name does not resolve: it is misspelt in the connection "
	   "string, or DNS does not work on this network"),
	N_("check HostName in the connection string (NAME.azure-devices-"
	   "provisioning.net) and that this computer is on the network"),
};
/* Its cause names the port: see not_connected. */
static const char NO_CONNECT_NEXT[] =
	N_("check the network and the host and port; for dpsemu, that it is "
	   "running; behind a proxy, set https_proxy");
static const struct advice_text PROXY = {
	N_("the proxy between here and the service did not connect to it: it "
	   "wants a user name and password (407), does not allow this host and "
	   "port, or cannot be reached"),
	N_("check the proxy's address and credentials (--proxy, the profile's "
	   "\"proxy\" or https_proxy, as http://USER:PASSWORD@HOST:PORT); list "
	   "hosts to reach directly in no_proxy"),
};
static const struct advice_text UNKNOWN_CA = {
	N_("the server's certificate is signed by a CA this computer does not "
	   "trust: dpsemu's own CA, or a corporate proxy that intercepts TLS"),
	N_("for dpsemu pass --cacert DATA/ca.pem (or set DPSENROLL_CACERT); behind "
	   "an intercepting proxy, pass the proxy's CA with --cacert"),
};
static const struct advice_text TLS = {
	N_("the TLS handshake failed: the port may not speak HTTPS, or something "
	   "between here and the service interfered"),
	N_("check the host and port in the connection string, then try again"),
};
static const struct advice_text TIMEOUT = {
	N_("the service did not answer in time: a slow or lossy network, or a "
	   "busy service"),
	N_("try again (reload first to see whether a submission was written); on "
	   "a slow link raise --timeout"),
};
static const struct advice_text DROPPED = {
	N_("the connection closed before the answer arrived"),
	N_("try again; reload first to see whether a submission was written"),
};
static const struct advice_text HUGE_ANSWER = {
	N_("the answer was far larger than any DPS answer: the host is probably "
	   "not a DPS"),
	N_("check HostName in the connection string"),
};
static const struct advice_text BAD_ANSWER = {
	N_("the answer was not what a DPS sends: the host may not be a DPS, or a "
	   "proxy or captive portal answered instead"),
	N_("check HostName in the connection string and the network, then try "
	   "again"),
};
static const struct advice_text CANCELLED = {
	N_("the request was cancelled before an answer came"),
	N_("submit again when ready; reload first to see whether a submission was "
	   "written"),
};
static const struct advice_text NO_TOKEN = {
	N_("no Entra ID access token could be had, so nothing was sent"),
	N_("the message says why: renew the token (az login), or fix the "
	   "profile's tokenCommand, the token file or DPS_ACCESS_TOKEN"),
};
static const struct advice_text FAILED = {
	N_("the request failed before the service answered"),
	N_("the details show what the connection reported; try again"),
};

/* ---- matching ---- */

struct rule {
	int code;		/* errorCode; 0: by status */
	long status;		/* HTTP status, for rules by status */
	const char *hint;	/* lower case, in the message; NULL: any */
	const struct advice_text *advice;
};

/* Exact codes first, then by status with the message's hints before the
 * status's plain advice. */
static const struct rule rules[] = {
	{ 401002, 0, NULL, &AUTH },
	{ 404201, 0, NULL, &NO_ENROLLMENT },
	{ 404202, 0, NULL, &NEVER_REGISTERED },
	{ 404204, 0, NULL, &NO_GROUP },
	{ 409201, 0, NULL, &EXISTS },
	{ 412001, 0, NULL, &CHANGED },
	{ 0, 400, "endorsement key", &BAD_EK },
	{ 0, 400, "etag", &BAD_ETAG },
	{ 0, 400, "certificate", &BAD_CERT },
	{ 0, 400, "base64", &BAD_BASE64 },
	{ 0, 400, NULL, &INVALID },
	{ 0, 401, NULL, &AUTH },
	{ 0, 403, NULL, &RIGHTS },
	{ 0, 404, "registration not found", &NEVER_REGISTERED },
	{ 0, 404, "enrollment not found", &NO_ENROLLMENT },
	{ 0, 404, NULL, &NOT_FOUND },
	{ 0, 405, NULL, &NOT_ALLOWED },
	{ 0, 409, NULL, &EXISTS },
	{ 0, 412, NULL, &CHANGED },
	{ 0, 413, NULL, &TOO_BIG },
};

static bool
contains_nocase(const char *text, const char *lower)
{
	size_t n = strlen(lower);
	for (; text && *text; text++) {
		size_t i = 0;
		while (i < n && text[i] &&
		       tolower((unsigned char)text[i]) == lower[i])
			i++;
		if (i == n)
			return true;
	}
	return false;
}

static bool
hint_matches(const struct rule *rule, const char *message)
{
	return !rule->hint || contains_nocase(message, rule->hint);
}

static const struct advice_text *
by_rules(int code, long status, const char *message)
{
	size_t n = sizeof(rules) / sizeof(rules[0]);
	for (size_t i = 0; i < n; i++)
		if (code && rules[i].code == code)
			return rules[i].advice;
	for (size_t i = 0; i < n; i++)
		if (!rules[i].code && rules[i].status == status &&
		    hint_matches(&rules[i], message))
			return rules[i].advice;
	return NULL;
}

static struct advice
owned(const struct advice_text *t)
{
	return (struct advice){ xstrdup(_(t->cause)), xstrdup(_(t->next_step)) };
}

/* A 401 to a bearer token says nothing about shared access keys. */
static const struct advice_text *
token_refused(const char *message)
{
	if (contains_nocase(message, "expired"))
		return &TOKEN_EXPIRED;
	if (contains_nocase(message, "audience"))
		return &TOKEN_AUDIENCE;
	return &TOKEN_REFUSED;
}

static struct advice
answered(const struct dps_response *r)
{
	int code = r->error.error_code;
	/* errorCode is the status times 1000 plus a detail */
	long status = code >= 100000 && code < 600000 ? code / 1000 : r->status;
	if (r->bearer && status == 401)
		return owned(token_refused(r->error.message));
	const struct advice_text *a = by_rules(code, status, r->error.message);
	if (a)
		return owned(a);
	if (status == 429)
		return owned(r->attempts > 1 ? &THROTTLED_RETRIED : &THROTTLED);
	if (status >= 500)
		return owned(&SERVICE);
	return owned(&REFUSED);
}

/* The port is the one the connection string names, not always 443. */
static struct advice
not_connected(int port)
{
	char *which = port > 0 ? xasprintf(_("port %d"), port)
			       : xstrdup(_("the port in the connection string"));
	struct advice a = {
		xasprintf(_("nothing accepted the connection: the host is "
			    "unreachable, a firewall blocks %s, or this site needs "
			    "a proxy"), which),
		xstrdup(_(NO_CONNECT_NEXT)),
	};
	free(which);
	return a;
}

static const struct advice_text *
unanswered(enum dps_failure failure)
{
	switch (failure) {
	case DPS_FAIL_RESOLVE:
		return &NO_HOST;
	case DPS_FAIL_PROXY:
		return &PROXY;
	case DPS_FAIL_TLS_CA:
		return &UNKNOWN_CA;
	case DPS_FAIL_TLS:
		return &TLS;
	case DPS_FAIL_TIMEOUT:
		return &TIMEOUT;
	case DPS_FAIL_DROPPED:
		return &DROPPED;
	case DPS_FAIL_TOO_LARGE:
		return &HUGE_ANSWER;
	case DPS_FAIL_BAD_ANSWER:
		return &BAD_ANSWER;
	case DPS_FAIL_CANCELLED:
		return &CANCELLED;
	case DPS_FAIL_AUTH:
		return &NO_TOKEN;
	default:
		return &FAILED;
	}
}

struct advice
explain_response(const struct dps_response *r)
{
	if (r->failure == DPS_FAIL_CONNECT)
		return not_connected(r->port);
	if (r->failure != DPS_ANSWERED)
		return owned(unanswered(r->failure));
	if (r->status < 400)
		return (struct advice){ NULL, NULL };
	return answered(r);
}

void
advice_clear(struct advice *a)
{
	free(a->cause);
	free(a->next_step);
	a->cause = a->next_step = NULL;
}

/* ---- writes without a sure answer ---- */

const char *
explain_outcome(enum dps_outcome o)
{
	switch (o) {
	case DPS_OUTCOME_APPLIED:
		return "the answer was lost, so it may have been applied; read "
		       "back: applied (the service holds what was sent)";
	case DPS_OUTCOME_NOT_APPLIED:
		return "the answer was lost, so it may have been applied; read "
		       "back: not applied (the service has it as before), so "
		       "sending it again is safe";
	case DPS_OUTCOME_CHANGED:
		return "the answer was lost, so it may have been applied; read "
		       "back: changed by someone else (the service holds neither "
		       "what was sent nor what it was based on); look at it "
		       "('dpsenroll get ID') before sending again";
	case DPS_OUTCOME_UNKNOWN:
		return "the answer was lost, so it may have been applied; reading "
		       "it back failed too; look at it ('dpsenroll get ID') before "
		       "sending again";
	case DPS_OUTCOME_SURE:
		break;
	}
	return NULL;
}

const char *
explain_outcome_word(enum dps_outcome o)
{
	switch (o) {
	case DPS_OUTCOME_APPLIED: return _("applied");
	case DPS_OUTCOME_NOT_APPLIED: return _("not applied");
	case DPS_OUTCOME_CHANGED: return _("changed by someone else");
	case DPS_OUTCOME_UNKNOWN: return _("unknown");
	case DPS_OUTCOME_SURE: break;
	}
	return NULL;
}

/* ---- retries ---- */

static char *
retry_cause(const struct dps_retry *r)
{
	if (r->failure == DPS_ANSWERED && r->status == 429)
		return xstrdup(_("429 throttled by the service"));
	if (r->failure == DPS_ANSWERED && r->status == 503)
		return xstrdup(_("503 the service is unavailable"));
	if (r->failure == DPS_ANSWERED)
		return xasprintf(_("%ld the service failed"), r->status);
	if (r->failure == DPS_FAIL_CONNECT)
		return xstrdup(_("nothing accepted the connection"));
	if (r->failure == DPS_FAIL_DROPPED)
		return xstrdup(_("the connection closed before the answer"));
	return xstrdup(_("the request failed"));
}

char *
explain_retry(const struct dps_retry *r, long ms_left)
{
	long s = ms_left > 0 ? (ms_left + 999) / 1000 : 0;
	char *cause = retry_cause(r);
	char *text = xasprintf(_("%s; retrying in %ld s (%d of %d)"), cause, s,
			       r->next_attempt, r->max_attempts);
	free(cause);
	return text;
}
