#include "ui/form.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/i18n.h"
#include "base/json_pretty.h"
#include "base/secret.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "model/json.h"
#include "model/keymat.h"
#include "model/validate.h"

/* Rows are in document order and every nested row follows its group, so
 * a row's parent is the nearest row above it that is less deep. That
 * keeps the structure questions below local, without asking the schema
 * to search its table on every keystroke. */

static long
parent_of(const struct form *f, size_t i)
{
	for (size_t j = i; j-- > 0;)
		if (f->fields[j].depth < f->fields[i].depth)
			return (long)j;
	return -1;
}

static bool
is_group(const struct form_field *ff)
{
	return ff->def->kind == FK_GROUP;
}

static bool
is_readonly(const struct form *f, size_t i)
{
	for (long j = (long)i; j >= 0; j = parent_of(f, (size_t)j)) {
		const struct field_def *d = f->fields[j].def;
		if (d->kind == FK_READONLY || (d->flags & FF_SERVICE_SET))
			return true;
	}
	return false;
}

static bool
is_editable_leaf(const struct form *f, size_t i)
{
	return !is_group(&f->fields[i]) && !is_readonly(f, i);
}

static bool
is_blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static int
depth_of(const char *path)
{
	int n = 0;
	for (; *path; path++)
		n += *path == '.';
	return n;
}

/* Texts: owned strings; a secret's bytes are wiped before they are
 * released, whichever of the two copies it is. */

static void
text_free(const struct form_field *ff, char *s)
{
	if (field_is_secret(ff->def) || keymat_in_text(s))
		secret_str_free(s);
	else
		free(s);
}

static void
replace_text(struct form_field *ff, char *owned)
{
	text_free(ff, ff->text);
	ff->text = owned;
}

static void
replace_loaded(struct form_field *ff, char *owned)
{
	text_free(ff, ff->loaded);
	ff->loaded = owned;
}

/* Conditions read the document the texts make, so a switch of
 * attestation.type shows and hides rows as it is typed. */

static bool
cond_holds(const struct field_cond *c, const struct doc *d)
{
	if (!c->path)
		return true;
	const char *v = d ? doc_get_string(d, c->path) : NULL;
	return v && strcmp(v, c->equals) == 0;
}

static bool
row_applies(const struct form *f, size_t i, const struct doc *d)
{
	for (long j = (long)i; j >= 0; j = parent_of(f, (size_t)j))
		if (!cond_holds(&f->fields[j].def->applies, d))
			return false;
	return true;
}

/* A service-set group is only worth a row when the service filled some
 * of it in. */
static bool
has_readonly_value(const struct form *f, size_t i)
{
	int depth = f->fields[i].depth;
	for (size_t j = i + 1; j < f->count && f->fields[j].depth > depth; j++)
		if (!is_group(&f->fields[j]) && !is_blank(f->fields[j].text))
			return true;
	return false;
}

/* On screen but for folding: what counts towards validity. A fold only
 * hides rows from view; their errors still stop a submit. */
static bool
field_present(const struct form *f, size_t i)
{
	if (!row_applies(f, i, f->current))
		return false;
	if (!is_readonly(f, i))
		return true;
	if (is_group(&f->fields[i]))
		return has_readonly_value(f, i);
	return !is_blank(f->fields[i].text);
}

static bool
inside_folded(const struct form *f, size_t i)
{
	for (long j = parent_of(f, i); j >= 0; j = parent_of(f, (size_t)j))
		if (f->fields[j].folded)
			return true;
	return false;
}

/* A row's section is its top-level row's, and the top-level row is the
 * nearest one above at depth 0. */
static enum field_section
section_of(const struct form *f, size_t i)
{
	while (i > 0 && f->fields[i].depth > 0)
		i--;
	return f->fields[i].def->section;
}

bool
form_visible(const struct form *f, size_t i)
{
	return i < f->count && field_present(f, i) && !inside_folded(f, i) &&
	       !f->section_folded[section_of(f, i)];
}

