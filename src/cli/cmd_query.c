/* dpsenroll query and bulk: many enrollments at once. */

#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "cli/cli_keymat.h"
#include "cli/cli_net.h"
#include "dps/ops.h"
#include "model/validate.h"

enum {
	OPT_PAGE_SIZE = OPT_COMMAND_BASE,
	OPT_NO_VALIDATE,
	OPT_MAX_ITEMS,
	OPT_JSONL,
};

struct query_opts {
	struct net_opts net;
	int page_size;
	long max_items;
	bool jsonl;
};

static int
parse_count(const char *name, const char *arg, long max, long *out)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end || v < 1 || v > max)
		return cli_usage_error(&cmd_query, _("%s takes 1 to %ld, not '%s'"),
				       name, max, arg);
	*out = v;
	return EXIT_OK;
}

static int
parse_query_args(int argc, char **argv, struct query_opts *q)
{
	static const struct option opts[] = {
		NET_OPTIONS,
		{ "page-size", required_argument, NULL, OPT_PAGE_SIZE },
		{ "max-items", required_argument, NULL, OPT_MAX_ITEMS },
		{ "jsonl", no_argument, NULL, OPT_JSONL },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	long size;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if ((rc = net_option(&cmd_query, c, optarg, &q->net)) < 0) {
			if (c == OPT_PAGE_SIZE) {
				rc = parse_count("--page-size", optarg, 1000, &size);
				q->page_size = (int)size;
			} else if (c == OPT_MAX_ITEMS) {
				rc = parse_count("--max-items", optarg, 1000000000L,
						 &q->max_items);
			} else if (c == OPT_JSONL) {
				q->jsonl = true;
				rc = EXIT_OK;
			} else {
				rc = net_bad_option(&cmd_query, c, argv);
			}
		}
		if (rc != EXIT_OK)
			return rc;
	}
	if (optind != argc)
		return cli_usage_error(&cmd_query, _("unexpected argument '%s'"),
				       argv[optind]);
	return EXIT_OK;
}

/* Prints each page as it comes: one JSON array overall, opened before the
 * first page and closed whatever the end, or one enrollment a line. */
struct printer {
	bool jsonl;
	long printed;
};

static bool
print_page(void *ctx, const cJSON *items)
{
	struct printer *p = ctx;
	const cJSON *item;
	cJSON_ArrayForEach(item, items) {
		char *text = p->jsonl ? cJSON_PrintUnformatted(item)
				      : cJSON_Print(item);
		if (p->jsonl)
			printf("%s\n", text);
		else
			printf("%s%s", p->printed ? ",\n" : "[\n", text);
		secret_str_free(text);
		p->printed++;
	}
	fflush(stdout);
	return !ferror(stdout);
}

static void
close_output(const struct printer *p)
{
	if (!p->jsonl)
		puts(p->printed ? "\n]" : "[]");
	fflush(stdout);
}

/* Why a query that the service answered stopped short. */
static int
report_stop(const struct query_opts *q, enum dps_query_end end, long printed)
{
	char *text = end == DPS_QUERY_REPEATED
		? xasprintf(_("the service sent a continuation token it had sent "
			    "before, after %ld enrollments; its pages would never "
			    "end, so the query stopped (the %ld printed are "
			    "complete JSON)"), printed, printed)
		: xasprintf(_("stopped at --max-items %ld; the service has more "
			    "pages (raise --max-items to get them all)"),
			    q->max_items);
	if (q->net.json) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "stopped", end == DPS_QUERY_REPEATED
					? "repeated continuation" : "max items");
		cJSON_AddStringToObject(e, "message", text);
		cJSON_AddNumberToObject(e, "printed", (double)printed);
		char *json = cJSON_PrintUnformatted(e);
		fprintf(stderr, "%s\n", json);
		free(json);
		cJSON_Delete(e);
	} else {
		fprintf(stderr, _("dpsenroll %s: %s\n"), "query", text);
	}
	free(text);
	return EXIT_INCOMPLETE;
}

static int
stdout_failed(void)
{
	fprintf(stderr, _("dpsenroll query: could not write standard output; "
		"the query stopped\n"));
	return EXIT_USAGE;
}

static int
stream_query(struct dps_client *client, const struct query_opts *q)
{
	struct printer p = { .jsonl = q->jsonl };
	struct dps_response r;
	enum dps_query_end end = dps_enrollment_query_each(
		client, q->page_size, q->max_items, print_page, &p, &r);
	close_output(&p);
	int rc = EXIT_OK;
	if (end == DPS_QUERY_FAILED)
		rc = net_report_failure(&cmd_query, &q->net, &r);
	else if (end == DPS_QUERY_STOPPED)
		rc = stdout_failed();
	else if (end != DPS_QUERY_DONE)
		rc = report_stop(q, end, p.printed);
	dps_response_clear(&r);
	return rc;
}

static int
run_query(int argc, char **argv)
{
	struct query_opts q = { .page_size = 100, .max_items = DPS_QUERY_MAX_ITEMS };
	struct dps_client *client = NULL;
	int rc = parse_query_args(argc, argv, &q);
	if (rc == EXIT_OK)
		rc = net_connect(&cmd_query, &q.net, &client);
	if (rc == EXIT_OK)
		rc = stream_query(client, &q);
	dps_client_free(client);
	net_opts_clear(&q.net);
	return rc;
}

