/* Reading and checking the rows of an import. */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/array.h"
#include "base/i18n.h"
#include "base/b64.h"
#include "base/csv.h"
#include "base/secret.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "cli/import.h"
#include "model/import_row.h"
#include "model/keymat.h"
#include "model/settle.h"
#include "model/validate.h"
#include "sys/fileio.h"

/* Past this many problem lines the rest are only counted: a file with
 * one mistake on every row would otherwise bury the first one. */
enum { SHOWN_MAX = 50 };

struct reading {
	const char *file;
	char *folder;			/* certificate paths are relative to it */
	const struct doc *tmpl;
	const char *mode;
	struct import_columns cols;	/* CSV only */
	struct import_rows *rows;
	size_t shown;
	size_t hidden;
	size_t bad_rows;
	char **template_paths;		/* template problems said already */
	size_t template_count;
	size_t template_cap;
};

static void
say(struct reading *r, size_t line, const char *where, enum severity sev,
    const char *message)
{
	if (r->shown >= SHOWN_MAX) {
		r->hidden++;
		return;
	}
	r->shown++;
	fprintf(stderr, "%s:%zu: %s%s%s: %s\n", r->file, line, where,
		*where ? ": " : "", cli_severity(sev), message);
}

/* Where a finding is: its column (CSV), else its path. */
static char *
where_of(const struct reading *r, const char *path)
{
	const struct import_column *c = import_column_of(&r->cols, path);
	if (!c)
		return xstrdup(*path ? path : _("(enrollment)"));
	size_t n = (size_t)(c - r->cols.items) + 1;
	if (strcmp(c->path, path) == 0)
		return xasprintf(_("column %zu (%s)"), n, c->path);
	return xasprintf(_("column %zu (%s): %s"), n, c->path, path);
}

/* A CSV row's value that no column sets is the template's: a problem
 * with it is the template's to fix, not the row's. */
static bool
from_template(const struct reading *r, const char *path)
{
	return r->cols.count && r->tmpl && *path &&
	       !import_column_of(&r->cols, path) && doc_get(r->tmpl, path);
}

/* True the first time: the template's problem is said once, not on
 * every row that takes the value. */
static bool
first_for_template(struct reading *r, const char *path)
{
	for (size_t i = 0; i < r->template_count; i++)
		if (strcmp(r->template_paths[i], path) == 0)
			return false;
	r->template_paths = array_grow(r->template_paths, r->template_count,
				       &r->template_cap,
				       sizeof(*r->template_paths));
	r->template_paths[r->template_count++] = xstrdup(path);
	return true;
}

/* Prints the findings; true when none is an error. */
static bool
report(struct reading *r, size_t line, const struct findings *fs)
{
	bool ok = true;
	for (size_t i = 0; i < fs->count; i++) {
		const struct finding *f = &fs->items[i];
		if (f->severity == SEV_NOTE)
			continue;
		ok = ok && f->severity != SEV_ERROR;
		if (from_template(r, f->path)) {
			if (!first_for_template(r, f->path))
				continue;
			char *where = xasprintf(_("%s (the template's value, "
						"for every row)"), f->path);
			say(r, line, where, f->severity, f->message);
			free(where);
			continue;
		}
		char *where = where_of(r, f->path);
		say(r, line, where, f->severity, f->message);
		free(where);
	}
	return ok;
}

/* A certificate cell may name a file (relative to the import file's
 * folder); a PEM file is taken as it is, anything else as DER. */
