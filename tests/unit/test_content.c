/* What a row holds (its content in the schema table) is all it takes for
 * a field to behave as a certificate or a TPM key everywhere: these tests
 * walk the table, so a row added with that content is checked here
 * without being named, and a row without it gets none of it. */

#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "testcert.h"
#include "ui/attest.h"
#include "ui/form.h"
#include "model/checks.h"
#include "model/json.h"
#include "model/keymat.h"
#include "model/schema.h"
#include "model/settle.h"
#include "model/validate.h"
#include "base/xalloc.h"

/* The endorsement key of the Azure IoT SDK samples (test_tpm.c). */
static const char sample_ek[] =
	"AToAAQALAAMAsgAgg3GXZ0SEs/gakMyNRqXXJP1S124GUgtk8qHaGzMUaaoABgCAAEMAE"
	"AgAAAAAAAEAxsj2gUScTk1UjuioeTlfGYZrrimExB+bScH75adUMRIi2UOMxG1kw4y+9R"
	"W/IVoMl4e620VxZad0ARX2gUqVjYO7KPVt3dyKhZS3dkcvfBisBhP1XH9B33VqHG9SHnb"
	"nQXdBUaCgKAfxome8UmBKfe+naTsE5fkvjb/do3/dD6l4sGBwFCnKRdln4XpM03zLpoHF"
	"ao8zOwt8l/uP3qUIxmCYv9A7m69Ms+5/pCkTu/rK4mRDsfhZ0QLfbzVI6zQFOKF/rwsfB"
	"tFeWlWtcuJMKlXdD8TXWElTzgh7JS4qhFzreL0c1mI0GCj+Aws0usZh7dLIVPnlgZcBhg"
	"y1SSDQMQ==";

