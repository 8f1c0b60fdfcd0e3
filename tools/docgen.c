/* docgen: writes the parts of the README and the manual pages that list
 * commands, options and keys, from the tables the programs use (the CLI's
 * command table, ui/keymap.c, dpsemu's usage text), so they cannot drift.
 *
 *   docgen --write FILE...   rewrite the generated parts in place
 *   docgen --check FILE...   exit 1 naming each part that differs
 *
 * A generated part sits between two marker lines that name it:
 *   <!-- BEGIN GENERATED keys-form ... -->  ...  <!-- END GENERATED keys-form -->
 *   .\" BEGIN GENERATED commands ...        ...  .\" END GENERATED commands
 * Everything else in the files is written by hand. A file whose name ends
 * in ".md" gets Markdown, any other roff. */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/array.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "cli/cli_net.h"
#include "emu/emu_usage.h"
#include "sys/fileio.h"
#include "ui/keymap.h"

#define BEGIN_MARK "BEGIN GENERATED "
#define END_MARK "END GENERATED "
/* "keys-form": the keys of a context, by its name in ui/keymap.h. */
#define KEYS_PART "keys-"

#define COMMAND_REF(name) &cmd_##name,
static const struct cli_command *const commands[] = {
	CLI_COMMANDS(COMMAND_REF)
};
#undef COMMAND_REF

enum { COMMAND_COUNT = sizeof(commands) / sizeof(commands[0]) };

enum format { MARKDOWN, ROFF };

/* ---- help text: prose paragraphs and option lists ---- */

/* A help text is paragraphs separated by blank lines. A paragraph whose
 * lines all start with two spaces lists options: "  --name ARG   what it
 * does", continued on lines indented further. */
struct help_item {
	bool option;
	char *term;		/* "--if-match ETAG"; NULL for prose */
	char *text;		/* prose keeps its line breaks */
};

struct help {
	struct help_item *items;
	size_t count;
	size_t cap;
};

static void
help_add(struct help *h, bool option, char *term, char *text)
{
	h->items = array_grow(h->items, h->count, &h->cap, sizeof(*h->items));
	h->items[h->count++] = (struct help_item){ option, term, text };
}

static void
help_free(struct help *h)
{
	for (size_t i = 0; i < h->count; i++) {
		free(h->items[i].term);
		free(h->items[i].text);
	}
	free(h->items);
	*h = (struct help){ 0 };
}

