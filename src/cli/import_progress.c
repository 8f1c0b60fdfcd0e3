/* How far an import got: a bar redrawn in place on a terminal, a plain
 * line every tenth of the way otherwise (a log, a pipe). */

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "cli/import.h"
#include "dps/budget.h"
#include "dps/bulk_items.h"
#include "sys/signals.h"

enum { BAR_WIDTH = 24 };

/* Redraws at most this often: drawing is not free at thousands of rows
 * a second. */
#define REDRAW_S 0.1

double
import_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
rate_of(const struct import_progress *p)
{
	double t = import_now() - p->start;
	return t > 0 ? (double)(p->done - p->start_done) / t : 0;
}

static unsigned long
requests_for(size_t rows)
{
	return (unsigned long)((rows + DPS_BULK_MAX - 1) / DPS_BULK_MAX);
}

/* The rate so far says too little while the budget's first burst is
 * in it: the pace the budget allows bounds the time left too. */
static void
eta_text(const struct import_progress *p, char *buf, size_t n)
{
	double rate = rate_of(p);
	if (rate <= 0) {
		snprintf(buf, n, "--");
		return;
	}
	long s = (long)((double)(p->total - p->done) / rate + 0.5);
	if (p->budget) {
		long paced = (dps_budget_eta_ms(p->budget, DPS_BUDGET_USER,
			      requests_for(p->total - p->done)) + 500) / 1000;
		if (paced > s)
			s = paced;
	}
	if (s >= 3600)
		snprintf(buf, n, "%ldh%02ldm", s / 3600, s / 60 % 60);
	else if (s >= 60)
		snprintf(buf, n, "%ldm%02lds", s / 60, s % 60);
	else
		snprintf(buf, n, "%lds", s);
}

static void
draw_bar(struct import_progress *p)
{
	size_t fill = p->total ? p->done * BAR_WIDTH / p->total : BAR_WIDTH;
	char bar[BAR_WIDTH + 1];
	for (size_t i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[BAR_WIDTH] = '\0';
	char eta[24];
	eta_text(p, eta, sizeof(eta));
	/* TRANSLATORS: a progress bar on one line of 80 columns: the bar,
	    rows done/rows, rows a second, time left, seconds held back by
	    the service (429) */
	fputs("\r\033[K", stderr);
	fprintf(stderr, _("[%s] %zu/%zu rows  %.0f rows/s  ETA %s  "
		"throttled %.0fs"), bar, p->done, p->total, rate_of(p), eta,
		p->throttled_s);
	fflush(stderr);
	p->bar_on_screen = true;
}

static void
plain_line(struct import_progress *p)
{
	fprintf(stderr, _("dpsenroll import: %zu/%zu rows, %.0f rows/s, "
		"throttled %.0fs\n"), p->done, p->total, rate_of(p),
		p->throttled_s);
}

void
import_progress_start(struct import_progress *p, size_t total, size_t already)
{
	bool tty = p->tty;
	struct dps_budget *budget = p->budget;
	memset(p, 0, sizeof(*p));
	p->tty = tty;
	p->budget = budget;
	p->total = total;
	p->done = p->start_done = already;
	p->start = import_now();
	p->last_tenth = total ? (int)(already * 10 / total) : 10;
}

void
import_progress_update(struct import_progress *p, size_t done)
{
	p->done = done;
	double now = import_now();
	if (p->tty) {
		if (now - p->last_shown >= REDRAW_S) {
			p->last_shown = now;
			draw_bar(p);
		}
		return;
	}
	int tenth = p->total ? (int)(done * 10 / p->total) : 10;
	if (tenth > p->last_tenth && done < p->total) {
		p->last_tenth = tenth;
		plain_line(p);
	}
}

void
import_progress_say(struct import_progress *p, const char *text)
{
	if (p->bar_on_screen)
		fputs("\r\033[K", stderr);
	fprintf(stderr, _("dpsenroll %s: %s\n"), "import", text);
	if (p->bar_on_screen)
		draw_bar(p);
}

void
import_progress_finish(struct import_progress *p)
{
	if (p->tty) {
		draw_bar(p);
		fputc('\n', stderr);
		p->bar_on_screen = false;
	} else {
		plain_line(p);
	}
}

static void
say_duration(char *buf, size_t n, long ms)
{
	long s = (ms + 500) / 1000;
	if (s < 60)
		snprintf(buf, n, _("about %ld s"), s);
	else if (s < 3600)
		snprintf(buf, n, _("about %ld min %ld s"), s / 60, s % 60);
	else
		snprintf(buf, n, _("about %ld h %ld min"), s / 3600, s / 60 % 60);
}

void
import_progress_pace(struct import_progress *p, size_t rows_left)
{
	unsigned long requests = requests_for(rows_left);
	long ms = p->budget ? dps_budget_eta_ms(p->budget, DPS_BUDGET_USER,
						requests) : 0;
	if (ms < 1000)
		return;
	char took[48];
	say_duration(took, sizeof(took), ms);
	/* TRANSLATORS: rows, requests, rows a request, requests a
	    minute, how long ("about 2 min 5 s") */
	fprintf(stderr, _("dpsenroll import: %zu rows go in %lu requests of %d; "
		"the rate budget sends at most %u requests a minute "
		"(--ops-per-minute), so this takes %s\n"), rows_left, requests,
		DPS_BULK_MAX, dps_budget_per_minute(p->budget), took);
}

/* ---- Ctrl-C ---- */

static volatile sig_atomic_t interrupts;

static void
on_interrupt(int sig)
{
	(void)sig;
	if (interrupts < 2)
		interrupts++;
}

void
import_signals_install(void)
{
	signal_catch(SIGINT, on_interrupt);
	signal_catch(SIGTERM, on_interrupt);
}

bool
import_stop_asked(void)
{
	return interrupts > 0;
}

bool
import_cancelled(void *ctx)
{
	(void)ctx;
	return interrupts > 1;
}
