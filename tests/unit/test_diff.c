/* The diff shown before an update and the rebase after a 412: rows by the
 * schema, twins key by key, unknown fields, keys masked, certificates by
 * thumbprint. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "suites.h"
#include "quoted_json.h"
#include "testcert.h"
#include "app/diff.h"
#include "model/json.h"
#include "model/x509info.h"
#include "base/xalloc.h"

static struct diff found;

static void
clear_found(void)
{
	diff_clear(&found);
}

static void
diff_trees(const cJSON *a, const cJSON *b)
{
	diff_clear(&found);
	diff_documents(a, b, &found);
}

static void
diff_text(const char *a, const char *b)
{
	cJSON *x = quoted_json(a), *y = quoted_json(b);
	diff_trees(x, y);
	cJSON_Delete(x);
	cJSON_Delete(y);
}

static const char *
kind_name(enum diff_kind k)
{
	return k == DIFF_ADDED ? "added" : k == DIFF_REMOVED ? "removed"
							       : "changed";
}

/* Every entry, one per line, for failure messages; a static buffer. */
static const char *
dump(const struct diff *d)
{
	static char buf[8192];
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < d->count && used < sizeof(buf); i++) {
		const struct diff_entry *e = &d->items[i];
		int n = snprintf(buf + used, sizeof(buf) - used,
				 "  %s [%s] %s: %s -> %s\n", e->path, e->label,
				 kind_name(e->kind),
				 e->old_text ? e->old_text : "(none)",
				 e->new_text ? e->new_text : "(none)");
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return d->count ? buf : "  (nothing)\n";
}

static const struct diff_entry *
entry_at(const struct diff *d, const char *path)
{
	for (size_t i = 0; i < d->count; i++)
		if (strcmp(d->items[i].path, path) == 0)
			return &d->items[i];
	return NULL;
}

