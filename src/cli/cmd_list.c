/* dpsenroll list: the fleet, one line per enrollment, with its
 * registration state on request. Pages are printed as they arrive and
 * let go, so memory holds one page whatever the fleet's size. */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/fleet_fetch.h"
#include "app/fleet_row.h"
#include "base/i18n.h"
#include "base/xalloc.h"
#include "cli/cli_net.h"
#include "cli/list_out.h"
#include "dps/budget.h"
#include "dps/ops.h"

enum {
	OPT_WITH_STATE = OPT_COMMAND_BASE,
	OPT_FILTER,
	OPT_OUTPUT,
	OPT_MAX_ITEMS,
	OPT_PAGE_SIZE,
};

struct list_opts {
	struct net_opts net;
	bool with_state;
	const char *filter;	/* borrowed from argv */
	int format;		/* enum list_format; -1 until given */
	long max_items;
	int page_size;
};

static int
parse_number(const char *name, const char *arg, long max, long *out)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end || v < 1 || v > max)
		return cli_usage_error(&cmd_list, _("%s takes 1 to %ld, not '%s'"),
				       name, max, arg);
	*out = v;
	return EXIT_OK;
}

static int
list_option(int c, const char *arg, struct list_opts *l)
{
	long n;
	int rc;
	switch (c) {
	case OPT_WITH_STATE:
		l->with_state = true;
		return EXIT_OK;
	case OPT_FILTER:
		l->filter = arg;
		return EXIT_OK;
	case OPT_OUTPUT:
		l->format = list_format_parse(arg);
		if (l->format < 0)
			return cli_usage_error(&cmd_list, _("--output takes table, "
					       "json, jsonl, csv or tsv, not "
					       "'%s'"), arg);
		return EXIT_OK;
	case OPT_MAX_ITEMS:
		return parse_number("--max-items", arg, 1000000000L,
				    &l->max_items);
	case OPT_PAGE_SIZE:
		rc = parse_number("--page-size", arg, 1000, &n);
		l->page_size = (int)n;
		return rc;
	default:
		return -1;
	}
}

static int
parse_list_args(int argc, char **argv, struct list_opts *l)
{
	static const struct option opts[] = {
		NET_OPTIONS,
		{ "with-state", no_argument, NULL, OPT_WITH_STATE },
		{ "filter", required_argument, NULL, OPT_FILTER },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "max-items", required_argument, NULL, OPT_MAX_ITEMS },
		{ "page-size", required_argument, NULL, OPT_PAGE_SIZE },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if ((rc = net_option(&cmd_list, c, optarg, &l->net)) < 0 &&
		    (rc = list_option(c, optarg, l)) < 0)
			rc = net_bad_option(&cmd_list, c, argv);
		if (rc != EXIT_OK)
			return rc;
	}
	if (optind != argc)
		return cli_usage_error(&cmd_list, _("unexpected argument '%s'"),
				       argv[optind]);
	if (l->format < 0)
		l->format = isatty(STDOUT_FILENO) ? LIST_TABLE : LIST_JSONL;
	return EXIT_OK;
}

/* "about 2 min 5 s", "under a second". */
static void
say_duration(char *buf, size_t size, long ms)
{
	long s = (ms + 500) / 1000;
	if (ms < 1000)
		snprintf(buf, size, _("under a second"));
	else if (s < 60)
		snprintf(buf, size, _("about %ld s"), s);
	else if (s < 3600)
		snprintf(buf, size, _("about %ld min %ld s"), s / 60, s % 60);
	else
		snprintf(buf, size, _("about %ld h %ld min"), s / 3600,
			 s / 60 % 60);
}

struct lister {
	const struct list_opts *o;
	struct dps_client *client;
	struct list_out out;
	struct fleet_rows *rows;	/* the page at hand */
	long listed;			/* enrollments the service sent */
	long states;			/* states fetched */
	bool said_estimate;
	int64_t started_ms;
	int64_t said_ms;		/* the last progress line */
	struct dps_response failed;	/* the state answer that stopped us */
	bool has_failed;
	bool output_failed;
};

/* How long the states of `n` more enrollments take at the budget's
 * pace, said once, on the first page: a whole fleet's take minutes. */
