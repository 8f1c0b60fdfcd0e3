#ifndef DPSENROLL_UI_UI_H
#define DPSENROLL_UI_UI_H

/* The terminal user interface: the enrollment form against one DPS. */

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "dps/client.h"
#include "dps/connstr.h"

struct ui_options {
	/* The DPS to talk to; NULL when none is configured (the form still
	 * opens, and loading or submitting says how to configure one). */
	const struct dps_conn *conn;
	const char *conn_problem;	/* why conn is NULL */
	struct dps_client_opts client;	/* cacert, timeouts, attempts */
	/* The CA trusted for a connection chosen in the form that names no
	 * cacert of its own (--cacert or DPSENROLL_CACERT), or NULL. */
	const char *cacert_default;
	/* The same for the proxy (--proxy), or NULL: the environment's. */
	const char *proxy_default;
	const char *theme;		/* NULL: the configured or default theme */
	const char *load_id;		/* open with this enrollment loaded */
	bool list;			/* open on the fleet list */
	/* The profile named at start (--profile), or NULL: where a device's
	 * ID scope is looked up when none is given otherwise. */
	const char *profile;
	const char *notice;		/* a problem to show at start, or NULL */
	/* Station mode on this template (ui/station.h), or NULL. */
	const cJSON *station_template;
};

/* Runs until the user quits; returns the process exit code. Needs a
 * terminal on standard input and output. */
int ui_run(const struct ui_options *opts);

#endif
