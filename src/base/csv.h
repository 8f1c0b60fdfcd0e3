#ifndef DPSENROLL_BASE_CSV_H
#define DPSENROLL_BASE_CSV_H

/* Reading CSV (RFC 4180) a record at a time from text in memory: fields
 * separated by commas, quoted with double quotes (doubled inside), a
 * quoted field may span lines; CRLF or LF ends a record. Each record
 * knows the line it starts on, so messages can point into the file.
 * Fields may hold keys: they are wiped when let go. */

#include <stdbool.h>
#include <stddef.h>

struct csv_reader {
	const char *text;
	size_t len;
	size_t pos;
	size_t line;		/* of `pos`, from 1 */
};

struct csv_record {
	char **fields;		/* owned, NUL-terminated */
	size_t count;
	size_t cap;
	size_t line;		/* where the record starts, from 1 */
};

enum csv_step {
	CSV_RECORD,		/* *rec holds the next record */
	CSV_END,		/* no more records */
	CSV_ERROR,		/* *why (owned) says what, with its line */
};

void csv_reader_init(struct csv_reader *r, const char *text, size_t len);
/* The next record that is not an empty line. *rec is cleared first. */
enum csv_step csv_next(struct csv_reader *r, struct csv_record *rec,
		       char **why);
void csv_record_clear(struct csv_record *rec);

#endif
