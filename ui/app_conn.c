/* Switching the DPS while the form stays as it is: a wrong key, a missing
 * connection string or the wrong profile are fixed without restarting
 * (and without losing what was typed). */

#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "app/config.h"
#include "app/profile_conn.h"
#include "dps/connstr.h"
#include "base/i18n.h"
#include "base/xalloc.h"

void
app_connection(struct app *a)
{
	if (a->job) {
		app_status(a, true, _("A request is still running; wait for it (or "
			   "Esc cancels it) before connecting to another DPS"));
		return;
	}
	struct profile_info *list;
	size_t n;
	char *why = NULL;
	if (!config_profiles(&list, &n, &why)) {
		list = NULL;
		n = 0;
	}
	app_open_modal(a, connection_new(list, n, why));
}

/* A new worker for `conn`; the old one goes only once the new one runs,
 * so a failure keeps the connection there was. */
static bool
connect_to(struct app *a, const struct dps_conn *conn, const char *cacert,
	   const char *proxy, char **why)
{
	struct dps_client_opts opts = a->client;
	opts.cacert = cacert;
	opts.proxy = proxy;
	struct dps_worker *w = dps_worker_new(conn, &opts, why);
	if (!w)
		return false;
	app_verify_free(a);	/* its jobs go with the old worker */
	dps_worker_free(a->worker);
	a->worker = w;
	list_connect(a, conn, &opts);
	free(a->host);
	a->host = xstrdup(conn->host);
	return true;
}

bool
app_connect_profile(struct app *a, const char *name, char **why)
{
	struct profile p;
	if (!config_profile(name, &p, why))
		return false;
	struct dps_conn conn;
	bool ok = profile_conn(&p, name, &conn, why);
	const char *cacert = p.cacert ? p.cacert : a->cacert_default;
	const char *proxy = p.proxy ? p.proxy : a->proxy_default;
	if (ok && connect_to(a, &conn, cacert, proxy, why))
		app_status(a, false, _("Connected to %s (profile %s)"), conn.host, name);
	else
		ok = false;
	if (ok) {
		free(a->profile);
		a->profile = xstrdup(name);
	}
	dps_conn_clear(&conn);	/* zeroed by a failed parse */
	profile_clear(&p);
	return ok;
}

bool
app_connect_string(struct app *a, const char *text, const char *save_as,
		   char **why)
{
	struct dps_conn conn;
	if (!dps_conn_parse(text, &conn, why))
		return false;
	bool save = save_as && *save_as;
	bool ok = (!save || config_save_profile(save_as, text, why)) &&
		  connect_to(a, &conn, a->cacert_default, a->proxy_default, why);
	if (ok && save) {
		app_status(a, false, _("Connected to %s; saved as profile %s in the "
			   "config file"), conn.host, save_as);
	} else if (ok) {
		app_status(a, false, _("Connected to %s (for this session; not saved)"),
			   conn.host);
	}
	dps_conn_clear(&conn);
	return ok;
}
