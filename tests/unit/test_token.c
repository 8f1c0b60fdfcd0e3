/* Entra ID access tokens on the client side: base64url and JWT claims,
 * where a token comes from (a command, a file, a fixed value), how long
 * it is kept (until five minutes before its exp), what a refused token's
 * advice says, and profiles that name a tokenCommand. */

#include <fcntl.h>
#include <libgen.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"
#include "french.h"
#include "app/explain.h"
#include "app/profile_conn.h"
#include "base/b64url.h"
#include "base/i18n.h"
#include "base/jwt.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/auth.h"
#include "dps/auth_token.h"
#include "dps/said.h"
#include "sys/fileio.h"

static char dir[64];

/* dps_token_get with the record's words (English, as the journal keeps
 * them) in *why; in the C locale those shown are the same. */
static const char *
token_get(struct dps_token_source *s, time_t now, char **why)
{
	struct dps_said said;
	const char *tok = dps_token_get(s, now, &said);
	if (said.shown)
		ck_assert_str_eq(said.shown, said.record);
	free(said.shown);
	*why = said.record;
	return tok;
}

static const char *
auth_value(struct dps_auth *a, struct dps_conn *conn, time_t now, char **why)
{
	struct dps_said said;
	const char *v = dps_auth_value(a, conn, NULL, now, &said);
	free(said.shown);
	*why = said.record;
	return v;
}