/* Read-only rows take focus too: a value the service set (an error
 * message, a thumbprint) is often longer than its row, and the focus is
 * how it is opened whole. */
bool
form_focusable(const struct form *f, size_t i)
{
	return form_visible(f, i);
}

long
form_find(const struct form *f, const char *path)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->fields[i].def->path, path) == 0)
			return (long)i;
	return -1;
}

const char *
form_registration_id(const struct form *f)
{
	long i = form_find(f, "registrationId");
	return i >= 0 ? f->fields[i].text : "";
}

/* Building the document from the texts. */

static void
put_list(struct doc *d, const struct form_field *ff)
{
	cJSON *arr = schema_list_items(ff->text);
	if (cJSON_GetArraySize(arr) > 0)
		doc_set_json(d, ff->def->path, arr);
	else {
		cJSON_Delete(arr);
		doc_remove(d, ff->def->path);
	}
}

/* Text that is not a JSON object stays in the field (the field shows why)
 * but is not sent. */
static void
put_json(struct doc *d, const struct form_field *ff)
{
	struct json_error err;
	cJSON *v = json_parse_located(ff->text, strlen(ff->text), &err);
	if (cJSON_IsObject(v)) {
		doc_set_json(d, ff->def->path, v);
		return;
	}
	cJSON_Delete(v);
	doc_remove(d, ff->def->path);
}

static void
put_bool(struct doc *d, const struct form_field *ff)
{
	if (strcmp(ff->text, "true") == 0 || strcmp(ff->text, "false") == 0)
		doc_set_bool(d, ff->def->path, ff->text[0] == 't');
	else	/* sent as text so validation names the mistake */
		doc_set_string(d, ff->def->path, ff->text);
}

static void
put_text(struct doc *d, const struct form_field *ff)
{
	if (is_blank(ff->text)) {
		doc_remove(d, ff->def->path);
		return;
	}
	switch (ff->def->kind) {
	case FK_BOOL:
		put_bool(d, ff);
		break;
	case FK_STRING_LIST:
		put_list(d, ff);
		break;
	case FK_JSON_OBJECT:
		put_json(d, ff);
		break;
	default:
		doc_set_string(d, ff->def->path, ff->text);
		break;
	}
}

static void
drop_rows_not_applying(const struct form *f, struct doc *d)
{
	for (size_t i = 0; i < f->count;) {
		if (row_applies(f, i, d)) {
			i++;
			continue;
		}
		doc_remove(d, f->fields[i].def->path);
		int depth = f->fields[i].depth;
		for (i++; i < f->count && f->fields[i].depth > depth; i++)
			;
	}
}

/* Innermost first, so a group emptied by pruning its child goes too. */
static void
drop_empty_groups(const struct form *f, struct doc *d)
{
	for (size_t i = f->count; i-- > 0;) {
		if (!is_group(&f->fields[i]) || is_readonly(f, i))
			continue;
		const cJSON *v = doc_get(d, f->fields[i].def->path);
		if (cJSON_IsObject(v) && !v->child)
			doc_remove(d, f->fields[i].def->path);
	}
}

struct doc *
form_to_doc(const struct form *f)
{
	struct doc *d = f->base ? doc_clone(f->base) : NULL;
	if (!d)
		return NULL;
	/* Every text goes in first: which rows apply depends on the values
	 * of condition fields, which are themselves texts. */
	for (size_t i = 0; i < f->count; i++)
		if (is_editable_leaf(f, i))
			put_text(d, &f->fields[i]);
	drop_rows_not_applying(f, d);
	drop_empty_groups(f, d);
	return d;
}

/* Validation. */

static bool
blank_required_leaf(const struct form *f, size_t i)
{
	return is_editable_leaf(f, i) && f->fields[i].def->need == NEED_REQUIRED &&
	       is_blank(f->fields[i].text) && row_applies(f, i, f->current);
}

/* The document cannot say everything about the texts: unparsable JSON is
 * left out of it, and a required field inside a group that is absent
 * would only be reported on the group. The text check covers both, on
 * the field a technician has to fix. */
