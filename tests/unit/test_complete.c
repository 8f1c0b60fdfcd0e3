/* Shell completion: what Tab offers after the words typed so far, read
 * from a command table's usage and help text. */

#include <string.h>

#include "suites.h"
#include "cli/complete.h"

static int
run_nothing(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static const char *const colours[] = { "red", "green", NULL };

static const struct cli_command paint = {
	.name = "paint",
	.args = "COLOUR FILE|- [--coat N] [--dry]",
	.summary = "paint",
	/* "--dry," in prose takes nothing; "--brush\nSIZE" wraps a line. */
	.details = "Without --dry, it paints. Use --brush\nSIZE for edges.\n\n"
		   "  --coat N     coats\n  --out DIR    where\n  --profile NAME\n",
	.run = run_nothing,
	.first_arg_choices = colours,
};

static const struct cli_command tui = {
	.name = "tui", .args = "[--theme NAME]", .summary = "form",
	.details = "  --theme NAME   a theme\n", .run = run_nothing,
};

static const struct cli_command *const table[] = { &paint, &tui };
static const char *const profiles[] = { "bench-a", "bench-b", "lab" };
static const char *const themes[] = { "dark", "light" };
static const struct complete_names names = {
	profiles, 3, themes, 2,
};

/* The offers joined with spaces, for one assertion. */
static char *
offers(const char *const *words, size_t n)
{
	static char joined[512];
	struct complete_list out = { 0 };
	complete_words(table, 2, &names, words, n, &out);
	joined[0] = '\0';
	for (size_t i = 0; i < out.count; i++) {
		if (i)
			strcat(joined, " ");
		strcat(joined, out.items[i]);
	}
	complete_list_clear(&out);
	return joined;
}

#define OFFERS(want, ...) do { \
	const char *const w[] = { __VA_ARGS__ }; \
	ck_assert_str_eq(offers(w, sizeof(w) / sizeof(w[0])), want); \
} while (0)

START_TEST(commands_by_prefix)
{
	OFFERS("paint", "pa");
	OFFERS("paint tui help", "");
	OFFERS("--help --version", "--");
	OFFERS("paint", "help", "p");
}
END_TEST

START_TEST(options_from_usage_and_help)
{
	OFFERS("--coat --dry --brush --out --profile --help", "paint", "red", "--");
	OFFERS("--coat", "paint", "red", "--co");
}
END_TEST

START_TEST(option_arguments_by_kind)
{
	OFFERS("", "paint", "--coat", "");		/* a number: typed */
	OFFERS("@dirs", "paint", "--out", "");
	OFFERS("bench-a bench-b", "paint", "--profile", "be");
	OFFERS("", "paint", "--brush", "");		/* SIZE on the next line */
	OFFERS("red green", "paint", "--dry", "");	/* --dry takes nothing */
	OFFERS("red green", "paint", "--coat=2", "");
}
END_TEST

START_TEST(positionals_in_order)
{
	OFFERS("red green", "paint", "");
	OFFERS("green", "paint", "gr");
	OFFERS("@files", "paint", "red", "");
	OFFERS("@files", "paint", "--coat", "2", "red", "");
	OFFERS("", "paint", "red", "x.json", "");
	/* after "--" a word with a dash is an argument, not an option */
	OFFERS("@files", "paint", "--", "red", "-");
}
END_TEST

START_TEST(options_first_mean_the_form)
{
	OFFERS("dark", "--theme", "d");
	OFFERS("--theme --help", "tui", "--");
	OFFERS("", "nosuch", "");
}
END_TEST

Suite *
complete_suite(void)
{
	Suite *s = suite_create("complete");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, commands_by_prefix);
	tcase_add_test(tc, options_from_usage_and_help);
	tcase_add_test(tc, option_arguments_by_kind);
	tcase_add_test(tc, positionals_in_order);
	tcase_add_test(tc, options_first_mean_the_form);
	suite_add_tcase(s, tc);
	return s;
}
