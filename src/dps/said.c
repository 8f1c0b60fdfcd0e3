#include "dps/said.h"

#include <stdarg.h>
#include <stdlib.h>

#include "base/xalloc.h"

void
dps_said_vprintf(struct dps_said *s, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	char *record = xvasprintf(fmt, ap);
	char *shown = xvasprintf(_(fmt), again);
	va_end(again);
	dps_said_take(s, record, shown);
}

void
dps_said_printf(struct dps_said *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dps_said_vprintf(s, fmt, ap);
	va_end(ap);
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
