#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "findings_assert.h"
#include "model/checks.h"

#define HUB "iotHubs[0]"
#define HOOK "customAllocationDefinition.webhookUrl"
#define VER "customAllocationDefinition.apiVersion"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Secrets given by mistake must never be echoed back in a message. */
static bool
any_message_has(const char *fragment)
{
	for (size_t i = 0; i < found_list.count; i++)
		if (strstr(found_list.items[i].message, fragment))
			return true;
	return false;
}

static void
host(const char *text)
{
	findings_check(check_host_name, HUB, text);
}

static void
hook(const char *text)
{
	findings_check(check_webhook_url, HOOK, text);
}

static void
ver(const char *text)
{
	findings_check(check_allocation_api_version, VER, text);
}

/* The *_error helpers: `text` gives one finding and no other, an error
 * that says `fragment`. */

static void
host_error(const char *text, const char *fragment)
{
	findings_expect_one_error(check_host_name, HUB, text, fragment);
}

static void
hook_error(const char *text, const char *fragment)
{
	findings_expect_one_error(check_webhook_url, HOOK, text, fragment);
}

static void
ver_error(const char *text, const char *fragment)
{
	findings_expect_one_error(check_allocation_api_version, VER, text,
				  fragment);
}

/* ---- host names ---- */

START_TEST(host_valid)
{
	static const char *const ok[] = {
		"myhub.azure-devices.net", "MyHub.Azure-Devices.NET",
		"a.b", "hub-01.azure-devices.cn", "1hub.example.com",
		"x.y.z.w", "10.0.0.1",
	};
	findings_each_quiet(check_host_name, HUB, ok, COUNT(ok));
}
END_TEST

START_TEST(host_blank_is_quiet)
{
	host("");
	ck_nothing();
}
END_TEST

START_TEST(host_scheme)
{
	host_error("https://myhub.azure-devices.net",
		   "give the host name only, without https://");

	host("amqps://myhub.azure-devices.net");
	ck_found(SEV_ERROR, HUB, "without amqps://");

	host("https://");
	ck_found(SEV_ERROR, HUB, "without https://");
	ck_found(SEV_ERROR, HUB, "no host name is left");
}
END_TEST

START_TEST(host_path_and_slash)
{
	host_error("myhub.azure-devices.net/",
		   "remove the '/' at the end (character 24)");
	host_error("myhub.azure-devices.net/devices/x",
		   "remove '/devices/x' from character 24");

	host("https://myhub.azure-devices.net/");
	ck_count(SEV_ERROR, 2);
	ck_found(SEV_ERROR, HUB, "without https://");
	ck_found(SEV_ERROR, HUB, "'/' at the end (character 32)");

	host("myhub.azure-devices.net?x=1");
	ck_found(SEV_ERROR, HUB, "without a path");
}
END_TEST

START_TEST(host_port)
{
	host_error("myhub.azure-devices.net:443",
		   "remove the port ':443' (character 24)");

	host("https://myhub.azure-devices.net:8883/x");
	ck_count(SEV_ERROR, 3);
	ck_found(SEV_ERROR, HUB, "':8883'");

	/* A colon without digits is no port: just a bad character. */
	host("myhub:abc.net");
	ck_found(SEV_ERROR, HUB, "character 6 ':' is not allowed");
	host_error("myhub.azure-devices.net:", "character 24 ':' is not allowed");
}
END_TEST

START_TEST(host_spaces)
{
	host_error(" myhub.azure-devices.net", "starts with a space");
	host_error("myhub.azure-devices.net  ", "ends with a space");
	host_error("my hub.azure-devices.net",
		   "character 3 ' ' (a space) is not allowed");

	host("   ");
	ck_found(SEV_ERROR, HUB, "starts with a space");
	ck_found(SEV_ERROR, HUB, "no host name is left");
}
END_TEST