static void
say_estimate(struct lister *l, size_t n, bool page_full)
{
	struct dps_budget *b = dps_client_budget(l->client);
	if (l->said_estimate || l->o->net.json)
		return;
	l->said_estimate = true;
	char page[64];
	if (!b) {
		fprintf(stderr, _("dpsenroll list: fetching registration states, "
			"one request per enrollment, with no rate limit\n"));
		return;
	}
	unsigned rate = dps_budget_per_minute(b);
	say_duration(page, sizeof(page),
		     dps_budget_eta_ms(b, DPS_BUDGET_USER, n));
	if (!page_full) {
		fprintf(stderr, ngettext("dpsenroll list: fetching the "
			"registration state of %zu enrollment, one request, at "
			"most %u a minute: %s\n", "dpsenroll list: fetching the "
			"registration states of %zu enrollments, one request "
			"each, at most %u a minute: %s\n", n), n, rate, page);
		return;
	}
	char per[64];
	say_duration(per, sizeof(per),
		     dps_budget_eta_ms(b, DPS_BUDGET_USER, n + 1000) -
		     dps_budget_eta_ms(b, DPS_BUDGET_USER, n));
	fprintf(stderr, _("dpsenroll list: fetching registration states, one "
		"request per enrollment, at most %u a minute: %s for the first "
		"%zu, then %s for each 1000 more\n"), rate, page, n, per);
}

static bool
on_state(void *ctx, size_t k, const char *id, struct dps_response *r)
{
	(void)id;
	struct lister *l = ctx;
	if (fleet_rows_apply_answer(l->rows, k, r, fleet_now_ms()) !=
	    FLEET_FETCH_FAILED) {
		l->states++;
		return true;
	}
	/* Kept: its exit code and message end the list. */
	l->failed = *r;
	memset(r, 0, sizeof(*r));
	l->has_failed = true;
	return false;
}

/* The states of the page's rows, in the service's order. Returns how
 * many rows have theirs (all of them unless one failed). */
static size_t
fetch_page_states(struct lister *l, size_t count, bool page_full)
{
	const char **ids = xreallocarray(NULL, count ? count : 1,
					 sizeof(*ids));
	for (size_t i = 0; i < count; i++)
		ids[i] = fleet_rows_str(l->rows, fleet_rows_at(l->rows, i)->id);
	say_estimate(l, count, page_full);
	size_t told = fleet_fetch_states(l->client, ids, count, on_state, l);
	free(ids);
	return l->has_failed ? told - 1 : told;
}

/* The rows [0, upto) that match the filter, in the service's order. */
static void
print_rows(struct lister *l, size_t upto)
{
	struct fleet_view v = FLEET_VIEW_INIT;
	fleet_view_set_sort(&v, l->rows, FLEET_COL_COUNT, false);
	fleet_view_set_filter(&v, l->rows, l->o->filter);
	while (v.count && v.idx[v.count - 1] >= upto)
		v.count--;
	list_out_rows(&l->out, l->rows, &v);
	fleet_view_clear(&v);
	l->output_failed = ferror(stdout) != 0;
}

/* States for a whole fleet take long: a line every half minute shows
 * the list is moving. */
static void
say_progress(struct lister *l)
{
	enum { EVERY_MS = 30000 };
	int64_t now = fleet_now_ms();
	if (!l->o->with_state || l->o->net.json ||
	    now - (l->said_ms ? l->said_ms : l->started_ms) < EVERY_MS)
		return;
	l->said_ms = now;
	char took[64];
	say_duration(took, sizeof(took), now - l->started_ms);
	fprintf(stderr, ngettext("dpsenroll list: %ld enrollment and its state "
				 "so far, in %s\n", "dpsenroll list: %ld "
				 "enrollments and their states so far, in %s\n",
				 l->states), l->states, took);
}

static bool
on_page(void *ctx, const cJSON *items)
{
	struct lister *l = ctx;
	l->rows = fleet_rows_new();
	size_t count = fleet_rows_add_page(l->rows, items);
	l->listed += cJSON_GetArraySize(items);
	size_t upto = count;
	if (l->o->with_state && count)
		upto = fetch_page_states(
			l, count, cJSON_GetArraySize(items) >= l->o->page_size);
	print_rows(l, upto);
	fleet_rows_free(l->rows);
	l->rows = NULL;
	say_progress(l);
	return !l->has_failed && !l->output_failed;
}

static void
say_summary(const struct lister *l)
{
	if (!l->o->with_state || l->o->net.json)
		return;
	char took[64];
	say_duration(took, sizeof(took), fleet_now_ms() - l->started_ms);
	struct dps_budget_stats st = { 0 };
	struct dps_budget *b = dps_client_budget(l->client);
	if (b)
		dps_budget_stats(b, &st);
	/* TRANSLATORS: enrollments listed, registration states read, how
	    long ("about 2 min 5 s") */
	if (st.held_back)
		fprintf(stderr, ngettext("dpsenroll list: %ld enrollment, %ld "
			"registration states, in %s (paced by the rate "
			"budget)\n", "dpsenroll list: %ld enrollments, %ld "
			"registration states, in %s (paced by the rate budget)\n",
			l->listed), l->listed, l->states, took);
	else
		fprintf(stderr, ngettext("dpsenroll list: %ld enrollment, %ld "
			"registration states, in %s\n", "dpsenroll list: %ld "
			"enrollments, %ld registration states, in %s\n",
			l->listed), l->listed, l->states, took);
}

