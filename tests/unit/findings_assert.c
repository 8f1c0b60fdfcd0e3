#include "findings_assert.h"

#include <stdio.h>

struct findings found_list;

void
findings_fixture_setup(void)
{
	findings_init(&found_list);
}

void
findings_fixture_teardown(void)
{
	findings_clear(&found_list);
}

TCase *
findings_tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, findings_fixture_setup,
				  findings_fixture_teardown);
	suite_add_tcase(s, tc);
	return tc;
}

void
findings_check(text_check_fn check, const char *path, const char *text)
{
	findings_clear(&found_list);
	check(path, text, &found_list);
}

void
findings_each_quiet(text_check_fn check, const char *path,
		    const char *const texts[], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		findings_check(check, path, texts[i]);
		ck_nothing_for(texts[i]);
	}
}

void
findings_expect_one_error(text_check_fn check, const char *path,
			  const char *text, const char *fragment)
{
	findings_check(check, path, text);
	ck_assert_msg(found_list.count == 1,
		      "expected one finding for '%s'; found:\n%s", text,
		      findings_dump());
	ck_assert_msg(findings_found(SEV_ERROR, path, fragment),
		      "expected an error at %s with \"%s\" for '%s'; "
		      "found:\n%s", path, fragment, text, findings_dump());
}

const char *
findings_dump(void)
{
	static char buf[8192];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < found_list.count && n < sizeof(buf); i++) {
		const struct finding *it = &found_list.items[i];
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "  %s %s: %s\n",
				      severity_name(it->severity), it->path,
				      it->message);
	}
	return found_list.count ? buf : "  (nothing)\n";
}

bool
findings_found(enum severity sev, const char *path, const char *fragment)
{
	for (size_t i = 0; i < found_list.count; i++) {
		const struct finding *it = &found_list.items[i];
		if (it->severity == sev && strcmp(it->path, path) == 0 &&
		    strstr(it->message, fragment))
			return true;
	}
	return false;
}
