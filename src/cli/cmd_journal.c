/* dpsenroll journal [--csv]: the local record of submissions. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "app/journal.h"
#include "cli/cli.h"
#include "cli/cli_journal.h"

void
cli_journal_record(const struct cli_command *cmd, const char *operation,
		   const char *id, const struct dps_response *r)
{
	struct journal_entry e = {
		.registration_id = id,
		.operation = operation,
	};
	journal_entry_from_response(&e, r);
	char *why = NULL;
	if (!journal_append(&e, &why))
		fprintf(stderr, "dpsenroll %s: not recorded in the journal: %s\n",
			cmd->name, why);
	free(why);
}

static const char *const csv_columns[] = {
	"time", "operator", "registrationId", "operation", "outcome", "status",
	"errorCode", "etag", "trackingId", "message", NULL,
};

/* RFC 4180: a field with a comma, quote or line break is quoted, and its
 * quotes doubled. */
static void
print_csv_text(const char *s)
{
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static void
print_csv_value(const cJSON *v)
{
	if (cJSON_IsString(v)) {
		print_csv_text(v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (d > -1e15 && d < 1e15 && d == (double)(long long)d)
			printf("%lld", (long long)d);
		else
			printf("%g", d);
	} else if (cJSON_IsBool(v)) {
		fputs(cJSON_IsTrue(v) ? "true" : "false", stdout);
	} else if (v && !cJSON_IsNull(v)) {
		char *json = cJSON_PrintUnformatted(v);
		print_csv_text(json ? json : "");
		free(json);
	}
}

static void
print_csv_header(void)
{
	for (size_t i = 0; csv_columns[i]; i++)
		printf("%s%s", i ? "," : "", csv_columns[i]);
	fputs("\r\n", stdout);
}

struct print_ctx {
	bool csv;
	const char *path;
};

static void
print_entry(const cJSON *obj, const char *line, void *ctx)
{
	const struct print_ctx *p = ctx;
	if (!p->csv) {
		puts(line);
		return;
	}
	for (size_t i = 0; csv_columns[i]; i++) {
		if (i)
			putchar(',');
		print_csv_value(cJSON_GetObjectItemCaseSensitive(obj, csv_columns[i]));
	}
	fputs("\r\n", stdout);
}

static void
report_damaged(size_t lineno, const char *why, void *ctx)
{
	const struct print_ctx *p = ctx;
	fprintf(stderr, "%s:%zu: damaged line, not shown: %s\n", p->path,
		lineno, why);
}

static int
print_journal(bool csv)
{
	char *path = journal_path();
	struct print_ctx p = { .csv = csv, .path = path };
	struct journal_reader r = {
		.entry = print_entry,
		.damaged = report_damaged,
		.ctx = &p,
	};
	if (csv)
		print_csv_header();
	char *why = NULL;
	size_t damaged = 0;
	bool ok = journal_read(&r, &damaged, &why);
	if (!ok)
		fprintf(stderr, "dpsenroll journal: %s\n", why);
	else if (damaged)
		fprintf(stderr, "dpsenroll journal: %zu damaged line%s in %s "
			"not shown (see above); the file is left as it is\n",
			damaged, damaged == 1 ? "" : "s", path);
	free(why);
	free(path);
	if (fflush(stdout) != 0)
		ok = false;
	return ok ? EXIT_OK : EXIT_USAGE;
}

static int
run_journal(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csv", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	bool csv = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			csv = true;
		else
			return cli_usage_error(&cmd_journal, "unknown option '%s'",
					       argv[optind - 1]);
	}
	if (argc != optind)
		return cli_usage_error(&cmd_journal, "takes no arguments");
	return print_journal(csv);
}

const struct cli_command cmd_journal = {
	.name = "journal",
	.args = "[--csv]",
	.summary = "print the local record of submissions",
	.details =
		"Every create, update and delete sent by the form, put, delete and\n"
		"regstate-delete appends one JSON line to\n"
		"$XDG_STATE_HOME/dpsenroll/journal.jsonl (or\n"
		"~/.local/state/dpsenroll/journal.jsonl): time, operator,\n"
		"registrationId, operation, outcome, status, errorCode, etag,\n"
		"trackingId and message. Never keys, certificates or connection\n"
		"strings. Prints the lines as stored. A damaged line (NUL bytes,\n"
		"bytes that are not UTF-8, JSON cut short, or not an entry) is\n"
		"not shown but named on standard error with what is wrong, and\n"
		"counted at the end. No journal yet prints nothing.\n\n"
		"  --csv   a CSV table instead (RFC 4180, with a header row)\n",
	.run = run_journal,
};