static bool
needs_text_check(const struct form *f, size_t i)
{
	const struct form_field *ff = &f->fields[i];
	if (!is_editable_leaf(f, i) || !row_applies(f, i, f->current))
		return false;
	if (ff->def->kind == FK_JSON_OBJECT)
		return !is_blank(ff->text) &&
		       !cJSON_IsObject(doc_get(f->current, ff->def->path));
	long p = parent_of(f, i);
	return blank_required_leaf(f, i) && p >= 0 &&
	       !doc_get(f->current, f->fields[p].def->path);
}

/* An absent group's "required" says less than the same words on the
 * field inside it that must be filled in, which needs_text_check adds. */
static bool
said_on_a_field_below(const struct form *f, size_t i)
{
	if (!is_group(&f->fields[i]) || doc_get(f->current, f->fields[i].def->path))
		return false;
	int depth = f->fields[i].depth;
	for (size_t j = i + 1; j < f->count && f->fields[j].depth > depth; j++)
		if (blank_required_leaf(f, j))
			return true;
	return false;
}

static void
check_texts(const struct form *f, struct findings *out)
{
	for (size_t i = 0; i < f->count; i++)
		if (needs_text_check(f, i))
			validate_field_text(f->fields[i].def, f->fields[i].text,
					    out);
}

/* The field a finding belongs to: the one at its path, or the JSON
 * object or list that holds the path ("initialTwin.tags.site",
 * "iotHubs[2]"). */
static long
owner_of(const struct form *f, const char *path)
{
	long i = form_find(f, path);
	if (i >= 0)
		return i;
	char *p = xstrdup(path);
	for (size_t n = strlen(p); n-- > 0;) {
		if (p[n] != '.' && p[n] != '[')
			continue;
		p[n] = '\0';
		long j = form_find(f, p);
		if (j < 0)
			continue;
		enum field_kind k = f->fields[j].def->kind;
		if (k == FK_JSON_OBJECT || k == FK_STRING_LIST)
			i = j;
		break;	/* a group's unknown member belongs to no field */
	}
	free(p);
	return i;
}

/* What live validation keeps between changes (see revalidate_change). */
struct live_row {
	bool condition;		/* some row's condition reads this one */
	bool orphaned;		/* findings of this row went to `other` */
	size_t *partners;	/* rows whose findings read this one */
	size_t partner_count;
};

struct form_live {
	struct live_row *rows;	/* one per field */
	/* The last full validation can be followed a change at a time: its
	 * document held no private key material. */
	bool exact;
	size_t other_fixed;	/* `other`'s findings before the size check's */
};

static void
distribute(struct form *f, const struct findings *all)
{
	for (size_t i = 0; i < f->count; i++) {
		findings_clear(&f->fields[i].found);
		f->live->rows[i].orphaned = false;
	}
	findings_clear(&f->other);
	for (size_t k = 0; k < all->count; k++) {
		const struct finding *it = &all->items[k];
		long i = owner_of(f, it->path);
		if (i >= 0 && said_on_a_field_below(f, (size_t)i))
			continue;
		struct findings *to = i >= 0 && field_present(f, (size_t)i)
				      ? &f->fields[i].found : &f->other;
		if (i >= 0 && to == &f->other)
			f->live->rows[i].orphaned = true;
		findings_add(to, it->path, it->severity, "%s", it->message);
	}
}

static void
count_findings(struct form *f)
{
	f->errors = findings_count(&f->other, SEV_ERROR);
	f->warnings = findings_count(&f->other, SEV_WARNING);
	for (size_t i = 0; i < f->count; i++) {
		f->errors += findings_count(&f->fields[i].found, SEV_ERROR);
		f->warnings += findings_count(&f->fields[i].found, SEV_WARNING);
	}
}

static void keep_focus(struct form *f);
static void live_reset(struct form *f);

