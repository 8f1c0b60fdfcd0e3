/* Theme files: the shipped ones, bad lines, search and fallback, and the
 * monochrome derivation. theme_curses.c needs a terminal and is not here. */

#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "french.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "paths.h"
#include "ui/theme.h"

static const char *const shipped[] = {
	"default", "dark", "light", "high-contrast", "monochrome",
};

/* The roles a technician must never confuse, in any theme. */
static const enum theme_role key_roles[] = {
	ROLE_FIELD_FOCUS, ROLE_FIELD_EDIT, ROLE_MARK_ERROR, ROLE_MARK_WARNING,
	ROLE_MARK_OK, ROLE_SECRET, ROLE_POPUP, ROLE_POPUP_SELECTED,
};

#define NKEY (sizeof(key_roles) / sizeof(key_roles[0]))

static bool
same_style(struct theme_style a, struct theme_style b)
{
	return a.fg == b.fg && a.bg == b.bg && a.attrs == b.attrs;
}

static char *
themes_dir(void)
{
	return fixture_path("../../themes");
}

/* Parses a shipped theme on its own, asserting it is clean and complete. */
static void
parse_shipped(const char *name, struct theme *t)
{
	char *dir = themes_dir();
	char *rel = xasprintf("../../themes/%s", name);
	size_t len;
	char *text = read_fixture(rel, &len);
	ck_assert_msg(text, "cannot read %s/%s", dir, name);
	theme_init(t);
	char *problems = NULL;
	theme_parse(t, text, name, &problems);
	ck_assert_msg(!problems, "%s", problems);
	for (int r = 0; r < ROLE_COUNT; r++)
		ck_assert_msg(t->styles[r].set, "%s leaves %s unset", name,
			      theme_role_name(r));
	free(text);
	free(rel);
	free(dir);
}

START_TEST(compiled_default_is_clean_and_complete)
{
	struct theme file, t;
	parse_shipped("default.theme", &file);
	theme_default(&t);
	ck_assert_str_eq(t.name, "default");
	ck_assert(!t.monochrome);
	for (int r = 0; r < ROLE_COUNT; r++) {
		ck_assert(t.styles[r].set);
		ck_assert_msg(same_style(t.styles[r], file.styles[r]),
			      "built-in %s differs from themes/default.theme",
			      theme_role_name(r));
	}
	theme_clear(&t);
	theme_clear(&file);
}
END_TEST

static void
assert_key_roles_apart(const struct theme *t, const char *name)
{
	for (size_t i = 0; i < NKEY; i++) {
		for (size_t j = i + 1; j < NKEY; j++) {
			struct theme_style a = theme_style_of(t, key_roles[i]);
			struct theme_style b = theme_style_of(t, key_roles[j]);
			bool apart = t->monochrome ? a.attrs != b.attrs
				: a.fg != b.fg || a.bg != b.bg;
			ck_assert_msg(apart, "%s: %s looks like %s", name,
				      theme_role_name(key_roles[i]),
				      theme_role_name(key_roles[j]));
		}
	}
	ck_assert(!same_style(theme_style_of(t, ROLE_MESSAGE_ERROR),
			      theme_style_of(t, ROLE_MESSAGE_WARNING)));
}

/* The shipped themes use the 256-colour palette; on the 8-colour linux
 * console or a serial terminal they must still work. */
static void
assert_apart_in_eight_colours(const struct theme *t, const char *name)
{
	short fg[ROLE_COUNT], bg[ROLE_COUNT];
	for (int r = 0; r < ROLE_COUNT; r++) {
		struct theme_style s = theme_style_of(t, r);
		fg[r] = theme_basic_colour(s.fg);
		bg[r] = theme_basic_colour(s.bg);
		ck_assert_msg(fg[r] < 0 || fg[r] != bg[r],
			      "%s: %s is invisible in 8 colours", name,
			      theme_role_name(r));
	}
	for (size_t i = 0; i < NKEY; i++) {
		for (size_t j = i + 1; j < NKEY; j++) {
			enum theme_role a = key_roles[i], b = key_roles[j];
			ck_assert_msg(fg[a] != fg[b] || bg[a] != bg[b],
				      "%s: in 8 colours %s looks like %s",
				      name, theme_role_name(a),
				      theme_role_name(b));
		}
	}
}

