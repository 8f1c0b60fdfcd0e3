/* Live validation revalidates only what a change can affect; these tests
 * hold it to what a full validation of the same texts says. Two forms get
 * the same edits: one follows them a change at a time, the other
 * validates its whole document after each (validate_enrollment on what
 * form_to_doc makes, handed to the fields). After every edit both must
 * show the same findings on every field, in the same order, the same
 * document-wide ones and the same document. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "testcert.h"
#include "ui/form.h"
#include "model/validate.h"
#include "base/xalloc.h"

#define TYPE "attestation.type"
#define POLICY "allocationPolicy"
#define CLIENT "attestation.x509.clientCertificates.primary.certificate"
#define SIGNING "attestation.x509.signingCertificates.primary.certificate"

#define KEY_A "MDEyMzQ1Njc4OWFiY2RlZg=="

static const char sample_ek[] =
	"AToAAQALAAMAsgAgg3GXZ0SEs/gakMyNRqXXJP1S124GUgtk8qHaGzMUaaoABgCAAEMAE"
	"AgAAAAAAAEAxsj2gUScTk1UjuioeTlfGYZrrimExB+bScH75adUMRIi2UOMxG1kw4y+9R"
	"W/IVoMl4e620VxZad0ARX2gUqVjYO7KPVt3dyKhZS3dkcvfBisBhP1XH9B33VqHG9SHnb"
	"nQXdBUaCgKAfxome8UmBKfe+naTsE5fkvjb/do3/dD6l4sGBwFCnKRdln4XpM03zLpoHF"
	"ao8zOwt8l/uP3qUIxmCYv9A7m69Ms+5/pCkTu/rK4mRDsfhZ0QLfbzVI6zQFOKF/rwsfB"
	"tFeWlWtcuJMKlXdD8TXWElTzgh7JS4qhFzreL0c1mI0GCj+Aws0usZh7dLIVPnlgZcBhg"
	"y1SSDQMQ==";

/* ---- values worth typing: each row's pool holds what trips its own
 * checks and the cross-field rules it takes part in ---- */

enum { POOL_MAX = 12 };

struct pool {
	const char *path;	/* NULL: every other text row */
	const char *values[POOL_MAX];
};

static char *leaf_pem, *ca_pem, *chain_pem, *private_pem, *big_twin;
static char *key_and_cert, *key_in_json;

static struct pool pools[] = {
	/* Private key material makes the form validate everything; it must
	 * come back to a change at a time once the key is gone. */
	{ "registrationId", { "", "dev-01", "DEV-01", "dev-02", "bad id!",
			      "-x", NULL /* private key */ } },
	{ "deviceId", { "", "d1", "dev 1" } },
	{ TYPE, { "", "tpm", "x509", "symmetricKey", "none", "TPM", "bogus" } },
	{ "attestation.tpm.endorsementKey", { "", sample_ek, "not a key!" } },
	{ "attestation.tpm.storageRootKey", { "", sample_ek, "not a key!" } },
	{ CLIENT, { "", NULL /* leaf */, NULL /* ca */, NULL /* chain */,
		    "garbage", NULL /* key and leaf */ } },
	{ SIGNING, { "", NULL, NULL, NULL, "garbage" } },
	{ "attestation.x509.clientCertificates.secondary.certificate",
	  { "", NULL, "garbage" } },
	{ "attestation.x509.signingCertificates.secondary.certificate",
	  { "", NULL, "garbage" } },
	{ "attestation.x509.caReferences.primary", { "", "ca1" } },
	{ "attestation.x509.caReferences.secondary", { "", "ca2" } },
	{ "attestation.symmetricKey.primaryKey", { "", KEY_A, "c2hvcnQ=",
						    "not base64!" } },
	{ "attestation.symmetricKey.secondaryKey", { "", KEY_A, "c2hvcnQ=" } },
	{ POLICY, { "", "static", "hashed", "custom", "Static", "geoLatency" } },
	{ "iotHubs", { "", "hub1.azure-devices.net",
		       "hub1.azure-devices.net\nhub2.azure-devices.net",
		       "bad host!", " , ", NULL /* private key */ } },
	{ "iotHubHostName", { "", "hub1.azure-devices.net", "x" } },
	{ "customAllocationDefinition.webhookUrl",
	  { "", "https://f.azurewebsites.net/api/pick", "http://x" } },
	{ "customAllocationDefinition.apiVersion",
	  { "", "2021-10-01", "2021-13-01" } },
	{ "capabilities.iotEdge", { "", "true", "false", "maybe" } },
	{ "reprovisionPolicy.updateHubAssignment", { "", "true", "false" } },
	{ "reprovisionPolicy.migrateDeviceData", { "", "true", "false", "no" } },
	{ "initialTwin.tags", { "", "{\"site\": \"bench-3\"}", "{bad",
				"{\"$x\": 1}", "[]", NULL /* big */,
				NULL /* key in a value */ } },
	{ "initialTwin.properties.desired", { "", "{\"a\": 1}", "{\"a.b\": 1}" } },
	{ "optionalDeviceInformation", { "", "{\"v\": true}", "1" } },
	{ "provisioningStatus", { "", "enabled", "disabled", "Enabled" } },
	{ NULL, { "", "x" } },
};
#define POOL_COUNT (sizeof(pools) / sizeof(pools[0]))