static void
make_dir(void)
{
	strcpy(dir, "/tmp/dpsenroll-token-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
remove_dir(void)
{
	char *cmd = xasprintf("rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static char *
write_file(const char *name, const char *text, mode_t mode)
{
	char *path = xasprintf("%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
	return path;
}

/* An unsigned JWT with these claims (the client checks no signature). */
static char *
jwt_with(const char *claims)
{
	static const char head[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
	char *h = b64url_encode((const unsigned char *)head, strlen(head));
	char *c = b64url_encode((const unsigned char *)claims, strlen(claims));
	char *t = xasprintf("%s.%s.c2lnbmF0dXJl", h, c);
	free(h);
	free(c);
	return t;
}

static char *
jwt_expiring(long long exp)
{
	char *claims = xasprintf("{\"aud\":\"%s\",\"exp\":%lld}",
				 DPS_TOKEN_RESOURCE, exp);
	char *t = jwt_with(claims);
	free(claims);
	return t;
}

/* A command that prints DIR/token and counts its runs in DIR/runs. */
static char *
counting_command(void)
{
	char *script = xasprintf("echo run >> %s/runs\ncat %s/token\n", dir, dir);
	char *path = write_file("print-token.sh", script, 0700);
	char *cmd = xasprintf("sh %s", path);
	free(script);
	free(path);
	return cmd;
}

static int
runs(void)
{
	char *path = xasprintf("%s/runs", dir);
	char *text = file_read_all(path, NULL);
	free(path);
	int n = 0;
	for (const char *p = text; p && *p; p++)
		n += *p == '\n';
	free(text);
	return n;
}

START_TEST(b64url_round_trips_and_refuses_the_standard_alphabet)
{
	const unsigned char data[] = { 0xfb, 0xff, 0xfe, 0x00, 0x3e };
	char *enc = b64url_encode(data, sizeof(data));
	ck_assert_str_eq(enc, "-__-AD4");
	unsigned char *out;
	size_t n;
	ck_assert(b64url_decode(enc, strlen(enc), &out, &n));
	ck_assert_uint_eq(n, sizeof(data));
	ck_assert(memcmp(out, data, n) == 0);
	free(out);
	ck_assert(!b64url_decode("+//+AD4", 7, &out, &n));
	ck_assert(!b64url_decode("-__-AD4=", 8, &out, &n));
	ck_assert(!b64url_decode("A", 1, &out, &n));
	free(enc);
}
END_TEST

START_TEST(jwt_claims_give_the_expiry)
{
	char *t = jwt_expiring(1800000000LL);
	const char *why;
	cJSON *claims = jwt_part(t, 1, &why);
	ck_assert_ptr_nonnull(claims);
	time_t exp;
	ck_assert(jwt_exp(claims, &exp));
	ck_assert_int_eq((long long)exp, 1800000000LL);
	cJSON_Delete(claims);
	ck_assert_ptr_null(jwt_part("not-a-token", 1, &why));
	ck_assert_ptr_null(jwt_part("a.b.c.d", 1, &why));
	ck_assert_ptr_null(jwt_part("eyJ9.!!!.x", 1, &why));
	free(t);
}
END_TEST

START_TEST(a_command_token_is_kept_until_five_minutes_before_exp)
{
	const time_t exp = 1800000000;
	char *tok = jwt_expiring(exp);
	free(write_file("token", tok, 0600));
	char *cmd = counting_command();
	struct dps_token_source *s = dps_token_command(cmd);
	char *why = NULL;
	const char *got = token_get(s, exp - 3600, &why);
	ck_assert_msg(got, "%s", why);
	ck_assert_str_eq(got, tok);
	ck_assert_int_eq(runs(), 1);
	ck_assert_ptr_nonnull(token_get(s, exp - 1000, &why));
	ck_assert_ptr_nonnull(token_get(s, exp - 301, &why));
	ck_assert_int_eq(runs(), 1);
	/* within five minutes of exp: the command runs again */
	ck_assert_ptr_nonnull(token_get(s, exp - 300, &why));
	ck_assert_int_eq(runs(), 2);
	ck_assert_ptr_nonnull(token_get(s, exp - 200, &why));
	ck_assert_int_eq(runs(), 3);
	/* a copy for another thread keeps what was obtained */
	struct dps_token_source *copy = dps_token_source_dup(s);
	dps_token_source_free(s);
	ck_assert_ptr_nonnull(token_get(copy, exp - 100, &why));
	ck_assert_int_eq(runs(), 4);
	/* past exp: what the command prints is of no use */
	ck_assert_ptr_null(token_get(copy, exp + 10, &why));
	ck_assert_msg(strstr(why, "expired") && strstr(why, "az login") &&
		      !strstr(why, tok), "%s", why);
	free(why);
	dps_token_source_free(copy);
	free(cmd);
	free(tok);
}
END_TEST

START_TEST(a_token_without_exp_is_kept_an_hour)
{
	char *tok = jwt_with("{\"aud\":\"x\"}");
	free(write_file("token", tok, 0600));
	char *cmd = counting_command();
	struct dps_token_source *s = dps_token_command(cmd);
	char *why = NULL;
	ck_assert_ptr_nonnull(token_get(s, 1000, &why));
	ck_assert_ptr_nonnull(token_get(s, 1000 + 3299, &why));
	ck_assert_int_eq(runs(), 1);
	ck_assert_ptr_nonnull(token_get(s, 1000 + 3300, &why));
	ck_assert_int_eq(runs(), 2);
	dps_token_source_free(s);
	free(cmd);
	free(tok);
}
END_TEST

START_TEST(a_failing_command_is_reported_with_its_error_output)
{
	struct dps_token_source *s = dps_token_command(
		"echo 'Please run az login to set up an account.' >&2; exit 1");
	char *why = NULL;
	ck_assert_ptr_null(token_get(s, 1000, &why));
	ck_assert_msg(strstr(why, "exit status 1") &&
		      strstr(why, "Please run az login"), "%s", why);
	free(why);
	dps_token_source_free(s);
	/* two lines cannot be a token: a header must not be split */
	s = dps_token_command("printf 'abc\\nHost: evil\\n'");
	ck_assert_ptr_null(token_get(s, 1000, &why));
	ck_assert_msg(strstr(why, "one line"), "%s", why);
	free(why);
	dps_token_source_free(s);
	s = dps_token_command("true");
	ck_assert_ptr_null(token_get(s, 1000, &why));
	ck_assert_msg(strstr(why, "empty"), "%s", why);
	free(why);
	dps_token_source_free(s);
}
END_TEST

START_TEST(a_command_gets_none_of_our_secrets)
{
	setenv("DPS_ACCESS_TOKEN", "ours", 1);
	setenv("DPS_CONNECTION_STRING", "HostName=h;SharedAccessKey=ours", 1);
	struct dps_token_source *s = dps_token_command(
		"printf '%s-%s' \"${DPS_ACCESS_TOKEN:-none}\" "
		"\"${DPS_CONNECTION_STRING:-none}\"");
	char *why = NULL;
	const char *got = token_get(s, 1000, &why);
	ck_assert_msg(got, "%s", why);
	ck_assert_str_eq(got, "none-none");
	dps_token_source_free(s);
	unsetenv("DPS_ACCESS_TOKEN");
	unsetenv("DPS_CONNECTION_STRING");
}
END_TEST

START_TEST(a_fixed_token_that_expired_says_to_get_a_new_one)
{
	const time_t exp = 1800000000;
	char *tok = jwt_expiring(exp);
	struct dps_token_source *s = dps_token_fixed(tok);
	char *why = NULL;
	/* a fixed token is used to its end, there is nothing to renew it */
	ck_assert_ptr_nonnull(token_get(s, exp - 10, &why));
	ck_assert_ptr_null(token_get(s, exp + 600, &why));
	ck_assert_msg(strstr(why, "DPS_ACCESS_TOKEN expired 10 minutes ago") &&
		      strstr(why, "get a new one") && !strstr(why, tok), "%s", why);
	free(why);
	dps_token_source_free(s);
	free(tok);
}
END_TEST

/* What a person reads is French, whole sentences with their counts; the
 * record the journal keeps of the same failure is English. */
START_TEST(token_failures_are_told_in_french_and_recorded_in_english)
{
	if (!unit_speak_french())
		return;
	const time_t exp = 1800000000;
	char *tok = jwt_expiring(exp);
	struct dps_token_source *s = dps_token_fixed(tok);
	struct dps_said why;
	ck_assert_ptr_null(dps_token_get(s, exp + 1, &why));
	ck_assert_str_eq(why.shown, "le jeton d'accès dans DPS_ACCESS_TOKEN a "
			 "expiré il y a 1 seconde ; obtenez-en un nouveau (az "
			 "account get-access-token --resource https://azure-"
			 "devices-provisioning.net --query accessToken -o tsv) "
			 "et définissez de nouveau DPS_ACCESS_TOKEN");
	ck_assert_str_eq(why.record, "the access token in DPS_ACCESS_TOKEN "
			 "expired 1 second ago; get a new one (az account "
			 "get-access-token --resource https://azure-devices-"
			 "provisioning.net --query accessToken -o tsv) and set "
			 "DPS_ACCESS_TOKEN again");
	dps_said_clear(&why);
	ck_assert_ptr_null(dps_token_get(s, exp + 600, &why));
	ck_assert_msg(strstr(why.shown, "a expiré il y a 10 minutes ;"), "%s",
		      why.shown);
	ck_assert_msg(strstr(why.record, "expired 10 minutes ago;"), "%s",
		      why.record);
	dps_said_clear(&why);
	dps_token_source_free(s);

	s = dps_token_command("echo 'ERROR: Please run az login' >&2; exit 1");
	ck_assert_ptr_null(dps_token_get(s, 1000, &why));
	ck_assert_str_eq(why.shown, "le tokenCommand du profil a échoué (code "
			 "de sortie 1) : ERROR: Please run az login ; lancez la "
			 "commande vous-même pour voir ce qu'elle affiche ; pour "
			 "Azure CLI, relancez az login");
	ck_assert_str_eq(why.record, "the profile's tokenCommand failed (exit "
			 "status 1): ERROR: Please run az login; run the command "
			 "yourself to see what it prints; for the Azure CLI, run "
			 "az login again");
	dps_said_clear(&why);
	dps_token_source_free(s);
	free(tok);
	unit_speak_c();
}
END_TEST

START_TEST(a_token_file_readable_by_others_is_refused)
{
	char *tok = jwt_expiring(1800000000);
	char *path = write_file("token", tok, 0644);
	struct dps_token_source *s = dps_token_file(path);
	char *why = NULL;
	ck_assert_ptr_null(token_get(s, 1000, &why));
	ck_assert_msg(strstr(why, "readable by others") && strstr(why, "chmod 600"),
		      "%s", why);
	free(why);
	ck_assert_int_eq(chmod(path, 0600), 0);
	const char *got = token_get(s, 1000, &why);
	ck_assert_msg(got && strcmp(got, tok) == 0, "%s", why ? why : "?");
	dps_token_source_free(s);
	free(path);
	free(tok);
}
END_TEST

START_TEST(the_header_is_bearer_for_a_token_and_sas_for_a_key)
{
	char *tok = jwt_expiring(1800000000);
	struct dps_conn conn;
	char *why = NULL;
	ck_assert(dps_conn_with_token("mydps.azure-devices-provisioning.net",
				      dps_token_fixed(tok), &conn, &why));
	struct dps_auth a = { 0 };
	const char *v = auth_value(&a, &conn, 1000, &why);
	char *want = xasprintf("Bearer %s", tok);
	ck_assert_str_eq(v, want);
	dps_auth_clear(&a);
	dps_conn_clear(&conn);
	ck_assert(dps_conn_parse("HostName=h.example;SharedAccessKeyName=p;"
				 "SharedAccessKey=a2V5a2V5a2V5a2V5", &conn, &why));
	v = auth_value(&a, &conn, 1000, &why);
	ck_assert_msg(v && strncmp(v, "SharedAccessSignature ", 22) == 0, "%s", v);
	dps_auth_clear(&a);
	dps_conn_clear(&conn);
	ck_assert(!dps_conn_with_token("https://h.example/", dps_token_fixed(tok),
				       &conn, &why));
	free(why);
	free(want);
	free(tok);
}
END_TEST

START_TEST(a_token_profile_needs_its_host_and_command)
{
	struct profile p = { .auth = "token", .token_command = "true" };
	struct dps_conn conn;
	char *why = NULL;
	ck_assert(!profile_conn(&p, "entra", &conn, &why));
	ck_assert_msg(strstr(why, "profile 'entra'") && strstr(why, "hostName"),
		      "%s", why);
	free(why);
	p = (struct profile){ .auth = "token", .host_name = "d.example" };
	ck_assert(!profile_conn(&p, "entra", &conn, &why));
	ck_assert_msg(strstr(why, "tokenCommand"), "%s", why);
	free(why);
	p = (struct profile){ .auth = "tokens", .host_name = "d.example" };
	ck_assert(!profile_conn(&p, "entra", &conn, &why));
	ck_assert_msg(strstr(why, "\"token\""), "%s", why);
	free(why);
	p = (struct profile){ .auth = "token", .host_name = "d.example",
			      .token_command = "true" };
	ck_assert(profile_conn(&p, "entra", &conn, &why));
	ck_assert_str_eq(conn.host, "d.example");
	ck_assert_ptr_nonnull(conn.token);
	ck_assert_ptr_null(conn.key);
	dps_conn_clear(&conn);
}
END_TEST

static struct advice
for_bearer_401(const char *message)
{
	struct dps_response r = {
		.failure = DPS_ANSWERED, .status = 401, .bearer = true,
		.retry_after = -1, .attempts = 1,
		.error = { .error_code = 401002, .message = (char *)message },
	};
	return explain_response(&r);
}

START_TEST(a_refused_token_is_explained_as_a_token)
{
	struct advice a = for_bearer_401("Unauthorized: the bearer token has "
					 "expired; get a new one");
	ck_assert_msg(strstr(a.cause, "expired") && strstr(a.next_step, "az login"),
		      "%s / %s", a.cause, a.next_step);
	ck_assert_msg(!strstr(a.cause, "shared access"), "%s", a.cause);
	advice_clear(&a);
	a = for_bearer_401("Unauthorized: the bearer token is for another "
			   "audience (aud)");
	ck_assert_msg(strstr(a.next_step, "tokenCommand") &&
		      strstr(a.next_step, DPS_TOKEN_RESOURCE), "%s", a.next_step);
	advice_clear(&a);
	a = for_bearer_401("Unauthorized");
	ck_assert_msg(strstr(a.next_step, "az login"), "%s", a.next_step);
	advice_clear(&a);
	struct dps_response none = { .failure = DPS_FAIL_AUTH, .retry_after = -1 };
	a = explain_response(&none);
	ck_assert_msg(strstr(a.cause, "nothing was sent"), "%s", a.cause);
	advice_clear(&a);
}
END_TEST

Suite *
token_suite(void)
{
	Suite *s = suite_create("token");
	TCase *tc = tcase_create("token");
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_add_test(tc, b64url_round_trips_and_refuses_the_standard_alphabet);
	tcase_add_test(tc, jwt_claims_give_the_expiry);
	tcase_add_test(tc, a_command_token_is_kept_until_five_minutes_before_exp);
	tcase_add_test(tc, a_token_without_exp_is_kept_an_hour);
	tcase_add_test(tc, a_failing_command_is_reported_with_its_error_output);
	tcase_add_test(tc, a_command_gets_none_of_our_secrets);
	tcase_add_test(tc, a_fixed_token_that_expired_says_to_get_a_new_one);
	tcase_add_test(tc, a_token_file_readable_by_others_is_refused);
	tcase_add_test(tc, token_failures_are_told_in_french_and_recorded_in_english);
	tcase_add_test(tc, the_header_is_bearer_for_a_token_and_sas_for_a_key);
	tcase_add_test(tc, a_token_profile_needs_its_host_and_command);
	tcase_add_test(tc, a_refused_token_is_explained_as_a_token);
	suite_add_tcase(s, tc);
	return s;
}
