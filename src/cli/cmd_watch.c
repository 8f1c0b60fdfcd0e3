/* dpsenroll watch ID: waits for the device to register and says how it
 * went. */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/explain_device.h"
#include "base/i18n.h"
#include "app/watch.h"
#include "cli/cli_net.h"
#include "cli/cli_verify.h"
#include "dps/ops.h"
#include "model/checks.h"
#include "model/findings.h"

enum { DEFAULT_WATCH_S = 300, MAX_WATCH_S = 24 * 3600 };

struct watch_args {
	struct net_opts net;
	const char *id;
	double timeout_s;
};

static int
parse_timeout(const struct cli_command *cmd, const char *arg, double *s)
{
	char *end;
	*s = strtod(arg, &end);
	if (*arg == '\0' || *end || *s <= 0 || *s > MAX_WATCH_S)
		return cli_usage_error(cmd, _("--timeout takes seconds to wait for "
				       "the device (e.g. 120), not '%s'"), arg);
	return EXIT_OK;
}

static int
parse_args(const struct cli_command *cmd, int argc, char **argv,
	   struct watch_args *a)
{
	static const struct option opts[] = { NET_OPTIONS, { NULL, 0, NULL, 0 } };
	int c, rc;
	a->timeout_s = DEFAULT_WATCH_S;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == OPT_TIMEOUT) {
			if ((rc = parse_timeout(cmd, optarg, &a->timeout_s)))
				return rc;
		} else if ((rc = net_option(cmd, c, optarg, &a->net)) >= 0) {
			if (rc != EXIT_OK)
				return rc;
		} else {
			return net_bad_option(cmd, c, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, _("give one registration id"));
	a->id = argv[optind];
	return cli_check_id(cmd, a->id);
}

static double
wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
say_stale(const char *id, const cJSON *state)
{
	const char *when = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(state, "lastUpdatedDateTimeUtc"));
	const char *status = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(state, "status"));
	fprintf(stderr, _("dpsenroll watch: %s: the registration state there "
		"(%s, %s) predates this watch; waiting for a new registration\n"),
		id, status ? status : _("no status"), when ? when : _("no time"));
}

/* The outcome: the state on stdout, a line (and advice) on stderr. */
static int
say_outcome(const struct watch_args *a, const struct watch *w,
	    enum watch_verdict v)
{
	char *text = watch_outcome_text(w, v);
	fprintf(stderr, _("dpsenroll %s: %s: %s\n"), "watch", a->id, text);
	free(text);
	char *json = cJSON_Print(w->state);
	puts(json);
	free(json);
	if (v == WATCH_ASSIGNED)
		return EXIT_OK;
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(w->state, "errorCode");
	if (v == WATCH_FAILED && cJSON_IsNumber(code)) {
		struct advice adv = explain_registration(
			code->valueint, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				w->state, "errorMessage")), PROOF_NONE);
		verify_say_advice(&adv);
	} else if (v == WATCH_DISABLED) {
		fprintf(stderr, _("  next: enable the enrollment (provisioning "
			"status enabled) and power the device on again\n"));
	}
	return EXIT_REFUSED;
}

static int
timed_out(const struct watch_args *a)
{
	long s = (long)a->timeout_s;
	fprintf(stderr, _("dpsenroll watch: %s: timed out: no new registration "
		"within %ld:%02ld\n  next: check that the device is powered, "
		"online and configured with this DPS's ID scope, then watch "
		"again (a longer --timeout waits longer)\n"), a->id, s / 60,
		s % 60);
	return EXIT_TIMED_OUT;
}

static int
watch_loop(const struct cli_command *cmd, struct watch_args *a,
	   struct dps_client *client)
{
	struct watch w;
	struct live_line line;
	double start = verify_now(), deadline = start + a->timeout_s;
	watch_init(&w, wall_now());
	live_line_init(&line, a->id, start, a->net.json);
	bool said_stale = false;
	int rc;
	for (;;) {
		struct dps_response r;
		dps_regstate_get(client, a->id, &r);
		enum watch_verdict v = watch_feed(&w, &r, wall_now());
		if (v == WATCH_ERROR || v != WATCH_WAITING)
			live_line_end(&line);
		if (v == WATCH_ERROR) {
			rc = net_report_failure(cmd, &a->net, &r);
			if (!a->net.json) {
				struct advice adv = explain_response(&r);
				verify_say_advice(&adv);
			}
		} else if (v != WATCH_WAITING) {
			rc = say_outcome(a, &w, v);
		} else if (w.stale && !said_stale && !a->net.json) {
			live_line_end(&line);
			say_stale(a->id, r.body);
			said_stale = true;
		}
		dps_response_clear(&r);
		if (v != WATCH_WAITING)
			break;
		live_line_draw(&line, verify_now());
		double left = deadline - verify_now();
		if (left <= 0) {
			live_line_end(&line);
			rc = timed_out(a);
			break;
		}
		unsigned ms = watch_next_delay_ms(&w);
		if (ms > left * 1000)
			ms = (unsigned)(left * 1000) + 1;
		verify_pause(&line, ms);
	}
	watch_clear(&w);
	return rc;
}

/* A mistyped id would be watched until the timeout: the enrollment must
 * exist first. */
static int
check_enrolled(struct watch_args *a, struct dps_client *client)
{
	struct dps_response r;
	dps_enrollment_get(client, a->id, &r);
	int rc = net_exit_code(&r);
	if (rc != EXIT_OK) {
		rc = net_report_failure(&cmd_watch, &a->net, &r);
		if (!a->net.json) {
			struct advice adv = explain_response(&r);
			verify_say_advice(&adv);
		}
	}
	dps_response_clear(&r);
	return rc;
}

static int
run_watch(int argc, char **argv)
{
	struct watch_args a = { 0 };
	struct dps_client *client = NULL;
	int rc = parse_args(&cmd_watch, argc, argv, &a);
	if (rc == EXIT_OK)
		rc = net_connect(&cmd_watch, &a.net, &client);
	if (rc == EXIT_OK)
		rc = check_enrolled(&a, client);
	if (rc == EXIT_OK)
		rc = watch_loop(&cmd_watch, &a, client);
	dps_client_free(client);
	net_opts_clear(&a.net);
	return rc;
}

const struct cli_command cmd_watch = {
	.name = "watch", .args = N_("ID [--timeout S] [connection options]"),
	.summary = N_("wait for the device to register and show the outcome"),
	.details =
	N_("Polls the registration state every few seconds (backing off, and\n"
	"waiting as long as a 429's Retry-After asks) until the device\n"
	"registers: assigned (hub, device id, substatus), failed (error code\n"
	"and message, explained) or disabled. A state already there when the\n"
	"watch starts is not the answer: power the device on after starting.\n"
	"The state is printed on standard output as JSON.\n\n"
	"Exit codes: 0 assigned, 1 failed or disabled, 3 network, 8 timed out.\n\n"
	"  --timeout S          how long to wait for the device, seconds\n"
	"                       (default 300); each request keeps its own\n"
	"                       30 s limit\n\n")
	NET_OPTIONS_HELP_HEAD NET_OPTIONS_HELP_TAIL NET_OPTIONS_HELP_JSON
	NET_OPTIONS_HELP_KEYLOG,
	.run = run_watch,
};
