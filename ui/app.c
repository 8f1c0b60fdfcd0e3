/* The TUI's loop: wait on the keyboard and the worker together, turn keys
 * into requests, act, redraw. */

#define _GNU_SOURCE	/* ppoll */

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "base/i18n.h"
#include "ui/app.h"
#include "ui/attest.h"
#include "ui/curses.h"
#include "ui/field_details.h"
#include "ui/keymap.h"
#include "ui/station.h"
#include "ui/theme_curses.h"
#include "base/clock.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "dps/budget.h"
#include "sys/signals.h"

enum {
	SPINNER_TICK_MS = 100,
	/* After an echo, the rest of the frame waits this long for the next
	 * key, and while keys keep coming at most FRAME_MAX_WAIT_MS: both
	 * well under what an eye tells apart. */
	FRAME_QUIET_MS = 2,
	FRAME_MAX_WAIT_MS = 50,
};

/* The signal mask while waiting for input: the one the program started
 * with (see hold_wake_signals). */
static sigset_t wait_mask;

/* Logs `text` (taken) and makes it the news, noting where it was said. */
static void
say(struct app *a, bool error, unsigned ends, char *text)
{
	status_log_add(&a->status_log, text, error, time(NULL));
	status_say(&a->status, error, ends, app_texts_signature(a), text);
	a->status.in_list = list_showing(a);
}

void
app_status(struct app *a, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	say(a, error, STATUS_UNTIL_NEXT_ACTION, text);
}

void
app_status_until(struct app *a, bool error, unsigned ends, const char *fmt,
		 ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	say(a, error, ends, text);
}

void
app_status_event(struct app *a, unsigned events)
{
	status_event(&a->status, events);
}

void
app_open_modal(struct app *a, struct modal *m)
{
	app_close_modal(a);
	a->modal = m;
}

void
app_close_modal(struct app *a)
{
	if (a->modal)
		a->modal->ops->free(a->modal);
	a->modal = NULL;
}

static void
restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

static struct form_field *
focused(struct app *a)
{
	struct form *f = a->form;
	return f->on_section ? NULL : &f->fields[f->focus];
}

static void
stop_editing(struct app *a)
{
	if (!a->editing)
		return;
	a->editing = false;
	textedit_free(&a->edit);
	attest_settle(a, a->form->focus);
}

static void
start_editing(struct app *a)
{
	struct form_field *ff = focused(a);
	textedit_init(&a->edit, ff->text ? ff->text : "",
		      ff->def->kind == FK_SECRET);
	textedit_end(&a->edit);
	a->editing = true;
	a->edit_width = 0;	/* known once the frame has drawn it */
}

/* Enter: what it means depends on the field. */
static void
act_edit(struct app *a)
{
	struct form *f = a->form;
	if (f->on_section) {
		f->section_folded[f->focus_sec] = !f->section_folded[f->focus_sec];
		return;
	}
	struct form_field *ff = focused(a);
	if (ff->def->kind != FK_GROUP && field_is_readonly(ff->def)) {
		field_details(a);
		return;
	}
	if (station_refuse_locked(a))
		return;
	switch (ff->def->kind) {
	case FK_GROUP:
		form_toggle_fold(f, f->focus);
		break;
	case FK_ENUM:
		app_open_modal(a, picker_new(a, f->focus));
		break;
	case FK_BOOL:
		/* Enter flips yes and no; Space and the arrows also reach "not set" */
		form_set_text(f, f->focus, !strcmp(ff->text, "true") ? "false" : "true");
		break;
	case FK_JSON_OBJECT:
	case FK_STRING_LIST:
		app_open_modal(a, editor_new(a, f->focus));
		break;
	default:
		/* PEM and key text arrive pasted over several lines */
		if (field_is_multiline(ff->def))
			app_open_modal(a, editor_new(a, f->focus));
		else
			start_editing(a);
	}
}

static void
act_choice(struct app *a, int dir)
{
	struct form *f = a->form;
	if (f->on_section) {
		f->section_folded[f->focus_sec] = !f->section_folded[f->focus_sec];
		return;
	}
	struct form_field *ff = focused(a);
	if (ff && ff->def->kind != FK_GROUP && field_is_readonly(ff->def))
		field_readonly_said(a);
	else if (ff && ff->def->kind != FK_GROUP && station_refuse_locked(a))
		return;
	else if (ff && (ff->def->kind == FK_ENUM || ff->def->kind == FK_BOOL))
		form_cycle(a->form, a->form->focus, dir);
	else if (ff && ff->def->kind == FK_GROUP)
		form_toggle_fold(a->form, a->form->focus);
}