static bool
same_text(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* One entry at `path` of `kind` with exactly these texts (NULL: none). */
static void
expect_entry(const struct diff *d, const char *path, enum diff_kind kind,
	     const char *old_text, const char *new_text)
{
	const struct diff_entry *e = entry_at(d, path);
	ck_assert_msg(e, "no entry at %s; found:\n%s", path, dump(d));
	ck_assert_msg(e->kind == kind && same_text(e->old_text, old_text) &&
		      same_text(e->new_text, new_text),
		      "at %s expected %s %s -> %s; found:\n%s", path,
		      kind_name(kind), old_text ? old_text : "(none)",
		      new_text ? new_text : "(none)", dump(d));
}

#define ck_entries(d, n) \
	ck_assert_msg((d)->count == (n), "expected %d entries; found:\n%s", \
		      (int)(n), dump(d))
#define ck_no_entry(d, path) \
	ck_assert_msg(!entry_at(d, path), "unexpected entry at %s:\n%s", path, \
		      dump(d))

/* No path, label or text of any entry holds `secret`. */
static void
expect_secret_absent(const struct diff *d, const char *secret)
{
	for (size_t i = 0; i < d->count; i++) {
		const struct diff_entry *e = &d->items[i];
		const char *texts[] = { e->path, e->label, e->old_text,
					e->new_text };
		for (size_t j = 0; j < 4; j++)
			ck_assert_msg(!texts[j] || !strstr(texts[j], secret),
				      "a key shows in the diff:\n%s", dump(d));
	}
}

#define SYM(keys) \
	"{'registrationId':'dev-1','attestation':{'type':'symmetricKey'," \
	"'symmetricKey':{" keys "}}}"

/* Base64 of 32 bytes 0x00..0x1f and of 32 bytes 0x20..0x3f. */
#define KEY_A "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define KEY_B "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="

/* ---- diff ---- */

START_TEST(identical_documents_give_nothing)
{
	char *text = read_fixture("enrollments/symmetric-key.json", NULL);
	ck_assert_ptr_nonnull(text);
	cJSON *a = cJSON_Parse(text), *b = cJSON_Parse(text);
	free(text);
	diff_trees(a, b);
	ck_entries(&found, 0);
	diff_trees(NULL, NULL);
	ck_entries(&found, 0);
	cJSON_Delete(a);
	cJSON_Delete(b);
}
END_TEST

START_TEST(read_only_fields_are_ignored)
{
	diff_text("{'registrationId':'dev-1','etag':'AAA',"
		  "'createdDateTimeUtc':'2024-01-01T00:00:00Z',"
		  "'lastUpdatedDateTimeUtc':'2024-01-01T00:00:00Z',"
		  "'registrationState':{'status':'assigned','assignedHub':'h1',"
		  "'extra':1}}",
		  "{'registrationId':'dev-1','etag':'BBB',"
		  "'lastUpdatedDateTimeUtc':'2025-01-01T00:00:00Z',"
		  "'registrationState':{'status':'unassigned'}}");
	ck_entries(&found, 0);
}
END_TEST

START_TEST(scalars_changed_added_removed)
{
	diff_text("{'registrationId':'dev-1','deviceId':'d-old',"
		  "'iotHubHostName':'h.azure-devices.net',"
		  "'capabilities':{'iotEdge':false}}",
		  "{'registrationId':'dev-1','deviceId':'d-new',"
		  "'provisioningStatus':'disabled',"
		  "'capabilities':{'iotEdge':true}}");
	ck_entries(&found, 4);
	expect_entry(&found, "deviceId", DIFF_CHANGED, "d-old", "d-new");
	expect_entry(&found, "provisioningStatus", DIFF_ADDED, NULL,
		     "disabled");
	expect_entry(&found, "iotHubHostName", DIFF_REMOVED,
		     "h.azure-devices.net", NULL);
	expect_entry(&found, "capabilities.iotEdge", DIFF_CHANGED, "false",
		     "true");
	ck_assert_str_eq(entry_at(&found, "deviceId")->label, "Device ID");
	/* schema order, so the list reads like the form */
	ck_assert_str_eq(found.items[0].path, "deviceId");
}
END_TEST

START_TEST(string_lists_and_null)
{
	diff_text("{'iotHubs':['a.net'],'deviceId':null,'allocationPolicy':'hashed'}",
		  "{'iotHubs':['a.net','b.net'],'allocationPolicy':null}");
	ck_entries(&found, 2);
	expect_entry(&found, "iotHubs", DIFF_CHANGED, "a.net", "a.net, b.net");
	/* null is what the service takes as absent */
	expect_entry(&found, "allocationPolicy", DIFF_REMOVED, "hashed", NULL);
	ck_no_entry(&found, "deviceId");
}
END_TEST

START_TEST(twin_keys_compared_one_by_one)
{
	diff_text("{'initialTwin':{'tags':{'site':'bench-3','old':1,"
		  "'loc':{'room':'A','floor':1}},'properties':{'desired':"
		  "{'interval':30}}}}",
		  "{'initialTwin':{'tags':{'site':'bench-4','new':true,"
		  "'loc':{'room':'B','floor':1}},'properties':{'desired':"
		  "{'interval':30}}}}");
	ck_entries(&found, 4);
	expect_entry(&found, "initialTwin.tags.site", DIFF_CHANGED,
		     "\"bench-3\"", "\"bench-4\"");
	expect_entry(&found, "initialTwin.tags.old", DIFF_REMOVED, "1", NULL);
	expect_entry(&found, "initialTwin.tags.new", DIFF_ADDED, NULL, "true");
	expect_entry(&found, "initialTwin.tags.loc.room", DIFF_CHANGED,
		     "\"A\"", "\"B\"");
	ck_assert_str_eq(entry_at(&found, "initialTwin.tags.loc.room")->label,
			 "Twin tags: loc.room");
}
END_TEST

START_TEST(twin_type_changes_and_null)
{
	diff_text("{'optionalDeviceInformation':{'n':'3','o':{'a':1},'z':null}}",
		  "{'optionalDeviceInformation':{'n':3,'o':[1],'y':null}}");
	ck_entries(&found, 4);
	expect_entry(&found, "optionalDeviceInformation.n", DIFF_CHANGED,
		     "\"3\"", "3");
	expect_entry(&found, "optionalDeviceInformation.o", DIFF_CHANGED,
		     "{\"a\":1}", "[1]");
	/* inside a twin null is a value, unlike absent */
	expect_entry(&found, "optionalDeviceInformation.z", DIFF_REMOVED,
		     "null", NULL);
	expect_entry(&found, "optionalDeviceInformation.y", DIFF_ADDED, NULL,
		     "null");
}
END_TEST

START_TEST(twin_added_or_removed_whole)
{
	diff_text("{}", "{'initialTwin':{'tags':{'site':'bench-3'}}}");
	ck_entries(&found, 1);
	expect_entry(&found, "initialTwin.tags", DIFF_ADDED, NULL,
		     "{\"site\":\"bench-3\"}");
	diff_text("{'initialTwin':{'properties':{'desired':{'a':1}}}}", "{}");
	ck_entries(&found, 1);
	expect_entry(&found, "initialTwin.properties.desired", DIFF_REMOVED,
		     "{\"a\":1}", NULL);
}
END_TEST

START_TEST(unknown_fields_are_reported)
{
	diff_text("{'registrationId':'dev-1','future':1,'same':'x',"
		  "'attestation':{'type':'tpm','gone':true},"
		  "'registrationState':{'newThing':1}}",
		  "{'registrationId':'dev-1','future':2,'same':'x',"
		  "'attestation':{'type':'tpm','later':{'a':1}},"
		  "'registrationState':{'newThing':2}}");
	ck_entries(&found, 3);
	expect_entry(&found, "future", DIFF_CHANGED, "1", "2");
	expect_entry(&found, "attestation.gone", DIFF_REMOVED, "true", NULL);
	expect_entry(&found, "attestation.later", DIFF_ADDED, NULL,
		     "{\"a\":1}");
	ck_assert_str_eq(entry_at(&found, "future")->label, "unknown field");
}
END_TEST

/* Both test keys decode to 32 bytes; EVP_DecodeBlock counts the padding
 * in what it returns, so the length is given here. */
static void
expected_fingerprint(const char *b64, char out[20])
{
	unsigned char raw[64];
	ck_assert_int_ge(EVP_DecodeBlock(raw, (const unsigned char *)b64,
					 (int)strlen(b64)), 32);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len;
	ck_assert(EVP_Digest(raw, 32, md, &md_len, EVP_sha256(), NULL));
	snprintf(out, 20, "%02X%02X-%02X%02X-%02X%02X", md[0], md[1], md[2],
		 md[3], md[4], md[5]);
}

START_TEST(keys_are_masked)
{
	/* the fingerprint the form shows beside a key */
	char fa[20], fb[20];
	expected_fingerprint(KEY_A, fa);
	expected_fingerprint(KEY_B, fb);

	diff_text(SYM("'primaryKey':'" KEY_A "','secondaryKey':'" KEY_B "'"),
		  SYM("'primaryKey':'" KEY_B "','secondaryKey':'" KEY_B "'"));
	ck_entries(&found, 1);
	char old_text[40], new_text[40];
	snprintf(old_text, sizeof(old_text), "(key %s)", fa);
	snprintf(new_text, sizeof(new_text), "(key %s)", fb);
	expect_entry(&found, "attestation.symmetricKey.primaryKey",
		     DIFF_CHANGED, old_text, new_text);
	expect_secret_absent(&found, KEY_A);
	expect_secret_absent(&found, KEY_B);
}
END_TEST

START_TEST(a_key_left_out_is_generated)
{
	diff_text(SYM("'primaryKey':'" KEY_A "','secondaryKey':'" KEY_B "'"),
		  SYM("'primaryKey':'" KEY_A "'"));
	ck_entries(&found, 1);
	const struct diff_entry *e =
		entry_at(&found, "attestation.symmetricKey.secondaryKey");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->kind, DIFF_CHANGED);
	ck_assert_ptr_nonnull(strstr(e->new_text, "generates"));
	expect_secret_absent(&found, KEY_B);

	/* a key typed in where the server copy had none is an addition */
	diff_text(SYM(""), SYM("'primaryKey':'" KEY_A "'"));
	ck_entries(&found, 1);
	ck_assert_int_eq(found.items[0].kind, DIFF_ADDED);
	expect_secret_absent(&found, KEY_A);
}
END_TEST