static void
revalidate(struct form *f)
{
	struct findings all;
	findings_init(&all);
	doc_free(f->current);
	f->current = form_to_doc(f);
	if (f->current) {
		validate_enrollment(f->current, &all);
		check_texts(f, &all);
	} else {
		findings_add(&all, "", SEV_ERROR,
			     _("out of memory while building the enrollment"));
	}
	distribute(f, &all);
	findings_clear(&all);
	count_findings(f);
	keep_focus(f);
	live_reset(f);
}

void
form_revalidate(struct form *f)
{
	revalidate(f);
}

/* Live validation, a change at a time. A keystroke should not cost a
 * whole document's validation: a change updates the document in place and
 * revalidates the rows whose findings it can change, which are the row,
 * the partners the schema names for it (cross-field rules), its
 * enclosing groups (required members, "said on a field below"), and the
 * children and partners of a group that appears or goes with it (their
 * parent is now there, or not); then the document's size. Whatever this
 * cannot follow exactly falls back to revalidate(), so the fields always
 * show what a full validation would: a row that others' conditions read
 * (it decides which rows apply), private key material (it changes what
 * every check is shown), and findings off their row's path or on a row
 * that is not shown. */

static void
link_partners(const struct form *f, struct live_row *r,
	      const char *const *paths)
{
	for (size_t k = 0; paths && paths[k]; k++) {
		long j = form_find(f, paths[k]);
		if (j < 0)
			continue;
		r->partners = xreallocarray(r->partners, r->partner_count + 1,
					    sizeof(*r->partners));
		r->partners[r->partner_count++] = (size_t)j;
	}
}

static struct form_live *
live_new(const struct form *f)
{
	struct form_live *lv = xcalloc(1, sizeof(*lv));
	lv->rows = xcalloc(f->count, sizeof(*lv->rows));
	for (size_t i = 0; i < f->count; i++) {
		const struct field_def *d = f->fields[i].def;
		long c = d->applies.path ? form_find(f, d->applies.path) : -1;
		if (c >= 0)
			lv->rows[c].condition = true;
		link_partners(f, &lv->rows[i], d->partners);
	}
	return lv;
}

static void
live_free(struct form_live *lv, size_t count)
{
	if (!lv)
		return;
	for (size_t i = 0; i < count; i++)
		free(lv->rows[i].partners);
	free(lv->rows);
	free(lv);
}

static bool
same_findings(const struct finding *a, const struct finding *b, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (a[k].severity != b[k].severity ||
		    strcmp(a[k].path, b[k].path) != 0 ||
		    strcmp(a[k].message, b[k].message) != 0)
			return false;
	return true;
}

/* After a full validation: whether the next change can be followed
 * alone, and where the size check's findings start in `other` (last:
 * it is the last check, and no text check lands in `other`). */
static void
live_reset(struct form *f)
{
	struct form_live *lv = f->live;
	lv->exact = f->current && !keymat_in_json(f->current->root);
	if (!lv->exact)
		return;
	struct findings size;
	findings_init(&size);
	validate_size(f->current, &size);
	lv->exact = size.count <= f->other.count &&
		    same_findings(f->other.items + f->other.count - size.count,
				  size.items, size.count);
	lv->other_fixed = f->other.count - size.count;
	findings_clear(&size);
}

static void
mark_row(const struct form *f, size_t j, bool *affected)
{
	const struct live_row *r = &f->live->rows[j];
	affected[j] = true;
	for (size_t k = 0; k < r->partner_count; k++)
		affected[r->partners[k]] = true;
}

static void
mark_children(const struct form *f, size_t g, bool *affected)
{
	int depth = f->fields[g].depth;
	for (size_t j = g + 1; j < f->count && f->fields[j].depth > depth; j++)
		if (f->fields[j].depth == depth + 1)
			affected[j] = true;
}

static bool
in_document(const struct form *f, long j)
{
	return doc_get(f->current, f->fields[j].def->path) != NULL;
}

/* Puts field i's text in the document as form_to_doc would and marks the
 * rows whose findings it can change. False when the value holds private
 * key material. */
