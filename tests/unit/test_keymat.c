/* Private key material: found in every form it is pasted in, taken out
 * without a trace, refused by validation without being quoted; and the
 * certificate a field keeps is the leaf alone, whatever came with it. */

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "suites.h"
#include "findings_assert.h"
#include "testcert.h"
#include "base/b64.h"
#include "model/doc.h"
#include "model/keymat.h"
#include "model/schema.h"
#include "model/settle.h"
#include "model/tpm.h"
#include "model/validate.h"
#include "model/x509pem.h"
#include "base/xalloc.h"

#define CERT_PATH "attestation.x509.clientCertificates.primary.certificate"
#define EK_PATH "attestation.tpm.endorsementKey"

/* A body line no real key has, to look for in what must not hold it. */
#define BODY "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKEYBODYKEYBODY"

static char *
block(const char *label)
{
	return xasprintf("-----BEGIN %s-----\n%s\nQUJD\n-----END %s-----\n",
			 label, BODY, label);
}

/* PKCS#8 (what openssl genpkey writes) of a new key; owned. */
static char *
pkcs8_pem(enum testcert_key kind)
{
	EVP_PKEY *key = testcert_new_key(kind);
	char *pem = testcert_key_pem(key, true);
	EVP_PKEY_free(key);
	return pem;
}

/* The older "RSA PRIVATE KEY" / "EC PRIVATE KEY" form; owned. */
static char *
traditional_pem(enum testcert_key kind)
{
	EVP_PKEY *key = testcert_new_key(kind);
	BIO *b = BIO_new(BIO_s_mem());
	ck_assert(PEM_write_bio_PrivateKey_traditional(b, key, NULL, NULL, 0,
						       NULL, NULL));
	char *mem;
	long n = BIO_get_mem_data(b, &mem);
	char *pem = xstrndup(mem, (size_t)n);
	BIO_free(b);
	EVP_PKEY_free(key);
	return pem;
}

static const struct field_def *
row(const char *path)
{
	const struct field_def *f = schema_find(path);
	ck_assert_msg(f, "no row %s", path);
	return f;
}

/* ---- the detector ---- */

START_TEST(every_private_key_label_is_found)
{
	static const char *const labels[] = {
		"PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY",
		"DSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY",
		"OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK",
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		char *pem = block(labels[i]);
		char *text = xasprintf("before\n%safter", pem);
		struct keymat_block b;
		ck_assert_msg(keymat_next(text, strlen(text), 0, &b), "%s",
			      labels[i]);
		ck_assert_str_eq(b.label, labels[i]);
		ck_assert_uint_eq(b.start, strlen("before\n"));
		ck_assert_uint_eq(b.end, strlen("before\n") + strlen(pem));
		ck_assert(keymat_in_text(text));
		free(text);
		free(pem);
	}
	char *real[] = { pkcs8_pem(TESTCERT_EC), pkcs8_pem(TESTCERT_RSA),
			 traditional_pem(TESTCERT_EC),
			 traditional_pem(TESTCERT_RSA) };
	for (size_t i = 0; i < 4; i++) {
		ck_assert_msg(keymat_in_text(real[i]), "%.40s", real[i]);
		ck_assert(keymat_in_data((unsigned char *)real[i],
					 strlen(real[i])));
		free(real[i]);
	}
}
END_TEST