static void
fill_in(const char *path, size_t at, const char *value)
{
	for (size_t p = 0; p < POOL_COUNT; p++)
		if (pools[p].path == path ||
		    (pools[p].path && path && !strcmp(pools[p].path, path))) {
			pools[p].values[at] = value;
			return;
		}
	ck_abort_msg("no pool %s", path ? path : "(others)");
}

static void
make_values(void)
{
	struct testcert ca = testcert_make(&(struct testcert_spec){
		.cn = "Root", .ca = true,
		.key_usage = "critical,keyCertSign,cRLSign" });
	struct testcert leaf = testcert_make(&(struct testcert_spec){
		.cn = "dev-01", .issuer = &ca });
	ca_pem = testcert_pem(&ca);
	leaf_pem = testcert_pem(&leaf);
	chain_pem = xasprintf("%s%s", leaf_pem, ca_pem);
	EVP_PKEY *key = testcert_new_key(TESTCERT_EC);
	private_pem = testcert_key_pem(key, true);
	EVP_PKEY_free(key);
	testcert_free(&ca);
	testcert_free(&leaf);
	/* over the service's 96 KB on its own */
	char *filler = repeat_text("x", ENROLLMENT_MAX_BYTES);
	big_twin = xasprintf("{\"big\": \"%s\"}", filler);
	free(filler);

	const char *certs[] = { leaf_pem, ca_pem, chain_pem };
	for (size_t k = 0; k < 3; k++) {
		fill_in(CLIENT, k + 1, certs[k]);
		fill_in(SIGNING, k + 1, certs[k]);
	}
	fill_in("attestation.x509.clientCertificates.secondary.certificate", 1,
		leaf_pem);
	fill_in("attestation.x509.signingCertificates.secondary.certificate", 1,
		ca_pem);
	fill_in("initialTwin.tags", 5, big_twin);
	key_and_cert = xasprintf("%s%s", private_pem, leaf_pem);
	cJSON *holder = cJSON_CreateObject();
	cJSON_AddStringToObject(holder, "note", private_pem);
	key_in_json = cJSON_Print(holder);
	cJSON_Delete(holder);
	fill_in("registrationId", 6, private_pem);
	fill_in(CLIENT, 5, key_and_cert);
	fill_in("initialTwin.tags", 6, key_in_json);
	fill_in("iotHubs", 5, private_pem);
}

static void
free_values(void)
{
	free(leaf_pem);
	free(ca_pem);
	free(chain_pem);
	free(private_pem);
	free(big_twin);
	free(key_and_cert);
	cJSON_free(key_in_json);
}

static const struct pool *
pool_for(const char *path)
{
	for (size_t p = 0; p < POOL_COUNT; p++)
		if (!pools[p].path || !strcmp(pools[p].path, path))
			return &pools[p];
	return NULL;
}

static size_t
pool_size(const struct pool *p)
{
	size_t n = 0;
	while (n < POOL_MAX && p->values[n])
		n++;
	return n;
}

/* ---- a repeatable sequence of edits ---- */

