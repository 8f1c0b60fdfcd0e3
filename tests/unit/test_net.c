#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "model/checks.h"
#include "model/findings.h"

#define HUB "iotHubs[0]"
#define HOOK "customAllocationDefinition.webhookUrl"
#define VER "customAllocationDefinition.apiVersion"

static struct findings f;

static void
setup(void)
{
	findings_init(&f);
}

static void
teardown(void)
{
	findings_clear(&f);
}

static const char *
dump(void)
{
	static char buf[8192];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < f.count && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "  %s %s: %s\n",
				      severity_name(f.items[i].severity),
				      f.items[i].path, f.items[i].message);
	return f.count ? buf : "  (nothing)\n";
}

static bool
found(enum severity sev, const char *path, const char *fragment)
{
	for (size_t i = 0; i < f.count; i++)
		if (f.items[i].severity == sev &&
		    strcmp(f.items[i].path, path) == 0 &&
		    strstr(f.items[i].message, fragment))
			return true;
	return false;
}

static bool
any_message_has(const char *fragment)
{
	for (size_t i = 0; i < f.count; i++)
		if (strstr(f.items[i].message, fragment))
			return true;
	return false;
}

#define ck_found(sev, path, fragment) \
	ck_assert_msg(found(sev, path, fragment), \
		      "expected %s at %s with \"%s\"; found:\n%s", \
		      severity_name(sev), path, fragment, dump())
#define ck_nothing() \
	ck_assert_msg(f.count == 0, "expected nothing; found:\n%s", dump())
#define ck_count(sev, n) \
	ck_assert_msg(findings_count(&f, sev) == (n), \
		      "expected %d %s(s); found:\n%s", (int)(n), \
		      severity_name(sev), dump())

static char *
repeat(char c, size_t times)
{
	char *s = malloc(times + 1);
	ck_assert_ptr_nonnull(s);
	memset(s, c, times);
	s[times] = '\0';
	return s;
}

static void
host(const char *text)
{
	findings_clear(&f);
	check_host_name(HUB, text, &f);
}

static void
hook(const char *text)
{
	findings_clear(&f);
	check_webhook_url(HOOK, text, &f);
}

static void
ver(const char *text)
{
	findings_clear(&f);
	check_allocation_api_version(VER, text, &f);
}

/* ---- host names ---- */

START_TEST(host_valid)
{
	const char *ok[] = {
		"myhub.azure-devices.net", "MyHub.Azure-Devices.NET",
		"a.b", "hub-01.azure-devices.cn", "1hub.example.com",
		"x.y.z.w", "10.0.0.1",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		host(ok[i]);
		ck_assert_msg(f.count == 0, "'%s' should pass; found:\n%s",
			      ok[i], dump());
	}
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
	host("https://myhub.azure-devices.net");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "give the host name only, without https://");

	host("amqps://myhub.azure-devices.net");
	ck_found(SEV_ERROR, HUB, "without amqps://");

	host("https://");
	ck_found(SEV_ERROR, HUB, "without https://");
	ck_found(SEV_ERROR, HUB, "no host name is left");
}
END_TEST

START_TEST(host_path_and_slash)
{
	host("myhub.azure-devices.net/");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "remove the '/' at the end (character 24)");

	host("myhub.azure-devices.net/devices/x");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "remove '/devices/x' from character 24");

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
	host("myhub.azure-devices.net:443");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "remove the port ':443' (character 24)");

	host("https://myhub.azure-devices.net:8883/x");
	ck_count(SEV_ERROR, 3);
	ck_found(SEV_ERROR, HUB, "':8883'");

	/* A colon without digits is no port: just a bad character. */
	host("myhub:abc.net");
	ck_found(SEV_ERROR, HUB, "character 6 ':' is not allowed");
	host("myhub.azure-devices.net:");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "character 24 ':' is not allowed");
}
END_TEST

START_TEST(host_spaces)
{
	host(" myhub.azure-devices.net");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "starts with a space");

	host("myhub.azure-devices.net  ");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "ends with a space");

	host("my hub.azure-devices.net");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "character 3 ' ' (a space) is not allowed");

	host("   ");
	ck_found(SEV_ERROR, HUB, "starts with a space");
	ck_found(SEV_ERROR, HUB, "no host name is left");
}
END_TEST

