/* How the form feels next to a plain `dialog --form`: both run in the same
 * 100x30 pseudo-terminal, read through libvterm, so "drawn" means "on the
 * screen a terminal would show" and not "some bytes went by" (digits of a
 * typed id also occur in escape sequences). Figures, not a pass/fail test.
 *
 *   DPSENROLL=build/dpsenroll DIALOG=dialog build/bench/tui_bench [RUNS]
 *
 * RUNS (default 15) runs of each program, interleaved so that drift in
 * the machine's load falls on both, after one unmeasured run of each that
 * warms the page cache. */

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

enum {
	ROWS = 30,
	COLS = 100,
	DEFAULT_RUNS = 15,
	MAX_RUNS = 1000,
	FRAME_QUIET_MS = 30,
	KEY_QUIET_MS = 5,
	START_TIMEOUT_MS = 10000,
	ECHO_TIMEOUT_MS = 2000,
	STOP_GRACE_MS = 1000,
	EXIT_CANNOT_RUN = 2,
	SCREEN_BYTES = ROWS * (COLS * 4 + 1) + 1,
};

/* A registration id as a technician types it; the '-' steps make live
 * validation flip between valid and "must end with a letter or digit". */
static const char typed[] = "bench-device-0001-line-07-rack-b-slot-42";
#define TYPED_LEN (sizeof(typed) - 1)

struct program {
	const char *label;
	char **argv;
	const char *const *markers;	/* all on screen = first frame drawn */
	const char *before_typing;	/* keys that open the field for typing */
	const char *if_missing;		/* what to do when it is not there */
};

struct sample {
	double frame_ms;	/* start to the last byte of the first frame */
	double markers_ms;	/* start to the markers being on screen */
	double echo_ms;		/* median over the typed keys */
	double settle_ms;	/* median key to the screen going quiet */
	double key_bytes;	/* median output bytes per key */
	double hwm_kib;		/* VmHWM after typing */
};

struct session {
	pid_t pid;
	int fd;
	VTerm *vt;
	VTermScreen *screen;
	double start_ms;
	double last_chunk_ms;
	size_t bytes;
	bool ended;
	char text[SCREEN_BYTES];
};

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Answers the program's terminal queries as a real terminal would, so
 * neither waits on a reply that never comes. */
static void
reply_to_program(const char *bytes, size_t len, void *user)
{
	const struct session *s = user;
	while (len > 0) {
		ssize_t w = write(s->fd, bytes, len);
		if (w <= 0 && errno != EINTR)
			return;
		if (w > 0) {
			bytes += w;
			len -= (size_t)w;
		}
	}
}

static void
screen_open(struct session *s)
{
	s->vt = vterm_new(ROWS, COLS);
	vterm_set_utf8(s->vt, 1);
	vterm_output_set_callback(s->vt, reply_to_program, s);
	s->screen = vterm_obtain_screen(s->vt);
	vterm_screen_enable_altscreen(s->screen, 1);
	vterm_screen_reset(s->screen, 1);
}

static const char *
screen_text(struct session *s)
{
	VTermRect all = { .start_row = 0, .end_row = ROWS, .start_col = 0,
			  .end_col = COLS };
	size_t n = vterm_screen_get_text(s->screen, s->text, sizeof(s->text) - 1,
					 all);
	s->text[n < sizeof(s->text) ? n : sizeof(s->text) - 1] = '\0';
	return s->text;
}

static bool
screen_has_all(struct session *s, const char *const *markers)
{
	const char *t = screen_text(s);
	for (; *markers; markers++)
		if (!strstr(t, *markers))
			return false;
	return true;
}

/* One wait for output, at most timeout_ms; the bytes go to the screen.
 * Returns the bytes read, 0 on timeout, -1 when the program is gone. */
