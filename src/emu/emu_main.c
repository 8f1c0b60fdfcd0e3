/* dpsemu: a local DPS on loopback HTTPS, for practice and for tests. */

#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "dps/url_curl.h"
#include "emu/emu.h"
#include "emu/emu_faults.h"
#include "emu/emu_http.h"
#include "emu/emu_jwt.h"
#include "emu/emu_setup.h"
#include "emu/emu_store.h"
#include "emu/emu_usage.h"
#include "sys/private.h"
#include "base/xalloc.h"

static int __attribute__((format(printf, 1, 2)))
fail_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "dpsemu: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nRun 'dpsemu --help' for usage.\n");
	return 2;
}

static bool
parse_listen(const char *arg, struct emu_config *cfg)
{
	const char *colon = strrchr(arg, ':');
	if (!colon || colon == arg)
		return false;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		return false;
	free(cfg->listen_addr);
	if (arg[0] == '[' && colon[-1] == ']')
		cfg->listen_addr = xstrndup(arg + 1, (size_t)(colon - arg - 2));
	else
		cfg->listen_addr = xstrndup(arg, (size_t)(colon - arg));
	cfg->port = (int)port;
	return true;
}

static char **
split_list(const char *arg)
{
	size_t n = 1;
	for (const char *p = arg; *p; p++)
		n += *p == ',';
	char **list = xcalloc(n + 1, sizeof(*list));
	char *copy = xstrdup(arg), *save = NULL;
	size_t i = 0;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		list[i++] = xstrdup(t);
	free(copy);
	return list;
}

static void
append(char ***list, const char *item)
{
	size_t n = 0;
	while (*list && (*list)[n])
		n++;
	*list = xreallocarray(*list, n + 2, sizeof(**list));
	(*list)[n] = xstrdup(item);
	(*list)[n + 1] = NULL;
}

/* A bad --fault is a usage error, found before anything is written. */
static int
check_faults(const struct emu_config *cfg)
{
	struct emu_faults *f = emu_faults_new();
	int rc = -1;
	for (char **s = cfg->fault_specs; s && *s && rc < 0; s++) {
		char *why = NULL;
		if (!emu_faults_add(f, *s, &why))
			rc = fail_usage("--fault %s: %s", *s, why);
		free(why);
	}
	emu_faults_free(f);
	return rc;
}

/* A per-minute limit: a whole number, 0 for none. */
static bool
parse_rate(const char *arg, int *out)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (!*arg || *end || v < 0 || v > 1000000000L)
		return false;
	*out = (int)v;
	return true;
}

/* Returns -1 to go on, or an exit code. */
static int
parse_args(int argc, char **argv, struct emu_config *cfg)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "linked-hubs", required_argument, NULL, 'H' },
		{ "throttle", required_argument, NULL, 't' },
		{ "registration-throttle", required_argument, NULL, 'r' },
		{ "fault", required_argument, NULL, 'f' },
		{ "public", no_argument, NULL, 'P' },
		{ "token-key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	bool registrations_given = false;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cfg->data_dir = xstrdup(optarg);
			break;
		case 'l':
			if (!parse_listen(optarg, cfg))
				return fail_usage("--listen takes ADDR:PORT, e.g. "
						  "127.0.0.1:8443, not '%s'", optarg);
			break;
		case 'H':
			cfg->linked_hubs = split_list(optarg);
			break;
		case 't':
			if (!parse_rate(optarg, &cfg->throttle_per_min))
				return fail_usage("--throttle takes a whole number of "
						  "operations per minute (0: no "
						  "limit), not '%s'", optarg);
			break;
		case 'r':
			if (!parse_rate(optarg,
					&cfg->registration_throttle_per_min))
				return fail_usage("--registration-throttle takes a "
						  "whole number of registrations "
						  "per minute (0: no limit), not "
						  "'%s'", optarg);
			registrations_given = true;
			break;
		case 'f':
			append(&cfg->fault_specs, optarg);
			break;
		case 'P':
			cfg->public = true;
			break;
		case 'k':
			free(cfg->token_key_path);
			cfg->token_key_path = xstrdup(optarg);
			break;
		case 'h':
			fputs(emu_usage, stdout);
			return 0;
		case 'V':
			printf("dpsemu %s\n", DPSENROLL_VERSION);
			return 0;
		default:
			return fail_usage("unknown or incomplete option '%s'",
					  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fail_usage("unexpected argument '%s'", argv[optind]);
	/* One option sets both limits; the second one only when told. */
	if (!registrations_given)
		cfg->registration_throttle_per_min = cfg->throttle_per_min;
	if (!cfg->data_dir)
		return fail_usage("%s", "--data DIR is required (the folder for "
				  "its database, keys and certificates)");
	if (!cfg->public && emu_address_is_public(cfg->listen_addr))
		return fail_usage("--listen %s would let other machines reach "
				  "the emulator; use 127.0.0.1 or ::1, or add "
				  "--public if that is what you want",
				  cfg->listen_addr);
	return check_faults(cfg);
}

static void
wait_for_stop(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	int sig;
	sigwait(&set, &sig);
}

int
main(int argc, char **argv)
{
	/* Its memory holds the policy keys and every device's keys. */
	char *why = NULL;
	if (!private_no_core_dumps(&why))
		fprintf(stderr, "dpsemu: warning: %s\n", why);
	free(why);
	why = NULL;
	/* Nor its TLS session keys: the TLS library would write them to
	 * whatever file SSLKEYLOGFILE names. */
	private_keylog_hold();
	secret_json_hooks();
	/* The same webhook URL check as the client's, through libcurl
	 * loaded when the first such URL comes. */
	url_curl_install();
	struct emu emu = { .cfg = { .port = 8443,
				    .throttle_per_min = EMU_DEFAULT_THROTTLE } };
	emu.cfg.listen_addr = xstrdup("127.0.0.1");
	int rc = parse_args(argc, argv, &emu.cfg);
	if (rc >= 0) {
		emu_config_clear(&emu.cfg);
		return rc;
	}
	/* Threads started from here on inherit the mask, so only sigwait()
	 * sees these signals and shutdown runs on the main thread. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct emu_http *http = NULL;
	if (!emu_jwt_load_key(&emu, &why) || !emu_setup(&emu, &why) || !(http = emu_http_start(&emu, &why)) ||
	    !emu_publish(&emu, &why)) {
		fprintf(stderr, "dpsemu: %s\n", why);
		free(why);
		emu_http_stop(http);
		emu_teardown(&emu);
		return 1;
	}
	printf("listening on https://%s%s%s:%d\n",
	       strchr(emu.cfg.listen_addr, ':') ? "[" : "", emu.cfg.listen_addr,
	       strchr(emu.cfg.listen_addr, ':') ? "]" : "", emu.cfg.port);
	fflush(stdout);
	wait_for_stop();
	emu_http_stop(http);
	emu_teardown(&emu);
	fprintf(stderr, "dpsemu: stopped\n");
	return 0;
}
