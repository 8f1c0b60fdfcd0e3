#include "base/csv.h"

#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/i18n.h"
#include "base/secret.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

void
csv_reader_init(struct csv_reader *r, const char *text, size_t len)
{
	*r = (struct csv_reader){ .text = text, .len = len, .line = 1 };
	/* A byte order mark is not part of the first column's name. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		r->pos = 3;
}

void
csv_record_clear(struct csv_record *rec)
{
	for (size_t i = 0; i < rec->count; i++)
		secret_str_free(rec->fields[i]);
	free(rec->fields);
	memset(rec, 0, sizeof(*rec));
}

static void
add_field(struct csv_record *rec, struct strbuf *b)
{
	rec->fields = array_grow(rec->fields, rec->count, &rec->cap,
				 sizeof(*rec->fields));
	rec->fields[rec->count++] = strbuf_take(b);
}

static bool
at_record_end(const struct csv_reader *r)
{
	return r->pos >= r->len || r->text[r->pos] == '\n' ||
	       (r->text[r->pos] == '\r' &&
		(r->pos + 1 >= r->len || r->text[r->pos + 1] == '\n'));
}

static void
skip_record_end(struct csv_reader *r)
{
	if (r->pos < r->len && r->text[r->pos] == '\r')
		r->pos++;
	if (r->pos < r->len && r->text[r->pos] == '\n') {
		r->pos++;
		r->line++;
	}
}

/* "line N: " stays English: the reader's caller takes the line number
 * back out of it to point into the file its own way. */
static char *
located(size_t line, const char *what)
{
	return xasprintf("line %zu: %s", line, what);
}

/* A quoted field, from just after its opening quote. */
static bool
read_quoted(struct csv_reader *r, struct strbuf *b, char **why)
{
	size_t start_line = r->line;
	for (;;) {
		if (r->pos >= r->len) {
			*why = located(start_line, _("a quoted field is never "
						     "closed (a \" is missing)"));
			return false;
		}
		char ch = r->text[r->pos++];
		if (ch == '"') {
			if (r->pos < r->len && r->text[r->pos] == '"') {
				strbuf_add_n(b, "\"", 1);
				r->pos++;
				continue;
			}
			break;
		}
		if (ch == '\n')
			r->line++;
		strbuf_add_n(b, &ch, 1);
	}
	if (r->pos < r->len && r->text[r->pos] != ',' && !at_record_end(r)) {
		*why = located(r->line, _("text after a closing quote; a "
					  "quote inside a quoted field is "
					  "written twice (\"\")"));
		return false;
	}
	return true;
}

static void
read_plain(struct csv_reader *r, struct strbuf *b)
{
	size_t start = r->pos;
	while (r->pos < r->len && r->text[r->pos] != ',' && !at_record_end(r))
		r->pos++;
	strbuf_add_n(b, r->text + start, r->pos - start);
}

static bool
blank_line(const struct csv_reader *r)
{
	size_t p = r->pos;
	while (p < r->len && (r->text[p] == ' ' || r->text[p] == '\t'))
		p++;
	return p >= r->len || r->text[p] == '\n' ||
	       (r->text[p] == '\r' && (p + 1 >= r->len || r->text[p + 1] == '\n'));
}

static void
skip_blank_lines(struct csv_reader *r)
{
	while (r->pos < r->len && blank_line(r)) {
		while (!at_record_end(r))
			r->pos++;
		skip_record_end(r);
	}
}

enum csv_step
csv_next(struct csv_reader *r, struct csv_record *rec, char **why)
{
	csv_record_clear(rec);
	skip_blank_lines(r);
	if (r->pos >= r->len)
		return CSV_END;
	rec->line = r->line;
	for (;;) {
		struct strbuf b = STRBUF_SECRET;
		strbuf_add_n(&b, "", 0);
		if (r->pos < r->len && r->text[r->pos] == '"') {
			r->pos++;
			if (!read_quoted(r, &b, why)) {
				strbuf_free(&b);
				csv_record_clear(rec);
				return CSV_ERROR;
			}
		} else {
			read_plain(r, &b);
		}
		add_field(rec, &b);
		if (r->pos < r->len && r->text[r->pos] == ',') {
			r->pos++;
			continue;
		}
		skip_record_end(r);
		return CSV_RECORD;
	}
}