START_TEST(host_connection_string)
{
	host("HostName=myhub.azure-devices.net;SharedAccessKeyName=iothubowner;"
	     "SharedAccessKey=c2VjcmV0c2VjcmV0");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "connection string");
	ck_found(SEV_ERROR, HUB, "myhub.azure-devices.net");
	ck_assert_msg(!any_message_has("c2VjcmV0"), "key leaked:\n%s", dump());

	host("hostname=myhub.azure-devices.net");
	ck_found(SEV_ERROR, HUB, "connection string");

	host("SharedAccessKey=c2VjcmV0c2VjcmV0");
	ck_found(SEV_ERROR, HUB, "connection string");
	ck_assert_msg(!any_message_has("c2VjcmV0"), "key leaked:\n%s", dump());
}
END_TEST

START_TEST(host_label_length)
{
	char *label = repeat('a', 63);
	char *name = malloc(100);
	snprintf(name, 100, "%s.net", label);
	host(name);
	ck_nothing();
	free(label);

	label = repeat('a', 64);
	snprintf(name, 100, "%s.net", label);
	host(name);
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "64 characters long");
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
	char *s = repeat('a', total);
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
	host(s);
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "254 characters long");
	ck_found(SEV_ERROR, HUB, "the most is 253");
	free(s);
}
END_TEST

START_TEST(host_empty_labels)
{
	host("myhub..azure-devices.net");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "characters 6 and 7 are two dots in a row");

	host(".myhub.azure-devices.net");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "starts with a dot (character 1)");

	host("myhub.azure-devices.net.");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "ends with a dot (character 24)");

	host(".");
	ck_found(SEV_ERROR, HUB, "starts with a dot");
}
END_TEST

START_TEST(host_hyphens)
{
	host("-myhub.azure-devices.net");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "'-myhub' starts with '-' (character 1)");

	host("myhub-.azure-devices.net");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "'myhub-' ends with '-' (character 6)");

	host("my-hub.azure--devices.net");
	ck_nothing();

	host("a.-");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "starts with '-'");
}
END_TEST

START_TEST(host_bad_characters)
{
	host("my_hub.azure-devices.net");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HUB, "character 3 '_' is not allowed in a host name");

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
	const char *ok[] = {
		"https://myfunc.azurewebsites.net/api/allocate",
		"https://myfunc.azurewebsites.net/api/allocate?code=abc123==",
		"HTTPS://MyFunc.AzureWebsites.NET/api/x",
		"https://example.com",
		"https://example.com:8443/hook",
		"https://[2001:db8::1]/hook",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		hook(ok[i]);
		ck_assert_msg(f.count == 0, "'%s' should pass; found:\n%s",
			      ok[i], dump());
	}
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
	hook("http://myfunc.azurewebsites.net/api/allocate?code=x");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "DPS calls only https webhooks");

	hook("ftp://files.example.com/x");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "'ftp' URLs cannot be called");
}
END_TEST

START_TEST(hook_not_absolute)
{
	hook("/api/allocate");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "not an absolute URL");

	hook("myfunc.azurewebsites.net/api/allocate");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "does not start with https://");

	hook("garbage");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "not an absolute URL");

	hook("https:myfunc.azurewebsites.net");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "'//'");
}
END_TEST

START_TEST(hook_no_host)
{
	hook("https://");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "no host name");
}
END_TEST

START_TEST(hook_bad_port)
{
	hook("https://myfunc.azurewebsites.net:99999/api");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "port");

	hook("https://myfunc.azurewebsites.net:0/api");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "port 0");
}
END_TEST

START_TEST(hook_fragment_warns)
{
	hook("https://myfunc.azurewebsites.net/api/allocate#top");
	ck_count(SEV_ERROR, 0);
	ck_count(SEV_WARNING, 1);
	ck_found(SEV_WARNING, HOOK, "'#'");
}
END_TEST

START_TEST(hook_credentials_warn)
{
	hook("https://admin:s3cr3tpw@myfunc.azurewebsites.net/api/allocate");
	ck_count(SEV_ERROR, 0);
	ck_count(SEV_WARNING, 1);
	ck_found(SEV_WARNING, HOOK, "user name or password");
	ck_found(SEV_WARNING, HOOK, "?code=");
	ck_assert_msg(!any_message_has("s3cr3tpw"), "password shown:\n%s",
		      dump());

	hook("https://admin@myfunc.azurewebsites.net/api/allocate");
	ck_count(SEV_WARNING, 1);
}
END_TEST