static size_t
count_of(const char *text, const char *what)
{
	size_t n = 0;
	for (const char *p = text; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

static bool
has_finding(const struct findings *fs, const char *path, enum severity sev,
	    const char *words)
{
	for (size_t i = 0; i < fs->count; i++)
		if (!strcmp(fs->items[i].path, path) &&
		    fs->items[i].severity == sev &&
		    (!words || strstr(fs->items[i].message, words)))
			return true;
	return false;
}

/* ---- validation ---- */

static void
expect_certificate_checks(const struct field_def *row, const char *leaf,
			  const char *ca)
{
	struct findings out;
	findings_init(&out);
	validate_field_text(row, "not a certificate", &out);
	ck_assert_msg(findings_count(&out, SEV_ERROR) == 1, "%s", row->path);
	findings_clear(&out);

	validate_field_text(row, leaf, &out);
	ck_assert_msg(out.count == 0, "%s: %s", row->path,
		      out.count ? out.items[0].message : "");

	/* A CA where the device's own certificate belongs is said; where a
	 * CA belongs it is what is expected. */
	validate_field_text(row, ca, &out);
	bool said = has_finding(&out, row->path, SEV_WARNING, "CA certificate");
	ck_assert_msg(said == (row->content == FC_DEVICE_CERTIFICATE), "%s",
		      row->path);
	findings_clear(&out);
}

static void
expect_certificate_key_message(const struct field_def *row, const char *leaf)
{
	EVP_PKEY *key = testcert_new_key(TESTCERT_EC);
	char *key_pem = testcert_key_pem(key, true);
	char *both = xasprintf("%s%s", key_pem, leaf);
	char *msg = keymat_message(row->path, both);
	ck_assert_msg(strstr(msg, "with the certificate"), "%s: %s", row->path,
		      msg);
	free(msg);
	free(both);
	free(key_pem);
	EVP_PKEY_free(key);
}

/* ---- settling ---- */

static void
expect_chain_settles_to_leaf(const struct field_def *row, const char *chain)
{
	struct settled s;
	field_settle(row, chain, &s);
	ck_assert_msg(s.text && s.note && !s.refused, "%s", row->path);
	ck_assert_uint_eq(count_of(s.text, "BEGIN CERTIFICATE"), 1);
	settled_clear(&s);
}

/* ---- the form: its note, and a certificate the service keeps ---- */

static void
expect_note(const struct field_def *row, const char *text, const char *want)
{
	struct form *f = form_new();
	long i = form_find(f, row->path);
	ck_assert_int_ge(i, 0);
	form_set_text(f, (size_t)i, text);
	int role;
	char *note = attest_note(f, (size_t)i, &role);
	ck_assert_msg(note && strstr(note, want), "%s: %s", row->path,
		      note ? note : "(no note)");
	free(note);
	form_free(f);
}

static void
expect_kept_by_the_service(const struct field_def *row)
{
	cJSON *body = cJSON_Parse("{\"registrationId\":\"dev-01\","
				  "\"attestation\":{\"type\":\"x509\"}}");
	char *slot = json_path_parent(row->path);
	char *info = xasprintf("%s.info.sha256Thumbprint", slot);
	json_path_set(body, info, cJSON_CreateString("AB12"));
	struct form *f = form_new();
	form_load(f, body);
	long i = form_find(f, row->path);
	ck_assert_msg(form_kept_certificate(f, (size_t)i), "%s", row->path);
	ck_assert_int_eq(form_mark(f, (size_t)i), MARK_OK);
	form_free(f);
	free(info);
	free(slot);
	cJSON_Delete(body);
}

struct certs {
	struct testcert ca, leaf;
	char *ca_pem, *leaf_pem, *chain;
};

static void
certs_make(struct certs *c)
{
	c->ca = testcert_make(&(struct testcert_spec){
		.cn = "Root", .ca = true,
		.key_usage = "critical,keyCertSign,cRLSign" });
	c->leaf = testcert_make(&(struct testcert_spec){ .cn = "dev-01",
							 .issuer = &c->ca });
	c->ca_pem = testcert_pem(&c->ca);
	c->leaf_pem = testcert_pem(&c->leaf);
	c->chain = xasprintf("%s%s", c->leaf_pem, c->ca_pem);
}

static void
certs_free(struct certs *c)
{
	free(c->ca_pem);
	free(c->leaf_pem);
	free(c->chain);
	testcert_free(&c->ca);
	testcert_free(&c->leaf);
}

START_TEST(certificate_rows_behave_as_certificates)
{
	struct certs c;
	certs_make(&c);
	size_t n, seen = 0;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++) {
		const struct field_def *row = &rows[i];
		if (!field_holds_certificate(row))
			continue;
		seen++;
		expect_certificate_checks(row, c.leaf_pem, c.ca_pem);
		expect_certificate_key_message(row, c.leaf_pem);
		ck_assert_int_eq(field_file_kind(row), FILES_CERTIFICATE);
		ck_assert(field_is_multiline(row));
		expect_chain_settles_to_leaf(row, c.chain);
		expect_note(row, c.leaf_pem, "CN=dev-01, until ");
		expect_kept_by_the_service(row);
	}
	/* client and signing certificates, primary and secondary */
	ck_assert_uint_eq(seen, 4);
	certs_free(&c);
}
END_TEST

START_TEST(tpm_key_rows_behave_as_tpm_keys)
{
	/* as tpm2-tools users paste it: wrapped, with spaces */
	char wrapped[sizeof(sample_ek) + 8];
	snprintf(wrapped, sizeof(wrapped), " %.60s\n%s\n", sample_ek,
		 sample_ek + 60);
	size_t n, seen = 0;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++) {
		const struct field_def *row = &rows[i];
		if (row->content != FC_TPM_KEY)
			continue;
		seen++;
		struct findings out;
		findings_init(&out);
		validate_field_text(row, "not a key!", &out);
		ck_assert_msg(findings_count(&out, SEV_ERROR) == 1, "%s",
			      row->path);
		findings_clear(&out);
		validate_field_text(row, sample_ek, &out);
		ck_assert_uint_eq(out.count, 0);
		char *msg = keymat_message(row->path, "-----BEGIN PRIVATE KEY-----");
		ck_assert_msg(strstr(msg, "tpm2_readpublic"), "%s", msg);
		free(msg);
		ck_assert_int_eq(field_file_kind(row), FILES_TPM_KEY);
		ck_assert(field_is_multiline(row));
		struct settled s;
		field_settle(row, wrapped, &s);
		ck_assert_str_eq(s.text, sample_ek);
		settled_clear(&s);
		expect_note(row, sample_ek, "RSA 2048, fp ");
	}
	ck_assert_uint_eq(seen, 2);
}
END_TEST