static char *
certificate_cell(const struct reading *r, const struct import_column *c,
		 const char *text, struct findings *out)
{
	if (strncmp(text, "-----BEGIN", 10) == 0 || strchr(text, '\n'))
		return NULL;
	char *path = text[0] == '/' ? xstrdup(text)
				    : xasprintf("%s/%s", r->folder, text);
	size_t len;
	char *data = file_read_all(path, &len);
	char *value = NULL;
	if (!data && errno != ENOENT) {
		findings_add(out, c->path, SEV_ERROR, _("cannot read %s: %s"), path,
			     strerror(errno));
	} else if (!data && (name_has_extension(text, ".pem", true) ||
			     name_has_extension(text, ".crt", true) ||
			     name_has_extension(text, ".cer", true) ||
			     name_has_extension(text, ".der", true))) {
		findings_add(out, c->path, SEV_ERROR, _("no file %s; give the "
			     "certificate's file (relative to the import file) "
			     "or its PEM text"), path);
	} else if (data && keymat_in_data((const unsigned char *)data, len)) {
		findings_add(out, c->path, SEV_ERROR, _("%s holds a private key, "
			     "which never leaves the device; give the "
			     "certificate's file"), path);
	} else if (data) {
		value = !memchr(data, '\0', len) && strstr(data, "-----BEGIN")
			? xstrdup(data)
			: b64_encode((const unsigned char *)data, len);
	}
	if (data)
		secret_free(data, len);
	free(path);
	return value;
}

static void
set_cell(struct reading *r, struct doc *d, const struct import_column *c,
	 const char *text, struct findings *fs)
{
	char *file_value = NULL;
	if (!c->member && field_holds_certificate(c->row))
		file_value = certificate_cell(r, c, text, fs);
	import_cell_set(d, c, file_value ? file_value : text, fs);
	secret_str_free(file_value);
}

/* What `put` refuses for an update holds for each row: without keys the
 * service makes new ones and the device is locked out. */
static void
check_update_keys(const struct reading *r, const struct doc *d,
		  struct findings *fs)
{
	const char *type = doc_get_string(d, "attestation.type");
	if (strcmp(r->mode, "update") || !type || strcmp(type, "symmetricKey"))
		return;
	if (!doc_get_string(d, "attestation.symmetricKey.primaryKey") ||
	    !doc_get_string(d, "attestation.symmetricKey.secondaryKey"))
		findings_add(fs, "attestation.symmetricKey", SEV_ERROR,
			     _("an update needs both keys: without them the "
			     "service makes new ones and the device is locked "
			     "out; add the keys, or update it with 'dpsenroll "
			     "put', which keeps them"));
}

static void
add_row(struct reading *r, size_t line, struct doc *d)
{
	struct import_rows *rows = r->rows;
	rows->items = array_grow(rows->items, rows->count, &rows->cap,
				 sizeof(*rows->items));
	struct import_row *row = &rows->items[rows->count++];
	*row = (struct import_row){ .line = line, .state = ROW_PENDING };
	row->id = xstrdup(doc_get_string(d, "registrationId"));
	/* A bulk update replaces only an item that carries an etag; "*" is
	 * "whatever is there", as put --force sends it. */
	if (strcmp(r->mode, "update") == 0)
		doc_set_string(d, "etag", "*");
	char *text = cJSON_PrintUnformatted(d->root);
	import_digest(text, row->digest);
	secret_str_free(text);
	row->enrollment = d->root;
	d->root = NULL;
	free(d);
}

/* The whole check of one row built over the template; a row that passes
 * is kept, settled as `put` settles it. */
static void
check_row(struct reading *r, size_t line, struct doc *d, struct findings *fs)
{
	keymat_check_json("", d->root, fs);
	if (fs->count == 0) {
		validate_enrollment(d, fs);
		check_update_keys(r, d, fs);
	}
	bool ok = report(r, line, fs);
	if (ok && !doc_get_string(d, "registrationId")) {
		say(r, line, "registrationId", SEV_ERROR, _("every row needs a "
		    "registrationId"));
		ok = false;
	}
	if (!ok) {
		r->bad_rows++;
		doc_free(d);
		return;
	}
	struct findings notes;
	findings_init(&notes);
	doc_settle_attestation(d, &notes);
	findings_clear(&notes);	/* the leaf of a chain, a key's line breaks */
	add_row(r, line, d);
}

static struct doc *
template_copy(const struct reading *r)
{
	return r->tmpl ? doc_clone(r->tmpl) : doc_new();
}

/* The CSV reader's "line N: ..." as every other problem is said,
 * FILE:N: error: ..., and that nothing was sent. */
