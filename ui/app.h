#ifndef DPSENROLL_UI_APP_H
#define DPSENROLL_UI_APP_H

/* The TUI's state, shared by the loop, drawing, modals and requests. Only
 * the UI thread touches it; the worker sees serialized copies. */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "app/draft.h"
#include "app/draft_store.h"
#include "app/session.h"
#include "dps/worker.h"
#include "ui/form.h"
#include "ui/keymap.h"
#include "ui/list.h"
#include "ui/modal.h"
#include "ui/status_log.h"
#include "ui/status.h"
#include "ui/textedit.h"
#include "ui/theme.h"
#include "ui/ui.h"

enum { MIN_COLS = 80, MIN_LINES = 24 };

struct app {
	struct form *form;
	struct theme theme;
	struct dps_worker *worker;	/* NULL without a connection */
	char *conn_problem;
	char *host;			/* shown in the title */
	struct dps_client_opts client;	/* for a worker made later */
	/* The rate budget every request of the session takes from (the
	 * form's, the list's, the states'); NULL: none (--ops-per-minute
	 * 0). Outlives the threads that share it. */
	struct dps_budget *budget;
	struct dps_budget *own_budget;	/* made here (none was given) */
	const char *cacert_default;	/* --cacert or DPSENROLL_CACERT */
	const char *proxy_default;	/* --proxy, or NULL: the environment's */
	char *profile;			/* the profile connected to, or NULL */

	bool editing;			/* typing into the focused field */
	struct textedit edit;
	int edit_row, edit_col, edit_width;	/* where it was last drawn */

	/* The enrollment being worked on, its base copy and etag, and the
	 * requests on it: the form renders it and sends it events. */
	struct session *session;
	bool load_keeps_edits;		/* the load in flight only reads keys */
	unsigned job;			/* the session's request, 0: none */
	enum dps_op job_op;
	char *job_id;			/* registration id it is about */
	bool job_had_keys;		/* a PUT that carried symmetric keys */
	char **job_texts;		/* the form's texts when the PUT left */
	char *pending_open;		/* id a question offers to load */
	char *refresh_reason;		/* the 412's status line, for the window */
	struct draft_session *draft;	/* this window's draft; NULL: none */
	char *draft_noted;		/* registration id other windows see */
	struct quiet_timer draft_timer;
	uint64_t draft_sig;		/* texts when last looked at */
	struct timespec job_start;
	bool job_retrying;		/* the job waits to try again: */
	struct dps_job_progress job_retry;	/* why, and until when */

	struct list_screen list;	/* the fleet list (ui/list.h) */

	struct modal *modal;		/* open window, or NULL */
	struct status status;		/* one-line news for the summary bar */
	struct status_log status_log;	/* the last ones, for app_show_messages */
	int scroll;			/* first layout line on screen */
	uint64_t frame_key;		/* what the last frame showed */
	bool echoed;			/* the key just handled was echoed */
	/* The last keys were all echoed and no answer came since: a timer
	 * alone (a draft save) does not need a frame if nothing changed. */
	bool only_echoed;
	/* The rest of the frame after keys only echoed: drawn once the
	 * typing pauses (see frame_waits_for_typing in app.c). */
	struct quiet_timer frame_timer;
	struct station *station;	/* station mode (ui/station.c); NULL: off */
	bool quit;
	bool ascii;			/* the locale cannot show UTF-8 marks */
	struct app_verify *verify;	/* a watch or registration (app_verify.c) */
};

/* Verifying the device (app_verify.c): watching it register, or
 * registering it as it would (asks first). The loop ticks them while
 * active, hands them their finished jobs first, and Esc stops them. */
struct app_verify;
void app_verify_watch(struct app *a);
void app_verify_register(struct app *a);
bool app_verify_active(const struct app *a);
void app_verify_tick(struct app *a);
bool app_verify_take(struct app *a, const struct dps_job *j);
bool app_verify_cancel(struct app *a);
void app_verify_free(struct app *a);
/* The form shows `state` as its registration state (app_outcome.c). */
void app_show_registration_state(struct app *a, const cJSON *state);

/* Status line news (printf-style), until the next action supersedes it
 * (STATUS_UNTIL_NEXT_ACTION). */