/* Nothing else takes a certificate or key file, nor is settled as one. */
START_TEST(other_rows_take_no_file)
{
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++) {
		const struct field_def *row = &rows[i];
		if (field_holds_certificate(row) || row->content == FC_TPM_KEY)
			continue;
		ck_assert_msg(field_file_kind(row) == FILES_ANY, "%s", row->path);
		struct settled s;
		field_settle(row, sample_ek, &s);
		ck_assert_msg(!s.text && !s.note, "%s", row->path);
		settled_clear(&s);
	}
	ck_assert_int_eq(field_file_kind(NULL), FILES_ANY);
}
END_TEST

/* A row's path says nothing: one that looks like a certificate's but holds
 * text is text, and one named otherwise that holds a certificate is a
 * certificate. */
START_TEST(content_decides_not_the_path)
{
	struct certs c;
	certs_make(&c);
	const struct field_def looks_like = {
		.path = "attestation.x509.clientCertificates.primary.certificate",
		.label = "Note", .kind = FK_TEXT, .content = FC_TEXT };
	const struct field_def named_otherwise = {
		.path = "deviceCertificate", .label = "Device certificate",
		.kind = FK_TEXT, .content = FC_DEVICE_CERTIFICATE };
	const struct field_def tpm_named_otherwise = {
		.path = "ek", .label = "EK", .kind = FK_TEXT,
		.content = FC_TPM_KEY };
	ck_assert_int_eq(field_file_kind(&looks_like), FILES_ANY);
	ck_assert(!field_is_multiline(&looks_like));
	ck_assert_int_eq(field_file_kind(&named_otherwise), FILES_CERTIFICATE);
	ck_assert(field_is_multiline(&named_otherwise));
	ck_assert_int_eq(field_file_kind(&tpm_named_otherwise), FILES_TPM_KEY);

	struct settled s;
	field_settle(&looks_like, c.chain, &s);
	ck_assert_ptr_null(s.text);
	settled_clear(&s);
	expect_chain_settles_to_leaf(&named_otherwise, c.chain);
	certs_free(&c);
}
END_TEST

/* The validator and the content agree, so a row cannot be checked as a
 * certificate and handled as text, or the other way round. */
START_TEST(validators_match_the_content)
{
	size_t n;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++) {
		const struct field_def *row = &rows[i];
		ck_assert_msg((row->check_text == check_certificate) ==
			      field_holds_certificate(row), "%s", row->path);
		ck_assert_msg((row->check_text == check_tpm_key) ==
			      (row->content == FC_TPM_KEY), "%s", row->path);
		ck_assert_msg((row->check_text == check_symmetric_key) ==
			      (row->content == FC_SYMMETRIC_KEY), "%s", row->path);
		ck_assert_msg((row->kind == FK_JSON_OBJECT) ==
			      (row->content == FC_JSON), "%s", row->path);
	}
}
END_TEST

START_TEST(symmetric_key_rows_are_secret)
{
	size_t n, seen = 0;
	const struct field_def *rows = schema_fields(&n);
	for (size_t i = 0; i < n; i++) {
		if (rows[i].content != FC_SYMMETRIC_KEY)
			continue;
		seen++;
		ck_assert(field_is_secret(&rows[i]));
		ck_assert(!field_is_multiline(&rows[i]));
	}
	ck_assert_uint_eq(seen, 2);
}
END_TEST

Suite *
content_suite(void)
{
	Suite *s = suite_create("content");
	TCase *tc = tcase_create("content");
	tcase_add_test(tc, certificate_rows_behave_as_certificates);
	tcase_add_test(tc, tpm_key_rows_behave_as_tpm_keys);
	tcase_add_test(tc, other_rows_take_no_file);
	tcase_add_test(tc, content_decides_not_the_path);
	tcase_add_test(tc, validators_match_the_content);
	tcase_add_test(tc, symmetric_key_rows_are_secret);
	suite_add_tcase(s, tc);
	return s;
}