static void
act_clear(struct app *a)
{
	struct form_field *ff = focused(a);
	if (ff && ff->def->kind != FK_GROUP && field_is_readonly(ff->def))
		field_readonly_said(a);
	else if (ff && ff->def->kind != FK_GROUP && !station_refuse_locked(a))
		form_set_text(a->form, a->form->focus, "");
}

static void
act_reveal(struct app *a)
{
	struct form_field *ff = focused(a);
	if (ff && ff->def->kind == FK_SECRET)
		ff->revealed = !ff->revealed;
}

static void
confirm_quit(struct app *a)
{
	a->quit = true;
}

static void
confirm_new(struct app *a)
{
	if (a->station) {
		station_next_device(a);
		return;
	}
	if (!session_reset(a->session)) {
		app_status(a, true, _("A request is still running; wait, or Esc "
			    "cancels it"));
		return;
	}
	form_reset(a->form);
	form_focus_first(a->form);
	a->scroll = 0;
	app_status_event(a, STATUS_ON_LOAD);
	app_status(a, false, _("New enrollment"));
}

static void
ask(struct app *a, const char *title, const char *question,
    void (*on_yes)(struct app *a))
{
	struct text_view *v = text_view_new(title);
	text_view_add(v, ROLE_POPUP, "%s", question);
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, _("y: yes    n or Esc: no"));
	app_open_modal(a, text_view_modal(v, on_yes));
}

static void
act_quit(struct app *a)
{
	if (a->job && a->job_op == DPS_OP_PUT)
		ask(a, _("Quit"), _("A submit is still running: the service may carry "
		    "it out, and its answer (and any keys it makes) would not be "
		    "shown. The form stays in the draft. Quit anyway?"),
		    confirm_quit);
	else if (form_changed(a->form))
		ask(a, _("Quit"), _("The form has changes that were not submitted; they "
		    "stay in the draft and are offered next time. Quit?"),
		    confirm_quit);
	else
		a->quit = true;
}

void
app_quit(struct app *a)
{
	act_quit(a);
}

static void
act_new(struct app *a)
{
	if (form_changed(a->form))
		ask(a, _("New enrollment"), _("Discard the changes in the form and start "
		    "a new enrollment?"), confirm_new);
	else
		confirm_new(a);
}

static void
act_cancel(struct app *a)
{
	if (app_verify_cancel(a))
		return;
	if (a->job)
		app_cancel_job(a);
}

static void
open_load_prompt(struct app *a)
{
	app_open_modal(a, prompt_load_new(a, form_registration_id(a->form)));
}

static void
act_load(struct app *a)
{
	if (form_changed(a->form))
		ask(a, _("Load"), _("Loading replaces the changes in the form (they "
		    "stay in the draft until you edit what is loaded). Load "
		    "another enrollment?"), open_load_prompt);
	else
		open_load_prompt(a);
}

/* Requests that mean the same in every context. */
static bool
dispatch_common(struct app *a, enum ui_request r)
{
	switch (r) {
	case REQ_HELP:
		app_show_help(a);
		return true;
	case REQ_QUIT:
		act_quit(a);
		return true;
	case REQ_SUBMIT:
		app_submit(a);
		return true;
	case REQ_LOAD:
		act_load(a);
		return true;
	case REQ_NEW:
		act_new(a);
		return true;
	case REQ_REDRAW:
		clearok(curscr, TRUE);
		return true;
	case REQ_REVEAL:
		act_reveal(a);
		return true;
	case REQ_CANCEL:
		act_cancel(a);
		return true;
	case REQ_CONNECT:
		app_connection(a);
		return true;
	default:
		return false;
	}
}

static int
page_rows(void)
{
	return LINES > 8 ? LINES - 6 : 1;
}

