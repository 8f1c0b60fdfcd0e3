/* dpsenroll import FILE: many devices from a manufacturing file. */

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include "app/explain.h"
#include "app/station.h"
#include "model/json.h"
#include "base/i18n.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "cli/cli_keymat.h"
#include "cli/cli_net.h"
#include "cli/import.h"
#include "sys/fileio.h"

enum { LONG_WAIT_MS = 5000 };

enum {
	OPT_TEMPLATE = OPT_COMMAND_BASE,
	OPT_DRY_RUN,
	OPT_MODE,
	OPT_RESULT,
};

struct import_args {
	struct net_opts net;
	const char *file;
	const char *template_file;
	const char *mode;
	char *result;		/* owned */
	bool dry_run;
};

/* The results are written over whatever `result` names: never over
 * the manufacturing file or the template. */
static bool
same_file(const char *result, const char *other)
{
	struct stat r, o;
	return stat(result, &r) == 0 && stat(other, &o) == 0 &&
	       r.st_dev == o.st_dev && r.st_ino == o.st_ino;
}

static int
parse_import_args(int argc, char **argv, struct import_args *a)
{
	static const struct option opts[] = {
		NET_OPTIONS,
		{ "template", required_argument, NULL, OPT_TEMPLATE },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "result", required_argument, NULL, OPT_RESULT },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	optind = 1;
	opterr = 0;
	a->mode = "create";
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if ((rc = net_option(&cmd_import, c, optarg, &a->net)) >= 0) {
			if (rc != EXIT_OK)
				return rc;
		} else if (c == OPT_TEMPLATE) {
			a->template_file = optarg;
		} else if (c == OPT_DRY_RUN) {
			a->dry_run = true;
		} else if (c == OPT_MODE) {
			a->mode = optarg;
		} else if (c == OPT_RESULT) {
			free(a->result);
			a->result = xstrdup(optarg);
		} else {
			return net_bad_option(&cmd_import, c, argv);
		}
	}
	/* its problems are lines naming the file's line and column, and
	 * its outcome is the results file: no JSON to promise */
	if (a->net.json)
		return cli_usage_error(&cmd_import, _("--json is not taken here: "
				       "the results file (--result) is the record "
				       "for programs, a CSV line per row"));
	if (strcmp(a->mode, "create") && strcmp(a->mode, "update"))
		return cli_usage_error(&cmd_import, _("--mode is create or update, "
				       "not '%s'"), a->mode);
	if (argc - optind != 1)
		return cli_usage_error(&cmd_import, _("give one file to import"));
	a->file = argv[optind];
	if (strcmp(a->file, "-") == 0)
		return cli_usage_error(&cmd_import, _("give a file, not standard "
				       "input: a stopped import is resumed from "
				       "the same file"));
	if (!a->result) {
		/* devices.csv -> devices.result.csv */
		const char *dot = strrchr(a->file, '.');
		const char *slash = strrchr(a->file, '/');
		size_t stem = dot && (!slash || dot > slash) && dot != a->file
			      ? (size_t)(dot - a->file) : strlen(a->file);
		a->result = xasprintf("%.*s.result.csv", (int)stem, a->file);
	}
	if (same_file(a->result, a->file))
		return cli_usage_error(&cmd_import, _("--result %s would write the "
				       "results over the file to import; name "
				       "another file"), a->result);
	if (a->template_file && same_file(a->result, a->template_file))
		return cli_usage_error(&cmd_import, _("--result %s would write the "
				       "results over the template; name another "
				       "file"), a->result);
	return EXIT_OK;
}

/* A station's template serves an import of the same batch: its
 * "station" member is taken out (it is no enrollment field) and its id
 * pattern holds for the rows. */
static struct doc *
load_template(const char *file, struct station_rules *rules)
{
	cJSON *root = cli_read_json(&cmd_import, file, cJSON_IsObject,
				    _("one enrollment, a JSON object { ... }"));
	if (root && !cli_free_of_keys(&cmd_import, root)) {
		cJSON_Delete(root);
		return NULL;
	}
	char *why = NULL;
	if (root && !station_rules_take(root, rules, &why)) {
		fprintf(stderr, _("dpsenroll %s: %s: %s\n"), "import", file, why);
		free(why);
		cJSON_Delete(root);
		return NULL;
	}
	/* every row gives its own id; the rest would be shared by all */
	if (root)
		json_path_remove(root, "registrationId");
	char *held = root ? station_per_device_held(root) : NULL;
	if (held) {
		fprintf(stderr, _("dpsenroll import: %s: the template holds %s, "
				  "which are each device's own: every row would "
				  "share them. Take them out of the template; a "
				  "column of the file gives each row its own.\n"),
			file, held);
		free(held);
		cJSON_Delete(root);
		return NULL;
	}
	return root ? doc_adopt(root) : NULL;
}

