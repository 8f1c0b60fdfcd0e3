/* dpsemu and private keys: whatever client sends one, in a certificate
 * field or anywhere else, the answer is 400004 naming the field, the key
 * is not quoted back, and nothing is stored, not even in the database's
 * files. */

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"
#include "model/json.h"
#include "base/xalloc.h"

#define CERT_PATH "attestation.x509.clientCertificates.primary.certificate"

SHARED_EMU_FIXTURE(NULL)

/* A device key, its certificate and the CA that issued it, made by the
 * openssl command line. */
struct pki {
	char *key, *leaf, *ca;
	char *key_line;		/* a line of the key's body, to look for */
};

static char *
read_in(const char *dir, const char *name)
{
	char *cmd = xasprintf("cat '%s/%s'", dir, name);
	char *text = run_shell(cmd);
	free(cmd);
	return text;
}

static struct pki
pki_make(const char *cn)
{
	char *dir = harness_tmpdir("pki");
	ck_assert_ptr_nonnull(dir);
	char *cmd = xasprintf(
		"cd '%s' && openssl req -x509 -newkey ec -pkeyopt "
		"ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem "
		"-days 30 -subj '/CN=Bench CA' 2>/dev/null && openssl req -new "
		"-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "
		"device.key -out device.csr -subj '/CN=%s' 2>/dev/null && "
		"openssl x509 -req -in device.csr -CA ca.pem -CAkey ca.key "
		"-CAcreateserial -days 30 -out device.pem 2>/dev/null", dir, cn);
	free(run_shell(cmd));
	free(cmd);
	struct pki p = { .key = read_in(dir, "device.key"),
			 .leaf = read_in(dir, "device.pem"),
			 .ca = read_in(dir, "ca.pem") };
	const char *nl = strchr(p.key, '\n');
	ck_assert_ptr_nonnull(nl);
	p.key_line = xstrndup(nl + 1, 40);
	free(dir);
	return p;
}

static void
pki_free(struct pki *p)
{
	free(p->key);
	free(p->leaf);
	free(p->ca);
	free(p->key_line);
}

static char *
x509_body(const char *id, const char *certificate)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "registrationId", id);
	json_path_set(b, "attestation.type", cJSON_CreateString("x509"));
	json_path_set(b, CERT_PATH, cJSON_CreateString(certificate));
	char *text = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	return text;
}

static char *
twin_body(const char *id, const char *site)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "registrationId", id);
	json_path_set(b, "attestation.type", cJSON_CreateString("symmetricKey"));
	json_path_set(b, "initialTwin.tags.site", cJSON_CreateString(site));
	char *text = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	return text;
}

static void
expect_refused(struct reply *r, const char *path, const struct pki *p)
{
	EXPECT_ERROR(r, 400, 400004);
	const char *msg = error_message(r);
	ck_assert_msg(strstr(msg, path) && strstr(msg, "private key") &&
		      strstr(msg, "stays on the device"),
		      "%s: the message does not name %s and the key: %s",
		      r->what, path, msg);
	ck_assert_msg(!strstr(r->body, p->key_line), "%s: the answer quotes "
		      "the key", r->what);
}

static void
expect_absent(struct emu_proc *e, const char *id)
{
	char *path = xasprintf("/enrollments/%s", id);
	struct reply *r = svc(e, "GET", path, NULL);
	EXPECT_ERROR(r, 404, 404201);
	reply_free(r);
	free(path);
}

START_TEST(key_in_the_certificate_field_is_refused_and_not_stored)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("keycert");
	struct pki p = pki_make(id);
	/* `cat device.key device.pem ca.pem`, the whole paste */
	char *cat = xasprintf("%s%s%s", p.key, p.leaf, p.ca);
	char *body = x509_body(id, cat);
	struct reply *r = put_enrollment(e, id, body, NULL);
	expect_refused(r, CERT_PATH, &p);
	reply_free(r);
	free(body);
	/* The key alone. */
	body = x509_body(id, p.key);
	r = put_enrollment(e, id, body, NULL);
	expect_refused(r, CERT_PATH, &p);
	reply_free(r);
	expect_absent(e, id);
	ck_assert(!emu_files_hold(e, "PRIVATE KEY"));
	ck_assert(!emu_files_hold(e, p.key_line));
	free(body);
	free(cat);
	pki_free(&p);
	free(id);
}
END_TEST