START_TEST(hook_spaces)
{
	hook("  https://myfunc.azurewebsites.net/api/allocate");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "starts with a space");

	hook("https://myfunc.azurewebsites.net/api/allocate\n");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "ends with a space");

	hook("https://myfunc.azurewebsites.net/api/my hook");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "character 40 ' ' (a space)");
	ck_found(SEV_ERROR, HOOK, "%20");

	/* One finding for the character, not a second vaguer one. */
	hook("https://my func.azurewebsites.net/api");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "character 11 ' ' (a space)");

	hook("https://myfunc.azurewebsites.net/a\x01pi");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, HOOK, "character 35 U+0001 cannot appear in a URL");

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
	const char *ok[] = {
		"2018-09-01-preview", "2018-09-01", "2018-11-01",
		"2019-03-31", "2021-10-01", "2021-10-01-preview",
		"2024-02-29", "2020-02-29", "2099-12-31",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ver(ok[i]);
		ck_assert_msg(f.count == 0, "'%s' should pass; found:\n%s",
			      ok[i], dump());
	}
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
	const char *old[] = {
		"2018-08-31", "2018-08-31-preview", "2017-11-15",
		"2018-04-01", "0001-01-01",
	};
	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++) {
		ver(old[i]);
		ck_count(SEV_ERROR, 1);
		ck_found(SEV_ERROR, VER, old[i]);
		ck_found(SEV_ERROR, VER, "older than the oldest version DPS "
					 "accepts (2018-09-01-preview)");
		ck_found(SEV_ERROR, VER, "2021-10-01");
	}
}
END_TEST

START_TEST(ver_bad_dates)
{
	ver("2021-02-30");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, VER, "2021-02-30 is not a real date");
	ck_found(SEV_ERROR, VER, "February 2021 has 28 days");

	ver("2021-13-01");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, VER, "month 13 does not exist");

	ver("2021-00-10");
	ck_found(SEV_ERROR, VER, "month 00 does not exist");

	ver("2021-04-31-preview");
	ck_found(SEV_ERROR, VER, "April 2021 has 30 days");

	ver("2021-01-00");
	ck_found(SEV_ERROR, VER, "not a real date");

	ver("2023-02-29");
	ck_found(SEV_ERROR, VER, "February 2023 has 28 days");

	/* Century years are leap years only every 400. */
	ver("2100-02-29");
	ck_found(SEV_ERROR, VER, "February 2100 has 28 days");
	ver("2400-02-29");
	ck_nothing();
}
END_TEST

START_TEST(ver_bad_form)
{
	const char *bad[] = {
		"2021-1-1", "v1", "20211001", "2021/10/01", "latest",
		"21-10-01", "2021-10-1", "2021-10-0a", "-preview",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ver(bad[i]);
		ck_count(SEV_ERROR, 1);
		ck_found(SEV_ERROR, VER, "expected a version like 2021-10-01 "
					 "or 2019-03-31");
		ck_found(SEV_ERROR, VER, "2018-09-01-preview");
	}
}
END_TEST

START_TEST(ver_bad_suffix)
{
	const char *bad[] = {
		"2021-10-01-beta", "2021-10-01preview", "2021-10-01-Preview",
		"2021-10-01-preview2", "2021-10-01-",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ver(bad[i]);
		ck_count(SEV_ERROR, 1);
		ck_found(SEV_ERROR, VER, "only -preview may follow the date");
	}
}
END_TEST

START_TEST(ver_spaces)
{
	ver(" 2021-10-01");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, VER, "starts with a space");

	ver("2021-10-01 ");
	ck_count(SEV_ERROR, 1);
	ck_found(SEV_ERROR, VER, "ends with a space");
}
END_TEST

Suite *
net_suite(void)
{
	Suite *s = suite_create("net");

	TCase *tc = tcase_create("host_name");
	tcase_add_checked_fixture(tc, setup, teardown);
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
	suite_add_tcase(s, tc);

	tc = tcase_create("webhook_url");
	tcase_add_checked_fixture(tc, setup, teardown);
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
	suite_add_tcase(s, tc);

	tc = tcase_create("api_version");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ver_valid);
	tcase_add_test(tc, ver_blank_is_quiet);
	tcase_add_test(tc, ver_too_old);
	tcase_add_test(tc, ver_bad_dates);
	tcase_add_test(tc, ver_bad_form);
	tcase_add_test(tc, ver_bad_suffix);
	tcase_add_test(tc, ver_spaces);
	suite_add_tcase(s, tc);

	return s;
}