static const char *
skip_spaces(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* "  --timeout S   whole request" -> term "--timeout S", text the rest. */
static void
parse_option_line(struct help *h, const char *line, size_t len)
{
	const char *start = line + 2, *end = line + len;
	const char *gap = strstr(start, "  ");
	if (!gap || gap > end)
		gap = end;
	const char *text = skip_spaces(gap);
	if (text > end)
		text = end;
	help_add(h, true, xstrndup(start, (size_t)(gap - start)),
		 xstrndup(text, (size_t)(end - text)));
}

static void
append_continuation(struct help_item *it, const char *line, size_t len)
{
	const char *text = skip_spaces(line);
	/* An option too long for the column has its text on the next line. */
	char *joined = xasprintf("%s%s%.*s", it->text, *it->text ? " " : "",
				 (int)(len - (size_t)(text - line)), text);
	free(it->text);
	it->text = joined;
}

static bool
is_option_paragraph(const char *p, const char *end)
{
	while (p < end) {
		if (strncmp(p, "  ", 2) != 0)
			return false;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	return true;
}

static void
parse_paragraph(struct help *h, const char *p, const char *end)
{
	while (end > p && end[-1] == '\n')
		end--;
	if (end == p)
		return;
	if (!is_option_paragraph(p, end)) {
		help_add(h, false, NULL, xstrndup(p, (size_t)(end - p)));
		return;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;
		size_t len = (size_t)(line_end - p);
		if (p[2] != ' ' || h->count == 0 || !h->items[h->count - 1].option)
			parse_option_line(h, p, len);
		else
			append_continuation(&h->items[h->count - 1], p, len);
		p = nl ? nl + 1 : end;
	}
}

static void
help_parse(struct help *h, const char *text)
{
	*h = (struct help){ 0 };
	const char *p = text;
	while (*p) {
		const char *blank = strstr(p, "\n\n");
		const char *end = blank ? blank + 1 : p + strlen(p);
		parse_paragraph(h, p, end);
		p = blank ? blank + 2 : end;
	}
}

/* ---- roff ---- */

/* Text for a roff text line: backslashes and hyphens escaped, and a
 * leading dot or quote kept from being read as a request. */
static void
roff_text(FILE *out, const char *s, size_t len)
{
	bool line_start = true;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (line_start && (c == '.' || c == '\''))
			fputs("\\&", out);
		if (c == '\\')
			fputs("\\e", out);
		else if (c == '-')
			fputs("\\-", out);
		else
			fputc(c, out);
		line_start = c == '\n';
	}
}

static void
roff_str(FILE *out, const char *s)
{
	roff_text(out, s, strlen(s));
}

/* "--cacert FILE": the option in bold, its argument in italics. */
static void
roff_option_term(FILE *out, const char *term)
{
	const char *space = strchr(term, ' ');
	if (!space) {
		fputs(".B ", out);
		roff_str(out, term);
	} else {
		fputs(".BI \"", out);
		roff_text(out, term, (size_t)(space - term) + 1);
		fputs("\" \"", out);
		roff_str(out, space + 1);
		fputs("\"", out);
	}
	fputc('\n', out);
}

/* Options as an indented list under the current paragraph; prose as
 * indented paragraphs. `nested` is true inside a .TP item. */
static void
roff_help(FILE *out, const struct help *h, bool nested)
{
	bool in_list = false;
	for (size_t i = 0; i < h->count; i++) {
		const struct help_item *it = &h->items[i];
		if (it->option && nested && !in_list)
			fputs(".RS\n", out);
		if (!it->option && nested && in_list)
			fputs(".RE\n", out);
		in_list = it->option;
		if (it->option) {
			fputs(".TP\n", out);
			roff_option_term(out, it->term);
		} else {
			fputs(nested ? ".IP\n" : ".PP\n", out);
		}
		roff_str(out, it->text);
		fputc('\n', out);
	}
	if (nested && in_list)
		fputs(".RE\n", out);
}

/* ---- the parts ---- */

/* A command's details without the connection options every network
 * command shares (listed once, in their own section). */
static char *
own_details(const struct cli_command *cmd)
{
	static const char *const shared[] = {
		NET_OPTIONS_HELP,
		/* watch: its --timeout is its own */
		NET_OPTIONS_HELP_HEAD NET_OPTIONS_HELP_TAIL NET_OPTIONS_HELP_JSON
		NET_OPTIONS_HELP_KEYLOG,
		/* import: no --json */
		NET_OPTIONS_HELP_HEAD NET_OPTIONS_HELP_TIMEOUT
		NET_OPTIONS_HELP_TAIL NET_OPTIONS_HELP_KEYLOG,
	};
	const char *d = cmd->details ? cmd->details : "";
	size_t n = strlen(d);
	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		size_t m = strlen(shared[i]);
		if (n >= m && strcmp(d + n - m, shared[i]) == 0)
			return xstrndup(d, n - m);
	}
	return xstrndup(d, n);
}

static bool
gen_commands(FILE *out, enum format fmt)
{
	if (fmt != ROFF)
		return false;
	for (size_t i = 0; i < COMMAND_COUNT; i++) {
		const struct cli_command *cmd = commands[i];
		fputs(".TP\n\\fB", out);
		roff_str(out, cmd->name);
		fputs("\\fR ", out);
		roff_str(out, cmd->args);
		fputc('\n', out);
		roff_str(out, cmd->summary);
		fputs(".\n", out);
		char *details = own_details(cmd);
		struct help h;
		help_parse(&h, details);
		roff_help(out, &h, true);
		help_free(&h);
		free(details);
	}
	return true;
}

static bool
gen_connection(FILE *out, enum format fmt)
{
	if (fmt != ROFF)
		return false;
	struct help h;
	help_parse(&h, NET_OPTIONS_HELP);
	roff_help(out, &h, false);
	help_free(&h);
	return true;
}

