/* dpsenroll journal [--csv]: the local record of submissions. */

#define _XOPEN_SOURCE 700	/* strptime */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/journal.h"
#include "base/i18n.h"
#include "app/state.h"
#include "base/clock.h"
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
		fprintf(stderr, _("dpsenroll %s: not recorded in the journal: %s\n"),
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
	const char *since;	/* "2024-05-01T12:00:00Z"; NULL: all */
};

static void
print_entry(const cJSON *obj, const char *line, void *ctx)
{
	const struct print_ctx *p = ctx;
	/* Entries' times are all written in the one fixed-width UTC form,
	 * so their order is the order of their text. */
	const char *when = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(obj, "time"));
	if (p->since && (!when || strcmp(when, p->since) < 0))
		return;
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
	fprintf(stderr, _("%s:%zu: damaged line, not shown: %s\n"), p->path,
		lineno, why);
}

static int
print_journal(bool csv, const char *since)
{
	char *path = journal_path();
	struct print_ctx p = { .csv = csv, .path = path, .since = since };
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
		fprintf(stderr, _("dpsenroll %s: %s\n"), "journal", why);
	else if (damaged)
		fprintf(stderr, ngettext("dpsenroll journal: %zu damaged line in "
			"%s not shown (see above); the file is left as it is\n",
			"dpsenroll journal: %zu damaged lines in %s not shown "
			"(see above); the file is left as it is\n", damaged),
			damaged, path);
	free(why);
	free(path);
	if (fflush(stdout) != 0)
		ok = false;
	return ok ? EXIT_OK : EXIT_USAGE;
}

/* "8h", "90m", "2d", "30s": that long before now. */
static bool
parse_ago(const char *arg, time_t *out)
{
	char *end;
	long n = strtol(arg, &end, 10);
	long unit = !strcmp(end, "s") ? 1 : !strcmp(end, "m") ? 60
		    : !strcmp(end, "h") ? 3600 : !strcmp(end, "d") ? 86400 : 0;
	if (end == arg || n < 0 || unit == 0 || n > 36500L * 86400 / unit)
		return false;
	*out = clock_now() - n * unit;
	return true;
}

/* "2024-05-01", "2024-05-01T14:30", "2024-05-01 14:30:05Z": UTC. */
static bool
parse_date(const char *arg, time_t *out)
{
	static const char *const forms[] = {
		"%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M",
		"%Y-%m-%d %H:%M", "%Y-%m-%d", NULL,
	};
	for (size_t i = 0; forms[i]; i++) {
		struct tm tm;
		memset(&tm, 0, sizeof(tm));
		const char *end = strptime(arg, forms[i], &tm);
		if (end && (!*end || !strcmp(end, "Z"))) {
			*out = timegm(&tm);
			return true;
		}
	}
	return false;
}

static int
parse_since(const char *arg, char out[STATE_TIME_SIZE])
{
	time_t t;
	if (!parse_ago(arg, &t) && !parse_date(arg, &t))
		return cli_usage_error(&cmd_journal, _("--since takes a UTC time "
				       "(2024-05-01, 2024-05-01T14:30) or a time "
				       "ago (90m, 8h, 2d), not '%s'"), arg);
	state_time_text(t, out);
	return EXIT_OK;
}

static int
run_journal(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csv", no_argument, NULL, 'c' },
		{ "since", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	bool csv = false;
	char since[STATE_TIME_SIZE] = "";
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'c')
			csv = true;
		else if (c == 's' && (rc = parse_since(optarg, since)) != EXIT_OK)
			return rc;
		else if (c == ':')
			return cli_usage_error(&cmd_journal, _("'%s' needs a value"),
					       argv[optind - 1]);
		else if (c != 's')
			return cli_usage_error(&cmd_journal, _("unknown option '%s'"),
					       argv[optind - 1]);
	}
	if (argc != optind)
		return cli_usage_error(&cmd_journal, _("takes no arguments"));
	return print_journal(csv, *since ? since : NULL);
}

const struct cli_command cmd_journal = {
	.name = "journal",
	.args = "[--since TIME] [--csv]",
	.summary = N_("print the local record of submissions"),
	.details =
		N_("Every create, update and delete sent by the form, put, delete and\n"
		"regstate-delete appends one JSON line to\n"
		"$XDG_STATE_HOME/dpsenroll/journal.jsonl (or\n"
		"~/.local/state/dpsenroll/journal.jsonl): time, operator,\n"
		"registrationId, operation, outcome, status, errorCode, etag,\n"
		"trackingId and message. Never keys, certificates or connection\n"
		"strings. Prints the lines as stored. A damaged line (NUL bytes,\n"
		"bytes that are not UTF-8, JSON cut short, or not an entry) is\n"
		"not shown but named on standard error with what is wrong, and\n"
		"counted at the end. No journal yet prints nothing.\n\n"
		"  --since TIME   only entries from then on: a UTC time\n"
		"                 (2024-05-01, 2024-05-01T14:30) or a time ago\n"
		"                 (90m, 8h, 2d), e.g. the record of a batch\n"
		"  --csv          a CSV table instead (RFC 4180, with a header row)\n"),
	.run = run_journal,
};
