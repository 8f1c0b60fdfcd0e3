#ifndef DPSENROLL_MODEL_SCHEMA_H
#define DPSENROLL_MODEL_SCHEMA_H

/* The one table that describes every field of IndividualEnrollment
 * (DPS api-version 2021-10-01). Validation, the form, the CLI and the
 * emulator all read it; adding a field to the product means adding a row.
 *
 * Rows come in document order; a GROUP row introduces the rows whose paths
 * start with its path and a dot. A row applies only when its own condition
 * and every ancestor group's condition hold. */

#include <stdbool.h>
#include <stddef.h>

#include "base/i18n.h"
#include "model/checks.h"

struct doc;

enum field_kind {
	FK_GROUP,		/* an object holding the rows below it */
	FK_TEXT,
	FK_SECRET,		/* text that is masked and wiped */
	FK_ENUM,		/* one of enum_def's wire names */
	FK_BOOL,
	FK_STRING_LIST,		/* JSON array of text */
	FK_JSON_OBJECT,		/* free JSON object (twin collections) */
	FK_READONLY,		/* set by the service; ignored when sent */
};

enum field_need {
	NEED_OPTIONAL,
	NEED_REQUIRED,		/* whenever the row applies */
	NEED_WITH_PARENT,	/* whenever its parent object is present */
};

enum field_flags {
	FF_GROUP_ONLY = 1 << 0,	/* meaningful for enrollment groups only */
	FF_DEPRECATED = 1 << 1,
	FF_ADVANCED = 1 << 2,	/* folded away in the form by default */
	FF_SERVICE_SET = 1 << 3,	/* a group whose content the service fills */
	/* each device's own (its id, keys, certificates): a template for a
	 * batch never gives it, or the batch would be one device */
	FF_PER_DEVICE = 1 << 4,
};

/* What a text row holds, beyond its kind: it decides how the value is
 * entered (a file of that sort, a paste over several lines), shown, checked
 * for pasted private keys and settled. A row says it once here; nothing
 * looks at paths to find out. */
enum field_content {
	FC_TEXT,		/* a line of plain text (the default) */
	FC_DEVICE_CERTIFICATE,	/* the device's own X.509 certificate: PEM,
				 * or base64 of DER */
	FC_CA_CERTIFICATE,	/* a CA certificate that signs the devices'
				 * certificates (enrollment groups) */
	FC_TPM_KEY,		/* a TPM public key: base64 of TPM2B_PUBLIC */
	FC_SYMMETRIC_KEY,	/* base64 of a key shared with the device */
	FC_JSON,		/* a JSON object written over several lines */
	FC_HOST_LIST,		/* IoT hub host names, one a line */
};

struct enum_value {
	const char *wire;	/* exactly as the spec spells it */
	const char *help;
};

struct enum_def {
	const char *name;	/* the spec's definition name */
	const struct enum_value *values;
	size_t count;
};

/* "applies when the text at `path` equals `equals`"; path NULL: always. */
struct field_cond {
	const char *path;
	const char *equals;
};

/* The form's sections, in display order; a row's section is its top-level
 * row's. */
#define FIELD_SECTIONS(_) \
	_(IDENTITY, N_("Identity")) \
	_(ATTESTATION, N_("Attestation")) \
	_(ALLOCATION, N_("Allocation")) \
	_(DEVICE, N_("Device settings")) \
	_(STATUS, N_("Status"))

#define SECTION_ENUM(id, title) SECTION_##id,
enum field_section { FIELD_SECTIONS(SECTION_ENUM) SECTION_COUNT };
#undef SECTION_ENUM

/* The section's title in the user's language. */
const char *section_title(enum field_section s);

/* Labels and help are English in the table (marked with N_(): the
 * documentation and the validation of dpsemu read them); people read
 * them through field_label() and field_help(). The path never changes. */
struct field_def {
	const char *path;
	const char *label;
	const char *help;	/* one line */
	enum field_kind kind;
	const struct enum_def *enumdef;	/* FK_ENUM, and read-only enums */
	const char *default_value;	/* the service's default as text */
	text_check_fn check_text;	/* text kinds; each item of a list */
	json_check_fn check_json;	/* FK_JSON_OBJECT */
	struct field_cond applies;
	enum field_need need;
	unsigned flags;
	enum field_section section;	/* set on top-level rows; see field_section */
	enum field_content content;
	/* Paths of the rows whose findings also read this row's value, through
	 * the cross-field rules (validate_cross.c): a change to this row
	 * revalidates them too. NULL-terminated; NULL: none. A row that
	 * others' conditions read changes which rows apply, and the form then
	 * revalidates everything. */
	const char *const *partners;
};

extern const struct enum_def ENUM_ATTESTATION_TYPE;
extern const struct enum_def ENUM_ALLOCATION_POLICY;
extern const struct enum_def ENUM_PROVISIONING_STATUS;
extern const struct enum_def ENUM_ENROLLMENT_STATUS;
extern const struct enum_def ENUM_ASSIGNED_DEVICE_SUBSTATUS;
extern const struct enum_def ENUM_OPERATION_MODE;

/* The table, in document order. */
const struct field_def *schema_fields(size_t *count);
/* The row for an exact path, or NULL. */
const struct field_def *schema_find(const char *path);
/* The nearest enclosing GROUP row, or NULL at the top level. */
const struct field_def *schema_parent(const struct field_def *f);

/* The label, help and an enum value's help in the user's language. */
const char *field_label(const struct field_def *f);
const char *field_help(const struct field_def *f);
const char *enum_value_help(const struct enum_value *v);

bool field_is_secret(const struct field_def *f);
/* A device or CA certificate. */
bool field_holds_certificate(const struct field_def *f);
/* Text that comes pasted or written over several lines (a certificate, a
 * TPM key, JSON, a list), so it is edited in the multi-line editor. */
bool field_is_multiline(const struct field_def *f);
enum field_section field_section(const struct field_def *f);
bool field_is_readonly(const struct field_def *f);
/* True when the row's condition and all its ancestors' conditions hold. */
bool schema_field_applies(const struct field_def *f, const struct doc *d);

/* Index of `wire` in the enum, or -1. Exact match (the service's enums are
 * case-sensitive). */
int enum_index(const struct enum_def *e, const char *wire);
/* The allowed values joined as "a, b, c" into buf; returns buf. */
const char *enum_list(const struct enum_def *e, char *buf, size_t buflen);

/* The items of an FK_STRING_LIST field's text, as a JSON array of
 * strings (owned): commas or new lines separate them, the blanks around
 * an item are not part of it, and empty items are dropped. The form, the
 * checks and the import read a list by this one rule. */
cJSON *schema_list_items(const char *text);

/* The path of a field given by a row's label or path, case-insensitively,
 * for "did you mean" hints; NULL when nothing is close. */
const struct field_def *schema_suggest(const char *parent_path,
				       const char *name);

#endif