static bool
update_document(struct form *f, size_t i, bool *affected)
{
	mark_row(f, i, affected);
	if (!row_applies(f, i, f->current))
		return true;	/* not sent: only the text changed */
	size_t n = 0;
	long *up = xcalloc((size_t)f->fields[i].depth + 1, sizeof(*up));
	bool *had = xcalloc((size_t)f->fields[i].depth + 1, sizeof(*had));
	for (long j = parent_of(f, i); j >= 0; j = parent_of(f, (size_t)j)) {
		had[n] = in_document(f, j);
		up[n++] = j;
	}
	/* A group the value leaves empty goes with it (doc_remove). */
	put_text(f->current, &f->fields[i]);
	for (size_t k = 0; k < n; k++) {
		affected[up[k]] = true;
		if (in_document(f, up[k]) != had[k]) {
			mark_row(f, (size_t)up[k], affected);
			mark_children(f, (size_t)up[k], affected);
		}
	}
	free(had);
	free(up);
	return !keymat_in_json(doc_get(f->current, f->fields[i].def->path));
}

static bool
all_at(const struct findings *fs, const char *path)
{
	for (size_t k = 0; k < fs->count; k++)
		if (strcmp(fs->items[k].path, path) != 0)
			return false;
	return true;
}

/* Field j's findings afresh, as distribute() would hand them out. False
 * when that needs the whole document: a finding off the row's path, or
 * findings of a row that is not shown (they belong in `other`). */
static bool
recheck_row(struct form *f, size_t j)
{
	struct form_field *ff = &f->fields[j];
	struct findings fresh;
	findings_init(&fresh);
	validate_field(ff->def, f->current, &fresh);
	if (needs_text_check(f, j))
		validate_field_text(ff->def, ff->text, &fresh);
	bool present = field_present(f, j);
	bool ok = all_at(&fresh, ff->def->path) &&
		  (present || (!fresh.count && !f->live->rows[j].orphaned));
	if (ok) {
		findings_clear(&ff->found);
		if (present && !said_on_a_field_below(f, j)) {
			ff->found = fresh;
			findings_init(&fresh);
		}
	}
	findings_clear(&fresh);
	return ok;
}

static bool
revalidate_change(struct form *f, size_t i)
{
	struct form_live *lv = f->live;
	if (!lv->exact || lv->rows[i].condition || !f->current)
		return false;
	bool *affected = xcalloc(f->count, sizeof(*affected));
	bool ok = update_document(f, i, affected);
	for (size_t j = 0; ok && j < f->count; j++)
		if (affected[j])
			ok = recheck_row(f, j);
	free(affected);
	if (!ok)
		return false;
	findings_truncate(&f->other, lv->other_fixed);
	validate_size(f->current, &f->other);
	count_findings(f);
	keep_focus(f);
	return true;
}

/* Values as texts. */

static char *
json_compact(const cJSON *v)
{
	char *s = cJSON_PrintUnformatted(v);
	char *out = xstrdup(s ? s : "");
	cJSON_free(s);
	return out;
}

static char *
list_text(const cJSON *arr)
{
	struct strbuf b = STRBUF_INIT;
	for (const cJSON *it = arr->child; it; it = it->next) {
		if (it != arr->child)
			strbuf_add(&b, "\n");
		if (cJSON_IsString(it)) {
			strbuf_add(&b, it->valuestring);
		} else {
			char *s = cJSON_PrintUnformatted(it);
			strbuf_add(&b, s ? s : "null");
			cJSON_free(s);
		}
	}
	return strbuf_take(&b);
}

static char *
value_text(const struct form_field *ff, const cJSON *v)
{
	if (!v || cJSON_IsNull(v))
		return xstrdup("");
	if (ff->def->kind == FK_JSON_OBJECT)
		return json_pretty(v);
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	if (ff->def->kind == FK_BOOL && cJSON_IsBool(v))
		return xstrdup(cJSON_IsTrue(v) ? "true" : "false");
	if (ff->def->kind == FK_STRING_LIST && cJSON_IsArray(v))
		return list_text(v);
	return json_compact(v);
}