/* Each row's id against the template's idPattern, every mismatch told. */
static bool
ids_fit(const char *file, const struct station_rules *rules,
	const struct import_rows *rows)
{
	size_t bad = 0;
	for (size_t i = 0; i < rows->count; i++) {
		const struct import_row *r = &rows->items[i];
		if (station_id_fits(rules, r->id))
			continue;
		if (bad++ < 50)
			/* TRANSLATORS: FILE:LINE, the id, the pattern */
			fprintf(stderr, _("%s:%zu: registrationId: error: '%s' "
				"does not match the template's idPattern %s; is "
				"the row of another batch?\n"), file, r->line,
				r->id, rules->id_pattern);
	}
	if (bad)
		fprintf(stderr, ngettext("dpsenroll import: nothing sent: %zu row "
			"with errors; fix them and run it again\n",
			"dpsenroll import: nothing sent: %zu rows with errors; fix "
			"them and run it again\n", bad), bad);
	return bad == 0;
}

/* What an earlier run of the same import did. */
static bool
resume(const char *state_path, const char *host, struct import_rows *rows,
       size_t *done)
{
	struct import_state st;
	char *why = NULL;
	if (!import_state_load(state_path, &st, &why)) {
		fprintf(stderr, _("dpsenroll %s: %s\n"), "import", why);
		free(why);
		return false;
	}
	/* Rows done on one DPS are not done on another (a staging run,
	 * then the real one): never skip them there. */
	if (st.done_count + st.in_flight_count && st.host &&
	    strcasecmp(st.host, host) != 0) {
		fprintf(stderr, _("dpsenroll import: %s holds an import into %s, "
			"and this one goes to %s: rows done there are not done "
			"here. To import into %s, move that file and the result "
			"file away (or name another with --result); to go on "
			"with %s, connect to it.\n"), state_path, st.host, host,
			host, st.host);
		import_state_clear(&st);
		return false;
	}
	*done = 0;
	for (size_t i = 0; i < rows->count; i++) {
		struct import_row *r = &rows->items[i];
		const struct import_done *d = import_state_done(&st, r->id);
		if (d && strcmp(d->digest, r->digest) == 0) {
			r->state = ROW_DONE;
			r->earlier = true;
			r->status = d->status;
			r->outcome = strcmp(d->outcome, "created") == 0 ? "created"
				     : strcmp(d->outcome, "updated") == 0 ? "updated"
				     : "applied";
			r->message = xstrdup("done by an earlier run");
			(*done)++;
		} else if (import_state_in_flight(&st, r->id)) {
			r->state = ROW_READ_BACK;
		}
		r->changed_since = d && r->state != ROW_DONE;
	}
	import_state_clear(&st);
	return true;
}

static void
say_retry(void *ctx, const struct dps_retry *r)
{
	struct import_progress *p = ctx;
	if (r->status == 429)
		p->throttled_s += r->wait_ms / 1000.0;
	/* Short waits for the service's pace are counted, not told one by
	 * one: a long import meets hundreds. A long one must not look like
	 * a hang. */
	if (r->status == 429 && r->wait_ms < LONG_WAIT_MS)
		return;
	char *text = explain_retry(r, (long)r->wait_ms);
	import_progress_say(p, text);
	free(text);
}

/* The client, and the host it talks to (*host owned). */
static int
make_client(struct import_args *a, struct import_send *s, char **host)
{
	char *why = NULL;
	struct dps_conn conn;
	if (!net_resolve(&a->net, &conn, &why)) {
		fprintf(stderr, _("dpsenroll %s: %s\n"), "import", why);
		free(why);
		return EXIT_USAGE;
	}
	struct dps_client_opts opts = net_client_opts(&a->net);
	opts.on_retry = say_retry;
	opts.retry_ctx = &s->progress;
	opts.cancelled = import_cancelled;
	s->client = dps_client_new(&conn, &opts, &why);
	*host = xstrdup(conn.host);
	dps_conn_clear(&conn);
	if (s->client)
		return EXIT_OK;
	fprintf(stderr, _("dpsenroll %s: %s\n"), "import", why);
	free(why);
	return EXIT_USAGE;
}

/* RFC 4180: a field with a comma, quote or line break is quoted. */
static void
csv_text(struct strbuf *b, const char *s)
{
	if (!s)
		return;
	if (!s[strcspn(s, ",\"\r\n")]) {
		strbuf_add(b, s);
		return;
	}
	strbuf_add(b, "\"");
	for (; *s; s++)
		strbuf_add(b, *s == '"' ? "\"\"" : (char[]){ *s, '\0' });
	strbuf_add(b, "\"");
}