const struct cli_command cmd_query = {
	.name = "query",
	.args = N_("[--page-size N] [--max-items N] [--jsonl] [connection options]"),
	.summary = N_("print every individual enrollment (keys hidden)"),
	.details =
		N_("Follows the service's pages to the end, printing each page as it\n"
		"arrives, as one JSON array (or one enrollment a line with --jsonl).\n"
		"When the query stops early (a failure, a repeated continuation\n"
		"token, --max-items) the array printed so far is still closed, so\n"
		"standard output stays valid JSON; the exit code tells why.\n\n"
		"  --page-size N   enrollments per request (default 100)\n"
		"  --max-items N   stop with exit code 7 when the service has more\n"
		"                  than N enrollments (default 1000000)\n"
		"  --jsonl         one enrollment per line (JSON lines), no array\n\n")
		NET_OPTIONS_HELP,
	.run = run_query,
};

static const char *const bulk_modes[] = {
	"create", "update", "updateIfMatchETag", "delete", NULL,
};

static bool
mode_known(const char *mode)
{
	for (int i = 0; bulk_modes[i]; i++)
		if (strcmp(bulk_modes[i], mode) == 0)
			return true;
	return false;
}

/* Each item is checked like a single put, so one bad item is found before
 * anything is sent. */
static bool
items_valid(const cJSON *list, const char *mode)
{
	if (strcmp(mode, "delete") == 0)
		return true;
	int i = 0;
	const cJSON *item;
	int wrong = 0;
	cJSON_ArrayForEach(item, list) {
		i++;
		struct doc *d = doc_adopt(cJSON_Duplicate(item, 1));
		struct findings fs;
		findings_init(&fs);
		validate_enrollment(d, &fs);
		for (size_t k = 0; k < fs.count; k++)
			/* TRANSLATORS: item number, field path, severity,
			    message */
			fprintf(stderr, _("item %d: %s: %s: %s\n"), i,
				fs.items[k].path, cli_severity(fs.items[k].severity),
				fs.items[k].message);
		if (findings_count(&fs, SEV_ERROR))
			wrong++;
		findings_clear(&fs);
		doc_free(d);
	}
	if (wrong)
		fprintf(stderr, ngettext("dpsenroll bulk: nothing was sent: %d item "
			"of %d has errors (above); fix it, or --no-validate sends "
			"as it is\n", "dpsenroll bulk: nothing was sent: %d items "
			"of %d have errors (above); fix them, or --no-validate "
			"sends as they are\n", wrong), wrong, i);
	return !wrong;
}

static cJSON *
load_list(const char *file)
{
	return cli_read_json(&cmd_bulk, file, cJSON_IsArray,
			     _("a JSON array of enrollments [ {...}, {...} ]"));
}

static int
parse_bulk_args(int argc, char **argv, struct net_opts *net, bool *no_validate)
{
	static const struct option opts[] = {
		NET_OPTIONS,
		{ "no-validate", no_argument, NULL, OPT_NO_VALIDATE },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if ((rc = net_option(&cmd_bulk, c, optarg, net)) >= 0) {
			if (rc != EXIT_OK)
				return rc;
		} else if (c == OPT_NO_VALIDATE) {
			*no_validate = true;
		} else {
			return net_bad_option(&cmd_bulk, c, argv);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(&cmd_bulk, _("give a mode and a file"));
	if (!mode_known(argv[optind]))
		return cli_usage_error(&cmd_bulk, _("'%s' is not a mode; use create, "
				       "update, updateIfMatchETag or delete"),
				       argv[optind]);
	return EXIT_OK;
}

static int
bulk_exit_code(const struct dps_response *r)
{
	int rc = net_exit_code(r);
	if (rc == EXIT_OK &&
	    !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->body, "isSuccessful")))
		rc = EXIT_REFUSED;
	return rc;
}

static int
run_bulk(int argc, char **argv)
{
	struct net_opts net = { 0 };
	bool no_validate = false;
	struct dps_client *client = NULL;
	cJSON *list = NULL;
	int rc = parse_bulk_args(argc, argv, &net, &no_validate);
	const char *mode = rc == EXIT_OK ? argv[optind] : NULL;
	if (rc == EXIT_OK && !(list = load_list(argv[optind + 1])))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && !cli_free_of_keys(&cmd_bulk, list))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK && !no_validate && !items_valid(list, mode))
		rc = EXIT_USAGE;
	if (rc == EXIT_OK)
		rc = net_connect(&cmd_bulk, &net, &client);
	if (rc == EXIT_OK) {
		struct dps_response r;
		dps_enrollment_bulk(client, mode, list, &r);
		rc = net_finish(&cmd_bulk, &net, &r);
		if (rc == EXIT_OK)
			rc = bulk_exit_code(&r);
		dps_response_clear(&r);
	}
	cJSON_Delete(list);
	dps_client_free(client);
	net_opts_clear(&net);
	return rc;
}

const struct cli_command cmd_bulk = {
	.name = "bulk",
	.args = N_("MODE FILE|- [--no-validate] [connection options]"),
	.summary = N_("create, update or delete many enrollments from a JSON array"),
	.details =
		N_("MODE is create, update, updateIfMatchETag or delete. Longer lists\n"
		"are sent 10 at a time and the results merged. Exits 1 when any\n"
		"item failed (the result lists them).\n\n") NET_OPTIONS_HELP,
	.run = run_bulk,
	.first_arg_choices = bulk_modes,
};
