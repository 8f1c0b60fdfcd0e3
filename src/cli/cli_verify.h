#ifndef DPSENROLL_CLI_VERIFY_H
#define DPSENROLL_CLI_VERIFY_H

/* What watch and register share: the advice printed under a failure, and
 * the pause between polls that keeps the live line ticking. */

#include <stdbool.h>

#include "app/explain.h"
#include "cli/cli.h"

/* "  why: CAUSE" and "  next: STEP" on stderr; nothing for an empty
 * advice. Clears it. */
void verify_say_advice(struct advice *a);

/* The live line "waiting for ID to register (power it on) M:SS": on a
 * terminal it is redrawn in place; elsewhere it is written once. */
struct live_line {
	const char *id;
	bool tty;
	bool quiet;		/* --json: standard error holds JSON only */
	bool shown;
	double start;
};

void live_line_init(struct live_line *l, const char *id, double start,
		    bool quiet);
void live_line_draw(struct live_line *l, double now);
/* Ends the line before other output. */
void live_line_end(struct live_line *l);

/* Monotonic seconds. */
double verify_now(void);
/* Sleeps `ms` in short steps, redrawing the live line. */
void verify_pause(struct live_line *l, unsigned ms);

#endif
