#include "ui/status_log.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void
status_log_add(struct status_log *l, const char *text, bool error,
	       time_t when)
{
	struct status_entry *last = (struct status_entry *)status_log_get(l, 0);
	if (last && last->error == error && strcmp(last->text, text) == 0) {
		last->when = when;
		return;
	}
	struct status_entry *e = &l->items[l->next];
	free(e->text);
	*e = (struct status_entry){ xstrdup(text), error, when };
	l->next = (l->next + 1) % STATUS_LOG_MAX;
	if (l->count < STATUS_LOG_MAX)
		l->count++;
}

const struct status_entry *
status_log_get(const struct status_log *l, size_t k)
{
	if (k >= l->count)
		return NULL;
	return &l->items[(l->next + STATUS_LOG_MAX - 1 - k) % STATUS_LOG_MAX];
}

void
status_log_clear(struct status_log *l)
{
	for (size_t i = 0; i < STATUS_LOG_MAX; i++)
		free(l->items[i].text);
	memset(l, 0, sizeof(*l));
}