void app_status(struct app *a, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same, ending only on the status_event bits in `ends`. */
void app_status_until(struct app *a, bool error, unsigned ends,
		      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* An action superseded what the status line says, when it ends on one of
 * `events`. */
void app_status_event(struct app *a, unsigned events);
/* The status messages kept, newest first and whole, in a window
 * (modal_messages.c). */
void app_show_messages(struct app *a);
/* Every key, one section a context, from the key table (modal_help.c). */
void app_show_help(struct app *a);
void app_open_modal(struct app *a, struct modal *m);
/* Quit as F10 does: asks first when a submit runs or the form changed. */
void app_quit(struct app *a);
void app_close_modal(struct app *a);

/* Requests (app_net.c), through the session. */
void app_session_start(struct app *a);
void app_load(struct app *a, const char *id);
/* Submit as the user asked: refused with errors, reviewed first when it is
 * an update, else sent. */
void app_submit(struct app *a);
/* Sends the form as it is (after any review). */
void app_send(struct app *a);
/* Sends the form as a new enrollment: no etag (a rename, or one deleted
 * on the service). */
void app_send_as_new(struct app *a);

/* Reads the loaded enrollment's keys again (after they could not be). */
void app_read_keys(struct app *a);
/* Fetches the service's copy again after a 412, to merge the edits on it. */
void app_refresh(struct app *a);

/* Keys that could not be read (app_keys.c): nothing is sent without them,
 * the edits are kept, and a window offers to read them again. */
/* At load: `why` says what failed. */
void app_keys_unread_at_load(struct app *a, const char *id, const char *why);
/* After a 412: the fresh copy came, its keys did not. */
void app_keys_unread_at_refresh(struct app *a, const char *id,
				const char *why);
/* Before an update without keys: they could not be read, nothing sent. */
void app_keys_unread_at_submit(struct app *a, const char *id,
			       const char *why);
/* True (and the window open) when the form would send an update of a
 * symmetric-key enrollment without the keys it could not read. */
bool app_keys_block_update(struct app *a);

/* Switching the DPS (app_conn.c). */
/* Opens the window that picks a profile or takes a connection string. */
void app_connection(struct app *a);
/* Connects to profile `name` of the config file; the form is untouched.
 * False with *why (owned) and the connection there was kept. */
bool app_connect_profile(struct app *a, const char *name, char **why);
/* Connects with a pasted connection string, first saved as profile
 * `save_as` when that is not empty. False with *why (owned) naming what
 * is wrong, and the connection there was kept. */
bool app_connect_string(struct app *a, const char *text, const char *save_as,
			char **why);

/* Review and conflicts (app_review.c). */
void app_confirm_update(struct app *a);
/* A create with warnings lists them and asks first (app_create.c). */
void app_confirm_create(struct app *a);
/* Every warning the form holds, one line each, into a window. */
void app_list_warnings(struct text_view *v, const struct form *f);
/* After a 412: `theirs` is the fresh server copy. */
void app_resolve_conflict(struct app *a, const cJSON *theirs);
void app_cancel_job(struct app *a);
/* Takes finished jobs from the worker and shows their outcome. */
void app_take_results(struct app *a);

/* The service's answer on screen (app_answer.c). */
const char *app_reason_phrase(long status);
void app_add_error_details(struct text_view *v, const struct dps_response *r);
void app_add_response(struct app *a, struct text_view *v,
		      const struct dps_job *j);
void app_show_response(struct app *a, const struct dps_job *j);
/* The status line after a failure: nothing stored, or it may have been
 * (a lost answer); `after_412` when the new copy could not be fetched. */
void app_say_failed(struct app *a, const struct dps_job *j, bool after_412);

/* The session's outcomes in the form (app_outcome.c). */
/* Keeps the form's texts as the submit leaves, for what is typed meanwhile. */
void app_remember_sent(struct app *a);
/* Frees the texts kept from the last submit. */
void app_forget_sent(struct app *a);
/* The session loaded: the form shows its base (edits kept when only the
 * keys were read again). */
void app_took_load(struct app *a);
void app_took_submit(struct app *a, const struct dps_job *j);
/* 409 on a create: offers to open the existing enrollment. */
void app_offer_existing(struct app *a, const struct dps_job *j);
/* 404 on an update: offers to create it again from the form. */
void app_offer_create_again(struct app *a, const struct dps_job *j);
void app_record_submission(struct app *a, const struct dps_job *j);

/* Drafts (app_draft.c). */
/* After input: notices changes and saves when the debounce says so. */
void app_draft_tick(struct app *a);
/* How long the loop may sleep before a draft is due; -1: no limit. */
int app_draft_wait_ms(const struct app *a);
/* Saves now if a change is pending (on quit, on a lost terminal). */
void app_draft_flush(struct app *a);
/* The service has the enrollment: the draft goes. */
void app_draft_done(struct app *a);
/* At start: this window's own draft, and with `offer` a question when
 * drafts of closed or crashed windows exist. */
void app_draft_start(struct app *a, bool offer);
/* At the end: saves what is pending and lets the draft go (it is then
 * offered to the next window when it is still there). */
void app_draft_end(struct app *a);
/* Makes the unclaimed draft NAME this window's and fills the form. */
void app_draft_restore(struct app *a, const char *name);
/* Deletes the unclaimed draft NAME; `label` names it in the status. */
void app_draft_delete(struct app *a, const char *name, const char *label);
/* A fingerprint of the form's texts (and etag), to notice changes. */
uint64_t app_texts_signature(const struct app *a);

/* Drawing (draw.c). */
void draw_screen(struct app *a);
/* The form field at a screen row, for mouse clicks; -1 for none.
 * *section is set when the row is a section header. */
long draw_field_at_row(const struct app *a, int row, int *section);
/* Redraws only the field being edited, at once: the echo of a typed key
 * must not wait for validation and the full frame. False when it could
 * not (no field being edited on screen). */
bool draw_edit_echo(struct app *a);
/* Whether a new frame would show what the last one did, but for the
 * value being typed: after keys that were all echoed, the frame is then
 * not drawn at all (a keystroke costs its echo, not a whole screen). */
bool draw_frame_unchanged(const struct app *a);
/* A string clipped to `cols` display columns, drawn at the cursor; when
 * it is cut, its last column is an ellipsis (ui/textclip.h). */
void draw_clipped(const char *s, int cols);
/* The bottom line: the keys of context `ctx` marked for the bar. */
void draw_key_bar(enum key_context ctx);

#endif
