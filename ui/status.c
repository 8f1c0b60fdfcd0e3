#include "ui/status.h"

#include <stdlib.h>

void
status_clear(struct status *s)
{
	free(s->text);
	s->text = NULL;
	s->error = false;
	s->ends = 0;
	s->in_list = false;
}

void
status_say(struct status *s, bool error, unsigned ends, uint64_t form_sig,
	   char *text)
{
	status_clear(s);
	s->text = text;
	s->error = error;
	s->ends = ends;
	s->form_sig = form_sig;
}

void
status_event(struct status *s, unsigned events)
{
	if (s->text && (s->ends & events))
		status_clear(s);
}

void
status_form_now(struct status *s, uint64_t form_sig)
{
	if (s->text && form_sig != s->form_sig)
		status_event(s, STATUS_ON_EDIT);
}
