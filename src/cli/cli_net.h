#ifndef DPSENROLL_CLI_NET_H
#define DPSENROLL_CLI_NET_H

/* What the network subcommands share: the connection options, making the
 * client, printing the service's answer, and the exit code it earns. */

#include <getopt.h>
#include <stdbool.h>

#include "base/i18n.h"
#include "cli/cli.h"
#include "dps/client.h"
#include "dps/connstr.h"

struct net_opts {
	char *connection_string;	/* secret; from --connection-string */
	char *profile;
	char *cacert;
	char *capath;
	char *proxy;		/* secret: may hold a password */
	char *host;		/* --host, for an access token */
	char *access_token_file;
	long timeout_ms;
	long connect_timeout_ms;
	int attempts;
	long deadline_ms;	/* the whole command; 0: none */
	long ops_per_minute;	/* the rate budget; 0: unset, -1: none */
	bool json;		/* errors as JSON on stderr */
};

enum {
	OPT_CONNECTION_STRING = 1000,
	OPT_PROFILE,
	OPT_CACERT,
	OPT_TIMEOUT,
	OPT_CONNECT_TIMEOUT,
	OPT_RETRIES,
	OPT_JSON,
	OPT_INSECURE_KEYLOG,
	OPT_DEADLINE,
	OPT_PROXY,
	OPT_CAPATH,
	OPT_OPS_PER_MINUTE,
	OPT_HOST,
	OPT_ACCESS_TOKEN_FILE,
	OPT_COMMAND_BASE = 1100,	/* commands' own long options from here */
};

#define NET_OPTIONS \
	{ "connection-string", required_argument, NULL, OPT_CONNECTION_STRING }, \
	{ "profile", required_argument, NULL, OPT_PROFILE }, \
	{ "cacert", required_argument, NULL, OPT_CACERT }, \
	{ "timeout", required_argument, NULL, OPT_TIMEOUT }, \
	{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT }, \
	{ "retries", required_argument, NULL, OPT_RETRIES }, \
	{ "json", no_argument, NULL, OPT_JSON }, \
	{ "insecure-keylog", no_argument, NULL, OPT_INSECURE_KEYLOG }, \
	{ "deadline", required_argument, NULL, OPT_DEADLINE }, \
	{ "proxy", required_argument, NULL, OPT_PROXY }, \
	{ "capath", required_argument, NULL, OPT_CAPATH }, \
	{ "ops-per-minute", required_argument, NULL, OPT_OPS_PER_MINUTE }, \
	{ "host", required_argument, NULL, OPT_HOST }, \
	{ "access-token-file", required_argument, NULL, OPT_ACCESS_TOKEN_FILE }

#define NET_OPTIONS_HELP \
	NET_OPTIONS_HELP_HEAD NET_OPTIONS_HELP_TIMEOUT NET_OPTIONS_HELP_TAIL \
	NET_OPTIONS_HELP_JSON NET_OPTIONS_HELP_KEYLOG
/* The parts, for a command whose own --timeout means something else
 * (watch: how long to wait for the device), or that takes no --json
 * (import: its results file is the record for programs). */
#define NET_OPTIONS_HELP_HEAD \
	N_("Connection (first found wins): --connection-string CS,\n" \
	"--access-token-file FILE, --profile NAME, the DPS_CONNECTION_STRING\n" \
	"environment variable, DPS_ACCESS_TOKEN, the default profile of\n" \
	"$XDG_CONFIG_HOME/dpsenroll/config.json. A profile with \"auth\":\n" \
	"\"token\" runs its \"tokenCommand\" for Entra ID access tokens.\n\n" \
	"  --access-token-file FILE\n" \
	"                       an Entra ID access token for the DPS, in a\n" \
	"                       file only you can read (chmod 600)\n" \
	"  --host HOST          the DPS host name for an access token from\n" \
	"                       that file or DPS_ACCESS_TOKEN; or DPS_HOST\n" \
	"  --cacert FILE        also trust this CA (dpsemu: DATA/ca.pem);\n" \
	"                       or DPSENROLL_CACERT\n" \
	"  --capath DIR         also trust the CAs in this folder (c_rehash'd)\n" \
	"  --proxy URL          http://HOST:PORT; default: https_proxy and\n" \
	"                       no_proxy from the environment, or the\n" \
	"                       profile's \"proxy\"\n")
#define NET_OPTIONS_HELP_TIMEOUT \
	N_("  --timeout S          whole request, seconds (default 30)\n")
#define NET_OPTIONS_HELP_TAIL \
	N_("  --connect-timeout S  connecting, seconds (default 10)\n" \
	"  --retries N          retries after 429, 5xx and refused connections\n" \
	"                       (default 3)\n" \
	"  --deadline S         the whole command, retries and their waits\n" \
	"                       included, seconds (default none)\n" \
	"  --ops-per-minute N   send at most N requests a minute (default\n" \
	"                       1000, the service's limit; 0: no limit); or\n" \
	"                       DPSENROLL_OPS_PER_MINUTE\n")
#define NET_OPTIONS_HELP_JSON \
	N_("  --json               a failed request's error as JSON on standard\n" \
	"                       error (what is refused before sending, such\n" \
	"                       as an option, a file or the connection\n" \
	"                       string, is said in text, exit 2)\n")
#define NET_OPTIONS_HELP_KEYLOG \
	N_("  --insecure-keylog    debugging only: let the TLS library write the\n" \
	"                       session keys to $SSLKEYLOGFILE, which is\n" \
	"                       otherwise ignored (whoever reads that file can\n" \
	"                       decrypt the traffic, tokens and keys included)\n")

/* Handles one of NET_OPTIONS: EXIT_OK, a usage error's code, or -1 when
 * `c` is not a network option. */
int net_option(const struct cli_command *cmd, int c, const char *arg,
	       struct net_opts *o);
/* getopt's "unknown" and "missing value" cases, worded for the command. */
int net_bad_option(const struct cli_command *cmd, int c, char **argv);

/* Finds the connection (see NET_OPTIONS_HELP): a connection string
 * parsed, or a host with where its access tokens come from. False with
 * *why (owned) when there is none or it is bad. */
bool net_resolve(struct net_opts *o, struct dps_conn *conn, char **why);
/* The client options the network options ask for. */
struct dps_client_opts net_client_opts(const struct net_opts *o);

/* One rate budget for every client the options will make (the TUI's
 * workers, the list's fetcher), so that the session as a whole stays
 * under it: set in opts->budget and returned (the caller frees it after
 * the clients), or NULL when the options ask for none. */
struct dps_budget *net_session_budget(struct dps_client_opts *opts);

/* Resolves the connection and makes the client; on failure prints why and
 * returns the exit code (*client stays NULL). */
int net_connect(const struct cli_command *cmd, struct net_opts *o,
		struct dps_client **client);

/* The exit code for an answer (see the README's table). */
int net_exit_code(const struct dps_response *r);
/* Prints a failed answer to stderr (JSON with --json); returns its code. */
int net_report_failure(const struct cli_command *cmd, const struct net_opts *o,
		       const struct dps_response *r);
/* Prints the body of a successful answer to stdout, or reports the
 * failure; returns the exit code. */
int net_finish(const struct cli_command *cmd, const struct net_opts *o,
	       const struct dps_response *r);

void net_opts_clear(struct net_opts *o);

#endif