START_TEST(host_connection_string)
{
	host_error("HostName=myhub.azure-devices.net;"
		   "SharedAccessKeyName=iothubowner;"
		   "SharedAccessKey=c2VjcmV0c2VjcmV0", "connection string");
	ck_found(SEV_ERROR, HUB, "myhub.azure-devices.net");
	ck_assert_msg(!any_message_has("c2VjcmV0"), "key leaked:\n%s",
		      findings_dump());

	host("hostname=myhub.azure-devices.net");
	ck_found(SEV_ERROR, HUB, "connection string");

	host("SharedAccessKey=c2VjcmV0c2VjcmV0");
	ck_found(SEV_ERROR, HUB, "connection string");
	ck_assert_msg(!any_message_has("c2VjcmV0"), "key leaked:\n%s",
		      findings_dump());
}
END_TEST

START_TEST(host_label_length)
{
	char *label = repeat_text("a", 63);
	char *name = malloc(100);
	snprintf(name, 100, "%s.net", label);
	host(name);
	ck_nothing();
	free(label);

	label = repeat_text("a", 64);
	snprintf(name, 100, "%s.net", label);
	host_error(name, "64 characters long");
	ck_found(SEV_ERROR, HUB, "at most 63");
	ck_found(SEV_ERROR, HUB, "from character 1");

	snprintf(name, 100, "x.%s", label);
	host(name);
	ck_found(SEV_ERROR, HUB, "from character 3");
	free(label);
	free(name);
}
END_TEST

static char *
host_of_length(size_t total)
{
	/* 63-character labels joined by dots, the last one shorter; the
	 * lengths used here never leave a dot at the end. */
	char *s = repeat_text("a", total);
	for (size_t i = 63; i < total; i += 64)
		s[i] = '.';
	ck_assert(s[total - 1] != '.');
	return s;
}

START_TEST(host_total_length)
{
	char *s = host_of_length(253);
	host(s);
	ck_nothing();
	free(s);

	s = host_of_length(254);
	host_error(s, "254 characters long");
	ck_found(SEV_ERROR, HUB, "the most is 253");
	free(s);
}
END_TEST

START_TEST(host_empty_labels)
{
	host_error("myhub..azure-devices.net",
		   "characters 6 and 7 are two dots in a row");
	host_error(".myhub.azure-devices.net",
		   "starts with a dot (character 1)");
	host_error("myhub.azure-devices.net.", "ends with a dot (character 24)");

	host(".");
	ck_found(SEV_ERROR, HUB, "starts with a dot");
}
END_TEST

START_TEST(host_hyphens)
{
	host_error("-myhub.azure-devices.net",
		   "'-myhub' starts with '-' (character 1)");
	host_error("myhub-.azure-devices.net",
		   "'myhub-' ends with '-' (character 6)");

	host("my-hub.azure--devices.net");
	ck_nothing();

	host_error("a.-", "starts with '-'");
}
END_TEST

START_TEST(host_bad_characters)
{
	host_error("my_hub.azure-devices.net",
		   "character 3 '_' is not allowed in a host name");

	host("h\xc3\xbc" "b.azure-devices.net");
	ck_found(SEV_ERROR, HUB, "character 2 '\xc3\xbc'");

	host("\xc3\xa9\xc3\xa9.x_y");
	ck_found(SEV_ERROR, HUB, "character 1 '\xc3\xa9'");
	ck_found(SEV_ERROR, HUB, "nor are 2 more");
}
END_TEST

START_TEST(host_single_label_warns)
{
	host("myhub");
	ck_count(SEV_ERROR, 0);
	ck_count(SEV_WARNING, 1);
	ck_found(SEV_WARNING, HUB, "not a fully qualified host name");
	ck_found(SEV_WARNING, HUB, "NAME.azure-devices.net");
}
END_TEST

/* ---- webhook URL ---- */

START_TEST(hook_valid)
{
	static const char *const ok[] = {
		"https://myfunc.azurewebsites.net/api/allocate",
		"https://myfunc.azurewebsites.net/api/allocate?code=abc123==",
		"HTTPS://MyFunc.AzureWebsites.NET/api/x",
		"https://example.com",
		"https://example.com:8443/hook",
		"https://[2001:db8::1]/hook",
	};
	findings_each_quiet(check_webhook_url, HOOK, ok, COUNT(ok));
}
END_TEST