static void
set_texts(struct form *f, const cJSON *enrollment)
{
	for (size_t i = 0; i < f->count; i++) {
		struct form_field *ff = &f->fields[i];
		const cJSON *v = is_group(ff) ? NULL
			: json_path_get(enrollment, ff->def->path);
		replace_text(ff, value_text(ff, v));
		replace_loaded(ff, xstrdup(ff->text));
		ff->revealed = false;
	}
}

static void
set_base(struct form *f, cJSON *root)
{
	doc_free(f->base);
	f->base = root ? doc_adopt(root) : doc_new();
}

void
form_load(struct form *f, const cJSON *enrollment)
{
	cJSON *copy = cJSON_IsObject(enrollment)
		      ? cJSON_Duplicate(enrollment, 1) : NULL;
	set_base(f, copy);
	set_texts(f, f->base ? f->base->root : NULL);
	revalidate(f);
}

void
form_reset(struct form *f)
{
	set_base(f, NULL);
	set_texts(f, NULL);
	revalidate(f);
}

/* An advanced group inside another opens with it: the outer fold already
 * keeps it out of the way, and a second fold would only cost a key. */
static void
fold_advanced(struct form *f)
{
	for (size_t i = 0; i < f->count; i++) {
		long p = parent_of(f, i);
		bool outer = p < 0 || !(f->fields[p].def->flags & FF_ADVANCED);
		f->fields[i].folded = is_group(&f->fields[i]) && outer &&
				      (f->fields[i].def->flags & FF_ADVANCED);
	}
}

struct form *
form_new(void)
{
	struct form *f = xcalloc(1, sizeof(*f));
	const struct field_def *defs = schema_fields(&f->count);
	f->fields = xcalloc(f->count, sizeof(*f->fields));
	for (size_t i = 0; i < f->count; i++) {
		struct form_field *ff = &f->fields[i];
		ff->def = &defs[i];
		ff->depth = depth_of(defs[i].path);
		ff->text = xstrdup("");
		ff->loaded = xstrdup("");
		findings_init(&ff->found);
	}
	fold_advanced(f);
	findings_init(&f->other);
	f->live = live_new(f);
	f->base = doc_new();
	revalidate(f);
	form_focus_first(f);
	return f;
}

void
form_free(struct form *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->count; i++) {
		struct form_field *ff = &f->fields[i];
		text_free(ff, ff->text);
		text_free(ff, ff->loaded);
		findings_clear(&ff->found);
	}
	free(f->fields);
	doc_free(f->base);
	doc_free(f->current);
	findings_clear(&f->other);
	live_free(f->live, f->count);
	free(f);
}

/* Editing. */

void
form_set_text(struct form *f, size_t i, const char *text)
{
	if (i >= f->count || !is_editable_leaf(f, i))
		return;
	replace_text(&f->fields[i], xstrdup(text ? text : ""));
	if (!revalidate_change(f, i))
		revalidate(f);
}

static size_t
choice_count(const struct form_field *ff)
{
	if (ff->def->kind == FK_BOOL)
		return 3;
	size_t unset = ff->def->need != NEED_REQUIRED;
	return unset + ff->def->enumdef->count;
}

/* Choice k in cycling order: unset first when the field may be left
 * out, then the values as the spec lists them. */
static const char *
choice_at(const struct form_field *ff, size_t k)
{
	static const char *const bools[] = { "", "true", "false" };
	if (ff->def->kind == FK_BOOL)
		return bools[k];
	if (ff->def->need != NEED_REQUIRED) {
		if (k == 0)
			return "";
		k--;
	}
	return ff->def->enumdef->values[k].wire;
}