START_TEST(key_in_a_twin_tag_is_refused_and_not_stored)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("keytwin");
	struct pki p = pki_make(id);
	char *body = twin_body(id, p.key);
	struct reply *r = put_enrollment(e, id, body, NULL);
	expect_refused(r, "initialTwin.tags.site", &p);
	reply_free(r);
	expect_absent(e, id);
	ck_assert(!emu_files_hold(e, "PRIVATE KEY"));
	ck_assert(!emu_files_hold(e, p.key_line));
	free(body);
	pki_free(&p);
	free(id);
}
END_TEST

/* In a bulk request the item holding a key fails alone. */
START_TEST(bulk_item_with_a_key_fails_alone)
{
	struct emu_proc *e = shared_emu(&shared);
	char *good = unique_id("keybulk-ok"), *bad = unique_id("keybulk-key");
	struct pki p = pki_make(bad);
	char *good_body = enrollment_text(good, "");
	char *bad_body = twin_body(bad, p.key);
	char *body = xasprintf("{\"mode\":\"create\",\"enrollments\":[%s,%s]}",
			       good_body, bad_body);
	struct reply *r = svc(e, "POST", "/enrollments", body);
	EXPECT_JSON(r, 200);
	const cJSON *errs = jget(r->json, "errors");
	ck_assert_msg(cJSON_GetArraySize(errs) == 1, "%s", r->body);
	const cJSON *err = cJSON_GetArrayItem(errs, 0);
	ck_assert_str_eq(jstr(err, "registrationId"), bad);
	ck_assert_int_eq((int)cJSON_GetNumberValue(jget(err, "errorCode")),
			 400004);
	ck_assert(!strstr(r->body, p.key_line));
	reply_free(r);
	expect_absent(e, bad);
	ck_assert(!emu_files_hold(e, p.key_line));
	free(body);
	free(bad_body);
	free(good_body);
	pki_free(&p);
	free(bad);
	free(good);
}
END_TEST

/* Where the service quotes the body back (an id that differs from the
 * URL's, a bulk item's id), a key is named, never shown. */
START_TEST(key_as_the_registration_id_is_never_echoed)
{
	struct emu_proc *e = shared_emu(&shared);
	char *id = unique_id("keyid");
	struct pki p = pki_make(id);
	char *body = twin_body(p.key, "bench");
	struct reply *r = put_enrollment(e, id, body, NULL);
	expect_refused(r, "registrationId", &p);
	reply_free(r);
	expect_absent(e, id);

	char *item = twin_body(p.key, "bench");
	char *bulk = xasprintf("{\"mode\":\"create\",\"enrollments\":[%s]}",
			       item);
	r = svc(e, "POST", "/enrollments", bulk);
	EXPECT_JSON(r, 200);
	const cJSON *err = cJSON_GetArrayItem(jget(r->json, "errors"), 0);
	ck_assert_msg(err, "%s", r->body);
	ck_assert_int_eq((int)cJSON_GetNumberValue(jget(err, "errorCode")),
			 400004);
	ck_assert_msg(!strstr(r->body, p.key_line) &&
		      !strstr(r->body, "BEGIN PRIVATE KEY-----\\n"),
		      "the bulk answer quotes the key: %s", r->body);
	reply_free(r);
	free(bulk);
	free(item);
	free(body);
	pki_free(&p);
	free(id);
}
END_TEST

Suite *
keymat_suite(void)
{
	Suite *s = suite_create("keymat");
	TCase *tc = itest_tcase("refused");
	tcase_add_unchecked_fixture(tc, shared_up, shared_down);
	tcase_add_test(tc, key_in_the_certificate_field_is_refused_and_not_stored);
	tcase_add_test(tc, key_in_a_twin_tag_is_refused_and_not_stored);
	tcase_add_test(tc, bulk_item_with_a_key_fails_alone);
	tcase_add_test(tc, key_as_the_registration_id_is_never_echoed);
	suite_add_tcase(s, tc);
	return s;
}