static void
dispatch_form(struct app *a, enum ui_request r)
{
	struct form *f = a->form;
	switch (r) {
	case REQ_NEXT_FIELD:
		form_focus_next(f);
		break;
	case REQ_PREV_FIELD:
		form_focus_prev(f);
		break;
	case REQ_PAGE_DOWN:
		form_focus_by(f, page_rows());
		break;
	case REQ_PAGE_UP:
		form_focus_by(f, -page_rows());
		break;
	case REQ_FIRST_FIELD:
		form_focus_first(f);
		break;
	case REQ_LAST_FIELD:
		form_focus_last(f);
		break;
	case REQ_EDIT:
		act_edit(a);
		break;
	case REQ_NEXT_CHOICE:
		act_choice(a, 1);
		break;
	case REQ_PREV_CHOICE:
		act_choice(a, -1);
		break;
	case REQ_CLEAR:
		act_clear(a);
		break;
	case REQ_GENERATE:
		attest_generate(a);
		break;
	case REQ_OPEN_FILE:
		attest_open_file(a);
		break;
	case REQ_SAVE_KEYS:
		attest_save_keys(a);
		break;
	case REQ_DETAILS:
		if (field_details_applies(a))
			field_details(a);
		else
			attest_details(a);
		break;
	case REQ_MESSAGES:
		app_show_messages(a);
		break;
	case REQ_UNLOCK:
		station_unlock(a);
		break;
	case REQ_AS_TEMPLATE:
		station_from_form(a);
		break;
	case REQ_WATCH:
		app_verify_watch(a);
		break;
	case REQ_REGISTER:
		app_verify_register(a);
		break;
	case REQ_LIST:
		list_open(a);
		break;
	case REQ_FOLD:
		if (f->on_section)
			f->section_folded[f->focus_sec] = !f->section_folded[f->focus_sec];
		else if (focused(a)->def->kind == FK_GROUP)
			form_toggle_fold(f, f->focus);
		break;
	default:
		dispatch_common(a, r);
	}
}

static void
edit_changed(struct app *a)
{
	form_set_text(a->form, a->form->focus, a->edit.buf);
}

static void
edit_text(struct app *a, const char *utf8)
{
	textedit_insert(&a->edit, utf8, strlen(utf8));
	a->echoed = draw_edit_echo(a);
	edit_changed(a);
}

/* While typing into a field: the text's keys edit it, moving on stops
 * typing first, and the rest act as in the form. */
static void
dispatch_edit(struct app *a, enum ui_request r)
{
	enum textedit_effect e = textedit_request(&a->edit, r);
	if (e != TEXTEDIT_NOT_MINE)
		a->echoed = draw_edit_echo(a);
	if (e == TEXTEDIT_CHANGED)
		edit_changed(a);
	if (e != TEXTEDIT_NOT_MINE)
		return;
	switch (r) {
	case REQ_STOP_EDIT:
		stop_editing(a);
		station_field_done(a);
		break;
	case REQ_CLEAR:
		textedit_set(&a->edit, "");
		edit_changed(a);
		break;
	case REQ_NEXT_FIELD:
	case REQ_PREV_FIELD:
	case REQ_PAGE_DOWN:
	case REQ_PAGE_UP:
		stop_editing(a);
		dispatch_form(a, r);
		break;
	case REQ_SUBMIT:
	case REQ_LOAD:
	case REQ_QUIT:
	case REQ_NEW:
	case REQ_CONNECT:
		stop_editing(a);
		dispatch_common(a, r);
		break;
	default:
		dispatch_common(a, r);
	}
}

static void
handle_click(struct app *a)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return;
	if (a->modal) {
		if (a->modal->ops->click &&
		    a->modal->ops->click(a->modal, a, ev.y, ev.x) == MODAL_CLOSE)
			app_close_modal(a);
		return;
	}
	int sec;
	long i = draw_field_at_row(a, ev.y, &sec);
	stop_editing(a);
	struct form *f = a->form;
	if (sec >= 0) {
		f->on_section = true;
		f->focus_sec = (enum field_section)sec;
		f->section_folded[sec] = !f->section_folded[sec];
	} else if (i >= 0 && form_focusable(f, (size_t)i)) {
		bool again = !f->on_section && f->focus == (size_t)i;
		f->on_section = false;
		f->focus = (size_t)i;
		if (again || f->fields[i].def->kind == FK_GROUP)
			act_edit(a);
	}
}

/* A letter typed on a field that is not being edited: say how to edit
 * rather than drop it silently. */
static void
hint_enter(struct app *a)
{
	struct form_field *ff = focused(a);
	if (ff && ff->def->kind != FK_GROUP && field_is_readonly(ff->def))
		field_readonly_said(a);
	else if (ff && ff->def->kind != FK_GROUP)
		app_status(a, false, _("Press Enter to edit %s"), field_label(ff->def));
}