static ssize_t
pump(struct session *s, int timeout_ms)
{
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	int rc = poll(&p, 1, timeout_ms < 0 ? 0 : timeout_ms);
	if (rc < 0)
		return errno == EINTR ? 0 : -1;
	if (rc == 0)
		return 0;
	char buf[16384];
	ssize_t n = read(s->fd, buf, sizeof(buf));
	if (n <= 0) {
		s->ended = n == 0 || errno != EINTR;
		return s->ended ? -1 : 0;
	}
	s->last_chunk_ms = now_ms();
	s->bytes += (size_t)n;
	vterm_input_write(s->vt, buf, (size_t)n);
	return n;
}

static int
ms_until(double deadline)
{
	double left = deadline - now_ms();
	return left <= 0 ? 0 : (int)left + 1;
}

/* Reads until nothing has come for quiet_ms (or the deadline passes). */
static bool
drain_until_quiet(struct session *s, int quiet_ms, double deadline)
{
	for (;;) {
		if (now_ms() >= deadline)
			return false;
		int wait = quiet_ms;
		if (wait > ms_until(deadline))
			wait = ms_until(deadline);
		ssize_t n = pump(s, wait);
		if (n < 0)
			return false;
		if (n == 0 && now_ms() - s->last_chunk_ms >= quiet_ms)
			return true;
	}
}

/* Reads until every marker is on screen; false if the program ended or
 * the deadline passed first. */
static bool
wait_for_markers(struct session *s, const char *const *markers,
		 double deadline)
{
	while (!screen_has_all(s, markers)) {
		if (now_ms() >= deadline || pump(s, ms_until(deadline)) < 0)
			return false;
	}
	return true;
}

static void
set_child_env(const char *home)
{
	const char *path = getenv("PATH");
	char *keep = strdup(path ? path : "/usr/bin:/bin");
	clearenv();
	setenv("PATH", keep, 1);
	setenv("HOME", home, 1);
	setenv("TERM", "xterm-256color", 1);
	setenv("LANG", "C.UTF-8", 1);
	free(keep);
}

static bool
spawn(struct session *s, const struct program *p, const char *home)
{
	struct winsize ws = { .ws_row = ROWS, .ws_col = COLS };
	memset(s, 0, sizeof(*s));
	screen_open(s);
	s->start_ms = now_ms();
	s->last_chunk_ms = s->start_ms;
	s->pid = forkpty(&s->fd, NULL, NULL, &ws);
	if (s->pid < 0) {
		fprintf(stderr, "tui_bench: forkpty: %s\n", strerror(errno));
		return false;
	}
	if (s->pid == 0) {
		set_child_env(home);
		execvp(p->argv[0], p->argv);
		fprintf(stderr, "tui_bench: cannot run %s: %s\n", p->argv[0],
			strerror(errno));
		_exit(127);
	}
	return true;
}

static double
read_hwm_kib(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	FILE *f = fopen(path, "r");
	double kib = -1;
	if (!f)
		return kib;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kib = strtod(line + 6, NULL);
	fclose(f);
	return kib;
}

static bool
reaped_within(struct session *s, int ms)
{
	double deadline = now_ms() + ms;
	do {
		if (waitpid(s->pid, NULL, WNOHANG) == s->pid)
			return true;
		/* Keeps reading so a program restoring the terminal never
		 * blocks on a full pty. */
		if (pump(s, 10) < 0)
			usleep(1000);
	} while (now_ms() < deadline);
	return false;
}

static void
stop(struct session *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		if (!reaped_within(s, STOP_GRACE_MS)) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
		}
	}
	if (s->fd > 0)
		close(s->fd);
	if (s->vt)
		vterm_free(s->vt);
	s->pid = 0;
	s->fd = -1;
	s->vt = NULL;
}

static void
show_screen(struct session *s, const char *label, const char *why)
{
	screen_text(s);
	size_t n = strlen(s->text);
	while (n > 0 && (s->text[n - 1] == '\n' || s->text[n - 1] == ' '))
		s->text[--n] = '\0';
	fprintf(stderr, "tui_bench: %s: %s. Its screen:\n%s\n", label, why,
		n ? s->text : "(blank)");
}

