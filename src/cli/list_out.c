#define _XOPEN_SOURCE 700	/* wcwidth */

#include "cli/list_out.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/i18n.h"
#include "base/xalloc.h"

/* A column of the output. `state`: shown only with the states. */
struct column {
	const char *key;	/* JSON, CSV and TSV */
	const char *title;	/* table, translated; NULL: not in the table */
	bool state;
	const char *(*text)(const struct fleet_rows *s,
			    const struct fleet_row *r, char *buf);
};

#define POOL_TEXT(name, member) \
	static const char *name(const struct fleet_rows *s, \
				const struct fleet_row *r, char *buf) \
	{ \
		(void)buf; \
		return fleet_rows_str(s, r->member); \
	}

POOL_TEXT(id_text, id)
POOL_TEXT(device_text, device_id)
POOL_TEXT(attestation_text, attestation)
POOL_TEXT(provisioning_text, provisioning)
POOL_TEXT(updated_text, updated)
POOL_TEXT(etag_text, etag)
POOL_TEXT(hub_text, hub)
POOL_TEXT(state_updated_text, state_updated)
POOL_TEXT(message_text, error_message)

static const char *
status_text(const struct fleet_rows *s, const struct fleet_row *r, char *buf)
{
	(void)s;
	(void)buf;
	return fleet_status_name((enum fleet_status)r->status);
}

static const char *
code_text(const struct fleet_rows *s, const struct fleet_row *r, char *buf)
{
	(void)s;
	if (!r->error_code)
		return "";
	snprintf(buf, 16, "%d", (int)r->error_code);
	return buf;
}

/* "400209: Custom allocation failed", or why the fetch failed. */
static const char *
error_text(const struct fleet_rows *s, const struct fleet_row *r, char *buf)
{
	const char *msg = fleet_rows_str(s, r->error_message);
	if (!r->error_code)
		return msg;
	snprintf(buf, 256, "%d%s%.200s", (int)r->error_code, *msg ? ": " : "",
		 msg);
	return buf;
}

static const struct column columns[] = {
	/* TRANSLATORS: the headings of `dpsenroll list`'s table, in
	    capitals */
	{ "registrationId", N_("REGISTRATION ID"), false, id_text },
	{ "deviceId", N_("DEVICE ID"), false, device_text },
	{ "attestation", N_("ATTESTATION"), false, attestation_text },
	{ "provisioningStatus", N_("PROVISIONING"), false, provisioning_text },
	{ "registrationStatus", N_("STATUS"), true, status_text },
	{ "assignedHub", N_("HUB"), true, hub_text },
	{ "lastUpdated", N_("LAST UPDATED"), false, updated_text },
	{ "etag", NULL, false, etag_text },
	{ "registrationUpdated", NULL, true, state_updated_text },
	{ "errorCode", NULL, true, code_text },
	{ "errorMessage", NULL, true, message_text },
	{ "error", N_("ERROR"), true, error_text },
};

enum { NCOLUMNS = sizeof(columns) / sizeof(columns[0]), MAX_WIDTH = 48 };

static bool
shown(const struct list_out *o, const struct column *c)
{
	if (c->state && !o->with_state)
		return false;
	bool table = o->format == LIST_TABLE;
	/* The table has ERROR for the code and message; programs get them
	 * apart. */
	if (table)
		return c->title != NULL;
	return strcmp(c->key, "error") != 0;
}

int
list_format_parse(const char *name)
{
	static const char *const names[] = {
		[LIST_TABLE] = "table", [LIST_JSON] = "json",
		[LIST_JSONL] = "jsonl", [LIST_CSV] = "csv", [LIST_TSV] = "tsv",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

static void
put_csv(FILE *f, const char *text)
{
	if (!text[strcspn(text, ",\"\r\n")]) {
		fputs(text, f);
		return;
	}
	fputc('"', f);
	for (; *text; text++) {
		if (*text == '"')
			fputc('"', f);
		fputc(*text, f);
	}
	fputc('"', f);
}

/* TSV has no quoting, and a table is a line a row: tabs and line ends
 * in a value become spaces. */
static void
put_flat(FILE *f, const char *text)
{
	for (; *text; text++)
		fputc(*text == '\t' || *text == '\n' || *text == '\r' ? ' '
								     : *text, f);
}

/* The columns a text takes on a terminal: a heading may be translated
 * ("ÉTAT"), a value may be UTF-8; a byte that is not a character counts
 * one. */
static int
text_width(const char *text)
{
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	int width = 0;
	size_t left = strlen(text);
	while (left) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, text, left, &st);
		int w = 1;
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			n = 1;
		} else if ((w = wcwidth(wc)) < 0) {
			w = 1;
		}
		width += w;
		text += n;
		left -= n;
	}
	return width;
}

static void
put_padded(FILE *f, const char *text, int width)
{
	put_flat(f, text);
	for (int n = text_width(text); n < width; n++)
		fputc(' ', f);
}

