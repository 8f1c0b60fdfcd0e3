#ifndef DPSENROLL_APP_SESSION_SYNC_H
#define DPSENROLL_APP_SESSION_SYNC_H

/* A session port for the commands: each request runs at once on the
 * caller's thread with its own client, and session_sync_finish feeds the
 * answers to the session until nothing more is asked. */

#include "app/session.h"

struct session_sync {
	struct dps_client *client;	/* borrowed */
	struct dps_job *done;		/* answered, not yet taken */
	struct dps_job *last;		/* the job the last news is about */
	unsigned next_id;
};

/* A port whose ctx is `y`; y->client must be set. */
struct session_port session_sync_port(struct session_sync *y);
/* Runs the session until idle; the news's job stays valid until
 * session_sync_clear. */
struct session_news session_sync_finish(struct session *s,
					struct session_sync *y);
void session_sync_clear(struct session_sync *y);

#endif