static const char *
outcome_of(const struct import_row *r)
{
	return r->outcome ? r->outcome : "notSent";
}

static bool
write_results(const char *path, const struct import_rows *rows)
{
	struct strbuf b = STRBUF_INIT;
	strbuf_add(&b, "line,id,outcome,status,errorCode,message\r\n");
	for (size_t i = 0; i < rows->count; i++) {
		const struct import_row *r = &rows->items[i];
		strbuf_addf(&b, "%zu,", r->line);
		csv_text(&b, r->id);
		strbuf_addf(&b, ",%s,", outcome_of(r));
		if (r->status)
			strbuf_addf(&b, "%ld", r->status);
		strbuf_add(&b, ",");
		if (r->error_code)
			strbuf_addf(&b, "%ld", r->error_code);
		strbuf_add(&b, ",");
		csv_text(&b, r->message ? r->message : r->outcome ? NULL
			 : "not sent: the import stopped first; run it again");
		strbuf_add(&b, "\r\n");
	}
	char *why = NULL;
	char *text = strbuf_take(&b);
	bool ok = file_write_atomic(path, text, strlen(text), 0644, &why);
	free(text);
	if (!ok) {
		fprintf(stderr, _("dpsenroll import: the results could not be "
			"written: %s\n"), why);
		free(why);
	}
	return ok;
}

struct tally {
	size_t done, earlier, failed, unknown, not_sent;
};

static struct tally
count_rows(const struct import_rows *rows)
{
	struct tally t = { 0 };
	for (size_t i = 0; i < rows->count; i++) {
		const struct import_row *r = &rows->items[i];
		if (r->state == ROW_DONE && r->earlier)
			t.earlier++;
		else if (r->state == ROW_DONE)
			t.done++;
		else if (r->state == ROW_FAILED)
			t.failed++;
		else if (r->state == ROW_UNKNOWN)
			t.unknown++;
		else
			t.not_sent++;
	}
	return t;
}

static int
exit_code(enum import_stop stop, const struct tally *t)
{
	switch (stop) {
	case STOP_ASKED:
		return EXIT_INCOMPLETE;
	case STOP_NETWORK:
		return EXIT_NETWORK;
	case STOP_SERVICE:
		return EXIT_SERVER;
	case STOP_STATE:
		return EXIT_USAGE;
	case STOP_NONE:
		break;
	}
	return t->failed ? EXIT_REFUSED : EXIT_OK;
}

static void
summarise(const struct import_args *a, const struct import_send *s,
	  enum import_stop stop, double seconds)
{
	struct tally t = count_rows(s->rows);
	size_t sent = t.done + t.failed + t.unknown;
	/* The counts, each a whole phrase: "24 created, 0 failed, ..." */
	struct strbuf b = STRBUF_INIT;
	if (strcmp(a->mode, "create") == 0)
		strbuf_addf(&b, ngettext("%zu created", "%zu created", t.done),
			    t.done);
	else
		strbuf_addf(&b, ngettext("%zu updated", "%zu updated", t.done),
			    t.done);
	strbuf_addf(&b, ngettext(", %zu failed", ", %zu failed", t.failed),
		    t.failed);
	if (t.earlier)
		strbuf_addf(&b, ngettext(", %zu done before", ", %zu done before",
					 t.earlier), t.earlier);
	if (t.unknown)
		strbuf_addf(&b, ngettext(", %zu unknown", ", %zu unknown",
					 t.unknown), t.unknown);
	if (t.not_sent)
		strbuf_addf(&b, ngettext(", %zu not sent", ", %zu not sent",
					 t.not_sent), t.not_sent);
	char *counts = strbuf_take(&b);
	/* TRANSLATORS: rows in the file, the counts ("24 created, 0
	    failed"), seconds, rows a second, the results file */
	printf(ngettext("dpsenroll import: %zu row: %s in %.1f s (%.0f rows/s); "
			"results in %s\n",
			"dpsenroll import: %zu rows: %s in %.1f s (%.0f rows/s); "
			"results in %s\n", s->rows->count), s->rows->count,
	       counts, seconds, seconds > 0 ? (double)sent / seconds : 0.0,
	       a->result);
	free(counts);
	if (stop != STOP_NONE)
		fprintf(stderr, _("dpsenroll import: stopped (%s). Run the same "
			"command again to go on: rows done are not sent again, "
			"and rows whose answer was lost are read back first.\n"),
			s->stop_why ? s->stop_why : _("interrupted"));
	else if (t.failed)
		fprintf(stderr, ngettext("dpsenroll import: %zu row failed; see "
					 "%s\n", "dpsenroll import: %zu rows "
					 "failed; see %s\n", t.failed),
			t.failed, a->result);
}

