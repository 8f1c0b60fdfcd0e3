/* Warnings before an update of an enrollment whose device has registered:
 * a hub move, a twin reset, a refused registration, credentials that stop
 * working, the legacy reprovision behaviour. */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "quoted_json.h"
#include "findings_assert.h"
#include "app/review.h"
#include "model/json.h"
#include "base/xalloc.h"

#define HUB_A "hub-a.azure-devices.net"
#define HUB_B "hub-b.azure-devices.net"
#define KEY_A "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define KEY_B "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
#define PRIMARY "attestation.symmetricKey.primaryKey"
#define SECONDARY "attestation.symmetricKey.secondaryKey"
#define MIGRATE "reprovisionPolicy.migrateDeviceData"
#define UPDATE_HUB "reprovisionPolicy.updateHubAssignment"

#define ASSIGNED \
	"{'registrationId':'dev-1','status':'assigned','assignedHub':'" \
	HUB_A "','deviceId':'dev-1','substatus':'initialAssignment'}"
#define UNASSIGNED "{'registrationId':'dev-1','status':'unassigned'}"
#define FAILED "{'registrationId':'dev-1','status':'failed','errorCode':401002}"

/* A symmetric-key enrollment on hub A, with the keys the attestation
 * mechanism call returns. */
static cJSON *
enrollment(void)
{
	return quoted_json("{'registrationId':'dev-1','attestation':{'type':"
		     "'symmetricKey','symmetricKey':{'primaryKey':'" KEY_A "',"
		     "'secondaryKey':'" KEY_B "'}},'allocationPolicy':'hashed',"
		     "'iotHubs':['" HUB_A "'],'provisioningStatus':'enabled',"
		     "'reprovisionPolicy':{'updateHubAssignment':true,"
		     "'migrateDeviceData':true},'etag':'1'}");
}

/* Reviews the enrollment against itself changed by (path, JSON value)
 * pairs, a NULL value removing the path, up to a NULL path. `state` is
 * the server copy's registrationState; "new" reviews a create. */
static void
review_edits(const char *state, ...)
{
	cJSON *server = enrollment();
	cJSON *pending = enrollment();
	if (state && strcmp(state, "new") != 0)
		json_path_set(server, "registrationState", quoted_json(state));
	va_list ap;
	va_start(ap, state);
	for (const char *path; (path = va_arg(ap, const char *));) {
		const char *value = va_arg(ap, const char *);
		if (value)
			json_path_set(pending, path, quoted_json(value));
		else
			json_path_remove(pending, path);
	}
	va_end(ap);
	findings_clear(&found_list);
	review_update(state && strcmp(state, "new") == 0 ? NULL : server,
		      pending, &found_list);
	cJSON_Delete(server);
	cJSON_Delete(pending);
}

START_TEST(no_change_no_warning)
{
	review_edits(ASSIGNED, NULL);
	ck_nothing();
	review_edits(ASSIGNED, "deviceId", "'dev-1'", "initialTwin",
		     "{'tags':{'site':'bench-4'}}", NULL);
	ck_nothing();
}
END_TEST

START_TEST(hubs_without_the_assigned_hub_move_it)
{
	review_edits(ASSIGNED, "iotHubs", "['" HUB_B "']", NULL);
	ck_total(1);
	ck_found(SEV_WARNING, "iotHubs", "assigned to " HUB_A);
	ck_found(SEV_WARNING, "iotHubs", "moves it to " HUB_B);

	/* case does not make a host name another hub */
	review_edits(ASSIGNED, "iotHubs", "['HUB-A.azure-devices.net']", NULL);
	ck_nothing();

	/* static on the assigned hub stays put */
	review_edits(ASSIGNED, "allocationPolicy", "'static'", NULL);
	ck_nothing();
}
END_TEST

START_TEST(allocation_change_may_move_it)
{
	review_edits(ASSIGNED, "allocationPolicy", "'geoLatency'", "iotHubs",
		     "['" HUB_A "','" HUB_B "']", NULL);
	ck_total(1);
	ck_found(SEV_WARNING, "allocationPolicy", "may move");
	ck_found(SEV_WARNING, "allocationPolicy",
		 "policy changes from hashed to geoLatency");

	review_edits(ASSIGNED, "iotHubs", "['" HUB_A "','" HUB_B "']", NULL);
	ck_total(1);
	ck_found(SEV_WARNING, "iotHubs", "iotHubs becomes " HUB_A ", " HUB_B);

	/* every linked hub becomes a candidate */
	review_edits(ASSIGNED, "iotHubs", NULL, NULL);
	ck_found(SEV_WARNING, "iotHubs", "every linked hub");
}
END_TEST