void
form_cycle(struct form *f, size_t i, int dir)
{
	if (i >= f->count || !is_editable_leaf(f, i))
		return;
	const struct form_field *ff = &f->fields[i];
	if (ff->def->kind != FK_ENUM && ff->def->kind != FK_BOOL)
		return;
	size_t n = choice_count(ff), k;
	for (k = 0; k < n && strcmp(choice_at(ff, k), ff->text) != 0; k++)
		;
	if (k == n)	/* typed text that is no choice: start at an end */
		k = dir > 0 ? 0 : n - 1;
	else
		k = dir > 0 ? (k + 1) % n : (k + n - 1) % n;
	form_set_text(f, i, choice_at(ff, k));
}

void
form_toggle_fold(struct form *f, size_t i)
{
	if (i >= f->count || !is_group(&f->fields[i]))
		return;
	f->fields[i].folded = !f->fields[i].folded;
	keep_focus(f);
}

/* Focus goes over stops in screen order: each section's header, then the
 * section's focusable rows. A header's field is -1. */

struct stop {
	enum field_section sec;
	long field;
};

void
form_sections_shown(const struct form *f, bool shown[SECTION_COUNT])
{
	for (int sec = 0; sec < SECTION_COUNT; sec++)
		shown[sec] = false;
	for (size_t i = 0; i < f->count; i++) {
		enum field_section sec = section_of(f, i);
		if (!shown[sec] && row_applies(f, i, f->current))
			shown[sec] = true;
	}
}

/* `out` has room for count + SECTION_COUNT stops. */
static size_t
list_stops(const struct form *f, struct stop *out)
{
	size_t n = 0;
	bool shown[SECTION_COUNT];
	form_sections_shown(f, shown);
	for (int sec = 0; sec < SECTION_COUNT; sec++) {
		if (!shown[sec])
			continue;
		out[n++] = (struct stop){ (enum field_section)sec, -1 };
		for (size_t i = 0; i < f->count; i++)
			if ((int)section_of(f, i) == sec && form_focusable(f, i))
				out[n++] = (struct stop){
					(enum field_section)sec, (long)i };
	}
	return n;
}

static struct stop
focus_stop(const struct form *f)
{
	if (f->on_section)
		return (struct stop){ f->focus_sec, -1 };
	return (struct stop){ section_of(f, f->focus), (long)f->focus };
}

static bool
stop_before(struct stop a, struct stop b)
{
	return a.sec != b.sec ? a.sec < b.sec : a.field < b.field;
}

static bool
set_stop(struct form *f, struct stop s)
{
	struct stop was = focus_stop(f);
	f->on_section = s.field < 0;
	if (s.field < 0)
		f->focus_sec = s.sec;
	else
		f->focus = (size_t)s.field;
	return was.sec != s.sec || was.field != s.field;
}

/* Moves `steps` stops (negative: up) from where the focus is, or would
 * be if its row were still shown; stops at the ends. */
static bool
focus_step(struct form *f, long steps)
{
	struct stop *s = xcalloc(f->count + SECTION_COUNT, sizeof(*s));
	size_t n = list_stops(f, s);
	struct stop cur = focus_stop(f);
	long below = 0;
	while ((size_t)below < n && stop_before(s[below], cur))
		below++;
	bool here = (size_t)below < n && !stop_before(cur, s[below]);
	long to = below + steps - (steps > 0 && !here);
	to = to < 0 ? 0 : to >= (long)n ? (long)n - 1 : to;
	bool moved = n > 0 && set_stop(f, s[to]);
	free(s);
	return moved;
}

/* The first (dir 1) or last (dir -1) field stop, else header stop. */
static bool
focus_end(struct form *f, int dir)
{
	struct stop *s = xcalloc(f->count + SECTION_COUNT, sizeof(*s));
	size_t n = list_stops(f, s);
	long pick = -1;
	for (size_t k = 0; k < n; k++) {
		size_t at = dir > 0 ? k : n - 1 - k;
		if (s[at].field >= 0) {
			pick = (long)at;
			break;
		}
	}
	if (pick < 0 && n > 0)
		pick = dir > 0 ? 0 : (long)n - 1;
	bool moved = pick >= 0 && set_stop(f, s[pick]);
	free(s);
	return moved;
}

