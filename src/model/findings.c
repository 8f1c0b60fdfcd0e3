#include "model/findings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/xalloc.h"

void
findings_init(struct findings *f)
{
	memset(f, 0, sizeof(*f));
}

void
findings_clear(struct findings *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->items[i].path);
		free(f->items[i].message);
	}
	free(f->items);
	findings_init(f);
}

void
findings_truncate(struct findings *f, size_t keep)
{
	for (; f->count > keep; f->count--) {
		free(f->items[f->count - 1].path);
		free(f->items[f->count - 1].message);
	}
}

void
findings_add(struct findings *f, const char *path, enum severity sev,
	     const char *fmt, ...)
{
	f->items = array_grow(f->items, f->count, &f->cap, sizeof(*f->items));
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	f->items[f->count++] = (struct finding){
		.path = xstrdup(path ? path : ""),
		.severity = sev,
		.message = msg,
	};
}

size_t
findings_count(const struct findings *f, enum severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < f->count; i++)
		n += f->items[i].severity == sev;
	return n;
}

bool
findings_has_path(const struct findings *f, const char *path,
		  enum severity sev)
{
	for (size_t i = 0; i < f->count; i++)
		if (f->items[i].severity == sev &&
		    strcmp(f->items[i].path, path) == 0)
			return true;
	return false;
}

const char *
severity_name(enum severity sev)
{
	return sev == SEV_ERROR ? "error" : sev == SEV_NOTE ? "note" : "warning";
}
