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
#include <fcntl.h>
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
	/* Given the DPS of child_env. The form and dialog are not: their
	 * figures stay comparable with the runs before the list existed
	 * (loading the HTTPS library is a cost dialog has no part in). */
	bool connected;
};

struct sample {
	double frame_ms;	/* start to the last byte of the first frame */
	double markers_ms;	/* start to the markers being on screen */
	double echo_ms;		/* median over the typed keys */
	double settle_ms;	/* median key to the screen going quiet */
	double key_bytes;	/* median output bytes per key */
	double cpu_us;		/* the program's CPU time per key */
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

/* NAME=VALUE settings the next programs started get besides the
 * fixed ones (the fleet list's connection); NULL-ended. */
static const char *child_env[8];

static void
set_child_env(const char *home, bool connected)
{
	const char *path = getenv("PATH");
	char *keep = strdup(path ? path : "/usr/bin:/bin");
	clearenv();
	setenv("PATH", keep, 1);
	setenv("HOME", home, 1);
	setenv("TERM", "xterm-256color", 1);
	setenv("LANG", "C.UTF-8", 1);
	for (size_t i = 0; connected && i < sizeof(child_env) /
			   sizeof(*child_env) && child_env[i]; i++)
		putenv((char *)child_env[i]);
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
		set_child_env(home, p->connected);
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

/* CPU time, in ns, the threads of pid have run so far (the first field
 * of each thread's schedstat; the kernel counts it to the ns). A thread
 * that ends between two readings is not counted: none does while keys
 * are typed here (the list's states are all read before). */
static double
read_cpu_ns(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
	DIR *d = opendir(path);
	struct dirent *e;
	double ns = 0;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char stat[sizeof(path) + sizeof(e->d_name) + 16];
		unsigned long long run = 0;
		snprintf(stat, sizeof(stat), "%s/%s/schedstat", path, e->d_name);
		FILE *f = fopen(stat, "r");
		if (f && fscanf(f, "%llu", &run) == 1)
			ns += (double)run;
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return ns;
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
	double cpu_before = read_cpu_ns(s->pid);
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
	out->cpu_us = (read_cpu_ns(s->pid) - cpu_before) / 1e3 / TYPED_LEN;
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
	printf("  CPU time per key: the program's threads' run time "
	       "(/proc/PID/task/*/schedstat)\n    over the typing, divided by "
	       "the keys.\n");
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
	{ "  CPU time per key (us)", offsetof(struct sample, cpu_us), 0, 1 },
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

/* ---- the fleet list, on dpsemu ---- */

/* The list's keys are measured on LIST_ROWS enrollments whose states are
 * all read (nothing else moves on screen); the first screen and the
 * memory on BIG_ROWS, filled once into a data folder kept beside this
 * program (filling takes minutes). */
enum { LIST_ROWS = 1000, LIST_KEYS = 40, BIG_ROWS = 100000,
       EMU_START_MS = 15000, LOAD_TIMEOUT_MS = 600000 };

struct emu {
	pid_t pid;
	char dir[256];		/* the data folder it runs on */
	char conn_env[1024];	/* DPS_CONNECTION_STRING=... */
	char ca_env[300];	/* DPSENROLL_CACERT=... */
};

static bool
read_small_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return n > 0;
}

static pid_t
start_emu_process(const char *dpsemu, const char *dir, bool no_throttle)
{
	char out[300];
	snprintf(out, sizeof(out), "%s/emu.out", dir);
	unlink(out);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int null = open("/dev/null", O_WRONLY);
		dup2(fd, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		/* a DPS without the service's rate limit: the bench fills it
		 * and reads it as fast as it goes */
		if (no_throttle)
			execl(dpsemu, dpsemu, "--data", dir, "--listen",
			      "127.0.0.1:0", "--throttle", "0", (char *)NULL);
		else
			execl(dpsemu, dpsemu, "--data", dir, "--listen",
			      "127.0.0.1:0", (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Waits for "listening on"; false when it ended first. */
static bool
emu_listening(struct emu *e)
{
	char out[300], text[512];
	snprintf(out, sizeof(out), "%s/emu.out", e->dir);
	double deadline = now_ms() + EMU_START_MS;
	while (now_ms() < deadline) {
		if (read_small_file(out, text, sizeof(text)) &&
		    strstr(text, "listening on "))
			return true;
		if (waitpid(e->pid, NULL, WNOHANG) == e->pid)
			return false;
		usleep(20000);
	}
	return false;
}

static bool
emu_start(struct emu *e, const char *dpsemu)
{
	/* an older dpsemu has no limit and refuses --throttle 0 */
	for (int plain = 0; plain < 2; plain++) {
		e->pid = start_emu_process(dpsemu, e->dir, !plain);
		if (e->pid > 0 && emu_listening(e))
			break;
		e->pid = 0;
	}
	char path[300], conn[900];
	snprintf(path, sizeof(path), "%s/connection-string", e->dir);
	if (!e->pid || !read_small_file(path, conn, sizeof(conn))) {
		fprintf(stderr, "tui_bench: dpsemu did not start on %s\n", e->dir);
		return false;
	}
	snprintf(e->conn_env, sizeof(e->conn_env), "DPS_CONNECTION_STRING=%s",
		 conn);
	snprintf(e->ca_env, sizeof(e->ca_env), "DPSENROLL_CACERT=%s/ca.pem",
		 e->dir);
	child_env[0] = e->conn_env;
	child_env[1] = e->ca_env;
	/* the bench measures the screen, not the service's pace */
	child_env[2] = "DPSENROLL_OPS_PER_MINUTE=0";
	child_env[3] = NULL;
	return true;
}

static void
emu_stop(struct emu *e)
{
	if (e->pid > 0) {
		kill(e->pid, SIGTERM);
		waitpid(e->pid, NULL, 0);
	}
	e->pid = 0;
	child_env[0] = NULL;
}

/* Runs argv with child_env, output dropped; true on exit status 0. */
static bool
run_quietly(char *const argv[], const char *home)
{
	pid_t pid = fork();
	if (pid == 0) {
		set_child_env(home, true);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	       WEXITSTATUS(st) == 0;
}

/* `n` symmetric-key enrollments fleet-000001 ... by bulk create. */
static bool
emu_fill(const struct emu *e, const char *dpsenroll, int n)
{
	char path[300];
	snprintf(path, sizeof(path), "%s/fill.json", e->dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	fputc('[', f);
	for (int i = 1; i <= n; i++)
		fprintf(f, "%s{\"registrationId\":\"fleet-%06d\",\"attestation\":"
			"{\"type\":\"symmetricKey\"}}", i > 1 ? "," : "", i);
	fputs("]\n", f);
	fclose(f);
	char *argv[] = { (char *)dpsenroll, "bulk", "create", path, NULL };
	bool ok = run_quietly(argv, e->dir);
	unlink(path);
	if (!ok)
		fprintf(stderr, "tui_bench: dpsenroll bulk create of %d "
			"enrollments failed\n", n);
	return ok;
}

static bool
copy_tree(const char *from, const char *to)
{
	char *argv[] = { "/bin/cp", "-a", (char *)from, (char *)to, NULL };
	return run_quietly(argv, "/");
}

struct list_sample {
	double frame_ms;	/* start to the key bar */
	double rows_ms;		/* start to the first rows */
	double loaded_ms;	/* start to every enrollment listed */
	double echo_ms;		/* Down to the next row's line under the table */
	double settle_ms;
	double key_bytes;
	double cpu_us;
	double hwm_kib;
};

static bool
wait_for_absent(struct session *s, const char *text, double deadline)
{
	while (strstr(screen_text(s), text)) {
		if (now_ms() >= deadline || pump(s, ms_until(deadline)) < 0)
			return false;
	}
	return true;
}

static bool
list_loaded(struct session *s, int count, struct list_sample *out)
{
	char title[64];
	snprintf(title, sizeof(title), "Fleet list: %d enrollments", count);
	const char *const frame[] = { "F1 Help", NULL };
	const char *const first[] = { "fleet-000001 ", NULL };
	const char *const all[] = { title, NULL };
	double deadline = s->start_ms + LOAD_TIMEOUT_MS;
	if (!wait_for_markers(s, frame, deadline))
		return false;
	out->frame_ms = s->last_chunk_ms - s->start_ms;
	if (!wait_for_markers(s, first, deadline))
		return false;
	out->rows_ms = s->last_chunk_ms - s->start_ms;
	if (!wait_for_markers(s, all, deadline))
		return false;
	out->loaded_ms = s->last_chunk_ms - s->start_ms;
	return true;
}

/* Down, LIST_KEYS times: each key's echo is the line under the table
 * naming the next row. */
static bool
list_keys(struct session *s, struct list_sample *out)
{
	double echo[LIST_KEYS], settle[LIST_KEYS], bytes[LIST_KEYS];
	double cpu_before = read_cpu_ns(s->pid);
	for (int i = 0; i < LIST_KEYS; i++) {
		char want[32];
		snprintf(want, sizeof(want), " fleet-%06d: ", i + 2);
		const char *const marker[] = { want, NULL };
		size_t before = s->bytes;
		double t0 = now_ms();
		/* the key xterm sends in keypad mode, which curses asks for */
		if (write(s->fd, "\033OB", 3) != 3 ||
		    !wait_for_markers(s, marker, t0 + ECHO_TIMEOUT_MS)) {
			show_screen(s, "the fleet list", "a Down key never showed");
			return false;
		}
		echo[i] = s->last_chunk_ms - t0;
		drain_until_quiet(s, KEY_QUIET_MS, t0 + ECHO_TIMEOUT_MS);
		settle[i] = s->last_chunk_ms - t0;
		bytes[i] = (double)(s->bytes - before);
	}
	out->echo_ms = median(echo, LIST_KEYS);
	out->settle_ms = median(settle, LIST_KEYS);
	out->key_bytes = median(bytes, LIST_KEYS);
	out->cpu_us = (read_cpu_ns(s->pid) - cpu_before) / 1e3 / LIST_KEYS;
	return true;
}

static char *list_argv[] = { NULL, "tui", "--list", NULL };

/* One run of the list on the running dpsemu of `rows` enrollments; the
 * keys only when `keys` (every state read first). */
static bool
measure_list(int count, bool keys, struct list_sample *out)
{
	const struct program p = { "the fleet list", list_argv, NULL, "", "",
				   true };
	char home[] = "/tmp/tui-bench-home-XXXXXX";
	if (!mkdtemp(home))
		return false;
	struct session s;
	bool ok = spawn(&s, &p, home) && list_loaded(&s, count, out);
	if (ok)
		out->hwm_kib = read_hwm_kib(s.pid);
	if (ok && keys)
		ok = wait_for_absent(&s, "states:", now_ms() + LOAD_TIMEOUT_MS) &&
		     list_keys(&s, out);
	if (!ok && !s.ended)
		show_screen(&s, "the fleet list", "it did not list them all");
	stop(&s);
	remove_tree(home);
	return ok;
}


static double
list_median(const struct list_sample *v, int n, size_t offset)
{
	double *x = malloc((size_t)n * sizeof(*x));
	if (!x)
		abort();
	for (int i = 0; i < n; i++)
		memcpy(&x[i], (const char *)&v[i] + offset, sizeof(double));
	double m = median(x, (size_t)n);
	free(x);
	return m;
}

#define LIST_MEDIAN(v, n, member) \
	list_median(v, n, offsetof(struct list_sample, member))

static void
report_list_keys(const struct list_sample *list, const struct sample *dialog,
		 int runs)
{
	double mine = LIST_MEDIAN(list, runs, echo_ms);
	double theirs = summarize(dialog, runs,
				  offsetof(struct sample, echo_ms)).median;
	double ratio = theirs > 0 ? mine / theirs : 0;
	double their_cpu = summarize(dialog, runs,
				     offsetof(struct sample, cpu_us)).median;
	printf("\nThe fleet list (dpsenroll tui --list) on dpsemu with %d "
	       "enrollments, every state read,\nmeasured in the same runs: "
	       "Down, %d times; its echo is the line under the table\nnaming "
	       "the next row. Against dialog's key echo above.\n\n", LIST_ROWS,
	       LIST_KEYS);
	printf("%-28s %12s %12s %7s  %-8s\n", "metric", "list", "dialog",
	       "ratio", "target");
	printf("%-28s %12.3f %12.3f %7.2f  %-8s %s\n", "key to redraw (ms)",
	       mine, theirs, ratio, "<= 1.0x",
	       ratio <= 1.0 ? "meets target" : "misses target");
	printf("%-28s %12.3f\n", "  key to quiet screen (ms)",
	       LIST_MEDIAN(list, runs, settle_ms));
	printf("%-28s %12.0f\n", "  output bytes per key",
	       LIST_MEDIAN(list, runs, key_bytes));
	printf("%-28s %12.1f %12.1f %7.2f\n", "  CPU time per key (us)",
	       LIST_MEDIAN(list, runs, cpu_us), their_cpu,
	       their_cpu > 0 ? LIST_MEDIAN(list, runs, cpu_us) / their_cpu : 0);
	printf("%-28s %12.0f\n", "  peak RSS (KiB)",
	       LIST_MEDIAN(list, runs, hwm_kib));
}

/* Beside this program: build/bench/list-100000-data. */
static char *
xcache_path(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	size_t dir = slash ? (size_t)(slash - argv0) : 1;
	char *p = malloc(dir + 64);
	if (!p)
		abort();
	snprintf(p, dir + 64, "%.*s/list-%d-data", (int)dir,
		 slash ? argv0 : ".", BIG_ROWS);
	return p;
}

static bool
start_small_emu(struct emu *e, const char *dpsemu, const char *dpsenroll)
{
	snprintf(e->dir, sizeof(e->dir), "/tmp/tui-bench-emu-XXXXXX");
	if (!mkdtemp(e->dir))
		return false;
	if (emu_start(e, dpsemu) && emu_fill(e, dpsenroll, LIST_ROWS))
		return true;
	emu_stop(e);
	remove_tree(e->dir);
	return false;
}

/* The data folder of a dpsemu holding BIG_ROWS enrollments, filled the
 * first time and kept at `cache`. */
static bool
big_data(const char *cache, const char *dpsemu, const char *dpsenroll)
{
	char marker[600];
	snprintf(marker, sizeof(marker), "%s/filled", cache);
	if (access(marker, F_OK) == 0)
		return true;
	printf("Filling a dpsemu with %d enrollments (once; kept in %s)...\n",
	       BIG_ROWS, cache);
	fflush(stdout);
	struct emu e = { 0 };
	snprintf(e.dir, sizeof(e.dir), "/tmp/tui-bench-emu-XXXXXX");
	if (!mkdtemp(e.dir))
		return false;
	bool ok = emu_start(&e, dpsemu) && emu_fill(&e, dpsenroll, BIG_ROWS);
	emu_stop(&e);
	remove_tree(cache);
	ok = ok && copy_tree(e.dir, cache);
	remove_tree(e.dir);
	FILE *f = ok ? fopen(marker, "w") : NULL;
	if (f)
		fclose(f);
	return f != NULL;
}

enum { BIG_RUNS = 3 };

static void
report_big(const struct list_sample *v, int n)
{
	double frame = LIST_MEDIAN(v, n, frame_ms);
	double first = LIST_MEDIAN(v, n, rows_ms);
	double hwm = LIST_MEDIAN(v, n, hwm_kib);
	printf("\nThe fleet list on %d enrollments (median of %d runs; states "
	       "not waited for):\n", BIG_ROWS, n);
	printf("%-40s %12.3f\n", "start to the first frame (ms)", frame);
	printf("%-40s %12.3f\n", "start to the first rows (ms)", first);
	printf("%-40s %12.3f  <= 100 ms  %s\n", "first frame to the first rows (ms)",
	       first - frame, first - frame <= 100 ? "meets target"
						   : "misses target");
	printf("    (connecting, the first page of 100 asked and answered, and\n"
	       "    drawn: the first page's answer to the first screen is "
	       "less)\n");
	printf("%-40s %12.3f\n", "start to all of them listed (ms)",
	       LIST_MEDIAN(v, n, loaded_ms));
	printf("%-40s %12.0f  <= 65536 KiB  %s\n", "peak RSS, all listed (KiB)",
	       hwm, hwm <= 65536 ? "meets target" : "misses target");
}

static void
run_big(const char *dpsemu, const char *dpsenroll, const char *cache)
{
	struct list_sample v[BIG_RUNS];
	if (!big_data(cache, dpsemu, dpsenroll)) {
		fprintf(stderr, "tui_bench: no dpsemu of %d enrollments\n",
			BIG_ROWS);
		return;
	}
	for (int i = 0; i < BIG_RUNS; i++) {
		struct emu e = { 0 };
		char from[600];
		snprintf(e.dir, sizeof(e.dir), "/tmp/tui-bench-emu-XXXXXX");
		snprintf(from, sizeof(from), "%s/.", cache);
		bool ok = mkdtemp(e.dir) && copy_tree(from, e.dir) &&
			  emu_start(&e, dpsemu) &&
			  measure_list(BIG_ROWS, false, &v[i]);
		emu_stop(&e);
		remove_tree(e.dir);
		if (!ok)
			return;
	}
	report_big(v, BIG_RUNS);
}

/* The form, dialog and (with `list`) the fleet list, interleaved. */
static bool
run_all(const struct program *ps, struct sample *mine, struct sample *theirs,
	struct list_sample *list, int runs)
{
	struct sample warm;
	struct list_sample warm_list;
	if (!measure(&ps[0], &warm) || !measure(&ps[1], &warm) ||
	    (list && !measure_list(LIST_ROWS, true, &warm_list)))
		return false;
	for (int i = 0; i < runs; i++)
		if (!measure(&ps[0], &mine[i]) || !measure(&ps[1], &theirs[i]) ||
		    (list && !measure_list(LIST_ROWS, true, &list[i])))
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
		  "run make first, or set DPSENROLL", false },
		{ "dialog", dialog_argv, dialog_markers, "",
		  "'make deps' as root installs it (or apt-get install dialog)",
		  false },
	};
	if (!programs_present(ps, 2))
		return EXIT_CANNOT_RUN;
	signal(SIGPIPE, SIG_IGN);
	struct sample *mine = calloc((size_t)runs, sizeof(*mine));
	struct sample *theirs = calloc((size_t)runs, sizeof(*theirs));
	if (!mine || !theirs)
		abort();
	/* the fleet list needs a DPS: without DPSEMU only the form runs */
	const char *dpsemu = getenv("DPSEMU");
	struct emu small = { 0 };
	list_argv[0] = dpsenroll_argv[0];
	bool with_list = dpsemu && start_small_emu(&small, dpsemu,
						   dpsenroll_argv[0]);
	struct list_sample *list = calloc((size_t)runs, sizeof(*list));
	if (!list)
		abort();
	print_header(runs);
	fflush(stdout);
	double load_before = load_average();
	bool ok = run_all(ps, mine, theirs, with_list ? list : NULL, runs);
	if (ok)
		report(mine, theirs, runs, load_before);
	if (ok && with_list)
		report_list_keys(list, theirs, runs);
	fflush(stdout);
	if (with_list) {
		emu_stop(&small);
		remove_tree(small.dir);
	}
	if (ok && with_list) {
		char *cache = xcache_path(argv[0]);
		run_big(dpsemu, dpsenroll_argv[0], cache);
		free(cache);
	}
	free(list);
	free(mine);
	free(theirs);
	return ok ? EXIT_SUCCESS : EXIT_CANNOT_RUN;
}
