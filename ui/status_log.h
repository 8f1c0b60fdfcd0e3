#ifndef DPSENROLL_UI_STATUS_LOG_H
#define DPSENROLL_UI_STATUS_LOG_H

/* The last status-line messages, so one cut to fit the screen, or
 * replaced by the next, can still be read whole. No curses here. */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum { STATUS_LOG_MAX = 30 };

struct status_entry {
	char *text;	/* owned */
	bool error;
	time_t when;
};

struct status_log {
	struct status_entry items[STATUS_LOG_MAX];	/* a ring */
	size_t count;
	size_t next;	/* where the next one goes */
};

/* Keeps a copy of `text`; the same message again only moves its time. */
void status_log_add(struct status_log *l, const char *text, bool error,
		    time_t when);
/* The k-th newest message (0: the last one), or NULL past the oldest. */
const struct status_entry *status_log_get(const struct status_log *l,
					  size_t k);
void status_log_clear(struct status_log *l);

#endif