/* Sends typed[] one key at a time. The echo is the first chunk after
 * which the screen shows everything typed so far; then the output is
 * drained so the next key starts from a still screen. */
static bool
type_keys(struct session *s, const char *label, struct sample *out)
{
	double echo[TYPED_LEN], settle[TYPED_LEN], bytes[TYPED_LEN];
	char want[TYPED_LEN + 1];
	for (size_t i = 0; i < TYPED_LEN; i++) {
		memcpy(want, typed, i + 1);
		want[i + 1] = '\0';
		const char *const marker[] = { want, NULL };
		size_t before = s->bytes;
		double t0 = now_ms();
		if (write(s->fd, &typed[i], 1) != 1 ||
		    !wait_for_markers(s, marker, t0 + ECHO_TIMEOUT_MS)) {
			show_screen(s, label, "a typed key never showed");
			return false;
		}
		echo[i] = s->last_chunk_ms - t0;
		drain_until_quiet(s, KEY_QUIET_MS, t0 + ECHO_TIMEOUT_MS);
		settle[i] = s->last_chunk_ms - t0;
		bytes[i] = (double)(s->bytes - before);
	}
	out->echo_ms = median(echo, TYPED_LEN);
	out->settle_ms = median(settle, TYPED_LEN);
	out->key_bytes = median(bytes, TYPED_LEN);
	return true;
}

static bool
first_frame(struct session *s, const struct program *p, struct sample *out)
{
	double deadline = s->start_ms + START_TIMEOUT_MS;
	if (!wait_for_markers(s, p->markers, deadline)) {
		show_screen(s, p->label, s->ended ? "it ended before drawing its "
			    "form" : "its form did not appear within 10 s");
		return false;
	}
	out->markers_ms = s->last_chunk_ms - s->start_ms;
	drain_until_quiet(s, FRAME_QUIET_MS, deadline);
	out->frame_ms = s->last_chunk_ms - s->start_ms;
	return true;
}

static bool
open_field(struct session *s, const struct program *p)
{
	size_t n = strlen(p->before_typing);
	if (n && write(s->fd, p->before_typing, n) != (ssize_t)n)
		return false;
	drain_until_quiet(s, FRAME_QUIET_MS, now_ms() + ECHO_TIMEOUT_MS);
	return true;
}

static void
remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char sub[4096];
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		struct stat st;
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(sub);
		else
			unlink(sub);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

static bool
measure(const struct program *p, struct sample *out)
{
	char home[] = "/tmp/tui-bench-home-XXXXXX";
	if (!mkdtemp(home)) {
		fprintf(stderr, "tui_bench: mkdtemp: %s\n", strerror(errno));
		return false;
	}
	struct session s;
	bool ok = spawn(&s, p, home) && first_frame(&s, p, out) &&
		  open_field(&s, p) && type_keys(&s, p->label, out);
	if (ok)
		out->hwm_kib = read_hwm_kib(s.pid);
	stop(&s);
	remove_tree(home);
	return ok;
}