static void
say_csv_error(const struct reading *r, const char *why)
{
	size_t line;
	int used = 0;
	if (sscanf(why, "line %zu: %n", &line, &used) == 1 && used > 0)
		fprintf(stderr, _("%s:%zu: error: %s\n"), r->file, line, why + used);
	else
		fprintf(stderr, _("%s: error: %s\n"), r->file, why);
	fprintf(stderr, _("dpsenroll import: nothing sent: the file cannot be "
		"read as CSV; fix it and run it again\n"));
}

/* "column 3 (foo)" for a problem with a column's name. */
static char *
header_place(const struct csv_record *rec, const char *name)
{
	for (size_t i = 0; *name && i < rec->count; i++)
		if (strcmp(rec->fields[i], name) == 0)
			return xasprintf(_("column %zu (%s)"), i + 1, name);
	return xstrdup(_("(header)"));
}

static bool
read_header(struct reading *r, struct csv_reader *cr)
{
	struct csv_record rec = { 0 };
	char *why = NULL;
	enum csv_step st = csv_next(cr, &rec, &why);
	bool ok = st == CSV_RECORD;
	if (st == CSV_ERROR) {
		say_csv_error(r, why);
		free(why);
	} else if (st == CSV_END) {
		fprintf(stderr, _("%s: empty; the first line names the columns "
			"(registrationId,attestation.tpm.endorsementKey,...)\n"),
			r->file);
	}
	if (ok) {
		struct findings fs;
		findings_init(&fs);
		ok = import_columns_read(rec.fields, rec.count, &r->cols, &fs);
		for (size_t i = 0; i < fs.count; i++) {
			char *where = header_place(&rec, fs.items[i].path);
			say(r, rec.line, where, fs.items[i].severity,
			    fs.items[i].message);
			free(where);
		}
		findings_clear(&fs);
		if (!ok)
			fprintf(stderr, _("dpsenroll import: nothing sent: the "
				"first line, which names the columns, has errors; "
				"fix it and run it again\n"));
	}
	csv_record_clear(&rec);
	return ok;
}

static void
csv_row(struct reading *r, const struct csv_record *rec)
{
	struct findings fs;
	findings_init(&fs);
	if (rec->count != r->cols.count) {
		char msg[160];
		snprintf(msg, sizeof(msg), ngettext("%zu value for %zu columns; a "
			 "value with a comma goes in double quotes", "%zu values "
			 "for %zu columns; a value with a comma goes in double "
			 "quotes", rec->count), rec->count, r->cols.count);
		say(r, rec->line, "", SEV_ERROR, msg);
		r->bad_rows++;
		return;
	}
	struct doc *d = template_copy(r);
	for (size_t i = 0; i < rec->count; i++)
		set_cell(r, d, &r->cols.items[i], rec->fields[i], &fs);
	check_row(r, rec->line, d, &fs);
	findings_clear(&fs);
}

static bool
read_csv(struct reading *r, const char *text, size_t len)
{
	struct csv_reader cr;
	csv_reader_init(&cr, text, len);
	if (!read_header(r, &cr))
		return false;
	struct csv_record rec = { 0 };
	char *why = NULL;
	enum csv_step st;
	while ((st = csv_next(&cr, &rec, &why)) == CSV_RECORD)
		csv_row(r, &rec);
	csv_record_clear(&rec);
	if (st == CSV_ERROR) {
		say_csv_error(r, why);
		free(why);
		return false;
	}
	return true;
}

static void
json_line(struct reading *r, size_t line, const char *text, size_t len)
{
	struct json_error err;
	cJSON *v = json_parse_located(text, len, &err);
	if (!cJSON_IsObject(v)) {
		char msg[220];
		if (v)
			snprintf(msg, sizeof(msg), _("a line holds one enrollment, a "
				 "JSON object { ... }"));
		else
			snprintf(msg, sizeof(msg), _("column %d: not valid JSON: %s"),
				 err.column, err.message);
		say(r, line, "", SEV_ERROR, msg);
		r->bad_rows++;
		cJSON_Delete(v);
		return;
	}
	struct doc *d = template_copy(r);
	import_merge(d, v);
	cJSON_Delete(v);
	struct findings fs;
	findings_init(&fs);
	check_row(r, line, d, &fs);
	findings_clear(&fs);
}