static int
send_rows(struct import_args *a, struct import_rows *rows)
{
	struct import_send s = { .mode = a->mode, .rows = rows };
	s.progress.tty = isatty(STDERR_FILENO);
	char *state_path = xasprintf("%s.state", a->result);
	s.state_path = state_path;
	size_t already = 0;
	char *host = NULL;
	int rc = make_client(a, &s, &host);
	s.host = host;
	if (rc == EXIT_OK && !resume(state_path, host, rows, &already))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK) {
		if (already)
			fprintf(stderr, ngettext("dpsenroll import: %zu of %zu "
				"rows was done by an earlier run; it is not sent "
				"again\n", "dpsenroll import: %zu of %zu rows were "
				"done by an earlier run; they are not sent again\n",
				already),
				already, rows->count);
		import_signals_install();
		s.progress.budget = dps_client_budget(s.client);
		import_progress_start(&s.progress, rows->count, already);
		import_progress_pace(&s.progress, rows->count - already);
		double t0 = import_now();
		enum import_stop stop = import_send_all(&s);
		import_progress_finish(&s.progress);
		bool written = write_results(a->result, rows);
		summarise(a, &s, stop, import_now() - t0);
		struct tally t = count_rows(rows);
		rc = exit_code(stop, &t);
		if (!written && rc == EXIT_OK)
			rc = EXIT_USAGE;
	}
	dps_client_free(s.client);
	free(s.stop_why);
	free(state_path);
	free(host);
	return rc;
}

static int
run_import(int argc, char **argv)
{
	struct import_args a = { 0 };
	struct doc *tmpl = NULL;
	struct station_rules rules = { 0 };
	struct import_rows rows = { 0 };
	int rc = parse_import_args(argc, argv, &a);
	if (rc == EXIT_OK && a.template_file &&
	    !(tmpl = load_template(a.template_file, &rules)))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && !import_read(a.file, tmpl, a.mode, &rows))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && !ids_fit(a.file, &rules, &rows))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && a.dry_run)
		printf(ngettext("dpsenroll import: %zu row is valid; nothing was "
				"sent (--dry-run)\n", "dpsenroll import: %zu rows "
				"are valid; nothing was sent (--dry-run)\n",
				rows.count), rows.count);
	else if (rc == EXIT_OK)
		rc = send_rows(&a, &rows);
	import_rows_clear(&rows);
	station_rules_clear(&rules);
	doc_free(tmpl);
	net_opts_clear(&a.net);
	free(a.result);
	return rc;
}

const struct cli_command cmd_import = {
	.name = "import",
	.args = N_("FILE [--template FILE] [--dry-run] [--mode create|update] "
		"[--result FILE] [connection options]"),
	.summary = N_("create or update many enrollments from a CSV or JSON lines file"),
	.details =
		N_("FILE is CSV whose first line names each column's field by its\n"
		"path (registrationId, attestation.tpm.endorsementKey,\n"
		"initialTwin.tags.site, ...), or JSON lines (.jsonl: one\n"
		"enrollment a line). Each row's values go over the template's.\n"
		"A certificate column holds PEM text or the name of a file\n"
		"(relative to FILE's folder). Every row is checked as 'validate'\n"
		"checks a file before anything is sent; problems name the line\n"
		"and the column.\n"
		"Rows go 10 to a request over one connection. The results, one\n"
		"line per row (line,id,outcome,status,errorCode,message), go\n"
		"beside FILE (devices.csv: devices.result.csv), and the progress\n"
		"to the result file's name with .state added. An import\n"
		"stopped (Ctrl-C, a crash, the network) is resumed by\n"
		"running the same command: rows done are not sent again, and\n"
		"rows whose answer was lost are read back, not sent twice.\n"
		"Exits 0 when every row is done, 1 when some failed, 7 when\n"
		"stopped by Ctrl-C, 3 or 5 when the network or the service\n"
		"stopped it.\n\n"
		"  --template FILE   an enrollment whose values every row shares\n"
		"  --dry-run         check every row, send nothing\n"
		"  --mode MODE       create (default: an existing id fails) or\n"
		"                    update (replaces whatever is there, as put\n"
		"                    --force; a symmetric-key row needs its keys)\n"
		"  --result FILE     where the results go\n\n")
		NET_OPTIONS_HELP_HEAD NET_OPTIONS_HELP_TIMEOUT
		NET_OPTIONS_HELP_TAIL NET_OPTIONS_HELP_KEYLOG,
	.run = run_import,
};
