/* The workflows' messages in French (LANG=fr_FR.UTF-8, the catalog in the
 * build folder): what the review before an update says about a
 * registered device, a registration state, a config open to others, a
 * profile or a station template that cannot be used, a damaged draft and
 * keys the service did not give; the journal's words stay English. */

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "quoted_json.h"
#include "french.h"
#include "paths.h"
#include "app/config.h"
#include "app/draft.h"
#include "app/keepkeys.h"
#include "app/profile_conn.h"
#include "app/register.h"
#include "app/review.h"
#include "app/station.h"
#include "app/watch.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "model/json.h"
#include "sys/fileio.h"

#define HUB "hub-a.azure-devices.net"

static char dir[64];

static void
setup(void)
{
	strcpy(dir, "/tmp/dpsenroll-french-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	unit_speak_c();
	char *cmd = xasprintf("rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static void
ck_has(const char *text, const char *part)
{
	ck_assert_msg(text && strstr(text, part), "\"%s\" lacks \"%s\"",
		      text ? text : "(none)", part);
}

static cJSON *
assigned_enrollment(void)
{
	return quoted_json("{'registrationId':'dev-1','attestation':{'type':"
		     "'tpm'},'allocationPolicy':'hashed','iotHubs':['" HUB "'],"
		     "'provisioningStatus':'enabled','registrationState':{"
		     "'status':'assigned','assignedHub':'" HUB "',"
		     "'deviceId':'dev-1','substatus':'initialAssignment'}}");
}

START_TEST(review_warnings_in_french)
{
	if (!unit_speak_french())
		return;
	cJSON *server = assigned_enrollment();
	cJSON *pending = assigned_enrollment();
	json_path_set(pending, "provisioningStatus", quoted_json("'disabled'"));
	json_path_set(pending, "iotHubs", quoted_json("['hub-b.net','hub-c.net']"));
	struct findings f;
	findings_init(&f);
	review_update(server, pending, &f);
	ck_assert_uint_eq(f.count, 2);
	ck_has(f.items[0].message, "l'appareil est affecté à " HUB " ; ce "
	       "changement le déplace vers l'un de hub-b.net, hub-c.net lors de "
	       "son prochain enregistrement (iotHubs ne liste plus " HUB ")");
	ck_has(f.items[1].message, "l'appareil est enregistré (affecté à " HUB
	       ") et sera refusé lors de son prochain enregistrement");
	findings_clear(&f);
	cJSON_Delete(server);
	cJSON_Delete(pending);
}
END_TEST

START_TEST(registration_state_in_french_journal_in_english)
{
	if (!unit_speak_french())
		return;
	cJSON *state = quoted_json("{'status':'assigned','assignedHub':'" HUB "',"
			     "'deviceId':'dev-1','substatus':'initialAssignment'}");
	char *words = register_state_words(state);
	char *record = register_state_text(state);
	ck_assert_str_eq(words, "affecté à " HUB " en tant qu'appareil dev-1 "
			 "(initialAssignment)");
	ck_assert_str_eq(record, "assigned to " HUB " as device dev-1 "
			 "(initialAssignment)");
	free(words);
	free(record);
	cJSON_Delete(state);
	state = quoted_json("{'status':'failed','errorCode':401002}");
	words = register_state_words(state);
	ck_assert_str_eq(words, "échec : 401002 (pas de message)");
	free(words);
	cJSON_Delete(state);

	/* what `dpsenroll watch` and the form's watch say */
	struct watch w;
	watch_init(&w, 1772359200.0);
	struct dps_response r = {
		.failure = DPS_ANSWERED, .status = 200, .retry_after = -1,
		.body = quoted_json("{'registrationId':'dev-1','status':'disabled',"
			      "'etag':'e1','lastUpdatedDateTimeUtc':"
			      "'2026-03-01T10:00:05Z'}"),
	};
	ck_assert_int_eq(watch_feed(&w, &r, 1772359210.0), WATCH_DISABLED);
	words = watch_outcome_text(&w, WATCH_DISABLED);
	ck_assert_str_eq(words, "désactivé : l'état d'approvisionnement de "
			 "l'inscription est disabled, donc l'appareil a été "
			 "refusé");
	free(words);
	cJSON_Delete(r.body);
	watch_clear(&w);
}
END_TEST

START_TEST(config_open_to_others_in_french)
{
	if (!unit_speak_french())
		return;
	setenv("XDG_CONFIG_HOME", dir, 1);
	char *sub = xasprintf("%s/dpsenroll", dir);
	char *path = xasprintf("%s/config.json", sub);
	char *why = NULL;
	ck_assert(dir_make(sub, 0700, &why));
	const char *text = "{\"defaultProfile\":\"a\"}";
	ck_assert(file_write_atomic(path, text, strlen(text), 0644, &why));
	struct profile p;
	ck_assert(!config_profile(NULL, &p, &why));
	ck_has(why, "est lisible par d'autres (mode 0644) et peut contenir des "
	       "clés du service ; lancez : chmod 600 ");
	free(why);
	free(path);
	free(sub);
}
END_TEST

START_TEST(profile_and_station_problems_in_french)
{
	if (!unit_speak_french())
		return;
	struct profile p = { .auth = xstrdup("token") };
	struct dps_conn conn;
	char *why = NULL;
	ck_assert(!profile_conn(&p, "bench", &conn, &why));
	ck_assert_str_eq(why, "profil 'bench' : \"auth\": \"token\" demande "
			 "\"hostName\" (par exemple "
			 "mydps.azure-devices-provisioning.net)");
	free(why);
	profile_clear(&p);

	cJSON *tmpl = quoted_json("{'station':{'split':{'separator':';','fields':"
			    "['registrationId',7]}}}");
	struct station_rules r;
	why = NULL;
	ck_assert(!station_rules_take(tmpl, &r, &why));
	ck_has(why, "station.split.fields : un élément n'est pas du texte");
	free(why);
	cJSON_Delete(tmpl);
}
END_TEST

START_TEST(damaged_draft_and_missing_keys_in_french)
{
	if (!unit_speak_french())
		return;
	char *path = xasprintf("%s/draft.json", dir);
	char *why = NULL;
	ck_assert(file_write_atomic(path, "[1]", 3, 0600, &why));
	struct draft d;
	ck_assert(!draft_read(path, &d, &why));
	ck_has(why, " était endommagé (pas un objet JSON) ; il a été gardé "
	       "sous le nom ");
	free(why);
	free(path);

	struct dps_response a = {
		.failure = DPS_ANSWERED, .status = 200, .retry_after = -1,
		.body = quoted_json("{'type':'x509'}"),
	};
	ck_assert_ptr_null(keepkeys_from_answer(&a, &why));
	ck_assert_str_eq(why, "la réponse du service ne contient pas de clés "
			 "symétriques : l'attestation de l'inscription est "
			 "maintenant 'x509'");
	free(why);
	cJSON_Delete(a.body);
}
END_TEST

Suite *
app_french_suite(void)
{
	Suite *s = suite_create("app_french");
	TCase *tc = tcase_create("app_french");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, review_warnings_in_french);
	tcase_add_test(tc, registration_state_in_french_journal_in_english);
	tcase_add_test(tc, config_open_to_others_in_french);
	tcase_add_test(tc, profile_and_station_problems_in_french);
	tcase_add_test(tc, damaged_draft_and_missing_keys_in_french);
	suite_add_tcase(s, tc);
	return s;
}
