#ifndef DPSENROLL_CLI_IMPORT_H
#define DPSENROLL_CLI_IMPORT_H

/* dpsenroll import: the rows of a manufacturing file (CSV or JSON lines)
 * over a template, checked, then sent in bulk requests with a record per
 * row, resumable. import_input.c reads and checks the rows,
 * import_send.c sends them, import_progress.c shows how far it got. */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "app/import_state.h"
#include "dps/client.h"
#include "model/doc.h"

enum import_row_state {
	ROW_PENDING,		/* to send */
	ROW_READ_BACK,		/* maybe sent by an earlier run: read it first */
	ROW_DONE,		/* the service has it (this run or earlier) */
	ROW_FAILED,		/* refused, or changed by someone else */
	ROW_UNKNOWN,		/* sent, and neither answer nor read-back came */
};

struct import_row {
	size_t line;			/* where it starts in the file */
	char *id;			/* owned */
	cJSON *enrollment;		/* owned; as it will be sent */
	char digest[IMPORT_DIGEST_SIZE];
	enum import_row_state state;
	const char *outcome;		/* the result file's word; static */
	long status;
	long error_code;
	char *message;			/* owned */
	bool earlier;			/* done by an earlier run */
	bool changed_since;		/* done by an earlier run, as another row */
	int sends;
};

struct import_rows {
	struct import_row *items;
	size_t count;
	size_t cap;
};

/* Reads `file` (CSV, or JSON lines when it ends in .jsonl or .ndjson or
 * starts with '{') over the template (NULL: {}), checks every row as
 * `validate` does plus the private key detector, and prints each problem
 * as FILE:LINE: ... on stderr. False when a row has an error or the file
 * cannot be read; `rows` then holds nothing worth sending. */
bool import_read(const char *file, const struct doc *tmpl, const char *mode,
		 struct import_rows *rows);
void import_rows_clear(struct import_rows *rows);

/* The progress display (stderr): a bar on a terminal, plain lines
 * otherwise. Times are monotonic seconds. */
struct import_progress {
	bool tty;
	size_t total;
	size_t done;		/* rows with an outcome, earlier runs' too */
	size_t start_done;	/* of those, what the run started with */
	double start;
	double last_shown;
	int last_tenth;		/* plain lines: the last 10% step said */
	double throttled_s;
	bool bar_on_screen;
	struct dps_budget *budget;	/* borrowed; NULL: no client pacing */
};

void import_progress_start(struct import_progress *p, size_t total,
			   size_t already);
void import_progress_update(struct import_progress *p, size_t done);
/* A line of its own (a retry, a stop), the bar redrawn after. */
void import_progress_say(struct import_progress *p, const char *text);
void import_progress_finish(struct import_progress *p);
/* Before the first request: when the client's rate budget will hold the
 * import back, says so and how long the rows left take at its pace. */
void import_progress_pace(struct import_progress *p, size_t rows_left);
double import_now(void);

/* How sending ended. */
enum import_stop {
	STOP_NONE,		/* every row has its outcome */
	STOP_ASKED,		/* Ctrl-C */
	STOP_NETWORK,		/* no connection, or an answer lost unreadably */
	STOP_SERVICE,		/* refused as a whole (401, 403, 429, 5xx) */
	STOP_STATE,		/* the progress file cannot be written */
};

struct import_send {
	struct dps_client *client;
	const char *mode;
	const char *state_path;
	const char *host;	/* the DPS it goes to, kept in the state */
	struct import_rows *rows;
	struct import_progress progress;
	char *stop_why;		/* owned; what stopped it */
};

/* Reads back the rows an earlier run left in flight, then sends the
 * pending ones. Keeps the state file and the journal up to date. */
enum import_stop import_send_all(struct import_send *s);

/* Ctrl-C handling: the first asks to stop after the batch in flight, the
 * second cancels it. */
void import_signals_install(void);
bool import_stop_asked(void);
bool import_cancelled(void *ctx);

#endif
