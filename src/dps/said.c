#include "dps/said.h"

#include <stdarg.h>
#include <stdlib.h>

#include "base/xalloc.h"

void
dps_said_printf(struct dps_said *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *record = xvasprintf(fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	char *shown = xvasprintf(_(fmt), ap);
	va_end(ap);
	dps_said_take(s, record, shown);
}

void
dps_said_take(struct dps_said *s, char *record, char *shown)
{
	free(s->record);
	free(s->shown);
	s->record = record;
	s->shown = shown;
}

void
dps_said_clear(struct dps_said *s)
{
	free(s->record);
	free(s->shown);
	s->record = s->shown = NULL;
}