/* Roff escapes text; a Markdown table cell takes it as it is (no key name
 * or request name holds a '|'). */
static void
put_text(FILE *out, enum format fmt, const char *s)
{
	if (fmt == ROFF)
		roff_str(out, s);
	else
		fputs(s, out);
}

/* The context's title (in bold, or a subsection of the manual), then
 * what typing does there. */
static void
gen_keys_lead(FILE *out, enum format fmt, enum key_context ctx)
{
	const char *typing = keymap_context_typing(ctx);
	bool edits = keymap_context_flags(ctx) & KC_EDITS;
	fputs(fmt == MARKDOWN ? "**" : ".SS ", out);
	put_text(out, fmt, keymap_context_title(ctx));
	fputs(fmt == MARKDOWN ? ".**" : "\n", out);
	if (typing) {
		fputs(fmt == MARKDOWN ? " " : "", out);
		put_text(out, fmt, typing);
	}
	if (edits) {
		fputs(fmt == MARKDOWN || typing ? " " : "", out);
		put_text(out, fmt, keymap_edits_note);
	}
	if (fmt == MARKDOWN)
		fputs("\n\n", out);
	else if (typing || edits)
		fputc('\n', out);
}

/* The keys that apply in `ctx`, one row per request in the table's
 * order: "F2, Ctrl-S" and what they do. */
static void
gen_keys(FILE *out, enum format fmt, enum key_context ctx)
{
	size_t count;
	const struct key_binding *b = keymap_bindings(&count);
	bool done[REQ_COUNT] = { false };
	gen_keys_lead(out, fmt, ctx);
	if (fmt == MARKDOWN)
		fputs("| key | what it does |\n| --- | --- |\n", out);
	for (size_t i = 0; i < count; i++) {
		enum ui_request req = b[i].request;
		if (!keymap_applies(&b[i], ctx) || done[req])
			continue;
		done[req] = true;
		fputs(fmt == MARKDOWN ? "| " : ".TP\n.B ", out);
		const char *sep = "";
		for (size_t k = i; k < count; k++) {
			if (b[k].request != req || !keymap_applies(&b[k], ctx))
				continue;
			fputs(sep, out);
			put_text(out, fmt, b[k].key_name);
			sep = ", ";
		}
		fputs(fmt == MARKDOWN ? " | " : "\n", out);
		put_text(out, fmt, ui_request_name(req));
		fputs(fmt == MARKDOWN ? " |\n" : "\n", out);
	}
}

/* "keys-picker": the keys of that context. */
static bool
gen_keys_part(const char *name, FILE *out, enum format fmt)
{
	for (int ctx = 0; ctx < KEYS_COUNT; ctx++) {
		if (strcmp(name, keymap_context_name((enum key_context)ctx)) != 0)
			continue;
		gen_keys(out, fmt, (enum key_context)ctx);
		return true;
	}
	return false;
}

/* dpsemu's synopsis: the usage text's first paragraph without "Usage: ". */
static bool
gen_dpsemu_synopsis(FILE *out, enum format fmt)
{
	if (fmt != ROFF)
		return false;
	const char *p = emu_usage + strlen("Usage: dpsemu ");
	const char *end = strstr(p, "\n\n");
	fputs("\\fBdpsemu\\fR ", out);
	while (p < end) {
		p = skip_spaces(p);
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end;
		roff_text(out, p, (size_t)(line_end - p));
		fputc(nl ? ' ' : '\n', out);
		p = nl ? nl + 1 : end;
	}
	return true;
}

/* Its options: the option lists of the usage text. */
static bool
gen_dpsemu_options(FILE *out, enum format fmt)
{
	if (fmt != ROFF)
		return false;
	struct help h;
	help_parse(&h, emu_usage);
	for (size_t i = 0; i < h.count; i++) {
		if (!h.items[i].option)
			continue;
		fputs(".TP\n", out);
		roff_option_term(out, h.items[i].term);
		roff_str(out, h.items[i].text);
		fputc('\n', out);
	}
	help_free(&h);
	return true;
}

