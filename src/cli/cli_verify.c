#include "cli/cli_verify.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "base/i18n.h"

void
verify_say_advice(struct advice *a)
{
	if (a->cause)
		fprintf(stderr, _("  why: %s\n"), a->cause);
	if (a->next_step)
		fprintf(stderr, _("  next: %s\n"), a->next_step);
	advice_clear(a);
}

double
verify_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
live_line_init(struct live_line *l, const char *id, double start, bool quiet)
{
	l->id = id;
	l->quiet = quiet;
	l->tty = isatty(STDERR_FILENO);
	l->shown = false;
	l->start = start;
}

void
live_line_draw(struct live_line *l, double now)
{
	long s = (long)(now - l->start);
	if (l->quiet)
		return;
	if (l->tty) {
		/* TRANSLATORS: registration id, minutes:seconds waited */
		fputc('\r', stderr);
		fprintf(stderr, _("waiting for %s to register (power it on) "
				  "%ld:%02ld "), l->id, s / 60, s % 60);
		fflush(stderr);
		l->shown = true;
	} else if (!l->shown) {
		fprintf(stderr, _("waiting for %s to register (power it on)\n"),
			l->id);
		l->shown = true;
	}
}

void
live_line_end(struct live_line *l)
{
	if (l->tty && l->shown) {
		fputs("\n", stderr);
		l->shown = false;
	}
}

void
verify_pause(struct live_line *l, unsigned ms)
{
	while (ms) {
		unsigned step = ms < 250 ? ms : 250;
		struct timespec ts = { 0, (long)step * 1000000L };
		nanosleep(&ts, NULL);
		ms -= step;
		if (l)
			live_line_draw(l, verify_now());
	}
}