START_TEST(hook_blank_is_quiet)
{
	hook("");
	ck_nothing();
}
END_TEST

START_TEST(hook_http_is_refused)
{
	hook_error("http://myfunc.azurewebsites.net/api/allocate?code=x",
		   "DPS calls only https webhooks");
	hook_error("ftp://files.example.com/x", "'ftp' URLs cannot be called");
}
END_TEST

START_TEST(hook_not_absolute)
{
	hook_error("/api/allocate", "not an absolute URL");
	hook_error("myfunc.azurewebsites.net/api/allocate",
		   "does not start with https://");
	hook_error("garbage", "not an absolute URL");
	hook_error("https:myfunc.azurewebsites.net", "'//'");
}
END_TEST

START_TEST(hook_no_host)
{
	hook_error("https://", "no host name");
}
END_TEST

START_TEST(hook_bad_port)
{
	hook_error("https://myfunc.azurewebsites.net:99999/api", "port");
	hook_error("https://myfunc.azurewebsites.net:0/api", "port 0");
}
END_TEST

/* `text` gives no error and exactly one warning, which says `fragment`. */
static void
hook_warning(const char *text, const char *fragment)
{
	hook(text);
	ck_count(SEV_ERROR, 0);
	ck_count(SEV_WARNING, 1);
	ck_found(SEV_WARNING, HOOK, fragment);
}

START_TEST(hook_fragment_warns)
{
	hook_warning("https://myfunc.azurewebsites.net/api/allocate#top",
		     "'#'");
}
END_TEST

START_TEST(hook_credentials_warn)
{
	hook_warning("https://admin:s3cr3tpw@myfunc.azurewebsites.net/api/"
		     "allocate", "user name or password");
	ck_found(SEV_WARNING, HOOK, "?code=");
	ck_assert_msg(!any_message_has("s3cr3tpw"), "password shown:\n%s",
		      findings_dump());

	hook("https://admin@myfunc.azurewebsites.net/api/allocate");
	ck_count(SEV_WARNING, 1);
}
END_TEST

START_TEST(hook_spaces)
{
	hook_error("  https://myfunc.azurewebsites.net/api/allocate",
		   "starts with a space");
	hook_error("https://myfunc.azurewebsites.net/api/allocate\n",
		   "ends with a space");
	hook_error("https://myfunc.azurewebsites.net/api/my hook",
		   "character 40 ' ' (a space)");
	ck_found(SEV_ERROR, HOOK, "%20");

	/* One finding for the character, not a second vaguer one. */
	hook_error("https://my func.azurewebsites.net/api",
		   "character 11 ' ' (a space)");
	hook_error("https://myfunc.azurewebsites.net/a\x01pi",
		   "character 35 U+0001 cannot appear in a URL");

	/* Other problems are still found past the space. */
	hook("not a url");
	ck_count(SEV_ERROR, 2);
	ck_found(SEV_ERROR, HOOK, "character 4 ' ' (a space)");
	ck_found(SEV_ERROR, HOOK, "not an absolute URL");
}
END_TEST

START_TEST(hook_local_host_warns)
{
	hook("https://localhost/api/allocate");
	ck_count(SEV_ERROR, 0);
	ck_found(SEV_WARNING, HOOK, "'localhost' has no dot");
}
END_TEST

/* ---- apiVersion ---- */

START_TEST(ver_valid)
{
	static const char *const ok[] = {
		"2018-09-01-preview", "2018-09-01", "2018-11-01",
		"2019-03-31", "2021-10-01", "2021-10-01-preview",
		"2024-02-29", "2020-02-29", "2099-12-31",
	};
	findings_each_quiet(check_allocation_api_version, VER, ok, COUNT(ok));
}
END_TEST

START_TEST(ver_blank_is_quiet)
{
	ver("");
	ck_nothing();
}
END_TEST

START_TEST(ver_too_old)
{
	static const char *const old[] = {
		"2018-08-31", "2018-08-31-preview", "2017-11-15",
		"2018-04-01", "0001-01-01",
	};
	for (size_t i = 0; i < COUNT(old); i++) {
		ver_error(old[i], old[i]);
		ck_found(SEV_ERROR, VER, "older than the oldest version DPS "
					 "accepts (2018-09-01-preview)");
		ck_found(SEV_ERROR, VER, "2021-10-01");
	}
}
END_TEST