#define PRIMARY "attestation.x509.clientCertificates.primary"
#define SECONDARY "attestation.x509.clientCertificates.secondary"

/* An x509 enrollment; each certificate given as text, as the service's
 * info, both or neither. */
static cJSON *
x509_doc(const char *primary_pem, const struct cert_info *primary_info,
	 const struct cert_info *secondary_info)
{
	cJSON *d = quoted_json("{'registrationId':'dev-1','attestation':{'type':"
			 "'x509','x509':{'clientCertificates':{}}}}");
	cJSON *pair = json_path_get(d, "attestation.x509.clientCertificates");
	if (primary_pem || primary_info) {
		cJSON *p = cJSON_AddObjectToObject(pair, "primary");
		if (primary_pem)
			cJSON_AddStringToObject(p, "certificate", primary_pem);
		if (primary_info)
			cJSON_AddItemToObject(p, "info",
					      cert_info_to_service_json(primary_info));
	}
	if (secondary_info) {
		cJSON *s = cJSON_AddObjectToObject(pair, "secondary");
		cJSON_AddItemToObject(s, "info",
				      cert_info_to_service_json(secondary_info));
	}
	return d;
}

static void
read_info(const char *pem, struct cert_info *info)
{
	char *why = NULL;
	ck_assert_msg(cert_info_read((const unsigned char *)pem, strlen(pem),
				     info, &why), "%s", why ? why : "");
}

