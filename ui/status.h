#ifndef DPSENROLL_UI_STATUS_H
#define DPSENROLL_UI_STATUS_H

/* The summary line's news and how long it lasts. A message belongs to the
 * action that said it: it ends when a new message replaces it, or when
 * one of the events in its `ends` set says that action is superseded.
 * Otherwise a message outlives what it was about ("Nothing changed" over a
 * review of changes, "a chain of 2" after a single certificate). No
 * terminal here, so unit tests drive it. */

#include <stdbool.h>
#include <stdint.h>

enum status_event {
	/* the form's texts differ from what they were when it was said */
	STATUS_ON_EDIT = 1u << 0,
	/* the form was replaced (a new form, a restored draft) or a field was
	 * read from a file */
	STATUS_ON_LOAD = 1u << 1,
	/* the review of an update opened */
	STATUS_ON_REVIEW = 1u << 2,
	/* a request left: its spinner takes the line, its outcome follows */
	STATUS_ON_REQUEST = 1u << 3,
};

/* What most news is about: the form as it was and the last action. */
#define STATUS_UNTIL_NEXT_ACTION \
	(STATUS_ON_EDIT | STATUS_ON_LOAD | STATUS_ON_REVIEW | STATUS_ON_REQUEST)

struct status {
	char *text;		/* owned; NULL: nothing to say */
	bool error;
	unsigned ends;		/* status_event bits that end it */
	uint64_t form_sig;	/* the form's texts when it was said */
	/* Said while the fleet list showed. The list shows only such news:
	 * the form's ("v watches the device register") names keys that do
	 * other things there. */
	bool in_list;
};

/* Replaces the message with `text` (taken: freed by the status).
 * `form_sig` is the form's texts signature at this moment. */
void status_say(struct status *s, bool error, unsigned ends,
		uint64_t form_sig, char *text);
/* `events` happened: the message ends when one of them is in its set. */
void status_event(struct status *s, unsigned events);
/* The form's texts signature now; a message that ends on an edit ends
 * once it differs from the one it was said with. */
void status_form_now(struct status *s, uint64_t form_sig);
void status_clear(struct status *s);

#endif