static int
report_over_max(const struct list_opts *o)
{
	fprintf(stderr, _("dpsenroll list: stopped at --max-items %ld; the "
		"service has more (raise --max-items to list them all)\n"),
		o->max_items);
	return EXIT_INCOMPLETE;
}

static int
finish(struct lister *l, enum dps_query_end end, struct dps_response *r)
{
	list_out_end(&l->out);
	/* a list that stopped says why below, not what it did */
	if (end == DPS_QUERY_DONE && !l->has_failed && !l->output_failed)
		say_summary(l);
	if (l->output_failed || ferror(stdout)) {
		fprintf(stderr, _("dpsenroll list: could not write standard "
			"output; the list stopped\n"));
		return EXIT_USAGE;
	}
	if (l->has_failed)
		return net_report_failure(&cmd_list, &l->o->net, &l->failed);
	switch (end) {
	case DPS_QUERY_DONE:
		return EXIT_OK;
	case DPS_QUERY_FAILED:
		return net_report_failure(&cmd_list, &l->o->net, r);
	case DPS_QUERY_REPEATED:
		fprintf(stderr, _("dpsenroll list: the service sent a "
			"continuation token it had sent before; its pages would "
			"never end, so the list stopped after %ld enrollments\n"),
			l->listed);
		return EXIT_INCOMPLETE;
	case DPS_QUERY_OVER_MAX:
		return report_over_max(l->o);
	case DPS_QUERY_STOPPED:
		break;
	}
	return EXIT_OK;
}

static int
stream_list(struct dps_client *client, const struct list_opts *o)
{
	struct lister l = {
		.o = o,
		.client = client,
		.out = { .format = (enum list_format)o->format,
			 .with_state = o->with_state, .f = stdout },
		.started_ms = fleet_now_ms(),
	};
	struct dps_response r;
	enum dps_query_end end = dps_enrollment_query_each(
		client, o->page_size, o->max_items, on_page, &l, &r);
	int rc = finish(&l, end, &r);
	dps_response_clear(&r);
	dps_response_clear(&l.failed);
	return rc;
}

static int
run_list(int argc, char **argv)
{
	struct list_opts o = { .format = -1, .page_size = 100,
			       .max_items = DPS_QUERY_MAX_ITEMS };
	struct dps_client *client = NULL;
	int rc = parse_list_args(argc, argv, &o);
	if (rc == EXIT_OK)
		rc = net_connect(&cmd_list, &o.net, &client);
	if (rc == EXIT_OK)
		rc = stream_list(client, &o);
	dps_client_free(client);
	net_opts_clear(&o.net);
	return rc;
}

const struct cli_command cmd_list = {
	.name = "list",
	.args = N_("[--with-state] [--filter TEXT] [--output FORMAT] "
		"[--max-items N] [connection options]"),
	.summary = N_("list the enrollments, with their registration states"),
	.details = N_(
		"One line per enrollment: registration id, device id,\n"
		"attestation, provisioning status, last updated (and the etag in\n"
		"the formats for programs). Pages are printed as they arrive, so\n"
		"memory stays the same whatever the number of enrollments.\n\n"
		"  --with-state     also the registration state of each: status\n"
		"                   (assigned, failed, disabled, unassigned,\n"
		"                   assigning; unassigned when the device never\n"
		"                   registered), assigned hub, and the error of a\n"
		"                   failed registration. The service's query does\n"
		"                   not carry states: each takes one request, at\n"
		"                   most --ops-per-minute a minute (1000), so a\n"
		"                   large fleet takes minutes; how long is said on\n"
		"                   standard error first, then how far it got\n"
		"                   every half minute\n"
		"  --filter TEXT    only the enrollments where each word of TEXT\n"
		"                   is in the registration id, device id or hub,\n"
		"                   or starts the status, provisioning status or\n"
		"                   attestation type (any case), as the list\n"
		"                   screen's filter\n"
		"  --output FORMAT  table (the default on a terminal), jsonl (one\n"
		"                   JSON object a line, the default otherwise),\n"
		"                   json (one array), csv or tsv (a header line\n"
		"                   first)\n"
		"  --max-items N    stop with exit code 7 when the service has\n"
		"                   more than N enrollments (default 1000000)\n"
		"  --page-size N    enrollments per query request (default 100)\n\n"
		"A failed state request stops the list (after the rows before\n"
		"it) with that request's exit code.\n\n")
		NET_OPTIONS_HELP,
	.run = run_list,
};