static bool
is_shipped(const char *file)
{
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		char *want = xasprintf("%s.theme", shipped[i]);
		bool same = strcmp(want, file) == 0;
		free(want);
		if (same)
			return true;
	}
	return false;
}

START_TEST(shipped_themes_are_clean_complete_and_distinct)
{
	char *dir = themes_dir();
	DIR *d = opendir(dir);
	ck_assert_msg(d, "cannot open %s", dir);
	size_t found = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 7 || strcmp(e->d_name + len - 6, ".theme") != 0)
			continue;
		struct theme t;
		parse_shipped(e->d_name, &t);
		ck_assert_int_eq(t.monochrome,
				 strcmp(e->d_name, "monochrome.theme") == 0);
		assert_key_roles_apart(&t, e->d_name);
		if (!t.monochrome)
			assert_apart_in_eight_colours(&t, e->d_name);
		theme_clear(&t);
		found += is_shipped(e->d_name);
	}
	closedir(d);
	free(dir);
	ck_assert_uint_eq(found, sizeof(shipped) / sizeof(shipped[0]));
}
END_TEST

static size_t
count_lines(const char *s)
{
	size_t n = 1;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

START_TEST(bad_lines_are_reported_and_skipped)
{
	static const char text[] =
		"color normal white blue   # fine\n"
		"color nosuch red default\n"
		"color label purple default\n"
		"color title red default blink\n"
		"color field red\n"
		"colour section red default\n"
		"color field-focus black 256\n"
		"\n"
		"  COLOR Mark_OK green default bold\n";
	struct theme def, t;
	theme_default(&def);
	theme_default(&t);
	char *problems = NULL;
	theme_parse(&t, text, "bad.theme", &problems);
	ck_assert_ptr_nonnull(problems);
	ck_assert_uint_eq(count_lines(problems), 6);
	static const char *const want[] = {
		"bad.theme:2: unknown role 'nosuch'; roles: normal, title,",
		"bad.theme:3: bad foreground colour 'purple'; colours: default, black,",
		"bad.theme:4: unknown attribute 'blink'; attributes: bold, dim,",
		"bad.theme:5: missing the background colour after 'red'",
		"bad.theme:6: unknown command 'colour'",
		"bad.theme:7: bad background colour '256'",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(strstr(problems, want[i]), "no \"%s\" in:\n%s",
			      want[i], problems);
	struct theme_style normal = t.styles[ROLE_NORMAL];
	ck_assert_int_eq(normal.fg, 7);
	ck_assert_int_eq(normal.bg, 4);
	struct theme_style ok = t.styles[ROLE_MARK_OK];
	ck_assert_int_eq(ok.fg, 2);
	ck_assert_uint_eq(ok.attrs, THEME_ATTR_BOLD);
	static const enum theme_role kept[] = {
		ROLE_LABEL, ROLE_TITLE, ROLE_FIELD, ROLE_SECTION,
		ROLE_FIELD_FOCUS,
	};
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		ck_assert(same_style(t.styles[kept[i]], def.styles[kept[i]]));
	free(problems);
	theme_clear(&t);
	theme_clear(&def);
}
END_TEST

START_TEST(colour_words)
{
	struct theme t;
	theme_init(&t);
	char *problems = NULL;
	theme_parse(&t, "color title bright-red 0\n"
		    "color label 255 default standout italic dim reverse\n",
		    "w.theme", &problems);
	ck_assert_ptr_null(problems);
	ck_assert_int_eq(t.styles[ROLE_TITLE].fg, 9);
	ck_assert_int_eq(t.styles[ROLE_TITLE].bg, 0);
	ck_assert_int_eq(t.styles[ROLE_LABEL].fg, 255);
	ck_assert_uint_eq(t.styles[ROLE_LABEL].attrs,
			  THEME_ATTR_STANDOUT | THEME_ATTR_ITALIC |
			  THEME_ATTR_DIM | THEME_ATTR_REVERSE);
	theme_clear(&t);
}
END_TEST

START_TEST(palette_colours_keep_their_hue_in_eight)
{
	static const struct {
		short from, to;
	} cases[] = {
		{ THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT },
		{ 3, 3 }, { 12, 4 },	/* bright blue loses only brightness */
		{ 214, 3 },		/* orange: a warning, not an error */
		{ 117, 6 }, { 222, 3 },	/* pale focus and edit stay apart */
		{ 17, 4 }, { 124, 1 }, { 28, 2 }, { 90, 5 },
		{ 231, 7 }, { 16, 0 }, { 241, 0 }, { 250, 7 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(theme_basic_colour(cases[i].from) == cases[i].to,
			      "%d became %d, not %d", cases[i].from,
			      theme_basic_colour(cases[i].from), cases[i].to);
}
END_TEST

START_TEST(unset_roles_follow_normal)
{
	struct theme t;
	theme_init(&t);
	char *problems = NULL;
	theme_parse(&t, "color normal white blue bold\n"
		    "color field-focus black default\n", "p.theme", &problems);
	ck_assert_ptr_null(problems);
	struct theme_style label = theme_style_of(&t, ROLE_LABEL);
	ck_assert(!label.set);
	ck_assert_int_eq(label.fg, 7);
	ck_assert_int_eq(label.bg, 4);
	ck_assert_uint_eq(label.attrs, THEME_ATTR_BOLD);
	struct theme_style focus = theme_style_of(&t, ROLE_FIELD_FOCUS);
	ck_assert_int_eq(focus.fg, 0);
	ck_assert_int_eq(focus.bg, 4);
	ck_assert_uint_eq(focus.attrs, 0);
	theme_clear(&t);
}
END_TEST

static void
assert_monochrome_apart(struct theme *t, const char *name)
{
	theme_make_monochrome(t);
	ck_assert(t->monochrome);
	for (int r = 0; r < ROLE_COUNT; r++) {
		struct theme_style s = theme_style_of(t, r);
		ck_assert_int_eq(s.fg, THEME_COLOR_DEFAULT);
		ck_assert_int_eq(s.bg, THEME_COLOR_DEFAULT);
	}
	assert_key_roles_apart(t, name);
	unsigned focus = theme_style_of(t, ROLE_FIELD_FOCUS).attrs;
	unsigned error = theme_style_of(t, ROLE_MARK_ERROR).attrs;
	unsigned warning = theme_style_of(t, ROLE_MARK_WARNING).attrs;
	ck_assert(focus & THEME_ATTR_REVERSE);
	ck_assert(error & THEME_ATTR_BOLD && error & THEME_ATTR_UNDERLINE);
	ck_assert(warning & THEME_ATTR_UNDERLINE);
	ck_assert(!(warning & THEME_ATTR_BOLD));
}

START_TEST(monochrome_keeps_focus_errors_and_warnings_apart)
{
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		char *file = xasprintf("%s.theme", shipped[i]);
		struct theme t;
		parse_shipped(file, &t);
		assert_monochrome_apart(&t, file);
		theme_clear(&t);
		free(file);
	}
	/* A colour theme whose warning is bold like its error still comes
	 * out with the two apart. */
	struct theme t;
	theme_default(&t);
	theme_parse(&t, "color mark-warning yellow default bold underline\n"
		    "color field-focus default default underline\n",
		    "x.theme", NULL);
	assert_monochrome_apart(&t, "bold warning");
	theme_clear(&t);
}
END_TEST

static char tmp[64];

static void
write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmp, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void
make_theme_dir(void)
{
	strcpy(tmp, "/tmp/dpsenroll-theme-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	write_file("alpha.theme", "color normal red default\n");
	write_file("beta.theme", "color normal green default\n"
		   "color label green default plaid\n");
	setenv("DPSENROLL_THEME_DIR", tmp, 1);
	char *none = xasprintf("%s/no-config", tmp);
	setenv("XDG_CONFIG_HOME", none, 1);
	free(none);
}

static void
remove_theme_dir(void)
{
	static const char *const files[] = { "alpha.theme", "beta.theme" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *path = xasprintf("%s/%s", tmp, files[i]);
		unlink(path);
		free(path);
	}
	rmdir(tmp);
}

START_TEST(missing_theme_falls_back_and_lists_the_others)
{
	struct theme def, t;
	theme_default(&def);
	char *problems = NULL;
	theme_load(&t, "nope", &problems);
	ck_assert_ptr_nonnull(problems);
	ck_assert_msg(strncmp(problems, "theme 'nope' not found; available: ",
			      35) == 0, "%s", problems);
	ck_assert(strstr(problems, "alpha, beta,"));
	ck_assert(strstr(problems, "default"));
	ck_assert_str_eq(t.name, "default");
	for (int r = 0; r < ROLE_COUNT; r++)
		ck_assert(same_style(t.styles[r], def.styles[r]));
	free(problems);
	theme_clear(&t);
	theme_clear(&def);
}
END_TEST

START_TEST(themes_load_by_name_or_path)
{
	struct theme t;
	char *problems = NULL;
	theme_load(&t, "alpha", &problems);
	ck_assert_ptr_null(problems);
	ck_assert_str_eq(t.name, "alpha");
	ck_assert_int_eq(t.styles[ROLE_NORMAL].fg, 1);
	/* Loaded over the default: what alpha does not set stays. */
	ck_assert_int_eq(t.styles[ROLE_FIELD_FOCUS].bg, 6);
	theme_clear(&t);

	char *path = xasprintf("%s/beta.theme", tmp);
	theme_load(&t, path, &problems);
	char *want = xasprintf("%s:2: unknown attribute 'plaid'", path);
	ck_assert_ptr_nonnull(problems);
	ck_assert_msg(strncmp(problems, want, strlen(want)) == 0, "%s",
		      problems);
	ck_assert_int_eq(t.styles[ROLE_NORMAL].fg, 2);
	free(want);
	free(problems);
	free(path);
	theme_clear(&t);

	problems = NULL;
	theme_load(&t, "default", &problems);
	ck_assert_ptr_null(problems);
	theme_clear(&t);
}
END_TEST

START_TEST(list_is_sorted_and_unique)
{
	size_t n;
	char **names = theme_list(&n);
	bool alpha = false, def = false;
	for (size_t i = 0; i < n; i++) {
		if (i)
			ck_assert_int_lt(strcmp(names[i - 1], names[i]), 0);
		alpha |= strcmp(names[i], "alpha") == 0;
		def |= strcmp(names[i], "default") == 0;
	}
	ck_assert(alpha && def);
	theme_list_free(names, n);
}
END_TEST

/* A person editing a theme under LANG=fr_FR.UTF-8 reads why a line is
 * bad in French; the theme's own words (roles, colours, the form of a
 * line) stay as the file writes them. */
START_TEST(bad_lines_are_explained_in_french)
{
#if DPSENROLL_NLS
	if (!unit_speak_french())
		return;
	static const char text[] =
		"color nosuch red default\n"
		"color label purple default\n"
		"color field red\n"
		"colour section red default\n";
	struct theme t;
	theme_default(&t);
	char *problems = NULL;
	theme_parse(&t, text, "bad.theme", &problems);
	unit_speak_c();
	ck_assert_ptr_nonnull(problems);
	static const char *const want[] = {
		"bad.theme:1: rôle inconnu 'nosuch' ; rôles : normal, title,",
		"bad.theme:2: couleur de premier plan invalide 'purple' ; "
		"couleurs : default, black,",
		"bad.theme:3: il manque la couleur de fond après 'red' ; une "
		"ligne de thème s'écrit : color ROLE FG BG [ATTR...]",
		"bad.theme:4: commande inconnue 'colour'",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(strstr(problems, want[i]), "no \"%s\" in:\n%s",
			      want[i], problems);
	free(problems);
	theme_clear(&t);
#endif
}
END_TEST

Suite *
theme_suite(void)
{
	Suite *s = suite_create("theme");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, compiled_default_is_clean_and_complete);
	tcase_add_test(tc, shipped_themes_are_clean_complete_and_distinct);
	tcase_add_test(tc, bad_lines_are_reported_and_skipped);
	tcase_add_test(tc, bad_lines_are_explained_in_french);
	tcase_add_test(tc, colour_words);
	tcase_add_test(tc, palette_colours_keep_their_hue_in_eight);
	tcase_add_test(tc, unset_roles_follow_normal);
	tcase_add_test(tc, monochrome_keeps_focus_errors_and_warnings_apart);
	suite_add_tcase(s, tc);
	TCase *load = tcase_create("load");
	tcase_add_checked_fixture(load, make_theme_dir, remove_theme_dir);
	tcase_add_test(load, missing_theme_falls_back_and_lists_the_others);
	tcase_add_test(load, themes_load_by_name_or_path);
	tcase_add_test(load, list_is_sorted_and_unique);
	suite_add_tcase(s, load);
	return s;
}