START_TEST(certificates_compared_by_thumbprint)
{
	char *pem1 = testcert_make_pem(&(struct testcert_spec){ .cn = "dev-1" });
	char *pem2 = testcert_make_pem(&(struct testcert_spec){ .cn = "dev-1",
								 .serial = "99" });
	struct cert_info i1, i2;
	read_info(pem1, &i1);
	read_info(pem2, &i2);

	/* GET's copy has only info; the form resends the same text */
	cJSON *server = x509_doc(NULL, &i1, &i1);
	cJSON *same = x509_doc(pem1, NULL, NULL);
	diff_trees(server, same);
	ck_entries(&found, 0);

	/* info alone, unchanged, is no change either */
	cJSON *info_only = x509_doc(NULL, &i1, NULL);
	diff_trees(server, info_only);
	ck_entries(&found, 0);

	/* a new certificate changes the primary, and the secondary the
	 * service copies from it */
	cJSON *other = x509_doc(pem2, NULL, NULL);
	diff_trees(server, other);
	ck_entries(&found, 2);
	const struct diff_entry *e = entry_at(&found, PRIMARY ".certificate");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->kind, DIFF_CHANGED);
	ck_assert_ptr_nonnull(strstr(e->old_text, i1.sha256));
	ck_assert_ptr_nonnull(strstr(e->new_text, i2.sha256));
	ck_assert_ptr_nonnull(strstr(e->new_text, "CN=dev-1"));
	ck_assert_str_eq(e->label, "Client certificates: Primary certificate");
	ck_assert_ptr_nonnull(entry_at(&found, SECONDARY ".certificate"));
	/* no certificate body in the diff */
	ck_assert_ptr_null(strstr(dump(&found), "BEGIN"));

	cJSON_Delete(server);
	cJSON_Delete(same);
	cJSON_Delete(info_only);
	cJSON_Delete(other);
	cert_info_clear(&i1);
	cert_info_clear(&i2);
	free(pem1);
	free(pem2);
}
END_TEST

/* ---- rebase ---- */

static cJSON *merged;
static struct diff conflicts;

static void
clear_rebase(void)
{
	cJSON_Delete(merged);
	merged = NULL;
	diff_clear(&conflicts);
}

static void
rebase_text(const char *base, const char *mine, const char *theirs)
{
	clear_rebase();
	cJSON *b = quoted_json(base), *y = quoted_json(mine), *t = quoted_json(theirs);
	diff_rebase(b, y, t, &merged, &conflicts);
	cJSON_Delete(b);
	cJSON_Delete(y);
	cJSON_Delete(t);
}