static void
read_json_lines(struct reading *r, const char *text, size_t len)
{
	size_t line = 0;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		line++;
		size_t a = pos, b = end;
		while (a < b && isspace((unsigned char)text[a]))
			a++;
		if (a < b)
			json_line(r, line, text + a, b - a);
		pos = end + 1;
	}
}

static bool
is_json_lines(const char *file, const char *text)
{
	if (name_has_extension(file, ".jsonl", true) ||
	    name_has_extension(file, ".ndjson", true))
		return true;
	if (name_has_extension(file, ".csv", true))
		return false;
	while (isspace((unsigned char)*text))
		text++;
	return *text == '{';
}

static int
cmp_row_id(const void *a, const void *b)
{
	const struct import_row *x = *(struct import_row *const *)a;
	const struct import_row *y = *(struct import_row *const *)b;
	int c = strcasecmp(x->id, y->id);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* One row per id: a second would be a conflict with the first. The
 * service compares ids in any case, so Bench-1 and bench-1 are one. */
static void
check_duplicates(struct reading *r)
{
	struct import_rows *rows = r->rows;
	if (rows->count < 2)
		return;
	struct import_row **by_id = xcalloc(rows->count, sizeof(*by_id));
	for (size_t i = 0; i < rows->count; i++)
		by_id[i] = &rows->items[i];
	qsort(by_id, rows->count, sizeof(*by_id), cmp_row_id);
	for (size_t i = 1; i < rows->count; i++) {
		if (strcasecmp(by_id[i]->id, by_id[i - 1]->id))
			continue;
		char *msg = xasprintf(_("'%s' is also on line %zu; each device "
				      "goes in once"), by_id[i]->id,
				      by_id[i - 1]->line);
		say(r, by_id[i]->line, "registrationId", SEV_ERROR, msg);
		free(msg);
		r->bad_rows++;
	}
	free(by_id);
}

static char *
folder_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	if (!slash)
		return xstrdup(".");
	return slash == file ? xstrdup("/") : xstrndup(file, (size_t)(slash - file));
}

bool
import_read(const char *file, const struct doc *tmpl, const char *mode,
	    struct import_rows *rows)
{
	size_t len;
	char *text = file_read_all(file, &len);
	if (!text) {
		fprintf(stderr, _("dpsenroll import: cannot read %s: %s\n"), file,
			strerror(errno));
		return false;
	}
	struct reading r = { .file = file, .folder = folder_of(file),
			     .tmpl = tmpl, .mode = mode, .rows = rows };
	bool ok = is_json_lines(file, text) ? (read_json_lines(&r, text, len), true)
					    : read_csv(&r, text, len);
	secret_free(text, len);
	if (ok)
		check_duplicates(&r);
	if (r.hidden)
		fprintf(stderr, ngettext("%s: %zu more problem not shown\n",
					 "%s: %zu more problems not shown\n",
					 r.hidden), file, r.hidden);
	if (ok && rows->count == 0 && r.bad_rows == 0) {
		fprintf(stderr, _("%s: no rows to import\n"), file);
		ok = false;
	}
	if (ok && r.bad_rows)
		fprintf(stderr, ngettext("dpsenroll import: nothing sent: %zu row "
			"with errors; fix them and run it again\n",
			"dpsenroll import: nothing sent: %zu rows with errors; fix "
			"them and run it again\n", r.bad_rows), r.bad_rows);
	ok = ok && r.bad_rows == 0;
	import_columns_clear(&r.cols);
	for (size_t i = 0; i < r.template_count; i++)
		free(r.template_paths[i]);
	free(r.template_paths);
	free(r.folder);
	return ok;
}

void
import_rows_clear(struct import_rows *rows)
{
	for (size_t i = 0; i < rows->count; i++) {
		free(rows->items[i].id);
		cJSON_Delete(rows->items[i].enrollment);
		free(rows->items[i].message);
	}
	free(rows->items);
	memset(rows, 0, sizeof(*rows));
}