static uint64_t
next_random(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

/* Enrollments to start from: new, loaded with what the service adds
 * (certificate info, registration state, names the schema does not know),
 * and loaded with shapes the schema does not expect. */
static const char *const starts[] = {
	NULL,
	"{\"registrationId\":\"dev-01\",\"etag\":\"\\\"1\\\"\","
	"\"attestation\":{\"type\":\"x509\",\"x509\":{\"clientCertificates\":"
	"{\"primary\":{\"info\":{\"subjectName\":\"CN=dev-01\","
	"\"sha256Thumbprint\":\"AB12\"}}},\"extra\":1}},"
	"\"capabilities\":{},\"unknownTop\":true,"
	"\"reprovisionPolicy\":{\"updateHubAssignment\":true,"
	"\"migrateDeviceData\":false},\"iotHubHostName\":\"old.azure-devices.net\","
	"\"registrationState\":{\"status\":\"assigned\","
	"\"assignedHub\":\"hub1.azure-devices.net\"}}",
	"{\"registrationId\":\"sym-1\",\"attestation\":{\"type\":\"symmetricKey\","
	"\"symmetricKey\":{\"primaryKey\":\"" KEY_A "\",\"keyName\":\"x\"}},"
	"\"initialTwin\":{\"tags\":{\"site\":\"a\"},\"properties\":{}}}",
	"{\"registrationId\":\"odd\",\"capabilities\":\"oops\","
	"\"attestation\":{\"type\":\"tpm\",\"tpm\":{\"endorsementKey\":\""
	"not a key\"}},\"initialTwin\":{\"tags\":\"x\"},"
	"\"registrationState\":\"x\",\"allocationPolicy\":\"custom\","
	"\"customAllocationDefinition\":{\"webhookUrl\":\"https://a.b/c\"}}",
};
#define START_COUNT (sizeof(starts) / sizeof(starts[0]))

static void
load_start(struct form *f, const char *json)
{
	if (!json) {
		form_reset(f);
		return;
	}
	cJSON *body = cJSON_Parse(json);
	ck_assert_ptr_nonnull(body);
	form_load(f, body);
	cJSON_Delete(body);
}

/* ---- comparing the two forms ---- */

static void
same_list(const struct findings *live, const struct findings *full,
	  const char *where, const char *trail)
{
	ck_assert_msg(live->count == full->count,
		      "%s: %zu findings live, %zu in a full validation%s%s",
		      where, live->count, full->count,
		      full->count ? ": " : "",
		      full->count ? full->items[0].message : "");
	for (size_t k = 0; k < live->count; k++) {
		const struct finding *a = &live->items[k], *b = &full->items[k];
		ck_assert_msg(a->severity == b->severity &&
			      !strcmp(a->path, b->path) &&
			      !strcmp(a->message, b->message),
			      "%s, finding %zu: live '%s: %s', full '%s: %s'\n%s",
			      where, k, a->path, a->message, b->path, b->message,
			      trail);
	}
}

static void
same_forms(const struct form *live, const struct form *full,
	   const char *trail)
{
	struct doc *made = form_to_doc(live);
	ck_assert_msg(cJSON_Compare(live->current->root, made->root, true),
		      "the document kept differs from form_to_doc\n%s", trail);
	doc_free(made);
	for (size_t i = 0; i < live->count; i++)
		same_list(&live->fields[i].found, &full->fields[i].found,
			  live->fields[i].def->path, trail);
	same_list(&live->other, &full->other, "(document)", trail);
	ck_assert_uint_eq(live->errors, full->errors);
	ck_assert_uint_eq(live->warnings, full->warnings);
	ck_assert_int_eq(live->on_section, full->on_section);
	ck_assert_uint_eq(live->focus, full->focus);
}

static bool
editable(const struct form *f, size_t i)
{
	const struct field_def *d = f->fields[i].def;
	return d->kind != FK_GROUP && !field_is_readonly(d);
}

/* One edit on both forms; its description goes on the trail. */
static void
edit_both(struct form *live, struct form *full, uint64_t *rng, char **trail)
{
	size_t i;
	do
		i = next_random(rng) % live->count;
	while (!editable(live, i));
	const struct pool *p = pool_for(live->fields[i].def->path);
	const char *v = p->values[next_random(rng) % pool_size(p)];
	char *was = *trail;
	*trail = xasprintf("%s  %s = %.30s%s\n", was,
			   live->fields[i].def->path, v,
			   strlen(v) > 30 ? "..." : "");
	free(was);
	form_set_text(live, i, v);
	form_set_text(full, i, v);
	form_revalidate(full);
}

static void
run_sequences(int sequences, int edits, uint64_t seed)
{
	struct form *live = form_new(), *full = form_new();
	for (int s = 0; s < sequences; s++) {
		uint64_t rng = seed + (uint64_t)s * 0x9E3779B97F4A7C15u;
		next_random(&rng);
		const char *start = starts[s % START_COUNT];
		load_start(live, start);
		load_start(full, start);
		char *trail = xasprintf("sequence %d from start %d:\n", s,
					(int)(s % START_COUNT));
		same_forms(live, full, trail);
		for (int e = 0; e < edits; e++) {
			edit_both(live, full, &rng, &trail);
			same_forms(live, full, trail);
		}
		free(trail);
	}
	form_free(live);
	form_free(full);
}

START_TEST(random_edits_match_full_validation)
{
	run_sequences(240, 30, 0x5eed0001u);
}
END_TEST

/* The rows cross-field rules tie together, edited in the order that
 * makes each rule come and go. */
static void
set_both(struct form *live, struct form *full, const char *path,
	 const char *text)
{
	long i = form_find(live, path);
	ck_assert_int_ge(i, 0);
	form_set_text(live, (size_t)i, text);
	form_set_text(full, (size_t)i, text);
	form_revalidate(full);
	char *trail = xasprintf("after %s", path);
	same_forms(live, full, trail);
	free(trail);
}

START_TEST(cross_field_partners_follow)
{
	struct form *live = form_new(), *full = form_new();
	set_both(live, full, TYPE, "x509");
	set_both(live, full, "registrationId", "dev-02");
	set_both(live, full, CLIENT, leaf_pem);		/* CN is not the id */
	ck_assert(findings_count(&live->fields[form_find(live,
		"registrationId")].found, SEV_WARNING) == 1);
	set_both(live, full, "registrationId", "dev-01");
	set_both(live, full, CLIENT, "");		/* certificate missing */
	set_both(live, full, "attestation.x509.caReferences.primary", "ca1");
	set_both(live, full, "attestation.x509.caReferences.primary", "");
	set_both(live, full, SIGNING, ca_pem);
	set_both(live, full, SIGNING, "");
	set_both(live, full, POLICY, "static");
	set_both(live, full, "iotHubHostName", "hub1.azure-devices.net");
	set_both(live, full, "iotHubs", "a.azure-devices.net\nb.azure-devices.net");
	set_both(live, full, "iotHubHostName", "");
	set_both(live, full, "iotHubs", "");
	set_both(live, full, "reprovisionPolicy.migrateDeviceData", "true");
	set_both(live, full, "reprovisionPolicy.migrateDeviceData", "");
	set_both(live, full, "initialTwin.tags", big_twin);
	ck_assert(findings_has_path(&live->other, "", SEV_ERROR));
	set_both(live, full, "initialTwin.tags", "");
	ck_assert(!findings_has_path(&live->other, "", SEV_ERROR));
	form_free(live);
	form_free(full);
}
END_TEST

/* Every partner the schema names is a row, and no row names itself. */
START_TEST(partners_are_rows)
{
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; rows[i].partners && rows[i].partners[k]; k++) {
			const char *p = rows[i].partners[k];
			ck_assert_msg(schema_find(p), "%s names %s", rows[i].path, p);
			ck_assert_str_ne(p, rows[i].path);
		}
}
END_TEST

Suite *
form_live_suite(void)
{
	Suite *s = suite_create("form_live");
	TCase *tc = tcase_create("form_live");
	tcase_add_unchecked_fixture(tc, make_values, free_values);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, random_edits_match_full_validation);
	tcase_add_test(tc, cross_field_partners_follow);
	tcase_add_test(tc, partners_are_rows);
	suite_add_tcase(s, tc);
	return s;
}