/* merged equals `json` exactly (key order aside). */
static void
expect_merged(const char *json)
{
	cJSON *want = quoted_json(json);
	char *got = cJSON_PrintUnformatted(merged);
	ck_assert_msg(cJSON_Compare(want, merged, true),
		      "merged is %s; expected %s", got, json);
	free(got);
	cJSON_Delete(want);
}

START_TEST(rebase_non_overlapping_edits_merge)
{
	rebase_text("{'registrationId':'d','deviceId':'a','etag':'1',"
		    "'provisioningStatus':'enabled'}",
		    "{'registrationId':'d','deviceId':'mine','etag':'1',"
		    "'provisioningStatus':'enabled'}",
		    "{'registrationId':'d','deviceId':'a','etag':'2',"
		    "'provisioningStatus':'disabled','iotHubs':['h']}");
	ck_entries(&conflicts, 0);
	/* the server's etag, so the next submit passes If-Match */
	expect_merged("{'registrationId':'d','deviceId':'mine','etag':'2',"
		      "'provisioningStatus':'disabled','iotHubs':['h']}");
}
END_TEST

START_TEST(rebase_overlapping_edits_conflict_and_mine_wins)
{
	rebase_text("{'deviceId':'a','allocationPolicy':'hashed'}",
		    "{'deviceId':'mine','allocationPolicy':'static'}",
		    "{'deviceId':'theirs','allocationPolicy':'static'}");
	/* the same change on both sides is no conflict */
	ck_entries(&conflicts, 1);
	expect_entry(&conflicts, "deviceId", DIFF_CHANGED, "theirs", "mine");
	expect_merged("{'deviceId':'mine','allocationPolicy':'static'}");

	/* mine removed what the server changed */
	rebase_text("{'deviceId':'a'}", "{}", "{'deviceId':'theirs'}");
	expect_entry(&conflicts, "deviceId", DIFF_REMOVED, "theirs", NULL);
	expect_merged("{}");
}
END_TEST

START_TEST(rebase_twin_keys_merge_independently)
{
	rebase_text("{'initialTwin':{'tags':{'a':1,'b':1,'gone':1,"
		    "'loc':{'room':'A'}}}}",
		    "{'initialTwin':{'tags':{'a':2,'b':1,'c':3,"
		    "'loc':{'room':'A','rack':7}}}}",
		    "{'initialTwin':{'tags':{'a':1,'b':5,'d':4,'gone':1,"
		    "'loc':{'room':'B'}}}}");
	ck_entries(&conflicts, 0);
	expect_merged("{'initialTwin':{'tags':{'a':2,'b':5,'c':3,'d':4,"
		      "'loc':{'room':'B','rack':7}}}}");

	rebase_text("{'initialTwin':{'tags':{'a':1,'b':1}}}",
		    "{'initialTwin':{'tags':{'a':2,'b':1}}}",
		    "{'initialTwin':{'tags':{'a':7,'b':1}}}");
	ck_entries(&conflicts, 1);
	expect_entry(&conflicts, "initialTwin.tags.a", DIFF_CHANGED, "7", "2");
	ck_assert_str_eq(conflicts.items[0].label, "Twin tags: a");
	expect_merged("{'initialTwin':{'tags':{'a':2,'b':1}}}");
}
END_TEST

START_TEST(rebase_keeps_keys_the_server_hides)
{
	/* the fresh copy comes from GET, which never returns keys */
	rebase_text(SYM("'primaryKey':'" KEY_A "','secondaryKey':'" KEY_B "'"),
		    SYM("'primaryKey':'" KEY_B "','secondaryKey':'" KEY_B "'"),
		    "{'registrationId':'dev-1','etag':'2','attestation':"
		    "{'type':'symmetricKey'}}");
	ck_entries(&conflicts, 0);
	cJSON *k1 = json_path_get(merged, "attestation.symmetricKey.primaryKey");
	cJSON *k2 = json_path_get(merged, "attestation.symmetricKey.secondaryKey");
	ck_assert(cJSON_IsString(k1) && strcmp(k1->valuestring, KEY_B) == 0);
	ck_assert(cJSON_IsString(k2) && strcmp(k2->valuestring, KEY_B) == 0);

	/* a key the server changed too is a conflict, shown masked */
	rebase_text(SYM("'primaryKey':'" KEY_A "'"),
		    SYM("'primaryKey':'" KEY_B "'"),
		    SYM("'primaryKey':'QUJDREVGR0hJSktMTU5PUA=='"));
	ck_entries(&conflicts, 1);
	expect_secret_absent(&conflicts, KEY_B);
	expect_secret_absent(&conflicts, "QUJDREVGR0hJSktMTU5PUA==");
}
END_TEST