static volatile sig_atomic_t hangup;
/* SIGTSTP came from elsewhere (kill -TSTP): suspend at the next turn. */
static volatile sig_atomic_t stop_asked;
/* A shell with job control started the program as a job of its own and
 * can bring it back: SIGTSTP not ignored, and a process group that is not
 * the session's (a program started by tmux or `bash -c` shares it, and
 * nobody would be there to type fg). */
static bool can_suspend;

static void
on_stop(int sig)
{
	(void)sig;
	stop_asked = 1;
}

/* Ctrl-Z, or SIGTSTP from elsewhere: the terminal goes back to the shell
 * as it was found, the process stops, and `fg` brings the screen back
 * whole, with everything typed. */
static void
suspend(struct app *a, bool by_key)
{
	stop_asked = 0;
	if (!can_suspend && !by_key)
		return;
	if (!can_suspend) {
		beep();	/* heard also where a window hides the status line */
		app_status(a, true, _("Ctrl-Z: dpsenroll stays, because it was "
			   "not started as a job of an interactive shell, so "
			   "nothing could bring it back"));
		return;
	}
	app_draft_tick(a);	/* the keys read with this one count too */
	app_draft_flush(a);
	endwin();
	sigset_t tstp;
	sigemptyset(&tstp);
	sigaddset(&tstp, SIGTSTP);
	signal(SIGTSTP, SIG_IGN);	/* drops one already pending */
	signal(SIGTSTP, SIG_DFL);
	pthread_sigmask(SIG_UNBLOCK, &tstp, NULL);
	/* the whole job, as the terminal's own Ctrl-Z would; stops here
	 * until the shell's fg */
	kill(0, SIGTSTP);
	pthread_sigmask(SIG_BLOCK, &tstp, NULL);
	signal_catch(SIGTSTP, on_stop);
	/* A stopped job hears of no resize: curses looks at the size again
	 * when the wait lets the signal in. */
	raise(SIGWINCH);
	clearok(curscr, TRUE);
	a->only_echoed = false;
}

static void
handle_key(struct app *a, int key, bool is_char, const char *utf8)
{
	if (!is_char && key == KEY_MOUSE) {
		if (list_showing(a) && !a->modal)
			list_click(a);
		else
			handle_click(a);
		return;
	}
	if (!is_char && key == KEY_RESIZE)
		return;
	/* only a control character can be Ctrl-Z: other keys skip the
	 * table on the way to their echo */
	if (is_char && key < 0x20 &&
	    keymap_lookup(KEYS_FORM, key, is_char) == REQ_SUSPEND) {
		suspend(a, true);
		return;
	}
	if (a->modal) {
		modal_key(a, key, is_char, utf8);
		return;
	}
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		/* nothing can be seen: only quitting (the draft is kept) */
		if (keymap_lookup(KEYS_SMALL, key, is_char) == REQ_QUIT)
			a->quit = true;
		return;
	}
	if (list_showing(a)) {
		list_key(a, key, is_char, utf8);
		return;
	}
	/* A scanner types the whole code: at a station, a letter on an open
	 * field is text, never a key of the form (a scan of "rack-7" must
	 * not register a device, nor "lot-7" open the list). */
	bool scanned = !a->editing && keymap_is_text(key, is_char) &&
		       station_types_in(a);
	enum key_context ctx = a->editing ? KEYS_EDIT : KEYS_FORM;
	enum ui_request r = scanned ? REQ_NONE : keymap_lookup(ctx, key, is_char);
	if (r == REQ_NONE && keymap_is_text(key, is_char)) {
		if (scanned) {
			start_editing(a);
			/* typed over the id without Enter: a new scan */
			if (station_on_id(a))
				textedit_set(&a->edit, "");
		}
		if (a->editing)
			edit_text(a, utf8);
		else
			hint_enter(a);
	} else if (a->editing) {
		dispatch_edit(a, r);
	} else {
		dispatch_form(a, r);
	}
}

/* Reads every key that is waiting; false at end of input. */
static bool
read_keys(struct app *a)
{
	wint_t ch;
	int rc;
	bool all_echoed = true, any = false;
	while ((rc = get_wch(&ch)) != ERR) {
		char utf8[MB_LEN_MAX + 1] = "";
		bool is_char = rc == OK;
		if (is_char) {
			mbstate_t st;
			memset(&st, 0, sizeof(st));
			size_t n = wcrtomb(utf8, (wchar_t)ch, &st);
			utf8[n == (size_t)-1 ? 0 : n] = '\0';
		}
		a->echoed = false;
		handle_key(a, (int)ch, is_char, utf8);
		all_echoed = all_echoed && a->echoed;
		any = true;
		if (a->quit)
			break;
	}
	a->only_echoed = any && all_echoed;
	if (a->only_echoed)
		quiet_timer_touch(&a->frame_timer, clock_monotonic_ms());
	return true;
}