static const struct part {
	const char *name;
	bool (*gen)(FILE *out, enum format fmt);	/* false: not in fmt */
} parts[] = {
	{ "commands", gen_commands },
	{ "connection", gen_connection },
	{ "dpsemu-synopsis", gen_dpsemu_synopsis },
	{ "dpsemu-options", gen_dpsemu_options },
};

/* Writes part `name` in `fmt`: 1 done, 0 not in fmt, -1 no such part. */
static int
generate(const char *name, FILE *out, enum format fmt)
{
	if (strncmp(name, KEYS_PART, strlen(KEYS_PART)) == 0)
		return gen_keys_part(name + strlen(KEYS_PART), out, fmt) ? 1 : -1;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strcmp(parts[i].name, name) == 0)
			return parts[i].gen(out, fmt) ? 1 : 0;
	return -1;
}

/* The text of part `name` in `fmt`, or NULL with *why. The caller frees. */
static char *
part_text(const char *name, enum format fmt, char **why)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out)
		abort();
	int done = generate(name, out, fmt);
	fclose(out);
	if (done > 0)
		return text;
	free(text);
	*why = done < 0 ? xasprintf("no part is called '%s'", name)
			: xasprintf("'%s' has no %s form", name,
				    fmt == ROFF ? "roff" : "Markdown");
	return NULL;
}

/* ---- files ---- */

/* The name after `mark` on a marker line ("keys-form"), or NULL. A
 * marker line is a comment that starts with the mark. */
static char *
marker_name(const char *line, size_t len, const char *mark)
{
	static const char *const openers[] = { ".\\\" ", "<!-- " };
	const char *p = NULL, *end = line + len;
	for (size_t i = 0; i < 2 && !p; i++) {
		size_t n = strlen(openers[i]), m = strlen(mark);
		if (len > n + m && memcmp(line, openers[i], n) == 0 &&
		    memcmp(line + n, mark, m) == 0)
			p = line + n + m;
	}
	if (!p)
		return NULL;
	const char *q = p;
	while (q < end && *q != ' ' && *q != ':' && *q != '\n')
		q++;
	return q > p ? xstrndup(p, (size_t)(q - p)) : NULL;
}

/* Counts the lines up to the first difference, for the message. */
static size_t
first_difference(const char *a, const char *b)
{
	size_t line = 1;
	while (*a && *a == *b) {
		if (*a == '\n')
			line++;
		a++;
		b++;
	}
	return line;
}

struct regen {
	const char *path;
	enum format fmt;
	bool quiet;		/* --write: no message per stale part */
	FILE *out;
	int stale;		/* parts that differed */
	char *why;		/* set when the markers are broken */
	unsigned key_parts;	/* the contexts whose keys it lists */
};

/* The line length at p, its newline included. */
static size_t
line_len(const char *p)
{
	const char *nl = strchr(p, '\n');
	return nl ? (size_t)(nl - p) + 1 : strlen(p);
}

/* The END line of part `name` at or after p, or NULL; *lines counts the
 * lines before it. */
static const char *
find_end(const char *p, const char *name, size_t *lines)
{
	*lines = 0;
	for (; *p; p += line_len(p), (*lines)++) {
		char *closing = marker_name(p, line_len(p), END_MARK);
		bool match = closing && strcmp(closing, name) == 0;
		free(closing);
		if (match)
			return p;
	}
	return NULL;
}

/* Writes part `name` afresh in place of `old` (n bytes), counting it as
 * stale when it differs. */
static void
replace_part(struct regen *r, const char *name, size_t lineno,
	     const char *old, size_t n)
{
	char *why = NULL;
	char *fresh = part_text(name, r->fmt, &why);
	for (int ctx = 0; ctx < KEYS_COUNT; ctx++)
		if (strncmp(name, KEYS_PART, strlen(KEYS_PART)) == 0 &&
		    strcmp(name + strlen(KEYS_PART),
			   keymap_context_name((enum key_context)ctx)) == 0)
			r->key_parts |= 1u << ctx;
	if (!fresh) {
		r->why = xasprintf("%s:%zu: %s", r->path, lineno, why);
		free(why);
		return;
	}
	bool differs = strlen(fresh) != n || memcmp(fresh, old, n) != 0;
	if (differs && !r->quiet) {
		char *was = xstrndup(old, n);
		fprintf(stderr, "%s:%zu: the part '%s' differs from what the "
			"tables give, from its line %zu\n", r->path, lineno + 1,
			name, first_difference(fresh, was));
		free(was);
	}
	if (differs)
		r->stale++;
	fputs(fresh, r->out);
	free(fresh);
}

