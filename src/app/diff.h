#ifndef DPSENROLL_APP_DIFF_H
#define DPSENROLL_APP_DIFF_H

/* What an update would change: a field-by-field comparison of two
 * enrollment documents, driven by the schema table, so the technician
 * confirms every change before it is sent and nothing changes silently.
 *
 * What is compared:
 * - every row a technician can set (read-only rows such as etag, the
 *   timestamps, registrationState and certificate info are ignored);
 * - twin collections key by key, nested keys as dotted paths below the
 *   row ("initialTwin.tags.site"), values shown as JSON so that "3" and 3
 *   differ visibly;
 * - names the schema does not know, as "unknown field" entries;
 * - symmetric keys masked: a key's text never appears in an entry, only
 *   "(key AB12-CD34-EF56)", the fingerprint the form shows beside a key
 *   (symkey_fingerprint); a key left out of a symmetric-key enrollment
 *   shows as changed to the one the service will generate;
 * - X.509 certificates by SHA-256 thumbprint, since GET returns only the
 *   info the service read from them: a certificate's text is compared with
 *   the other side's text or info.sha256Thumbprint, and a secondary that is
 *   not given counts as the primary (the service copies it).
 * null counts as absent everywhere but inside a twin, as the service
 * treats it. */

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

enum diff_kind {
	DIFF_ADDED,
	DIFF_REMOVED,
	DIFF_CHANGED,
};

struct diff_entry {
	char *path;	/* "registrationId", "initialTwin.tags.site" */
	char *label;	/* "Registration ID", "Twin tags: site", "unknown field" */
	enum diff_kind kind;
	char *old_text;	/* display text; NULL for DIFF_ADDED */
	char *new_text;	/* display text; NULL for DIFF_REMOVED */
};

struct diff {
	struct diff_entry *items;	/* owned, in schema order */
	size_t count;
	size_t cap;
};

/* The changes from `old_doc` (the server copy) to `new_doc` (what would be
 * sent), both enrollment objects; NULL counts as {}. *out is overwritten:
 * pass a zeroed or cleared diff. The server copy should carry the keys
 * from the attestation mechanism call, since GET hides them; otherwise
 * every key of new_doc shows as added. */
void diff_documents(const cJSON *old_doc, const cJSON *new_doc,
		    struct diff *out);
/* Frees every entry; the diff can be reused after. */
void diff_clear(struct diff *d);
/* Whether an entry of `d` is about `path`. */
bool diff_has(const struct diff *d, const char *path);

/* For a 412: re-applies the edit a technician made (`mine` against
 * `base`, the copy they loaded) onto `theirs`, the server's fresh copy.
 * The same units are compared as above (rows, twin keys one by one,
 * unknown fields, certificates, keys). Read-only fields, etag included,
 * come from theirs. Where the server also changed a unit, differently,
 * mine wins in *merged and the unit is listed in *conflicts with
 * old_text the server's value and new_text mine (kind relative to the
 * server's value). A theirs that hides its keys, as GET does, keeps mine's
 * keys rather than reading as "keys removed". *merged is a new object the
 * caller owns (wrap it with doc_adopt so keys are wiped when freed);
 * *conflicts is overwritten like diff_documents' out. */
void diff_rebase(const cJSON *base, const cJSON *mine, const cJSON *theirs,
		 cJSON **merged, struct diff *conflicts);

#endif