START_TEST(certificates_public_keys_and_words_are_not_keys)
{
	EVP_PKEY *key = testcert_new_key(TESTCERT_EC);
	char *pub = testcert_key_pem(key, false);
	char *csr = testcert_csr_pem(key);
	char *cert = testcert_make_pem(&(struct testcert_spec){ .cn = "d" });
	const char *const texts[] = {
		pub, csr, cert, "", "the PRIVATE KEY stays on the device",
		"-----BEGIN PRIVATE KEY", "-----BEGIN -----PRIVATE KEY-----",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ck_assert_msg(!keymat_in_text(texts[i]), "%.60s", texts[i]);
		ck_assert(!keymat_in_data((const unsigned char *)texts[i],
					  strlen(texts[i])));
	}
	free(pub);
	free(csr);
	free(cert);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(a_key_in_json_text_is_found)
{
	/* As a twin value, its line breaks escaped. */
	const char *json = "{\"tags\": {\"k\": \"-----BEGIN EC PRIVATE KEY-----"
			   "\\n" BODY "\\n-----END EC PRIVATE KEY-----\\n\"}}";
	ck_assert(keymat_in_text(json));
	cJSON *v = cJSON_Parse(json);
	ck_assert(keymat_in_json(v));
	cJSON_Delete(v);
}
END_TEST

/* DER, raw or in base64, as `o` may read it from a file. */
static void
expect_der_key(EVP_PKEY *key, bool encrypted)
{
	unsigned char *der = NULL;
	int n;
	if (encrypted) {
		BIO *b = BIO_new(BIO_s_mem());
		ck_assert(i2d_PKCS8PrivateKey_bio(b, key, EVP_aes_128_cbc(), NULL,
						  0, NULL, (void *)"pass"));
		char *mem;
		n = (int)BIO_get_mem_data(b, &mem);
		der = xmalloc((size_t)n);
		memcpy(der, mem, (size_t)n);
		BIO_free(b);
	} else {
		unsigned char *p = NULL;
		n = i2d_PrivateKey(key, &p);
		ck_assert_int_gt(n, 0);
		der = xmalloc((size_t)n);
		memcpy(der, p, (size_t)n);
		OPENSSL_free(p);
	}
	ck_assert(keymat_in_data(der, (size_t)n));
	char *b64 = b64_encode(der, (size_t)n);
	ck_assert(keymat_in_data((unsigned char *)b64, strlen(b64)));
	free(b64);
	free(der);
}

START_TEST(der_keys_in_files_are_found)
{
	EVP_PKEY *rsa = testcert_new_key(TESTCERT_RSA);
	EVP_PKEY *ec = testcert_new_key(TESTCERT_EC);
	expect_der_key(rsa, false);
	expect_der_key(ec, false);
	expect_der_key(ec, true);
	/* What a TPM field does take from a file: not keys. */
	unsigned char *p = NULL;
	int n = i2d_PUBKEY(rsa, &p);
	ck_assert(!keymat_in_data(p, (size_t)n));
	OPENSSL_free(p);
	size_t len;
	unsigned char *cert = testcert_make_der(&(struct testcert_spec){
		.cn = "d" }, &len);
	ck_assert(!keymat_in_data(cert, len));
	free(cert);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ec);
}
END_TEST

/* ---- taking keys out ---- */

START_TEST(strip_keeps_everything_but_the_key)
{
	char *key = block("RSA PRIVATE KEY");
	char *text = xasprintf("one\n%stwo\n%s", key, key);
	size_t dropped = 0;
	char *clean = keymat_strip(text, &dropped);
	ck_assert_str_eq(clean, "one\ntwo\n");
	ck_assert_uint_eq(dropped, 2);
	free(clean);

	clean = keymat_strip(key, &dropped);
	ck_assert_str_eq(clean, "");
	free(clean);

	/* A paste cut short: to the end of the text. */
	char *cut = xasprintf("keep\n-----BEGIN PRIVATE KEY-----\n%s", BODY);
	clean = keymat_strip(cut, &dropped);
	ck_assert_str_eq(clean, "keep\n");
	ck_assert_uint_eq(dropped, 1);
	free(clean);

	clean = keymat_strip("no key here", &dropped);
	ck_assert_str_eq(clean, "no key here");
	ck_assert_uint_eq(dropped, 0);
	free(clean);
	free(cut);
	free(text);
	free(key);
}
END_TEST

START_TEST(strip_json_cleans_values_and_names)
{
	char *key = block("PRIVATE KEY");
	cJSON *o = cJSON_CreateObject();
	cJSON *tags = cJSON_AddObjectToObject(o, "tags");
	cJSON_AddStringToObject(tags, "k", key);
	cJSON_AddStringToObject(tags, key, "v");
	cJSON *list = cJSON_AddArrayToObject(o, "hubs");
	cJSON_AddItemToArray(list, cJSON_CreateString(key));
	cJSON_AddStringToObject(o, "plain", "text");
	ck_assert_uint_eq(keymat_strip_json(o), 3);
	ck_assert(!keymat_in_json(o));
	char *printed = cJSON_PrintUnformatted(o);
	ck_assert_msg(!strstr(printed, BODY), "%s", printed);
	ck_assert(strstr(printed, "\"plain\":\"text\""));
	free(printed);
	cJSON_Delete(o);
	free(key);
}
END_TEST

/* ---- validation ---- */

static struct doc *
x509_doc(const char *certificate)
{
	struct doc *d = doc_new();
	doc_set_string(d, "registrationId", "bench-key-1");
	doc_set_string(d, "attestation.type", "x509");
	doc_set_string(d, CERT_PATH, certificate);
	return d;
}

