#ifndef DPSENROLL_MODEL_FINDINGS_H
#define DPSENROLL_MODEL_FINDINGS_H

/* What validation found: a list of (field path, severity, message).
 * Every validator appends here and never prints; the layer above decides
 * how to show them. Messages say what is wrong and what to do. */

#include <stdbool.h>
#include <stddef.h>

enum severity {
	SEV_WARNING,	/* submit is allowed; the technician should look */
	SEV_ERROR,	/* the service would refuse it, or it is surely wrong */
	SEV_NOTE,	/* worth knowing, nothing to fix; counts as neither */
};

struct finding {
	char *path;	/* JSON path of the field, e.g. "attestation.type" */
	enum severity severity;
	char *message;
};

struct findings {
	struct finding *items;	/* owned */
	size_t count;
	size_t cap;
};

void findings_init(struct findings *f);
/* Frees every item; the list can be reused after. */
void findings_clear(struct findings *f);
/* Frees the items from the `keep`th on (none when keep >= count). */
void findings_truncate(struct findings *f, size_t keep);

/* Appends one finding; the message is printf-formatted. Allocation failure
 * aborts: a lost finding would let an invalid enrollment through. */
void findings_add(struct findings *f, const char *path, enum severity sev,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

size_t findings_count(const struct findings *f, enum severity sev);
bool findings_has_path(const struct findings *f, const char *path,
		       enum severity sev);

const char *severity_name(enum severity sev);

#endif
