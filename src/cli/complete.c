#include "cli/complete.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/xalloc.h"

/* An option as the help text writes it: "--if-match ETAG". */
struct option_word {
	char name[48];		/* "--if-match" */
	char arg[24];		/* "ETAG", or "" when it takes none */
};

struct option_set {
	struct option_word *items;
	size_t count;
	size_t cap;
};

static void
add(struct complete_list *out, const char *typed, const char *word)
{
	if (strncmp(word, typed, strlen(typed)) != 0)
		return;
	for (size_t i = 0; i < out->count; i++)
		if (strcmp(out->items[i], word) == 0)
			return;
	out->items = array_grow(out->items, out->count, &out->cap,
				sizeof(*out->items));
	out->items[out->count++] = xstrdup(word);
}

static void
add_all(struct complete_list *out, const char *typed,
	const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add(out, typed, words[i]);
}

void
complete_list_clear(struct complete_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	*l = (struct complete_list){ 0 };
}

/* ---- the options a command's help names ---- */

static bool
is_name_char(char c)
{
	return islower((unsigned char)c) || isdigit((unsigned char)c) || c == '-';
}

/* The placeholder after an option ("ETAG", "FILE|-"), or 0 chars. */
static size_t
placeholder(const char *p, const char **start)
{
	while (*p == ' ' || *p == '\n')
		p++;
	*start = p;
	size_t n = 0;
	if (!isupper((unsigned char)p[0]))
		return 0;
	while (isupper((unsigned char)p[n]) || isdigit((unsigned char)p[n]) ||
	       p[n] == '_' || p[n] == '|' || (p[n] == '-' && n && p[n - 1] == '|'))
		n++;
	return n;
}

static struct option_word *
find_option(struct option_set *s, const char *name)
{
	for (size_t i = 0; i < s->count; i++)
		if (strcmp(s->items[i].name, name) == 0)
			return &s->items[i];
	return NULL;
}

/* Every "--name" in `text`; one that is followed by a placeholder
 * anywhere takes an argument. */
static void
scan_options(struct option_set *s, const char *text)
{
	for (const char *p = text ? strstr(text, "--") : NULL; p;
	     p = strstr(p + 2, "--")) {
		if ((p > text && is_name_char(p[-1])) || !islower((unsigned char)p[2]))
			continue;
		size_t n = 2;
		while (is_name_char(p[n]))
			n++;
		if (n >= sizeof(s->items[0].name))
			continue;
		char name[sizeof(s->items[0].name)];
		memcpy(name, p, n);
		name[n] = '\0';
		struct option_word *o = find_option(s, name);
		if (!o) {
			s->items = array_grow(s->items, s->count, &s->cap,
					      sizeof(*s->items));
			o = &s->items[s->count++];
			*o = (struct option_word){ 0 };
			memcpy(o->name, name, n + 1);
		}
		const char *arg;
		size_t len = placeholder(p + n, &arg);
		if (len && len < sizeof(o->arg) && !o->arg[0])
			memcpy(o->arg, arg, len);
	}
}

static void
command_options(const struct cli_command *cmd, struct option_set *s)
{
	scan_options(s, cmd->args);
	scan_options(s, cmd->details);
	if (!find_option(s, "--help"))
		scan_options(s, "--help");
}

/* ---- what an argument holds ---- */

static void
add_argument(struct complete_list *out, const char *typed, const char *option,
	     const char *arg, const struct complete_names *names)
{
	if (option && strcmp(option, "--profile") == 0)
		add_all(out, typed, names->profiles, names->profile_count);
	else if (option && strcmp(option, "--theme") == 0)
		add_all(out, typed, names->themes, names->theme_count);
	else if (strstr(arg, "DIR"))
		add(out, "", COMPLETE_DIRS);
	else if (strstr(arg, "FILE") || strstr(arg, "PATH"))
		add(out, "", COMPLETE_FILES);
}

/* The placeholder of positional argument `index` ("MODE", "FILE|-"), from
 * the words of `args` before its first option; NULL past the last. */
static char *
positional(const char *args, size_t index)
{
	const char *p = args ? args : "";
	for (size_t i = 0;; i++) {
		while (*p == ' ')
			p++;
		if (!isupper((unsigned char)*p))
			return NULL;
		size_t n = strcspn(p, " ");
		if (i == index)
			return xstrndup(p, n);
		p += n;
	}
}

static const struct cli_command *
find_command(const struct cli_command *const *commands, size_t n,
	     const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static void
complete_command_word(const struct cli_command *const *commands, size_t n,
		      const char *typed, struct complete_list *out)
{
	if (typed[0] == '-') {
		add(out, typed, "--help");
		add(out, typed, "--version");
		return;
	}
	for (size_t i = 0; i < n; i++)
		add(out, typed, commands[i]->name);
	add(out, typed, "help");
}

static void
complete_after_command(const struct cli_command *cmd,
		       const struct complete_names *names,
		       const char *const *words, size_t count,
		       struct complete_list *out)
{
	struct option_set opts = { 0 };
	command_options(cmd, &opts);
	const char *typed = words[count - 1];
	size_t positionals = 0;
	const struct option_word *pending = NULL;
	bool only_positionals = false;
	for (size_t i = 1; i + 1 < count; i++) {
		const char *w = words[i];
		if (pending)
			pending = NULL;
		else if (!only_positionals && strcmp(w, "--") == 0)
			only_positionals = true;
		else if (!only_positionals && w[0] == '-' && w[1])
			pending = strchr(w, '=') ? NULL : find_option(&opts, w);
		else
			positionals++;
		if (pending && !pending->arg[0])
			pending = NULL;
	}
	if (pending) {
		add_argument(out, typed, pending->name, pending->arg, names);
	} else if (typed[0] == '-' && !only_positionals) {
		for (size_t i = 0; i < opts.count; i++)
			add(out, typed, opts.items[i].name);
	} else {
		char *arg = positional(cmd->args, positionals);
		if (arg && positionals == 0 && cmd->first_arg_choices) {
			for (const char *const *c = cmd->first_arg_choices; *c; c++)
				add(out, typed, *c);
		} else if (arg) {
			add_argument(out, typed, NULL, arg, names);
		}
		free(arg);
	}
	free(opts.items);
}

void
complete_words(const struct cli_command *const *commands,
	       size_t command_count, const struct complete_names *names,
	       const char *const *words, size_t count,
	       struct complete_list *out)
{
	if (count == 0)
		return;
	if (count == 1) {
		complete_command_word(commands, command_count, words[0], out);
		return;
	}
	const char *name = words[0];
	/* "dpsenroll help CMD" */
	if (strcmp(name, "help") == 0) {
		if (count == 2)
			for (size_t i = 0; i < command_count; i++)
				add(out, words[1], commands[i]->name);
		return;
	}
	const struct cli_command *cmd = find_command(commands, command_count,
						     name);
	if (cmd) {
		complete_after_command(cmd, names, words, count, out);
		return;
	}
	/* "dpsenroll --theme dark" opens the form: its options come first. */
	cmd = find_command(commands, command_count, "tui");
	if (!cmd || name[0] != '-')
		return;
	const char **with = xcalloc(count + 1, sizeof(*with));
	with[0] = cmd->name;
	memcpy(with + 1, words, count * sizeof(*words));
	complete_after_command(cmd, names, with, count + 1, out);
	free(with);
}