static void
wait_for_input(struct app *a)
{
	struct pollfd fds[4] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = a->worker ? dps_worker_fd(a->worker) : -1, .events = POLLIN },
		{ .fd = list_fd(a), .events = POLLIN },
		{ .fd = list_state_fd(a), .events = POLLIN },
	};
	int timeout = a->job || app_verify_active(a) ? SPINNER_TICK_MS : -1;
	int draft_wait = app_draft_wait_ms(a);
	if (draft_wait >= 0 && (timeout < 0 || draft_wait < timeout))
		timeout = draft_wait;
	int list_wait = list_wait_ms(a);
	if (list_wait >= 0 && (timeout < 0 || list_wait < timeout))
		timeout = list_wait;
	int frame_wait = (int)quiet_timer_wait_ms(&a->frame_timer,
						  clock_monotonic_ms());
	if (frame_wait >= 0 && (timeout < 0 || frame_wait < timeout))
		timeout = frame_wait;
	struct timespec ts = { timeout / 1000, (timeout % 1000) * 1000000L };
	if (ppoll(fds, 4, timeout < 0 ? NULL : &ts, &wait_mask) < 0) {
		if (hangup) {
			a->quit = true;
			return;
		}
		if (stop_asked)
			suspend(a, false);
		/* A resize interrupts poll; ncurses hands over KEY_RESIZE only
		 * through its own input, so read it before the next frame. */
		if (errno == EINTR)
			read_keys(a);
		return;
	}
	bool answered = fds[1].revents & POLLIN;
	if (answered)
		app_take_results(a);
	if (fds[2].revents & POLLIN)
		list_take_results(a);
	if (fds[3].revents & POLLIN)
		list_take_states(a);
	if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
		read_keys(a);
	/* An answer changes more than a value: the next frame is drawn. */
	if (answered)
		a->only_echoed = false;
	if (fds[0].revents & (POLLHUP | POLLERR))
		a->quit = true;
	app_verify_tick(a);
	app_draft_tick(a);
}

/* A closed terminal or a polite kill: save the draft, then leave. */
static void
on_hangup(int sig)
{
	(void)sig;
	hangup = 1;
}

/* The signals that must wake the loop (a resize, a hangup, a stop) are
 * held back but while it waits, so none can land between a frame and the
 * wait and go unnoticed until the next key. Called before any thread
 * starts, so the worker holds them back too and they come to the loop. */
static void
hold_wake_signals(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGWINCH);
	sigaddset(&s, SIGHUP);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGTSTP);
	pthread_sigmask(SIG_BLOCK, &s, &wait_mask);
}

static void
catch_signals(void)
{
	signal_catch(SIGHUP, on_hangup);
	signal_catch(SIGTERM, on_hangup);
	/* Ours before curses starts, also where the program cannot be
	 * suspended: curses then leaves SIGTSTP alone, instead of changing
	 * its handler around every refresh (two system calls a frame). */
	struct sigaction before;
	sigaction(SIGTSTP, NULL, &before);
	if (before.sa_handler != SIG_IGN)
		signal_catch(SIGTSTP, on_stop);
	can_suspend = before.sa_handler != SIG_IGN && getpgrp() != getsid(0);
}

static void
start_curses(struct app *a)
{
	initscr();
	/* Until it has once come back from endwin(), curses writes to the
	 * terminal at every cursor move; after it, a frame leaves in one
	 * write, and the terminal never shows one half drawn. Coming back
	 * at once keeps isendwin() false while the terminal is ours, so a
	 * fatal error still restores it. */
	endwin();
	refresh();
	/* Keys come in before a frame is drawn (read_keys takes them all),
	 * so curses need not look for more at every refresh. */
	typeahead(-1);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
	mouseinterval(0);
	theme_apply(&a->theme);
	xalloc_set_fatal_hook(restore_terminal);
}

static char *
host_of(const struct ui_options *o)
{
	return o->conn ? xstrdup(o->conn->host) : NULL;
}