START_TEST(ver_bad_dates)
{
	ver_error("2021-02-30", "2021-02-30 is not a real date");
	ck_found(SEV_ERROR, VER, "February 2021 has 28 days");
	ver_error("2021-13-01", "month 13 does not exist");

	/* What each impossible date is told, day counts and leap years
	 * included; century years leap only every 400. */
	static const struct {
		const char *text, *fragment;
	} bad[] = {
		{ "2021-00-10", "month 00 does not exist" },
		{ "2021-04-31-preview", "April 2021 has 30 days" },
		{ "2021-01-00", "not a real date" },
		{ "2023-02-29", "February 2023 has 28 days" },
		{ "2100-02-29", "February 2100 has 28 days" },
	};
	for (size_t i = 0; i < COUNT(bad); i++) {
		ver(bad[i].text);
		ck_found(SEV_ERROR, VER, bad[i].fragment);
	}
	ver("2400-02-29");
	ck_nothing();
}
END_TEST

START_TEST(ver_bad_form)
{
	static const char *const bad[] = {
		"2021-1-1", "v1", "20211001", "2021/10/01", "latest",
		"21-10-01", "2021-10-1", "2021-10-0a", "-preview",
	};
	for (size_t i = 0; i < COUNT(bad); i++) {
		ver_error(bad[i], "expected a version like 2021-10-01 or "
				  "2019-03-31");
		ck_found(SEV_ERROR, VER, "2018-09-01-preview");
	}
}
END_TEST

START_TEST(ver_bad_suffix)
{
	static const char *const bad[] = {
		"2021-10-01-beta", "2021-10-01preview", "2021-10-01-Preview",
		"2021-10-01-preview2", "2021-10-01-",
	};
	for (size_t i = 0; i < COUNT(bad); i++)
		ver_error(bad[i], "only -preview may follow the date");
}
END_TEST

START_TEST(ver_spaces)
{
	ver_error(" 2021-10-01", "starts with a space");
	ver_error("2021-10-01 ", "ends with a space");
}
END_TEST

Suite *
net_suite(void)
{
	Suite *s = suite_create("net");

	TCase *tc = findings_tcase(s, "host_name");
	tcase_add_test(tc, host_valid);
	tcase_add_test(tc, host_blank_is_quiet);
	tcase_add_test(tc, host_scheme);
	tcase_add_test(tc, host_path_and_slash);
	tcase_add_test(tc, host_port);
	tcase_add_test(tc, host_spaces);
	tcase_add_test(tc, host_connection_string);
	tcase_add_test(tc, host_label_length);
	tcase_add_test(tc, host_total_length);
	tcase_add_test(tc, host_empty_labels);
	tcase_add_test(tc, host_hyphens);
	tcase_add_test(tc, host_bad_characters);
	tcase_add_test(tc, host_single_label_warns);

	tc = findings_tcase(s, "webhook_url");
	tcase_add_test(tc, hook_valid);
	tcase_add_test(tc, hook_blank_is_quiet);
	tcase_add_test(tc, hook_http_is_refused);
	tcase_add_test(tc, hook_not_absolute);
	tcase_add_test(tc, hook_no_host);
	tcase_add_test(tc, hook_bad_port);
	tcase_add_test(tc, hook_fragment_warns);
	tcase_add_test(tc, hook_credentials_warn);
	tcase_add_test(tc, hook_spaces);
	tcase_add_test(tc, hook_local_host_warns);

	tc = findings_tcase(s, "api_version");
	tcase_add_test(tc, ver_valid);
	tcase_add_test(tc, ver_blank_is_quiet);
	tcase_add_test(tc, ver_too_old);
	tcase_add_test(tc, ver_bad_dates);
	tcase_add_test(tc, ver_bad_form);
	tcase_add_test(tc, ver_bad_suffix);
	tcase_add_test(tc, ver_spaces);

	return s;
}
