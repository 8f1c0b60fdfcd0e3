#ifndef DPSENROLL_CLI_LIST_OUT_H
#define DPSENROLL_CLI_LIST_OUT_H

/* `dpsenroll list`'s output: fleet rows as a table for people, or as
 * JSON, JSON lines, CSV or TSV for programs, written page by page so
 * that nothing but the page at hand is kept. */

#include <stdbool.h>
#include <stdio.h>

#include "app/fleet_row.h"

enum list_format {
	LIST_TABLE,
	LIST_JSON,
	LIST_JSONL,
	LIST_CSV,
	LIST_TSV,
};

/* The format named, or -1. */
int list_format_parse(const char *name);

struct list_out {
	enum list_format format;
	bool with_state;	/* the state's columns too */
	FILE *f;
	long printed;
	int widths[16];		/* the table's, from its first page */
	bool started;
};

/* Prints the rows of view `v` over `s`. */
void list_out_rows(struct list_out *o, const struct fleet_rows *s,
		   const struct fleet_view *v);
/* Ends the output: closes the JSON array, or prints a table's header
 * when there were no rows. */
void list_out_end(struct list_out *o);

#endif
