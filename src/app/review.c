#include "app/review.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "model/json.h"

#define UPDATE_HUB "reprovisionPolicy.updateHubAssignment"
#define MIGRATE "reprovisionPolicy.migrateDeviceData"

/* What the server copy says about the device. */
struct device {
	const char *status;	/* registrationState.status; NULL: none */
	const char *hub;	/* registrationState.assignedHub */
};

static bool
present(const cJSON *v)
{
	return v && !cJSON_IsNull(v);
}

static const char *
text_at(const cJSON *doc, const char *path)
{
	const cJSON *v = json_path_get(doc, path);
	return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
}

static bool
same_text(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

static bool
changed_at(const cJSON *server, const cJSON *pending, const char *path)
{
	const cJSON *a = json_path_get(server, path);
	const cJSON *b = json_path_get(pending, path);
	if (!present(a) || !present(b))
		return present(a) != present(b);
	return !cJSON_Compare(a, b, true);
}

static bool
registered(const struct device *d)
{
	return d->status && strcmp(d->status, "unassigned") != 0;
}

static bool
assigned(const struct device *d)
{
	return d->hub && same_text(d->status, "assigned");
}

/* Both policy flags are true when not given (the spec's default). */
static bool
policy_flag(const cJSON *doc, const char *path)
{
	const cJSON *v = json_path_get(doc, path);
	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : true;
}

static const char *
flag_text(bool b)
{
	return b ? "true" : "false";
}

/* "assigned to hub-1.azure-devices.net", "registration status failed":
 * said in parentheses after "the device", so it stands alone. */
static char *
device_words(const struct device *d)
{
	if (assigned(d))
		/* TRANSLATORS: shown in parentheses after "the device"; %s is
		 * an IoT hub's host name. */
		return xasprintf(_("assigned to %s"), d->hub);
	/* TRANSLATORS: shown in parentheses after "the device"; %s is a
	 * registration status as the service names it (failed, assigning). */
	return xasprintf(_("registration status %s"), d->status);
}

/* ---- (a) a move to another hub ---- */

/* Host names are case-insensitive. */
static bool
list_has(const cJSON *list, const char *hub)
{
	const cJSON *item;
	cJSON_ArrayForEach(item, list)
		if (cJSON_IsString(item) &&
		    strcasecmp(item->valuestring, hub) == 0)
			return true;
	return false;
}

static char *
list_text(const cJSON *list)
{
	struct strbuf out = STRBUF_INIT;
	const cJSON *item;
	cJSON_ArrayForEach(item, list)
		if (cJSON_IsString(item))
			strbuf_add_sep(&out, ", ", item->valuestring);
	return strbuf_take(&out);
}

static bool
allocation_changed(const cJSON *server, const cJSON *pending)
{
	return changed_at(server, pending, "allocationPolicy") ||
	       changed_at(server, pending, "iotHubs") ||
	       changed_at(server, pending, "iotHubHostName") ||
	       changed_at(server, pending, "customAllocationDefinition") ||
	       (!policy_flag(server, UPDATE_HUB) &&
		policy_flag(pending, UPDATE_HUB));
}

/* The pending hubs leave the assigned one out: the move is certain. */
static bool
warn_hub_left_out(const struct device *d, const cJSON *pending,
		  struct findings *out)
{
	const cJSON *hubs = json_path_get(pending, "iotHubs");
	const char *legacy = text_at(pending, "iotHubHostName");
	int n = cJSON_IsArray(hubs) ? cJSON_GetArraySize(hubs) : 0;
	if (n > 0 && !list_has(hubs, d->hub)) {
		char *to = list_text(hubs);
		findings_add(out, "iotHubs", SEV_WARNING,
			     /* TRANSLATORS: the first and last %s are the hub
			      * the device is on; the second, the list of hubs
			      * it may go to. */
			     ngettext("the device is assigned to %s; this change "
				      "moves it to %s when it next registers "
				      "(iotHubs no longer lists %s)",
				      "the device is assigned to %s; this change "
				      "moves it to one of %s when it next "
				      "registers (iotHubs no longer lists %s)",
				      (unsigned long)n), d->hub, to, d->hub);
		free(to);
		return true;
	}
	if (n == 0 && legacy && strcasecmp(legacy, d->hub) != 0) {
		findings_add(out, "iotHubHostName", SEV_WARNING,
			     _("the device is assigned to %s; this change "
			       "moves it to %s when it next registers"),
			     d->hub, legacy);
		return true;
	}
	return false;
}

/* The DPS default, in place of an allocation policy not given. */
static const char *
policy_or_default(const char *policy)
{
	/* TRANSLATORS: stands for an allocation policy that is not given,
	 * in "the allocation policy changes from %s to %s". */
	return policy ? policy : _("the DPS default");
}

/* The warning for a changed allocation, at the field that changed: each
 * a whole sentence, `hub` the one the device is on. */
static void
warn_allocation(const char *hub, const cJSON *server, const cJSON *pending,
		struct findings *out)
{
	const cJSON *hubs = json_path_get(pending, "iotHubs");
	if (changed_at(server, pending, "allocationPolicy")) {
		findings_add(out, "allocationPolicy", SEV_WARNING,
			     /* TRANSLATORS: %1$s is the hub; %2$s and %3$s are
			      * allocation policies (hashed, geoLatency...) or
			      * "the DPS default". */
			     _("the device is assigned to %1$s and the "
			       "allocation policy changes from %2$s to %3$s: "
			       "it may move to another hub when it next "
			       "registers"),
			     hub, policy_or_default(text_at(server,
							  "allocationPolicy")),
			     policy_or_default(text_at(pending,
						       "allocationPolicy")));
	} else if (changed_at(server, pending, "iotHubs") &&
		   (!cJSON_IsArray(hubs) || !cJSON_GetArraySize(hubs))) {
		findings_add(out, "iotHubs", SEV_WARNING,
			     _("the device is assigned to %s and iotHubs is "
			       "emptied, so every linked hub is a candidate: "
			       "it may move to another hub when it next "
			       "registers"),
			     hub);
	} else if (changed_at(server, pending, "iotHubs")) {
		char *list = list_text(hubs);
		findings_add(out, "iotHubs", SEV_WARNING,
			     /* TRANSLATORS: the second %s is a list of hubs. */
			     _("the device is assigned to %s and iotHubs "
			       "becomes %s: it may move to another hub when it "
			       "next registers"), hub, list);
		free(list);
	} else if (changed_at(server, pending, "iotHubHostName")) {
		findings_add(out, "iotHubHostName", SEV_WARNING,
			     _("the device is assigned to %s and the legacy "
			       "iotHubHostName changes: it may move to another "
			       "hub when it next registers"), hub);
	} else if (changed_at(server, pending, "customAllocationDefinition")) {
		findings_add(out, "customAllocationDefinition", SEV_WARNING,
			     _("the device is assigned to %s and the custom "
			       "allocation webhook changes: it may move to "
			       "another hub when it next registers"), hub);
	} else {
		findings_add(out, UPDATE_HUB, SEV_WARNING,
			     _("the device is assigned to %s and "
			       "updateHubAssignment becomes true: it may move "
			       "to another hub when it next registers"), hub);
	}
}

/* The assigned hub is one candidate among others under a changed
 * allocation: where the device lands is the policy's choice. */
static void
warn_hub_may_move(const struct device *d, const cJSON *server,
		  const cJSON *pending, struct findings *out)
{
	const cJSON *hubs = json_path_get(pending, "iotHubs");
	int n = cJSON_IsArray(hubs) ? cJSON_GetArraySize(hubs) : 0;
	if (n == 1 || (n == 0 && text_at(pending, "iotHubHostName")))
		return;	/* only the assigned hub is left */
	if (same_text(text_at(pending, "allocationPolicy"), "static") && n > 1) {
		const cJSON *first = cJSON_GetArrayItem(hubs, 0);
		if (cJSON_IsString(first) &&
		    strcasecmp(first->valuestring, d->hub) == 0)
			return;
	}
	warn_allocation(d->hub, server, pending, out);
}

static void
check_hub_move(const struct device *d, const cJSON *server,
	       const cJSON *pending, struct findings *out)
{
	if (!assigned(d) || !policy_flag(pending, UPDATE_HUB) ||
	    !allocation_changed(server, pending))
		return;
	if (!warn_hub_left_out(d, pending, out))
		warn_hub_may_move(d, server, pending, out);
}

/* ---- (b) a twin reset ---- */

static void
check_data_reset(const struct device *d, const cJSON *server,
		 const cJSON *pending, struct findings *out)
{
	if (!assigned(d) || !cJSON_IsFalse(json_path_get(pending, MIGRATE)) ||
	    !policy_flag(pending, UPDATE_HUB))
		return;
	if (!cJSON_IsFalse(json_path_get(server, MIGRATE)))
		findings_add(out, MIGRATE, SEV_WARNING,
			     /* TRANSLATORS: both %s are the hub the device is
			      * on. */
			     _("migrateDeviceData becomes false and the device "
			       "is assigned to %s: the device's twin and data "
			       "will be reset from this enrollment when it is "
			       "reassigned, and what it has in %s is not "
			       "carried over"), d->hub, d->hub);
	else
		findings_add(out, MIGRATE, SEV_WARNING,
			     /* TRANSLATORS: both %s are the hub the device is
			      * on. */
			     _("migrateDeviceData is false and the device is "
			       "assigned to %s: the device's twin and data "
			       "will be reset from this enrollment when it is "
			       "reassigned, and what it has in %s is not "
			       "carried over"), d->hub, d->hub);
}

/* ---- (c) a refused registration ---- */

static void
check_disabled(const struct device *d, const cJSON *server,
	       const cJSON *pending, struct findings *out)
{
	if (!assigned(d) ||
	    !same_text(text_at(pending, "provisioningStatus"), "disabled") ||
	    same_text(text_at(server, "provisioningStatus"), "disabled"))
		return;
	findings_add(out, "provisioningStatus", SEV_WARNING,
		     /* TRANSLATORS: both %s are the hub the device is on. */
		     _("the device is registered (assigned to %s) and will be "
		       "refused when it next registers; its identity in %s is "
		       "not touched, so disable it there to stop it now"),
		     d->hub, d->hub);
}

/* ---- (d) and (e) credentials ---- */

static const char *
attestation_words(const char *type)
{
	if (strcmp(type, "symmetricKey") == 0)
		/* TRANSLATORS: a kind of credentials, in "proves itself with %s
		 * credentials" and "its new %s credentials". */
		return _("symmetric key");
	if (strcmp(type, "x509") == 0)
		/* TRANSLATORS: a kind of credentials, as above. */
		return _("X.509 certificate");
	if (strcmp(type, "tpm") == 0)
		/* TRANSLATORS: a kind of credentials, as above. */
		return _("TPM");
	return type;
}

static void
check_attestation_type(const struct device *d, const cJSON *server,
		       const cJSON *pending, struct findings *out)
{
	const char *was = text_at(server, "attestation.type");
	const char *now = text_at(pending, "attestation.type");
	if (!registered(d) || !was || !now || strcmp(was, now) == 0)
		return;
	char *dev = device_words(d);
	findings_add(out, "attestation.type", SEV_WARNING,
		     /* TRANSLATORS: %1$s and %2$s are attestation types (wire
		      * values); %3$s, the device's state ("assigned to
		      * hub..."); %4$s and %5$s, kinds of credentials
		      * ("symmetric key"). */
		     _("the attestation changes from %1$s to %2$s: the device "
		       "(%3$s) proves itself with %4$s credentials, which stop "
		       "working; it needs its new %5$s credentials before it "
		       "next registers"),
		     was, now, dev, attestation_words(was),
		     attestation_words(now));
	free(dev);
}

/* The warning for a key changed or left out: four whole sentences. */
static void
warn_key(const char *path, bool primary, bool generated, const char *dev,
	 struct findings *out)
{
	if (primary && generated)
		findings_add(out, path, SEV_WARNING,
			     /* TRANSLATORS: in the four key warnings, %s is the
			      * device's state ("assigned to hub..."), said in
			      * parentheses. */
			     _("no primary key is sent, so the service "
			       "generates a new one: the device (%s) signs "
			       "with its current key and must get the new one "
			       "before it next registers"), dev);
	else if (generated)
		findings_add(out, path, SEV_WARNING,
			     _("no secondary key is sent, so the service "
			       "generates a new one: the device (%s) signs "
			       "with its current key and must get the new one "
			       "before it next registers"), dev);
	else if (primary)
		findings_add(out, path, SEV_WARNING,
			     _("the primary key changes: the device (%s) signs "
			       "with its current key and must get the new one "
			       "before it next registers"), dev);
	else
		findings_add(out, path, SEV_WARNING,
			     _("the secondary key changes: the device (%s) "
			       "signs with its current key and must get the "
			       "new one before it next registers"), dev);
}

static void
check_one_key(const struct device *d, const char *path, bool primary,
	      const cJSON *server, const cJSON *pending,
	      struct findings *out)
{
	const cJSON *was = json_path_get(server, path);
	const cJSON *now = json_path_get(pending, path);
	bool generated = !present(now);
	if (!generated && (!present(was) || cJSON_Compare(was, now, true)))
		return;
	char *dev = device_words(d);
	warn_key(path, primary, generated, dev, out);
	free(dev);
}

static void
check_keys(const struct device *d, const cJSON *server, const cJSON *pending,
	   struct findings *out)
{
	if (!registered(d) ||
	    !same_text(text_at(server, "attestation.type"), "symmetricKey") ||
	    !same_text(text_at(pending, "attestation.type"), "symmetricKey"))
		return;
	check_one_key(d, "attestation.symmetricKey.primaryKey", true,
		      server, pending, out);
	check_one_key(d, "attestation.symmetricKey.secondaryKey", false,
		      server, pending, out);
}

/* ---- (f) the legacy behaviour ---- */

static void
check_policy_removed(const struct device *d, const cJSON *server,
		     const cJSON *pending, struct findings *out)
{
	const cJSON *was = json_path_get(server, "reprovisionPolicy");
	if (!registered(d) || !cJSON_IsObject(was) ||
	    present(json_path_get(pending, "reprovisionPolicy")))
		return;
	const char *update = flag_text(policy_flag(server, UPDATE_HUB));
	const char *migrate = flag_text(policy_flag(server, MIGRATE));
	if (d->hub)
		findings_add(out, "reprovisionPolicy", SEV_WARNING,
			     /* TRANSLATORS: %1$s is the hub; %2$s and %3$s are
			      * true or false, the values to send. */
			     _("the reprovision policy is removed: without one "
			       "the service keeps its legacy behaviour, where "
			       "the device stays on the hub it was first "
			       "assigned to (%1$s) whatever the allocation "
			       "says; send the policy (updateHubAssignment "
			       "%2$s, migrateDeviceData %3$s) to keep the "
			       "current behaviour"), d->hub, update, migrate);
	else
		findings_add(out, "reprovisionPolicy", SEV_WARNING,
			     /* TRANSLATORS: %s and %s are true or false, the
			      * values to send. */
			     _("the reprovision policy is removed: without one "
			       "the service keeps its legacy behaviour, where "
			       "the device stays on the hub it was first "
			       "assigned to whatever the allocation says; send "
			       "the policy (updateHubAssignment %s, "
			       "migrateDeviceData %s) to keep the current "
			       "behaviour"), update, migrate);
}

void
review_update(const cJSON *server, const cJSON *pending,
	      struct findings *out)
{
	struct device d = {
		.status = text_at(server, "registrationState.status"),
		.hub = text_at(server, "registrationState.assignedHub"),
	};
	if (!server || !pending || !registered(&d))
		return;
	check_hub_move(&d, server, pending, out);
	check_data_reset(&d, server, pending, out);
	check_disabled(&d, server, pending, out);
	check_attestation_type(&d, server, pending, out);
	check_keys(&d, server, pending, out);
	check_policy_removed(&d, server, pending, out);
}