/* When a change hides the focused row, the nearest stop above takes the
 * focus: it is where the eye already is. */
static void
keep_focus(struct form *f)
{
	if (f->on_section || form_focusable(f, f->focus))
		return;
	if (!focus_step(f, -1))
		focus_step(f, 1);
}

bool
form_focus_next(struct form *f)
{
	return focus_step(f, 1);
}

bool
form_focus_prev(struct form *f)
{
	return focus_step(f, -1);
}

bool
form_focus_first(struct form *f)
{
	return focus_end(f, 1);
}

bool
form_focus_last(struct form *f)
{
	return focus_end(f, -1);
}

bool
form_focus_by(struct form *f, int rows)
{
	return focus_step(f, rows);
}

static void
unfold_around(struct form *f, size_t i)
{
	for (long j = parent_of(f, i); j >= 0; j = parent_of(f, (size_t)j))
		f->fields[j].folded = false;
	f->section_folded[section_of(f, i)] = false;
}

bool
form_focus_first_error(struct form *f)
{
	for (size_t i = 0; i < f->count; i++) {
		if (!findings_count(&f->fields[i].found, SEV_ERROR))
			continue;
		unfold_around(f, i);
		if (form_focusable(f, i)) {
			f->on_section = false;
			f->focus = i;
			return true;
		}
	}
	return false;
}

/* What to show. */

const cJSON *
form_kept_certificate(const struct form *f, size_t i)
{
	const struct form_field *ff = &f->fields[i];
	if (!field_holds_certificate(ff->def) || !is_blank(ff->text) ||
	    !f->current)
		return NULL;
	char *slot = json_path_parent(ff->def->path);
	char *path = xasprintf("%s.info", slot);
	const cJSON *info = doc_get(f->current, path);
	free(path);
	free(slot);
	return cJSON_IsObject(info) && info->child ? info : NULL;
}

enum field_mark
form_mark(const struct form *f, size_t i)
{
	const struct form_field *ff = &f->fields[i];
	if (findings_count(&ff->found, SEV_ERROR))
		return MARK_ERROR;
	if (findings_count(&ff->found, SEV_WARNING))
		return MARK_WARNING;
	if (is_group(ff) || is_readonly(f, i))
		return MARK_NONE;
	if (form_kept_certificate(f, i))
		return MARK_OK;
	if (is_blank(ff->text) && ff->def->need != NEED_REQUIRED)
		return MARK_NONE;
	return MARK_OK;
}

static const char *
first_message(const struct findings *fs, enum severity sev)
{
	for (size_t k = 0; k < fs->count; k++)
		if (fs->items[k].severity == sev)
			return fs->items[k].message;
	return NULL;
}

const char *
form_message(const struct form *f, size_t i)
{
	const struct findings *fs = &f->fields[i].found;
	const char *m = first_message(fs, SEV_ERROR);
	if (!m)
		m = first_message(fs, SEV_WARNING);
	return m ? m : first_message(fs, SEV_NOTE);
}

bool
form_submittable(const struct form *f)
{
	return f->errors == 0;
}

static uint64_t
hash_findings(uint64_t h, const struct findings *fs)
{
	h = hash_u64(h, fs->count);
	for (size_t k = 0; k < fs->count; k++) {
		h = hash_u64(h, (uint64_t)fs->items[k].severity);
		h = hash_str(h, fs->items[k].message);
	}
	return h;
}

uint64_t
form_findings_hash(const struct form *f)
{
	uint64_t h = hash_findings(HASH_START, &f->other);
	for (size_t i = 0; i < f->count; i++)
		h = hash_findings(h, &f->fields[i].found);
	return hash_u64(hash_u64(h, f->errors), f->warnings);
}

bool
form_changed(const struct form *f)
{
	for (size_t i = 0; i < f->count; i++)
		if (strcmp(f->fields[i].text, f->fields[i].loaded) != 0)
			return true;
	return false;
}