/* Copies `text` to r->out with every generated part made afresh. */
static void
regenerate(struct regen *r, const char *text)
{
	size_t lineno = 0;
	const char *p = text;
	while (*p && !r->why) {
		size_t len = line_len(p);
		lineno++;
		fwrite(p, 1, len, r->out);
		char *name = marker_name(p, len, BEGIN_MARK);
		p += len;
		if (!name)
			continue;
		size_t lines;
		const char *end = find_end(p, name, &lines);
		if (end)
			replace_part(r, name, lineno, p, (size_t)(end - p));
		else
			r->why = xasprintf("%s:%zu: '%s' has no '%s%s' line",
					   r->path, lineno, name, END_MARK, name);
		free(name);
		if (end)
			p = end;
		lineno += lines;
	}
}

/* A file that lists keys lists those of every context, so a context
 * added to ui/keymap.h is documented too; NULL when it does. */
static char *
missing_key_parts(const struct regen *r)
{
	if (!r->key_parts)
		return NULL;
	char *missing = NULL;
	for (int ctx = 0; ctx < KEYS_COUNT; ctx++) {
		if (r->key_parts & (1u << ctx))
			continue;
		char *more = xasprintf("%s%s'%s'", missing ? missing : "",
				       missing ? ", " : "",
				       keymap_context_name((enum key_context)ctx));
		free(missing);
		missing = more;
	}
	if (!missing)
		return NULL;
	char *why = xasprintf("%s lists keys, but not those of %s: add a "
			      "part '%sNAME' for each where the keys are listed",
			      r->path, missing, KEYS_PART);
	free(missing);
	return why;
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* 0 when up to date (or rewritten with --write), 1 when stale, 2 on an
 * error. */
static int
do_file(const char *path, bool write)
{
	char *text = file_read_all(path, NULL);
	if (!text) {
		fprintf(stderr, "docgen: cannot read %s: %m\n", path);
		return 2;
	}
	char *fresh = NULL;
	size_t fresh_len = 0;
	struct regen r = {
		.path = path,
		.fmt = has_suffix(path, ".md") ? MARKDOWN : ROFF,
		.quiet = write,
		.out = open_memstream(&fresh, &fresh_len),
	};
	if (!r.out)
		abort();
	regenerate(&r, text);
	if (!r.why)
		r.why = missing_key_parts(&r);
	fclose(r.out);
	free(text);
	int rc = r.stale ? 1 : 0;
	char *why = r.why;
	if (!why && r.stale && write) {
		struct stat st;
		mode_t mode = stat(path, &st) == 0 ? st.st_mode & 0777 : 0644;
		rc = file_write_atomic(path, fresh, fresh_len, mode, &why) ? 0 : 2;
		if (rc == 0)
			printf("docgen: rewrote %d part%s of %s\n", r.stale,
			       r.stale == 1 ? "" : "s", path);
	}
	if (why) {
		fprintf(stderr, "docgen: %s\n", why);
		free(why);
		rc = 2;
	}
	free(fresh);
	return rc;
}

int
main(int argc, char **argv)
{
	bool write = argc > 1 && strcmp(argv[1], "--write") == 0;
	bool check = argc > 1 && strcmp(argv[1], "--check") == 0;
	if (argc < 3 || (!write && !check)) {
		fputs("Usage: docgen --write|--check FILE...\n", stderr);
		return 2;
	}
	int worst = 0;
	for (int i = 2; i < argc; i++) {
		int rc = do_file(argv[i], write);
		if (rc > worst)
			worst = rc;
	}
	if (worst == 1)
		fputs("The generated parts above are out of date: run 'make docs' "
		      "and commit the result.\n", stderr);
	return worst;
}