START_TEST(rebase_removal_leaves_no_empty_group)
{
	rebase_text("{'reprovisionPolicy':{'updateHubAssignment':true,"
		    "'migrateDeviceData':true},'deviceId':'a'}",
		    "{'deviceId':'a'}",
		    "{'reprovisionPolicy':{'updateHubAssignment':true,"
		    "'migrateDeviceData':true},'deviceId':'a','etag':'2'}");
	ck_entries(&conflicts, 0);
	expect_merged("{'deviceId':'a','etag':'2'}");
}
END_TEST

START_TEST(rebase_unknown_fields_and_certificates)
{
	rebase_text("{'future':1,'attestation':{'type':'tpm'}}",
		    "{'future':2,'attestation':{'type':'tpm','later':true}}",
		    "{'future':1,'attestation':{'type':'tpm'},'other':3}");
	ck_entries(&conflicts, 0);
	expect_merged("{'future':2,'attestation':{'type':'tpm','later':true},"
		      "'other':3}");

	char *pem1 = testcert_make_pem(&(struct testcert_spec){ .cn = "dev-1" });
	char *pem2 = testcert_make_pem(&(struct testcert_spec){ .cn = "dev-1",
								 .serial = "77" });
	struct cert_info i1;
	read_info(pem1, &i1);
	cJSON *base = x509_doc(NULL, &i1, &i1);
	cJSON *mine = x509_doc(pem2, &i1, NULL);
	cJSON *theirs = x509_doc(NULL, &i1, &i1);
	clear_rebase();
	diff_rebase(base, mine, theirs, &merged, &conflicts);
	ck_entries(&conflicts, 0);
	const cJSON *text = json_path_get(merged, PRIMARY ".certificate");
	ck_assert(cJSON_IsString(text) && strcmp(text->valuestring, pem2) == 0);
	/* the secondary goes, so the service copies the new primary */
	ck_assert_ptr_null(json_path_get(merged, SECONDARY));
	cJSON_Delete(base);
	cJSON_Delete(mine);
	cJSON_Delete(theirs);
	cert_info_clear(&i1);
	free(pem1);
	free(pem2);
}
END_TEST

Suite *
diff_suite(void)
{
	Suite *s = suite_create("diff");

	TCase *tc = tcase_create("diff");
	tcase_add_checked_fixture(tc, NULL, clear_found);
	tcase_add_test(tc, identical_documents_give_nothing);
	tcase_add_test(tc, read_only_fields_are_ignored);
	tcase_add_test(tc, scalars_changed_added_removed);
	tcase_add_test(tc, string_lists_and_null);
	tcase_add_test(tc, twin_keys_compared_one_by_one);
	tcase_add_test(tc, twin_type_changes_and_null);
	tcase_add_test(tc, twin_added_or_removed_whole);
	tcase_add_test(tc, unknown_fields_are_reported);
	tcase_add_test(tc, keys_are_masked);
	tcase_add_test(tc, a_key_left_out_is_generated);
	tcase_add_test(tc, certificates_compared_by_thumbprint);
	suite_add_tcase(s, tc);

	tc = tcase_create("rebase");
	tcase_add_checked_fixture(tc, NULL, clear_rebase);
	tcase_add_test(tc, rebase_non_overlapping_edits_merge);
	tcase_add_test(tc, rebase_overlapping_edits_conflict_and_mine_wins);
	tcase_add_test(tc, rebase_twin_keys_merge_independently);
	tcase_add_test(tc, rebase_keeps_keys_the_server_hides);
	tcase_add_test(tc, rebase_removal_leaves_no_empty_group);
	tcase_add_test(tc, rebase_unknown_fields_and_certificates);
	suite_add_tcase(s, tc);
	return s;
}