static void
expect_unquoted(void)
{
	for (size_t i = 0; i < found_list.count; i++)
		ck_assert_msg(!strstr(found_list.items[i].message, BODY) &&
			      !strstr(found_list.items[i].path, BODY),
			      "a finding quotes the key: %s", findings_dump());
}

START_TEST(a_key_in_the_certificate_field_is_an_error)
{
	char *key = block("EC PRIVATE KEY");
	struct doc *d = x509_doc(key);
	validate_enrollment(d, &found_list);
	ck_found(SEV_ERROR, CERT_PATH, "this is a private key (-----BEGIN EC "
		 "PRIVATE KEY-----); it stays on the device, give its "
		 "certificate");
	/* One error: the key's, not "required" or "not a certificate" too. */
	ck_assert_uint_eq(findings_count(&found_list, SEV_ERROR), 1);
	expect_unquoted();
	doc_free(d);
	free(key);
}
END_TEST

START_TEST(a_key_with_the_certificate_is_an_error)
{
	char *key = pkcs8_pem(TESTCERT_EC);
	char *cert = testcert_make_pem(&(struct testcert_spec){
		.cn = "bench-key-1" });
	char *both = xasprintf("%s%s", key, cert);
	struct doc *d = x509_doc(both);
	validate_enrollment(d, &found_list);
	ck_found(SEV_ERROR, CERT_PATH, "is here with the certificate; the key "
		 "stays on the device");
	ck_assert_uint_eq(findings_count(&found_list, SEV_ERROR), 1);
	doc_free(d);
	free(both);
	free(cert);
	free(key);
}
END_TEST

START_TEST(a_key_in_any_field_is_an_error_never_quoted)
{
	char *key = block("OPENSSH PRIVATE KEY");
	struct doc *d = doc_new();
	doc_set_string(d, "registrationId", key);
	doc_set_string(d, "provisioningStatus", key);
	doc_set_string(d, "attestation.type", "symmetricKey");
	cJSON *tags = cJSON_CreateObject();
	cJSON_AddStringToObject(tags, "site", key);
	doc_set_json(d, "initialTwin.tags", tags);
	cJSON *hubs = cJSON_CreateArray();
	cJSON_AddItemToArray(hubs, cJSON_CreateString("hub.azure-devices.net"));
	cJSON_AddItemToArray(hubs, cJSON_CreateString(key));
	doc_set_json(d, "iotHubs", hubs);
	validate_enrollment(d, &found_list);
	ck_found(SEV_ERROR, "registrationId", "this holds a private key "
		 "(-----BEGIN OPENSSH PRIVATE KEY-----)");
	ck_found(SEV_ERROR, "provisioningStatus", "stays on the device");
	ck_found(SEV_ERROR, "initialTwin.tags.site", "stays on the device");
	ck_found(SEV_ERROR, "iotHubs[1]", "stays on the device");
	expect_unquoted();
	doc_free(d);
	free(key);
}
END_TEST

START_TEST(field_text_with_a_key_says_only_that)
{
	char *key = block("PRIVATE KEY");
	char *json = xasprintf("{\"k\": \"%s", key);	/* not JSON yet */
	validate_field_text(row("initialTwin.tags"), json, &found_list);
	ck_found(SEV_ERROR, "initialTwin.tags", "stays on the device");
	ck_assert_uint_eq(found_list.count, 1);
	findings_clear(&found_list);
	validate_field_text(row(EK_PATH), key, &found_list);
	ck_found(SEV_ERROR, EK_PATH, "give the TPM key's public part");
	ck_assert_uint_eq(found_list.count, 1);
	expect_unquoted();
	free(json);
	free(key);
}
END_TEST

/* ---- the leaf alone ---- */

struct bundle {
	char *key, *leaf, *ca;
};

static struct bundle
bundle_make(void)
{
	struct testcert ca = testcert_make(&(struct testcert_spec){
		.cn = "Bench CA", .ca = true });
	struct testcert leaf = testcert_make(&(struct testcert_spec){
		.cn = "bench-key-1", .issuer = &ca });
	struct bundle b = { .key = testcert_key_pem(leaf.key, true),
			    .leaf = testcert_pem(&leaf),
			    .ca = testcert_pem(&ca) };
	testcert_free(&leaf);
	testcert_free(&ca);
	return b;
}

static void
bundle_free(struct bundle *b)
{
	free(b->key);
	free(b->leaf);
	free(b->ca);
}