static bool
on_path(const char *name)
{
	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	const char *path = getenv("PATH");
	char dir[4096];
	while (path && *path) {
		size_t n = strcspn(path, ":");
		snprintf(dir, sizeof(dir), "%.*s/%s", (int)n, path, name);
		if (access(dir, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

static bool
programs_present(const struct program *ps, size_t n)
{
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		if (on_path(ps[i].argv[0]))
			continue;
		fprintf(stderr, "tui_bench: cannot run %s: '%s' is not an "
			"executable%s; %s\n", ps[i].label, ps[i].argv[0],
			strchr(ps[i].argv[0], '/') ? "" : " on PATH",
			ps[i].if_missing);
		ok = false;
	}
	return ok;
}

static int
parse_runs(int argc, char **argv)
{
	if (argc < 2)
		return DEFAULT_RUNS;
	char *end;
	long n = strtol(argv[1], &end, 10);
	if (argc > 2 || *end || n < 1 || n > MAX_RUNS) {
		fprintf(stderr, "usage: tui_bench [RUNS]   (1 to %d, default %d)\n",
			MAX_RUNS, DEFAULT_RUNS);
		return -1;
	}
	return (int)n;
}

struct summary {
	double median, min, max;
};

/* One member of struct sample over the runs. */
static struct summary
summarize(const struct sample *v, int n, size_t offset)
{
	double *x = malloc((size_t)n * sizeof(*x));
	if (!x)
		abort();
	for (int i = 0; i < n; i++)
		memcpy(&x[i], (const char *)&v[i] + offset, sizeof(double));
	struct summary s = { .median = median(x, (size_t)n) };
	s.min = x[0];
	s.max = x[n - 1];
	free(x);
	return s;
}

static double
load_average(void)
{
	FILE *f = fopen("/proc/loadavg", "r");
	double l = -1;
	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

static void
print_header(int runs)
{
	printf("dpsenroll's form against dialog --form: %d runs each, interleaved, "
	       "after one warm-up\nrun each; %dx%d pty, TERM=xterm-256color, "
	       "LANG=C.UTF-8, fresh HOME, no DPS connection.\n", runs, COLS, ROWS);
	printf("The output is read into libvterm %d.%d: text counts as drawn when a "
	       "terminal would show it.\n", VTERM_VERSION_MAJOR, VTERM_VERSION_MINOR);
	printf("  first full frame: fork to the last output byte before %d ms of "
	       "quiet, once the screen\n    shows the markers (dpsenroll: "
	       "\"Registration ID\", \"F10 Quit\"; dialog: \"Registration ID:\",\n"
	       "    \"<  OK  >\").\n", FRAME_QUIET_MS);
	printf("  key echo: write() of one key to the output chunk after which the "
	       "screen shows all\n    typed so far, then drained to %d ms of quiet. "
	       "%zu keys into Registration ID:\n    \"%s\" (dpsenroll: Enter first, "
	       "live validation on;\n    dialog: a plain field). Median per run.\n",
	       KEY_QUIET_MS, TYPED_LEN, typed);
	printf("  peak RSS: VmHWM from /proc/PID/status after the typing.\n"
	       "Figures are medians over the runs.\n\n");
}

struct row {
	const char *metric;
	size_t offset;
	double target;		/* ratio to meet; 0: shown for explanation only */
	int decimals;
};

static const struct row rows[] = {
	{ "first full frame (ms)", offsetof(struct sample, frame_ms), 1.2, 3 },
	{ "key echo (ms)", offsetof(struct sample, echo_ms), 1.0, 3 },
	{ "peak RSS (KiB)", offsetof(struct sample, hwm_kib), 2.0, 0 },
	{ "  markers on screen (ms)", offsetof(struct sample, markers_ms), 0, 3 },
	{ "  key to quiet screen (ms)", offsetof(struct sample, settle_ms), 0, 3 },
	{ "  output bytes per key", offsetof(struct sample, key_bytes), 0, 0 },
};
#define ROW_COUNT (sizeof(rows) / sizeof(rows[0]))

static void
print_row(const struct row *r, double mine, double theirs)
{
	double ratio = theirs > 0 ? mine / theirs : 0;
	char target[16] = "-";
	const char *verdict = "";
	if (r->target > 0) {
		snprintf(target, sizeof(target), "<= %.1fx", r->target);
		verdict = ratio <= r->target ? "meets target" : "misses target";
	}
	printf("%-28s %12.*f %12.*f %7.2f  %-8s %s\n", r->metric, r->decimals,
	       mine, r->decimals, theirs, ratio, target, verdict);
}

static void
print_spread(const struct row *r, struct summary mine, struct summary theirs)
{
	char a[40], b[40];
	snprintf(a, sizeof(a), "%.*f..%.*f", r->decimals, mine.min, r->decimals,
		 mine.max);
	snprintf(b, sizeof(b), "%.*f..%.*f", r->decimals, theirs.min,
		 r->decimals, theirs.max);
	printf("%-28s %20s %20s\n", r->metric, a, b);
}

static void
report(const struct sample *mine, const struct sample *theirs, int runs,
       double load_before)
{
	struct summary m[ROW_COUNT], t[ROW_COUNT];
	for (size_t i = 0; i < ROW_COUNT; i++) {
		m[i] = summarize(mine, runs, rows[i].offset);
		t[i] = summarize(theirs, runs, rows[i].offset);
	}
	printf("%-28s %12s %12s %7s  %-8s\n", "metric", "dpsenroll", "dialog",
	       "ratio", "target");
	for (size_t i = 0; i < ROW_COUNT; i++)
		print_row(&rows[i], m[i].median, t[i].median);
	printf("\nratio = dpsenroll / dialog. Indented rows explain the others; "
	       "they have no target.\n\nSpread over the runs (min..max):\n");
	for (size_t i = 0; i < ROW_COUNT; i++)
		if (rows[i].target > 0)
			print_spread(&rows[i], m[i], t[i]);
	/* Both programs take a few ms, so a busy machine shows in the
	 * figures; this says how busy it was. */
	printf("\nLoad average (1 min) before and after: %.2f, %.2f\n",
	       load_before, load_average());
}

static char *dialog_argv[] = {
	NULL, "--form", "Enroll", "20", "70", "10",
	"Registration ID:", "1", "1", "", "1", "20", "44", "128",
	"Device ID:", "2", "1", "", "2", "20", "44", "128",
	"Attestation type:", "3", "1", "", "3", "20", "44", "128",
	"Allocation policy:", "4", "1", "", "4", "20", "44", "128",
	"IoT hub host name:", "5", "1", "", "5", "20", "44", "128",
	"Status:", "6", "1", "", "6", "20", "44", "128",
	NULL,
};

static const char *const dpsenroll_markers[] = { "Registration ID", "F10 Quit",
						 NULL };
static const char *const dialog_markers[] = { "Registration ID:", "<  OK  >",
					      NULL };

static bool
run_all(const struct program *ps, struct sample *mine, struct sample *theirs,
	int runs)
{
	struct sample warm;
	if (!measure(&ps[0], &warm) || !measure(&ps[1], &warm))
		return false;
	for (int i = 0; i < runs; i++)
		if (!measure(&ps[0], &mine[i]) || !measure(&ps[1], &theirs[i]))
			return false;
	return true;
}

int
main(int argc, char **argv)
{
	int runs = parse_runs(argc, argv);
	if (runs < 0)
		return EXIT_CANNOT_RUN;
	const char *dpsenroll = getenv("DPSENROLL");
	const char *dialog = getenv("DIALOG");
	char *dpsenroll_argv[] = { (char *)(dpsenroll ? dpsenroll
					    : "build/dpsenroll"), NULL };
	dialog_argv[0] = (char *)(dialog ? dialog : "dialog");
	const struct program ps[] = {
		{ "dpsenroll", dpsenroll_argv, dpsenroll_markers, "\r",
		  "run make first, or set DPSENROLL" },
		{ "dialog", dialog_argv, dialog_markers, "",
		  "'make deps' as root installs it (or apt-get install dialog)" },
	};
	if (!programs_present(ps, 2))
		return EXIT_CANNOT_RUN;
	signal(SIGPIPE, SIG_IGN);
	struct sample *mine = calloc((size_t)runs, sizeof(*mine));
	struct sample *theirs = calloc((size_t)runs, sizeof(*theirs));
	if (!mine || !theirs)
		abort();
	print_header(runs);
	fflush(stdout);
	double load_before = load_average();
	bool ok = run_all(ps, mine, theirs, runs);
	if (ok)
		report(mine, theirs, runs, load_before);
	free(mine);
	free(theirs);
	return ok ? EXIT_SUCCESS : EXIT_CANNOT_RUN;
}