static void
app_init(struct app *a, const struct ui_options *o)
{
	memset(a, 0, sizeof(*a));
	a->draft_timer = DRAFT_TIMER_INIT;
	a->frame_timer = (struct quiet_timer){ .quiet_ms = FRAME_QUIET_MS,
					       .max_ms = FRAME_MAX_WAIT_MS };
	const char *cs = setlocale(LC_CTYPE, NULL);
	a->ascii = !cs || (!strstr(cs, "UTF-8") && !strstr(cs, "utf8"));
	a->form = form_new();
	app_session_start(a);
	char *problems = NULL;
	theme_load(&a->theme, o->theme, &problems);
	if (problems || o->notice)
		app_status(a, true, "%s", problems ? problems : o->notice);
	free(problems);
	a->host = host_of(o);
	a->client = o->client;
	/* one budget for every thread, so the session as a whole stays
	 * under the service's limit: the caller's, else one of its own */
	long per_minute = o->client.ops_per_minute;
	a->budget = o->client.budget;
	if (!a->budget && per_minute >= 0)
		a->budget = a->own_budget = dps_budget_new(
			per_minute ? (unsigned)per_minute
				   : DPS_BUDGET_DEFAULT_PER_MINUTE, NULL);
	a->client.budget = a->budget;
	a->cacert_default = o->cacert_default;
	a->proxy_default = o->proxy_default;
	a->profile = o->profile ? xstrdup(o->profile) : NULL;
	char *why = NULL;
	if (o->conn)
		a->worker = dps_worker_new(o->conn, &a->client, &why);
	if (a->worker)
		list_connect(a, o->conn, &a->client);
	a->conn_problem = xstrdup(why ? why : o->conn_problem ? o->conn_problem
				  : _("no DPS connection is configured"));
	free(why);
}

static void
app_free(struct app *a)
{
	stop_editing(a);
	app_close_modal(a);
	app_verify_free(a);
	list_free(a);
	dps_worker_free(a->worker);
	dps_budget_free(a->own_budget);	/* after every thread that shares it */
	app_forget_sent(a);	/* sized by the form: before it goes */
	station_free(a);
	form_free(a->form);
	theme_clear(&a->theme);
	free(a->conn_problem);
	free(a->host);
	free(a->profile);
	status_clear(&a->status);
	status_log_clear(&a->status_log);
	free(a->job_id);
	free(a->pending_open);
	free(a->refresh_reason);
	session_free(a->session);
}

/* Keys only echoed: the echo is on the terminal already, and the rest of
 * the frame (marks, messages, counts) waits for the typing to pause. The
 * pty hands the echo on to the terminal only once this program leaves
 * the CPU, so a frame drawn right after it would hold it up; a scanner's
 * burst gets one frame instead of one a character. Anything else that
 * happened (an answer, a key that did more) draws at once. */
static bool
frame_waits_for_typing(struct app *a)
{
	if (a->only_echoed && !a->list.open && a->frame_timer.pending &&
	    !quiet_timer_due(&a->frame_timer, clock_monotonic_ms()))
		return true;
	quiet_timer_done(&a->frame_timer);
	return false;
}

int
ui_run(const struct ui_options *o)
{
	setlocale(LC_ALL, "");
	struct app a;
	hold_wake_signals();
	app_init(&a, o);
	catch_signals();
	start_curses(&a);
	app_draft_start(&a, !o->load_id && !o->station_template && !o->list);
	if (o->load_id)
		app_load(&a, o->load_id);
	if (o->list)
		list_open(&a);
	char *why = NULL, *dropped = NULL;
	if (o->station_template &&
	    !station_begin(&a, o->station_template, &dropped, &why))
		app_status(&a, true, _("Not in station mode: %s"), why);
	else if (dropped)
		app_status(&a, true, _("Station: the template's %s are not used: "
			   "each device has its own; scan or type the first "
			   "device's id"), dropped);
	else if (o->station_template)
		app_status(&a, false, _("Station: scan or type the first device's id"));
	free(dropped);
	free(why);
	while (!a.quit && !hangup) {
		list_tick(&a);
		if (!frame_waits_for_typing(&a) &&
		    (!a.only_echoed || a.list.open || !draw_frame_unchanged(&a)))
			draw_screen(&a);
		wait_for_input(&a);
	}
	app_draft_end(&a);
	restore_terminal();
	app_free(&a);
	return 0;
}