START_TEST(key_leaf_and_ca_give_the_leaf_alone)
{
	struct bundle b = bundle_make();
	/* `cat device.key device.pem ca.pem` */
	char *cat = xasprintf("%s%s%s", b.key, b.leaf, b.ca);
	struct cert_pick pick;
	char *why = NULL;
	char *pem = cert_leaf_pick((unsigned char *)cat, strlen(cat), &pick,
				   &why);
	ck_assert_msg(pem, "%s", why);
	ck_assert_str_eq(pem, b.leaf);
	ck_assert_uint_eq(pick.certs, 2);
	ck_assert_uint_eq(pick.cas, 1);
	ck_assert_uint_eq(pick.keys, 1);
	char *note = cert_pick_note(&pick);
	ck_assert_str_eq(note, "kept the device certificate; dropped a private "
			 "key and 1 CA certificate");
	free(note);
	cert_pick_clear(&pick);
	free(pem);

	/* The leaf alone has nothing to say. */
	pem = cert_leaf_pick((unsigned char *)b.leaf, strlen(b.leaf), &pick,
			     &why);
	ck_assert_str_eq(pem, b.leaf);
	ck_assert_ptr_null(cert_pick_note(&pick));
	cert_pick_clear(&pick);
	free(pem);
	free(cat);
	bundle_free(&b);
}
END_TEST

START_TEST(der_certificate_is_converted_and_says_so)
{
	size_t len;
	unsigned char *der = testcert_make_der(&(struct testcert_spec){
		.cn = "bench-key-2" }, &len);
	char *b64 = b64_encode(der, len);
	struct cert_pick pick;
	char *why = NULL;
	char *pem = cert_leaf_pick((unsigned char *)b64, strlen(b64), &pick, &why);
	ck_assert_msg(pem, "%s", why);
	ck_assert(strncmp(pem, "-----BEGIN CERTIFICATE-----\n", 28) == 0);
	char *note = cert_pick_note(&pick);
	ck_assert_str_eq(note, "converted the certificate from base64 of DER "
			 "to PEM");
	free(note);
	cert_pick_clear(&pick);
	free(pem);
	free(b64);
	free(der);
}
END_TEST

/* ---- settling a field ---- */

START_TEST(settled_certificate_is_the_leaf)
{
	struct bundle b = bundle_make();
	char *cat = xasprintf("%s%s%s", b.key, b.leaf, b.ca);
	struct settled s;
	field_settle(row(CERT_PATH), cat, &s);
	ck_assert_str_eq(s.text, b.leaf);
	ck_assert_str_eq(s.note, "kept the device certificate; dropped a "
			 "private key and 1 CA certificate");
	ck_assert(!s.refused);
	settled_clear(&s);

	/* The key alone: refused, and nothing of it kept. */
	field_settle(row(CERT_PATH), b.key, &s);
	ck_assert(s.refused);
	ck_assert_str_eq(s.text, "");
	ck_assert(strstr(s.note, "this is a private key (-----BEGIN PRIVATE "
			 "KEY-----); it stays on the device, give its "
			 "certificate"));
	settled_clear(&s);

	/* A key given bare, base64 of its DER: refused all the same. */
	EVP_PKEY *k = testcert_new_key(TESTCERT_EC);
	char *bare = testcert_key_bare_b64(k);
	field_settle(row(CERT_PATH), bare, &s);
	ck_assert(s.refused);
	ck_assert_str_eq(s.text, "");
	ck_assert(strstr(s.note, "it stays on the device"));
	ck_assert_ptr_null(strstr(s.note, bare));
	settled_clear(&s);
	field_settle(row(EK_PATH), bare, &s);
	ck_assert(s.refused);
	ck_assert_str_eq(s.text, "");
	settled_clear(&s);
	free(bare);
	EVP_PKEY_free(k);

	/* The leaf as it is: left alone. */
	field_settle(row(CERT_PATH), b.leaf, &s);
	ck_assert_ptr_null(s.text);
	ck_assert_ptr_null(s.note);
	settled_clear(&s);
	free(cat);
	bundle_free(&b);
}
END_TEST

/* The DPS form of a standard RSA EK; owned. */
static char *
ek_text(void)
{
	EVP_PKEY *key = testcert_new_key(TESTCERT_RSA);
	char *pub = testcert_key_pem(key, false);
	char *note = NULL, *why = NULL;
	char *ek = tpm_key_convert(pub, &note, &why);
	ck_assert_msg(ek, "%s", why);
	free(note);
	free(pub);
	EVP_PKEY_free(key);
	return ek;
}