START_TEST(no_move_without_update_hub_assignment)
{
	review_edits(ASSIGNED, "iotHubs", "['" HUB_B "']", UPDATE_HUB, "false",
		     NULL);
	ck_nothing();

	/* turning it back on with an allocation elsewhere moves it */
	cJSON *server = enrollment();
	cJSON *pending = enrollment();
	json_path_set(server, "registrationState", quoted_json(ASSIGNED));
	json_path_set(server, UPDATE_HUB, cJSON_CreateFalse());
	json_path_set(server, "iotHubs", quoted_json("['" HUB_B "']"));
	json_path_set(pending, "iotHubs", quoted_json("['" HUB_B "']"));
	findings_clear(&found_list);
	review_update(server, pending, &found_list);
	ck_found(SEV_WARNING, "iotHubs", "moves it to " HUB_B);
	cJSON_Delete(server);
	cJSON_Delete(pending);
}
END_TEST

START_TEST(migrate_false_resets_the_twin)
{
	review_edits(ASSIGNED, MIGRATE, "false", NULL);
	ck_total(1);
	ck_found(SEV_WARNING, MIGRATE, "becomes false");
	ck_found(SEV_WARNING, MIGRATE, "twin and data will be reset");
	ck_found(SEV_WARNING, MIGRATE, HUB_A);
}
END_TEST

START_TEST(disabling_a_registered_device)
{
	review_edits(ASSIGNED, "provisioningStatus", "'disabled'", NULL);
	ck_total(1);
	ck_found(SEV_WARNING, "provisioningStatus",
		 "will be refused when it next registers");
	ck_found(SEV_WARNING, "provisioningStatus", HUB_A);
}
END_TEST

START_TEST(attestation_type_change)
{
	review_edits(ASSIGNED, "attestation", "{'type':'x509','x509':{}}",
		     NULL);
	ck_total(1);
	ck_found(SEV_WARNING, "attestation.type", "symmetricKey to x509");
	ck_found(SEV_WARNING, "attestation.type", "stop working");

	/* a device that tried and failed has credentials all the same */
	review_edits(FAILED, "attestation", "{'type':'tpm'}", NULL);
	ck_found(SEV_WARNING, "attestation.type", "status failed");
}
END_TEST

START_TEST(keys_changed_on_a_registered_device)
{
	review_edits(ASSIGNED, PRIMARY, "'" KEY_B "'", NULL);
	ck_total(1);
	ck_found(SEV_WARNING, PRIMARY, "must get the new one");
	ck_assert_ptr_null(strstr(findings_dump(), KEY_B));

	/* no key sent: the service makes one up */
	review_edits(ASSIGNED, SECONDARY, NULL, NULL);
	ck_total(1);
	ck_found(SEV_WARNING, SECONDARY, "generates a new one");
}
END_TEST

START_TEST(reprovision_policy_removed)
{
	review_edits(ASSIGNED, "reprovisionPolicy", NULL, NULL);
	ck_total(1);
	ck_found(SEV_WARNING, "reprovisionPolicy", "legacy behaviour");
	ck_found(SEV_WARNING, "reprovisionPolicy", HUB_A);
}
END_TEST

START_TEST(nothing_for_a_new_or_unregistered_enrollment)
{
	static const char *const edits[][2] = {
		{ "iotHubs", "['" HUB_B "']" },
		{ "allocationPolicy", "'geoLatency'" },
		{ MIGRATE, "false" },
		{ "provisioningStatus", "'disabled'" },
		{ "attestation", "{'type':'x509'}" },
		{ PRIMARY, "'" KEY_B "'" },
		{ SECONDARY, NULL },
		{ "reprovisionPolicy", NULL },
	};
	const char *states[] = { "new", UNASSIGNED, NULL };
	for (size_t s = 0; s < 3; s++) {
		for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
			review_edits(states[s], edits[i][0], edits[i][1], NULL);
			ck_assert_msg(found_list.count == 0,
				      "%s with state %s: found\n%s",
				      edits[i][0], states[s] ? states[s] : "none",
				      findings_dump());
		}
	}
}
END_TEST

Suite *
review_suite(void)
{
	Suite *s = suite_create("review");
	TCase *tc = findings_tcase(s, "update");
	tcase_add_test(tc, no_change_no_warning);
	tcase_add_test(tc, hubs_without_the_assigned_hub_move_it);
	tcase_add_test(tc, allocation_change_may_move_it);
	tcase_add_test(tc, no_move_without_update_hub_assignment);
	tcase_add_test(tc, migrate_false_resets_the_twin);
	tcase_add_test(tc, disabling_a_registered_device);
	tcase_add_test(tc, attestation_type_change);
	tcase_add_test(tc, keys_changed_on_a_registered_device);
	tcase_add_test(tc, reprovision_policy_removed);
	tcase_add_test(tc, nothing_for_a_new_or_unregistered_enrollment);
	return s;
}
