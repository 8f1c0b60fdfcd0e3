#ifndef DPSENROLL_APP_FLEET_FETCHER_H
#define DPSENROLL_APP_FLEET_FETCHER_H

/* Registration states fetched in the background for the list screen: a
 * thread with a client of its own works through the ids the screen
 * wants, in the order it wants them (the rows on screen first), and
 * hands back each answer through a file descriptor the UI loop polls
 * beside the keyboard. The screen changes its mind with
 * fleet_fetcher_want as the user scrolls; nothing it no longer wants is
 * fetched.
 *
 * Its client takes from the budget in opts (share the one the form's
 * worker uses, so the session stays under the service's limit) as
 * background work, leaving the budget's reserve to the user's own
 * requests. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dps/client.h"
#include "dps/connstr.h"

struct fleet_fetcher;

/* Starts the thread; conn and opts are copied (opts.budget stays
 * borrowed and must outlive the fetcher). NULL with *why (owned). */
struct fleet_fetcher *fleet_fetcher_new(const struct dps_conn *conn,
					const struct dps_client_opts *opts,
					char **why);
/* Stops the request in flight, joins the thread, frees what is left. */
void fleet_fetcher_free(struct fleet_fetcher *f);

/* Readable while answers wait to be taken. */
int fleet_fetcher_fd(const struct fleet_fetcher *f);

/* The ids to fetch next, in this order (copied), in place of those not
 * fetched yet; the one in flight finishes. n = 0 stops after it. */
void fleet_fetcher_want(struct fleet_fetcher *f, const char *const *ids,
			size_t n);
/* Ids wanted and not fetched yet, the one in flight included. */
size_t fleet_fetcher_pending(struct fleet_fetcher *f);

struct fleet_state_answer {
	char *id;
	struct dps_response resp;	/* of GET /registrations/{id} */
	int64_t at_ms;			/* fleet_now_ms() when it came */
};

/* The next answer, or NULL; free it with fleet_state_answer_free. */
struct fleet_state_answer *fleet_fetcher_take(struct fleet_fetcher *f);
void fleet_state_answer_free(struct fleet_state_answer *a);

#endif