/* Base64 wrapped at 64 columns, as tpm2-tools and terminals give it. */
static char *
wrapped(const char *b64)
{
	size_t n = strlen(b64);
	char *out = xmalloc(n + n / 64 + 2), *o = out;
	for (size_t i = 0; i < n; i++) {
		*o++ = b64[i];
		if (i % 64 == 63 || i + 1 == n)
			*o++ = '\n';
	}
	*o = '\0';
	return out;
}

START_TEST(settled_tpm_key_has_no_white_space)
{
	char *ek = ek_text();
	char *paste = wrapped(ek);
	ck_assert(strchr(paste, '\n') < paste + strlen(paste) - 1);
	struct settled s;
	field_settle(row(EK_PATH), paste, &s);
	ck_assert_str_eq(s.text, ek);
	ck_assert_str_eq(s.note, "removed the spaces and line breaks");
	ck_assert(!s.refused);
	settled_clear(&s);

	field_settle(row(EK_PATH), ek, &s);
	ck_assert_ptr_null(s.text);
	settled_clear(&s);

	char *key = pkcs8_pem(TESTCERT_RSA);
	field_settle(row(EK_PATH), key, &s);
	ck_assert(s.refused);
	ck_assert_str_eq(s.text, "");
	ck_assert(strstr(s.note, "give the TPM key's public part"));
	settled_clear(&s);
	free(key);
	free(paste);
	free(ek);
}
END_TEST

START_TEST(settled_other_fields_lose_only_the_key)
{
	char *key = block("EC PRIVATE KEY");
	char *json = xasprintf("{\"k\": \"%s\"}", key);
	struct settled s;
	field_settle(row("initialTwin.tags"), json, &s);
	ck_assert(s.refused);
	ck_assert_str_eq(s.text, "{\"k\": \"\"}");
	ck_assert(strstr(s.note, "stays on the device"));
	settled_clear(&s);
	field_settle(row("deviceId"), "bench-7", &s);
	ck_assert_ptr_null(s.text);
	ck_assert_ptr_null(s.note);
	settled_clear(&s);
	free(json);
	free(key);
}
END_TEST

START_TEST(put_settles_a_chain_to_its_leaf)
{
	struct bundle b = bundle_make();
	char *chain = xasprintf("%s%s", b.leaf, b.ca);
	struct doc *d = x509_doc(chain);
	struct findings notes;
	findings_init(&notes);
	doc_settle_attestation(d, &notes);
	ck_assert_str_eq(doc_get_string(d, CERT_PATH), b.leaf);
	ck_assert_uint_eq(notes.count, 1);
	ck_assert_str_eq(notes.items[0].path, CERT_PATH);
	ck_assert_str_eq(notes.items[0].message, "kept the device certificate; "
			 "dropped 1 CA certificate");
	findings_clear(&notes);
	doc_free(d);
	free(chain);
	bundle_free(&b);
}
END_TEST

Suite *
keymat_suite(void)
{
	Suite *s = suite_create("keymat");
	TCase *find = tcase_create("find");
	tcase_add_test(find, every_private_key_label_is_found);
	tcase_add_test(find, certificates_public_keys_and_words_are_not_keys);
	tcase_add_test(find, a_key_in_json_text_is_found);
	tcase_add_test(find, der_keys_in_files_are_found);
	tcase_add_test(find, strip_keeps_everything_but_the_key);
	tcase_add_test(find, strip_json_cleans_values_and_names);
	suite_add_tcase(s, find);

	TCase *val = findings_tcase(s, "validate");
	tcase_add_test(val, a_key_in_the_certificate_field_is_an_error);
	tcase_add_test(val, a_key_with_the_certificate_is_an_error);
	tcase_add_test(val, a_key_in_any_field_is_an_error_never_quoted);
	tcase_add_test(val, field_text_with_a_key_says_only_that);

	TCase *leaf = tcase_create("leaf");
	tcase_add_test(leaf, key_leaf_and_ca_give_the_leaf_alone);
	tcase_add_test(leaf, der_certificate_is_converted_and_says_so);
	tcase_add_test(leaf, settled_certificate_is_the_leaf);
	tcase_add_test(leaf, settled_tpm_key_has_no_white_space);
	tcase_add_test(leaf, settled_other_fields_lose_only_the_key);
	tcase_add_test(leaf, put_settles_a_chain_to_its_leaf);
	suite_add_tcase(s, leaf);
	return s;
}