static void
put_separated(struct list_out *o, const char *const *cells)
{
	bool first = true;
	for (size_t i = 0; i < NCOLUMNS; i++) {
		if (!shown(o, &columns[i]))
			continue;
		if (!first)
			fputc(o->format == LIST_CSV ? ',' : '\t', o->f);
		first = false;
		if (o->format == LIST_CSV)
			put_csv(o->f, cells[i]);
		else
			put_flat(o->f, cells[i]);
	}
	fputc('\n', o->f);
}

/* The last column with something to show on this line: no line ends
 * in padding. */
static size_t
last_filled(const struct list_out *o, const char *const *cells)
{
	size_t last = 0;
	for (size_t i = 0; i < NCOLUMNS; i++)
		if (shown(o, &columns[i]) && *cells[i])
			last = i;
	return last;
}

static void
put_table_line(struct list_out *o, const char *const *cells)
{
	size_t last = last_filled(o, cells);
	bool first = true;
	for (size_t i = 0; i < NCOLUMNS; i++) {
		if (!shown(o, &columns[i]))
			continue;
		if (i > last)
			break;
		if (!first)
			fputs("  ", o->f);
		first = false;
		put_padded(o->f, cells[i], i == last ? 0 : o->widths[i]);
	}
	fputc('\n', o->f);
}

/* The table's widths come from its header and first page, so that it
 * prints as it streams; a longer cell later pushes its line out rather
 * than being cut. */
static void
measure(struct list_out *o, const struct fleet_rows *s,
	const struct fleet_view *v)
{
	char buf[256];
	for (size_t i = 0; i < NCOLUMNS; i++)
		o->widths[i] = columns[i].title ? text_width(_(columns[i].title))
						: 0;
	for (size_t k = 0; k < v->count; k++) {
		const struct fleet_row *r = fleet_rows_at(s, v->idx[k]);
		for (size_t i = 0; i < NCOLUMNS; i++) {
			int n = text_width(columns[i].text(s, r, buf));
			if (n > o->widths[i])
				o->widths[i] = n > MAX_WIDTH ? MAX_WIDTH : n;
		}
	}
}

static void
header(struct list_out *o)
{
	const char *cells[NCOLUMNS];
	for (size_t i = 0; i < NCOLUMNS; i++)
		cells[i] = o->format == LIST_TABLE && columns[i].title
			? _(columns[i].title) : columns[i].key;
	if (o->format == LIST_TABLE)
		put_table_line(o, cells);
	else if (o->format == LIST_CSV || o->format == LIST_TSV)
		put_separated(o, cells);
}

static void
put_json(struct list_out *o, const struct fleet_rows *s,
	 const struct fleet_row *r)
{
	char buf[256];
	cJSON *j = cJSON_CreateObject();
	for (size_t i = 0; i < NCOLUMNS; i++) {
		const struct column *c = &columns[i];
		if (!shown(o, c))
			continue;
		if (strcmp(c->key, "errorCode") == 0) {
			if (r->error_code)
				cJSON_AddNumberToObject(j, c->key, r->error_code);
			continue;
		}
		cJSON_AddStringToObject(j, c->key, c->text(s, r, buf));
	}
	char *text = o->format == LIST_JSON ? cJSON_Print(j)
					    : cJSON_PrintUnformatted(j);
	if (o->format == LIST_JSON)
		fprintf(o->f, "%s%s", o->printed ? ",\n" : "[\n", text);
	else
		fprintf(o->f, "%s\n", text);
	free(text);
	cJSON_Delete(j);
}

static void
put_row(struct list_out *o, const struct fleet_rows *s,
	const struct fleet_row *r)
{
	if (o->format == LIST_JSON || o->format == LIST_JSONL) {
		put_json(o, s, r);
		return;
	}
	/* Each cell its own buffer: two may be formatted numbers. */
	static char bufs[NCOLUMNS][256];
	const char *cells[NCOLUMNS];
	for (size_t i = 0; i < NCOLUMNS; i++)
		cells[i] = columns[i].text(s, r, bufs[i]);
	if (o->format == LIST_TABLE)
		put_table_line(o, cells);
	else
		put_separated(o, cells);
}

static void
start(struct list_out *o, const struct fleet_rows *s,
      const struct fleet_view *v)
{
	if (o->started)
		return;
	o->started = true;
	if (o->format == LIST_TABLE)
		measure(o, s, v);
	header(o);
}

void
list_out_rows(struct list_out *o, const struct fleet_rows *s,
	      const struct fleet_view *v)
{
	/* The table's widths come from the first rows printed. */
	if (!v->count)
		return;
	start(o, s, v);
	for (size_t k = 0; k < v->count; k++) {
		put_row(o, s, fleet_rows_at(s, v->idx[k]));
		o->printed++;
	}
	fflush(o->f);
}

void
list_out_end(struct list_out *o)
{
	if (!o->started) {
		struct fleet_view none = FLEET_VIEW_INIT;
		start(o, NULL, &none);
	}
	if (o->format == LIST_JSON)
		fputs(o->printed ? "\n]\n" : "[]\n", o->f);
	fflush(o->f);
}
