#ifndef DPSENROLL_UI_FORM_H
#define DPSENROLL_UI_FORM_H

/* The form engine's logic, without a terminal: one field per schema row,
 * the text each holds, which fields are visible, focus moves, folding,
 * live validation and the document to send. Drawing (form_draw.c) and
 * keys (app.c) sit on top; unit tests drive this directly.
 *
 * The texts are the truth while editing: the document is built from them,
 * validated with src/model, and the findings are handed to the fields by
 * path. A change (form_set_text) updates the document in place and
 * revalidates only the rows it can affect, with the same result as
 * validating the whole document again (form_revalidate). Nothing typed is ever
 * dropped: a field hidden because attestation.type changed keeps its text
 * and shows it again when the type comes back; it is only left out of the
 * document. */

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "model/doc.h"
#include "model/findings.h"
#include "model/schema.h"

enum field_mark {
	MARK_NONE,	/* groups, read-only and blank optional fields */
	MARK_OK,
	MARK_WARNING,
	MARK_ERROR,
};

struct form_field {
	const struct field_def *def;
	int depth;		/* 0 for top-level rows */
	/* The field's text (owned): text kinds as typed; enum the wire name
	 * or ""; bool "true", "false" or "" (unset); string list one item
	 * per line; JSON object the JSON text; read-only the value as text.
	 * Secrets are wiped when replaced or freed. */
	char *text;
	char *loaded;		/* text when last loaded, for "changed" */
	bool revealed;		/* secrets: shown in clear */
	bool folded;		/* groups: children hidden */
	struct findings found;	/* findings at this path (and below, for
				 * JSON objects and lists) */
};

struct form {
	struct form_field *fields;	/* schema order */
	size_t count;
	size_t focus;		/* index of the focused field */
	/* The server copy when one was loaded (else an empty object): fields
	 * the schema does not know come from it, so they survive an update. */
	struct doc *base;
	struct doc *current;	/* what the texts make, kept up to date */
	struct findings other;	/* findings no field owns (document-wide) */
	size_t errors;		/* in visible fields and `other` */
	size_t warnings;
	/* Sections fold as a whole; their headers take focus too. When
	 * on_section is set the focus is on section `focus_sec`'s header and
	 * `focus` is where it was before. */
	bool section_folded[SECTION_COUNT];
	bool on_section;
	enum field_section focus_sec;
	struct form_live *live;	/* what live validation keeps (form.c) */
};

/* A new, empty enrollment form: texts blank, groups with FF_ADVANCED
 * folded, focus on the first field. */
struct form *form_new(void);
void form_free(struct form *f);

/* Replaces every text with the enrollment's values (the session's base
 * copy) and keeps a copy as the form's base: fields the schema does not
 * know come from it, so they survive an update. The etag an update sends
 * is the session's (src/app/session.h), not the form's. */
void form_load(struct form *f, const cJSON *enrollment);
/* Back to an empty enrollment (no base). */
void form_reset(struct form *f);

/* Sets field i's text and revalidates what it can affect: the field, the
 * partners the schema names for it, the groups around it and the size of
 * the document; everything when it decides which rows apply. */
void form_set_text(struct form *f, size_t i, const char *text);
/* Validates the whole document again, as loading does. */
void form_revalidate(struct form *f);
/* Enum and bool: the next (dir 1) or previous (dir -1) value, in the
 * enum's order, including "" (unset) when the field may be left out. */
void form_cycle(struct form *f, size_t i, int dir);

/* What would be sent: the base with every visible, editable field's value
 * set (blank optional ones removed) and fields that do not apply removed;
 * unparsable JSON text leaves that field out. Owned by the caller. */
struct doc *form_to_doc(const struct form *f);

/* Whether field i is on screen: its row applies to the current document,
 * no enclosing group is folded, and a read-only field has a value. */
bool form_visible(const struct form *f, size_t i);
/* Whether field i can take focus: every visible row can, read-only ones
 * included (they cannot be edited, but can be opened whole). */
bool form_focusable(const struct form *f, size_t i);
/* Which sections have a row that applies (a section without one is not
 * drawn, nor a stop of the focus): one rule for both. */
void form_sections_shown(const struct form *f, bool shown[SECTION_COUNT]);
void form_toggle_fold(struct form *f, size_t i);

/* Focus moves over focusable fields; they return false when nothing moved. */
bool form_focus_next(struct form *f);
bool form_focus_prev(struct form *f);
bool form_focus_first(struct form *f);
bool form_focus_last(struct form *f);
/* Moves by `rows` focusable fields (negative: up), stopping at the ends. */
bool form_focus_by(struct form *f, int rows);
/* Focus on the first visible field with an error, unfolding its groups
 * when needed; false when there is none. */
bool form_focus_first_error(struct form *f);

enum field_mark form_mark(const struct form *f, size_t i);
/* The message to show for field i: its first error, else its first
 * warning, else its first note; NULL when it has none. */
const char *form_message(const struct form *f, size_t i);
/* No errors in visible fields or document-wide. */
bool form_submittable(const struct form *f);
/* Some text differs from what was loaded (or from blank for a new form). */
bool form_changed(const struct form *f);
/* A fingerprint of every finding (each field's and the document's): a
 * keystroke that leaves it alone changed nothing the form shows but the
 * value typed. */
uint64_t form_findings_hash(const struct form *f);

/* A certificate the service holds comes back as its info alone, so a
 * blank certificate field of a loaded enrollment stands for "keep the
 * one on the service" (an update sends the info, and the service keeps
 * the certificate). For such a field, the info (borrowed from the form's
 * document); else NULL. */
const cJSON *form_kept_certificate(const struct form *f, size_t i);

/* The index of the field for `path`, or -1. */
long form_find(const struct form *f, const char *path);
/* The registration id as typed (borrowed); "" when blank. */
const char *form_registration_id(const struct form *f);

#endif
