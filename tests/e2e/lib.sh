# Helpers for the tmux end-to-end tests. A test sources this file, calls
# e2e_setup, starts the TUI with start_tui and drives it with keys, checking
# what is on screen. Every test gets its own tmux server, dpsemu, HOME and
# XDG folders; e2e_cleanup (an EXIT trap) removes all of it, also when the
# test fails or is interrupted.
#
# The connection string reaches the TUI through the environment of the tmux
# server (exported before the server starts), never through a command line
# or a file of our own: it only ever lives in dpsemu's data folder.

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_ROOT=$(cd "$E2E_DIR/../.." && pwd)
DPSENROLL=${DPSENROLL:-$E2E_ROOT/build/dpsenroll}
DPSEMU=${DPSEMU:-$E2E_ROOT/build/dpsemu}
# Default bound for every wait, in seconds.
E2E_TIMEOUT=${E2E_TIMEOUT:-10}
E2E_COLS=100
E2E_ROWS=30

E2E_TMP=
E2E_SOCK=
E2E_SESSION=
E2E_SESSIONS=0
EMU_PID=
EMU_PORT=
EMU_URL=
EMU_DATA=
EMU_LOG=
# Set once the failure message and screen have been printed.
E2E_REPORTED=

# ---------------------------------------------------------------- basics

now_us() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		local t=${EPOCHREALTIME/[.,]/}
		echo "$t"
	else
		echo $(( $(date +%s%N) / 1000 ))
	fi
}

# "2" or "0.5" seconds as microseconds.
seconds_to_us() {
	local s=$1 int frac
	int=${s%%.*}
	if [ "$int" = "$s" ]; then
		frac=0
	else
		frac=${s#*.}000000
		frac=${frac:0:6}
	fi
	echo $(( ${int:-0} * 1000000 + 10#$frac ))
}

tm() {
	tmux -L "$E2E_SOCK" "$@"
}

# The visible screen as text (trailing blanks trimmed by tmux).
screen() {
	[ -n "$E2E_SESSION" ] || return 1
	tm capture-pane -p -t "$E2E_SESSION" 2>/dev/null
}

# The visible screen with its SGR escape sequences.
screen_escapes() {
	tm capture-pane -p -e -t "$E2E_SESSION" 2>/dev/null
}

# Line N (1-based) of the screen.
screen_line() {
	screen | sed -n "${1}p"
}

show_screen() {
	echo "--- screen (${E2E_SESSION:-no session}) ---"
	if [ -n "$E2E_SESSION" ] && tm has-session -t "$E2E_SESSION" 2>/dev/null; then
		local size
		size=$(tm display -p -t "$E2E_SESSION" '#{pane_width}x#{pane_height}, cursor #{cursor_x},#{cursor_y}' 2>/dev/null)
		echo "($size)"
		screen | cat -n
		if [ "$(tm display -p -t "$E2E_SESSION" '#{pane_dead}' 2>/dev/null)" = 1 ]; then
			echo "--- the program has ended; the pane's last lines, history included ---"
			pane_history | grep -v '^$' | tail -n 15
		fi
	else
		echo "(no tmux session)"
	fi
	echo "--- end of screen ---"
	if [ -n "$EMU_LOG" ] && [ -s "$EMU_LOG" ]; then
		echo "--- dpsemu log (last 10 lines) ---"
		tail -n 10 "$EMU_LOG"
	fi
}

# Standard error, so a failure inside a call whose output is thrown away
# is still seen.
fail() {
	{
		echo "FAIL: $*"
		show_screen
	} >&2
	E2E_REPORTED=1
	exit 1
}

note() {
	echo "# $*"
}

# ---------------------------------------------------------------- set-up

e2e_cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	# Helpers a test started itself (a proxy, say): stopped first.
	[ -z "$E2E_STOP_PIDS" ] || kill $E2E_STOP_PIDS 2>/dev/null
	if [ "$rc" -ne 0 ] && [ -z "$E2E_REPORTED" ]; then
		{
			echo "FAIL: test ended with status $rc"
			show_screen
		} >&2
	fi
	if [ -n "$E2E_SOCK" ]; then
		local sock_path
		sock_path=$(tmux -L "$E2E_SOCK" display -p '#{socket_path}' 2>/dev/null)
		[ -n "$sock_path" ] || sock_path="${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$E2E_SOCK"
		tmux -L "$E2E_SOCK" kill-server >/dev/null 2>&1
		# tmux leaves its socket file behind.
		case "$sock_path" in
		*/"$E2E_SOCK") rm -f "$sock_path" ;;
		esac
	fi
	if [ -n "$EMU_PID" ] && kill -0 "$EMU_PID" 2>/dev/null; then
		kill -TERM "$EMU_PID" 2>/dev/null
		local deadline=$(( $(now_us) + 5000000 ))
		while kill -0 "$EMU_PID" 2>/dev/null && [ "$(now_us)" -lt "$deadline" ]; do
			sleep 0.05
		done
		if kill -0 "$EMU_PID" 2>/dev/null; then
			echo "dpsemu did not stop on SIGTERM; killing it" >&2
			kill -KILL "$EMU_PID" 2>/dev/null
		fi
		wait "$EMU_PID" 2>/dev/null
	fi
	if [ -n "$E2E_TMP" ] && [ -d "$E2E_TMP" ]; then
		rm -rf "$E2E_TMP"
	fi
	exit "$rc"
}

# A terminal type tmux offers inside the pane that this machine knows.
pick_term() {
	local t
	for t in tmux-256color screen-256color; do
		if infocmp "$t" >/dev/null 2>&1; then
			echo "$t"
			return
		fi
	done
	echo screen-256color
}

# Temp folders, a private environment, a fresh dpsemu and the tmux config.
e2e_setup() {
	trap e2e_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP

	local tool
	for tool in tmux perl; do
		command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; E2E_REPORTED=1; exit 1; }
	done
	[ -x "$DPSENROLL" ] || { echo "FAIL: no dpsenroll at $DPSENROLL (run make)"; E2E_REPORTED=1; exit 1; }
	[ -x "$DPSEMU" ] || { echo "FAIL: no dpsemu at $DPSEMU (run make)"; E2E_REPORTED=1; exit 1; }

	E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/dpse2e.XXXXXX") || exit 1
	E2E_SOCK="dpse2e-$$-${RANDOM}${RANDOM}"

	# Nothing from the person running the tests may leak in: their
	# config, their themes, their NO_COLOR, their tmux.
	unset TMUX TMUX_PANE NO_COLOR DPSENROLL_THEME_DIR DPS_CONNECTION_STRING \
	      DPSENROLL_CACERT COLORTERM
	unset LC_ALL LC_CTYPE LC_MESSAGES LC_COLLATE LC_NUMERIC LANGUAGE
	export LANG=C.UTF-8
	export HOME="$E2E_TMP/home"
	export XDG_CONFIG_HOME="$HOME/.config"
	export XDG_STATE_HOME="$HOME/.local/state"
	export XDG_CACHE_HOME="$HOME/.cache"
	mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"

	start_emulator

	cat >"$E2E_TMP/tmux.conf" <<-EOF
		set -g default-terminal $(pick_term)
		set -g status off
		set -g remain-on-exit on
		set -g history-limit 100
	EOF
}

# start_emulator [--listen ADDR:PORT] [ARGS...]: dpsemu on a fresh data
# folder (a free loopback port unless told), its connection string and CA
# exported for the tmux server and the CLI alike. It runs without a rate
# limit (--throttle 0) unless ARGS give one.
start_emulator() {
	local listen=127.0.0.1:0
	if [ "${1:-}" = --listen ]; then
		listen=$2
		shift 2
	fi
	EMU_DATA="$E2E_TMP/emu"
	EMU_LOG="$E2E_TMP/dpsemu.log"
	rm -rf "$EMU_DATA"
	# A restart must not read the last emulator's "listening" line before
	# the new one has truncated the file.
	rm -f "$E2E_TMP/dpsemu.out"
	"$DPSEMU" --data "$EMU_DATA" --listen "$listen" --throttle 0 "$@" \
		>"$E2E_TMP/dpsemu.out" 2>"$EMU_LOG" &
	EMU_PID=$!
	local deadline=$(( $(now_us) + $(seconds_to_us "$E2E_TIMEOUT") ))
	while ! grep -q '^listening on https://' "$E2E_TMP/dpsemu.out" 2>/dev/null; do
		if ! kill -0 "$EMU_PID" 2>/dev/null; then
			EMU_PID=
			fail "dpsemu $* exited before listening: $(cat "$EMU_LOG")"
		fi
		[ "$(now_us)" -lt "$deadline" ] || fail "dpsemu $* did not print 'listening on' within ${E2E_TIMEOUT}s"
		sleep 0.05
	done
	EMU_URL=$(sed -n 's/^listening on \(https:\/\/[^ ]*\).*/\1/p' "$E2E_TMP/dpsemu.out" | head -n 1)
	EMU_PORT=${EMU_URL##*:}
	[ -s "$EMU_DATA/connection-string" ] || fail "dpsemu wrote no connection-string"
	DPS_CONNECTION_STRING=$(cat "$EMU_DATA/connection-string")
	export DPS_CONNECTION_STRING
	export DPSENROLL_CACERT="$EMU_DATA/ca.pem"
}

# ---------------------------------------------------------------- tmux

# start_tui [-e NAME=VALUE]... [--] [ARGS...]
# Runs `dpsenroll ARGS` in a new 100x30 tmux session (replacing the one
# before) and waits for the key bar. When the program ends the pane stays
# and shows "EXITED <status>".
start_tui() {
	local envs=()
	while [ "${1:-}" = -e ]; do
		envs+=(-e "$2")
		shift 2
	done
	[ "${1:-}" = -- ] && shift
	local old=$E2E_SESSION
	E2E_SESSIONS=$((E2E_SESSIONS + 1))
	E2E_SESSION="tui$E2E_SESSIONS"
	tm -f "$E2E_TMP/tmux.conf" new-session -d -s "$E2E_SESSION" \
		-x "$E2E_COLS" -y "$E2E_ROWS" -c "$E2E_TMP" "${envs[@]}" -- \
		bash -c '"$0" "$@"; echo "EXITED $?"' "$DPSENROLL" "$@" \
		|| fail "tmux new-session failed"
	if [ -n "$old" ]; then
		tm kill-session -t "$old" 2>/dev/null
	fi
	if [ -n "${E2E_KEY_BAR_TEXT:-}" ]; then
		wait_for_text "$E2E_KEY_BAR_TEXT"
	else
		# the key bar, whoever's keys it names (a window that opens
		# at start, such as the drafts offered, names its own)
		wait_until "$E2E_TIMEOUT" "no key bar on the last line" _bar_drawn
	fi
}

_bar_drawn() {
	[ -n "$(screen_line "$E2E_ROWS")" ]
}

# Keys by tmux name (Enter, Escape, Down, F2, C-u...).
keys() {
	tm send-keys -t "$E2E_SESSION" "$@" || fail "send-keys $* failed"
}

# Text typed as it is.
type_text() {
	tm send-keys -t "$E2E_SESSION" -l -- "$1" || fail "send-keys -l failed"
}

resize() {
	tm resize-window -t "$E2E_SESSION" -x "$1" -y "$2" || fail "resize-window $1x$2 failed"
}

# ---------------------------------------------------------------- waiting

# wait_until TIMEOUT DESCRIPTION COMMAND...: polls COMMAND every 50 ms.
wait_until() {
	local timeout=$1 what=$2
	shift 2
	local deadline=$(( $(now_us) + $(seconds_to_us "$timeout") ))
	while :; do
		"$@" && return 0
		[ "$(now_us)" -lt "$deadline" ] || fail "$what (waited ${timeout}s)"
		sleep 0.05
	done
}

_has_text() {
	screen | grep -qF -- "$1"
}

_lacks_text() {
	local s
	s=$(screen) || return 1
	! grep -qF -- "$1" <<<"$s"
}

_has_regex() {
	screen | grep -qE -- "$1"
}

_line_has() {
	screen_line "$1" | grep -qF -- "$2"
}

_line_matches() {
	screen_line "$1" | grep -qE -- "$2"
}

wait_for_text() {
	wait_until "${2:-$E2E_TIMEOUT}" "text '$1' not on screen" _has_text "$1"
}

wait_for_no_text() {
	wait_until "${2:-$E2E_TIMEOUT}" "text '$1' still on screen" _lacks_text "$1"
}

# An extended regular expression somewhere on the screen.
wait_for_regex() {
	wait_until "${2:-$E2E_TIMEOUT}" "nothing on screen matches /$1/" _has_regex "$1"
}

# wait_for_line N TEXT [TIMEOUT]: screen line N contains TEXT.
wait_for_line() {
	wait_until "${3:-$E2E_TIMEOUT}" "line $1 does not contain '$2'" _line_has "$1" "$2"
}

# The row with the focus marker: "▶" in column 1, then the label after
# the indent and any fold arrow.
focused_row() {
	screen | grep -m 1 '^▶'
}

_focus_is() {
	local row label=$1
	row=$(focused_row) || return 1
	row=${row#▶}
	row="${row#"${row%%[! ]*}"}"
	row=${row#▾ }
	row=${row#▸ }
	[ "${row#"$label"}" != "$row" ] || return 1
	local rest=${row#"$label"}
	# "Attestation" must not match "Attestation type".
	[ -z "$rest" ] || [ "${rest:0:2}" = "  " ]
}

wait_for_focus() {
	wait_until "${2:-$E2E_TIMEOUT}" "focus is not on '$1'" _focus_is "$1"
}

# The message line under the focused row.
message_under_focus() {
	screen | grep -A 1 -m 1 '^▶' | sed -n 2p
}

# The field row whose label is LABEL (first match), as shown.
field_row() {
	screen | grep -m 1 -E "^[▶ ] *(▾ |▸ )?$1(  |$)"
}

_screen_differs() {
	local now
	now=$(screen) || return 1
	[ "$now" != "$1" ]
}

# Moves the focus down, field by field as a person would, until LABEL has
# it. Each press waits for the screen to change.
focus_field() {
	_focus_walk Down "$1"
}

# The pane's text from the start of its history: what the shell printed
# after the program may have scrolled off the visible screen.
pane_history() {
	tm capture-pane -p -S - -E - -t "$E2E_SESSION" 2>/dev/null
}

_exited() {
	pane_history | grep -qE '^EXITED [0-9]+'
}

# Waits for the program in the pane to end; its exit status is left in
# E2E_EXIT_STATUS.
wait_for_exit() {
	wait_until "${1:-$E2E_TIMEOUT}" "the program did not end (no EXITED line)" _exited
	E2E_EXIT_STATUS=$(pane_history | sed -n 's/^EXITED \([0-9]*\).*/\1/p' | tail -n 1)
}

# ---------------------------------------------------------------- checks

assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-values differ}: expected '$2', got '$1'"
}

assert_ne() {
	[ "$1" != "$2" ] || fail "${3:-values are equal}: both are '$1'"
}

assert_contains() {
	case "$1" in
	*"$2"*) ;;
	*) fail "${3:-missing text}: '$2' not in '$1'" ;;
	esac
}

assert_screen_lacks() {
	local s
	s=$(screen)
	grep -qF -- "$1" <<<"$s" && fail "${2:-unexpected text on screen}: '$1'"
	return 0
}

# Colour in SGR sequences read on standard input: prints what it found
# ("fg 38;5;231" or "bg 44") and succeeds, or fails when there is none.
# KIND is fg, bg or any.
find_colour_sgr() {
	perl -e '
		my $kind = shift;
		local $/;
		my $s = <STDIN>;
		while ($s =~ /\e\[([0-9;:]*)m/g) {
			my @p = split /[;:]/, $1;
			for (my $i = 0; $i < @p; $i++) {
				my $v = $p[$i] eq "" ? 0 : $p[$i];
				my $what;
				if ($v == 38 || $v == 48) {
					my $n = ($p[$i + 1] // "") eq "5" ? 2 : 4;
					$what = ($v == 38 ? "fg " : "bg ") . join(";", @p[$i .. $i + $n]);
					$i += $n;
				} elsif (($v >= 30 && $v <= 37) || ($v >= 90 && $v <= 97)) {
					$what = "fg $v";
				} elsif (($v >= 40 && $v <= 47) || ($v >= 100 && $v <= 107)) {
					$what = "bg $v";
				}
				next unless defined $what;
				next if $kind ne "any" && index($what, $kind) != 0;
				print "$what\n";
				exit 0;
			}
		}
		exit 1;
	' "${1:-any}"
}

# ---------------------------------------------------------------- CLI, dpsemu

# dpsenroll's commands, outside the TUI, against this test's dpsemu.
cli() {
	"$DPSENROLL" "$@"
}

# A member of the JSON object on standard input, by dotted path
# ("attestation.type"); empty when absent.
json_get() {
	perl -MJSON::PP -e '
		local $/;
		my $j = JSON::PP->new->decode(<STDIN>);
		my $v = $j;
		for my $k (split /\./, shift) { $v = ref $v eq "HASH" ? $v->{$k} : undef; }
		print defined $v ? $v : "";
	' "$1"
}

# emu_admin METHOD PATH [BODY]: an admin request to dpsemu; prints the body.
# The admin token goes from DATA/admin-token into a header through a pipe
# (printf is a shell builtin), never into a process's arguments.
emu_admin() {
	local method=$1 path=$2 body=${3:-} token
	token=$(<"$EMU_DATA/admin-token") || fail "dpsemu wrote no admin-token"
	if command -v curl >/dev/null; then
		curl -sS --fail --cacert "$EMU_DATA/ca.pem" -X "$method" \
			-H @<(printf 'x-dpsemu-admin-token: %s\n' "$token") \
			${body:+--data "$body"} "$EMU_URL$path" \
			|| fail "dpsemu admin $method $path failed"
		return
	fi
	# openssl is a build dependency; curl may not be installed.
	local reply
	reply=$(printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nx-dpsemu-admin-token: %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
		"$method" "$path" "$EMU_PORT" "$token" "${#body}" "$body" |
		openssl s_client -quiet -verify_return_error \
			-CAfile "$EMU_DATA/ca.pem" -connect "127.0.0.1:$EMU_PORT" 2>/dev/null)
	case "$reply" in
	"HTTP/1.1 2"*) printf '%s\n' "${reply#*$'\r\n\r\n'}" ;;
	*) fail "dpsemu admin $method $path failed: ${reply%%$'\r'*}" ;;
	esac
}

emu_fault() {
	emu_admin POST /admin/faults "$1" >/dev/null
}

emu_clear_faults() {
	emu_admin DELETE /admin/faults >/dev/null
}

# How many lines of dpsemu's request log match an extended regex.
emu_log_count() {
	grep -cE -- "$1" "$EMU_LOG"
}

# ---------------------------------------------------------------- file browser

# The names listed in the open file browser, one a line, as shown
# ("../", "emu/", "cert.pem"): read from the column of its top-left corner,
# so the form's text around the window never counts.
browser_names() {
	screen | perl -CSD -Mutf8 -ne '
		if (!defined $col) {
			if (/┌─ Open a file: /) { $col = $-[0]; }
			next;
		}
		last if substr($_, $col, 1) eq "└";
		my $inner = substr($_, $col + 1);
		$inner =~ s/│.*//s;
		$inner =~ s/^ +| +$//g;
		print "$inner\n" if length $inner;
	' | grep -v '^Enter: open or choose'
}

_browser_lists() {
	browser_names | grep -qxF -- "$1"
}

# The highlighted row is drawn in other colours than the frame, so an SGR
# sequence follows its left border; the other rows go on unstyled.
_browser_selected() {
	screen_escapes | perl -CSD -Mutf8 -e '
		my $name = shift;
		while (<STDIN>) {
			exit 0 if /│(?:\e\[[0-9;]*m)+ \Q$name\E +(?:\e\[[0-9;]*m)*│/;
		}
		exit 1;
	' "$1"
}

# browser_choose NAME: in the open file browser, moves down to NAME (a
# file or "folder/") as a person would and presses Enter.
browser_choose() {
	local name=$1 pos i
	wait_for_text "┌─ Open a file: "
	wait_until 2 "'$name' is not listed in the file browser" \
		_browser_lists "$name"
	pos=$(browser_names | grep -nxF -- "$name" | cut -d: -f1)
	for ((i = 1; i < pos; i++)); do keys Down; done
	wait_until 2 "'$name' is not highlighted in the file browser" \
		_browser_selected "$name"
	keys Enter
	wait_for_no_text "┌─ Open a file: "
}

# ---------------------------------------------------------------- processes

# The processes whose parent is $1, read from /proc.
children_of() {
	local stat rest fields
	for stat in /proc/[0-9]*/stat; do
		{ read -r rest <"$stat"; } 2>/dev/null || continue
		# After the command name, which may hold spaces: state, ppid, ...
		read -r -a fields <<<"${rest##*) }"
		if [ "${fields[1]}" = "$1" ]; then
			stat=${stat#/proc/}
			echo "${stat%/stat}"
		fi
	done
}

# The process id of the program running in the pane (the pane's shell
# is its parent).
tui_pid() {
	local shell_pid pid
	shell_pid=$(tm display -p -t "$E2E_SESSION" '#{pane_pid}' 2>/dev/null) || return 1
	# /proc rather than pgrep: procps is not on a minimal Debian. The
	# command name, not /proc/PID/exe: dpsenroll is not dumpable, so
	# only root may read its exe link.
	for pid in $(children_of "$shell_pid"); do
		if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$(basename "$DPSENROLL")" ]; then
			echo "$pid"
			return 0
		fi
	done
	return 1
}

# ---------------------------------------------------------------- drafts

# The folder of the drafts: NAME.json, one for each form, and NAME.lock,
# which the running form holds and which notes its process id.
draft_dir() {
	echo "$XDG_STATE_HOME/dpsenroll/drafts"
}

# draft_file [PID]: where the form of process PID (default: the one in
# the pane) keeps its draft, found by the note in its lock file; with no
# such process, the newest draft. The path may not exist yet.
draft_file() {
	local dir pid lock newest
	dir=$(draft_dir)
	pid=${1:-$(tui_pid 2>/dev/null)}
	if [ -n "$pid" ]; then
		lock=$(grep -l "\"pid\":$pid," "$dir"/*.lock 2>/dev/null | head -n 1)
		[ -n "$lock" ] && { echo "${lock%.lock}.json"; return; }
	fi
	newest=$(ls -t "$dir"/*.json 2>/dev/null | head -n 1)
	echo "${newest:-$dir/none.json}"
}

# How many drafts there are (running forms' and unclaimed ones).
draft_count() {
	local dir
	dir=$(draft_dir)
	find "$dir" -maxdepth 1 -name '*.json' 2>/dev/null | wc -l
}

# draft_holds PATH TEXT [PID]: the draft (of PID, see draft_file) keeps
# TEXT for the field at PATH (the draft's fields are keyed by the whole
# dotted path). Only a yes or no comes out: the draft holds keys, and a
# failure must never print them.
draft_holds() {
	local draft
	draft=$(draft_file "${3:-}")
	[ -f "$draft" ] && perl -MJSON::PP -e '
		local $/;
		open my $fh, "<", $ARGV[0] or exit 1;
		my $j = eval { decode_json(<$fh>) } or exit 1;
		exit(($j->{fields}{$ARGV[1]} // "") eq $ARGV[2] ? 0 : 1);
	' "$draft" "$1" "$2"
}

# ---------------------------------------------------------------- dpsemu options

# restart_emulator [--listen ADDR:PORT] [ARGS...]: stops this test's dpsemu
# (SIGTERM) and starts a fresh one on an empty data folder with ARGS
# (e.g. --linked-hubs a,b); the connection string and CA are exported
# again. e2e_cleanup stops it like the first one.
restart_emulator() {
	if [ -n "$EMU_PID" ] && kill -0 "$EMU_PID" 2>/dev/null; then
		kill -TERM "$EMU_PID" 2>/dev/null
		wait "$EMU_PID" 2>/dev/null
	fi
	EMU_PID=
	start_emulator "$@"
}

# ---------------------------------------------------------------- stored keys

# stored_keys_digest ID: a digest of the symmetric keys dpsemu holds for
# ID, read with `dpsenroll keys`; fails when it has none. Only the digest
# comes out, so a failure never prints a key.
stored_keys_digest() {
	cli keys "$1" 2>/dev/null | perl -MJSON::PP -MDigest::SHA=sha256_hex -e '
		local $/; my $j = eval { decode_json(<STDIN>) } or exit 1;
		my $k = $j->{symmetricKey} // {};
		exit 1 unless $k->{primaryKey} && $k->{secondaryKey};
		print sha256_hex($k->{primaryKey} . "/" . $k->{secondaryKey});'
}

_log_count_is() {
	[ "$(emu_log_count "$1")" -eq "$2" ]
}

# wait_for_log_count REGEX N: dpsemu's request log comes to hold N lines
# matching REGEX (a line is written once the answer has gone out).
wait_for_log_count() {
	wait_until "${3:-$E2E_TIMEOUT}" "dpsemu's log does not hold $2 lines matching /$1/ (it holds $(emu_log_count "$1"))" \
		_log_count_is "$1" "$2"
}

# load_in_form ID: F5, the id (over the one offered), Enter; waits until
# the enrollment and its keys have been read (no request running any more).
load_in_form() {
	request_load "$1"
	wait_for_text "editing $1"
	wait_for_no_text "(Esc cancels)"
}

# ---------------------------------------------------------------- several forms

# start_tui_beside [start_tui's arguments]: like start_tui, but the form
# started before keeps running (two windows on one HOME). E2E_SESSION is
# then the new one; use_tui SESSION switches where keys and screen go.
start_tui_beside() {
	E2E_SESSION=
	start_tui "$@"
}

use_tui() {
	E2E_SESSION=$1
}

_pane_dead() {
	[ "$(tm display -p -t "$E2E_SESSION" '#{pane_dead}' 2>/dev/null)" = 1 ]
}

# kill_tui: SIGKILL to the form in the pane (no handler runs: nothing is
# saved or let go on the way out), then waits for the pane to end. The
# killed form leaves the terminal raw, so its EXITED line may not start a
# line: the pane's end is what is waited for.
kill_tui() {
	local pid
	pid=$(tui_pid) || fail "no dpsenroll process in the pane"
	kill -KILL "$pid" || fail "kill -KILL $pid failed"
	wait_until "$E2E_TIMEOUT" "the killed program's pane did not end" _pane_dead
}

# ---------------------------------------------------------------- private keys

# pem_body_lines FILE: the base64 lines inside FILE's PEM blocks (the
# short last line of a block left out, so nothing matches by chance).
pem_body_lines() {
	grep -E '^[A-Za-z0-9+/=]{16,}$' "$1"
}

# files_hold_lines_of PEM FILE...: some base64 line of PEM's blocks is in
# one of the FILEs, read as bytes (a database, a draft, a journal). The
# lines reach grep through a pipe, never as arguments: they may be a
# private key's.
files_hold_lines_of() {
	local pem=$1
	shift
	pem_body_lines "$pem" | grep -aqFf - -- "$@" 2>/dev/null
}

# dpsemu's database files as they are on disk: what it stored, whatever
# its API shows.
emu_store_files() {
	local f
	for f in "$EMU_DATA/dpsemu.db" "$EMU_DATA/dpsemu.db-wal"; do
		[ -f "$f" ] && echo "$f"
	done
}

# draft_holds_file PATH FILE: the draft keeps exactly FILE's content for
# the field at PATH. Only a yes or no comes out.
draft_holds_file() {
	local draft
	draft=$(draft_file)
	[ -f "$draft" ] && perl -MJSON::PP -e '
		local $/;
		open my $fh, "<", $ARGV[0] or exit 1;
		my $j = eval { decode_json(<$fh>) } or exit 1;
		open my $want, "<", $ARGV[2] or exit 1;
		my $w = <$want>;
		exit(($j->{fields}{$ARGV[1]} // "") eq $w ? 0 : 1);
	' "$draft" "$1" "$2"
}

# ---------------------------------------------------------------- rows and windows

# Moves the focus up, field by field as a person would, until LABEL has
# it (rows near the end of the form, after End).
focus_field_up() {
	_focus_walk Up "$1" " going up"
}

# The lines inside the open window titled TITLE, one a line, trimmed:
# read from the column of its top-left corner, so the form around it
# never counts. A long value wraps; join the lines to read it whole.
window_lines() {
	screen | perl -CSD -Mutf8 -ne '
		BEGIN { $title = shift; }
		if (!defined $col) {
			if (/┌─ \Q$title\E /) { $col = $-[0]; }
			next;
		}
		last if substr($_, $col, 1) eq "└";
		my $inner = substr($_, $col + 1);
		$inner =~ s/│.*//s;
		$inner =~ s/^ +| +$//g;
		print "$inner\n";
	' "$1"
}

# ---------------------------------------------------------------- skipping

# The exit status run.sh counts as "skipped": for a test that cannot run
# here (no root, a port taken), never for one that failed.
E2E_SKIP=77

# skip REASON: ends the test as skipped; run.sh shows the reason.
skip() {
	echo "skipped: $*"
	E2E_REPORTED=1
	exit "$E2E_SKIP"
}

# ---------------------------------------------------------------- filling the form

# _focus_walk KEY LABEL [HOW]: presses KEY (Down or Up), field by field
# as a person would, until LABEL has the focus; each press waits for the
# screen to change. HOW ends the message of a focus that never gets there.
_focus_walk() {
	local key=$1 label=$2 how=${3:-} presses=0 before
	while ! _focus_is "$label"; do
		[ "$presses" -lt 80 ] || fail "focus never reached '$label'$how"
		before=$(screen)
		keys "$key"
		wait_until 2 "$key did not move the focus (looking for '$label')" \
			_screen_differs "$before"
		presses=$((presses + 1))
	done
}

# set_field LABEL TEXT: moves the focus down to LABEL (focus_field), and
# there Enter, Ctrl-U (whatever the field held goes), TEXT, Enter; waits
# for the focused row to show TEXT as valid ("▶ LABEL  ✓ TEXT").
set_field() {
	focus_field "$1"
	keys Enter C-u
	type_text "$2"
	keys Enter
	wait_for_regex "^▶ $1 +✓ $2\$"
}

# choose_attestation TYPE: in the attestation type picker (opened with
# Enter on the field, which the focus moves down to), TYPE chosen by its
# first letter and Enter; waits for the picker to open, then to close,
# and for the field to show TYPE as valid.
choose_attestation() {
	focus_field "Attestation type"
	keys Enter
	wait_for_text "─ Attestation type "
	type_text "${1:0:1}"
	keys Enter
	wait_for_no_text "─ Attestation type "
	wait_for_regex "Attestation type +✓ $1\$"
}

# fill_new_form ID [TYPE]: in the new form just started (or emptied with
# F7 and Home), waits for "new enrollment" and for the focus on
# Registration ID, types ID there (set_field) and, given TYPE, chooses it
# as the attestation type (choose_attestation).
fill_new_form() {
	wait_for_text "new enrollment"
	wait_for_focus "Registration ID"
	set_field "Registration ID" "$1"
	[ -z "${2:-}" ] || choose_attestation "$2"
}

# request_load ID: F5, and in the window it opens (waited for) ID over
# the id offered, Enter. Waits for nothing after: the caller waits for
# what the load should end in (the enrollment, or a window saying why
# not).
request_load() {
	keys F5
	wait_for_text "Load an enrollment"
	keys C-u
	type_text "$1"
	keys Enter
}

# paste_file FILE: FILE's text reaches the pane as a terminal pastes it:
# at once, each newline an Enter. Waits for nothing.
paste_file() {
	tm load-buffer -b e2e-paste "$1" || fail "tmux load-buffer failed"
	tm paste-buffer -d -b e2e-paste -t "$E2E_SESSION" || fail "tmux paste-buffer failed"
}

# restart_restoring_draft: quits the form, which has changes (F10, y to
# its question; waits for the question and for the program to end),
# starts it again and restores the draft it offers (waits for the offer,
# then y). Waits for nothing after the y.
restart_restoring_draft() {
	keys F10
	wait_for_text "┌─ Quit "
	keys y
	wait_for_exit
	start_tui
	wait_for_text "┌─ Unfinished enrollment "
	keys y
}

# ---------------------------------------------------------------- fixtures on dpsemu

# put_fixture: `dpsenroll put` of the enrollment JSON read on standard
# input; a failed put fails the test.
put_fixture() {
	cli put - >/dev/null 2>&1 || fail "dpsenroll put of the fixture failed"
}

# change_elsewhere ID PATH VALUE: someone else changes ID on the service:
# the stored enrollment as `dpsenroll get` prints it, with the member at
# the dotted PATH set to the string VALUE, put back with --force (its
# etag moves on; the keys stay).
change_elsewhere() {
	cli get "$1" | perl -MJSON::PP -e '
		local $/; my $j = decode_json(<STDIN>);
		my @path = split /\./, $ARGV[0];
		my $last = pop @path;
		my $v = $j;
		$v = $v->{$_} //= {} for @path;
		$v->{$last} = $ARGV[1];
		print encode_json($j);' "$2" "$3" |
		cli put --force - >/dev/null 2>&1 || fail "dpsenroll put --force failed"
}

# register_device ID: dpsemu's admin API registers ID's device (status
# assigned, which is checked); its hub is left in E2E_HUB.
register_device() {
	local state
	state=$(emu_admin POST "/admin/registrations/$1")
	assert_eq "$(json_get status <<<"$state")" assigned "status of the simulated registration"
	E2E_HUB=$(json_get assignedHub <<<"$state")
	[ -n "$E2E_HUB" ] || fail "the simulated registration has no assigned hub: $state"
}

# conflict_412_setup ID: a form whose next update meets 412. Puts the
# symmetric-key enrollment ID (device id ID, twin tag site bench-3),
# keeping the digest of its keys in E2E_KEYS_BEFORE; starts the form and
# loads ID (waits until it is loaded with its keys); sets its device id
# to ID-dev (waits for the row); then the twin tag site is changed to
# bench-7 elsewhere (change_elsewhere), so the form's etag is stale.
conflict_412_setup() {
	printf '{"registrationId":"%s","deviceId":"%s","attestation":{"type":"symmetricKey"},"initialTwin":{"tags":{"site":"bench-3"}}}' \
		"$1" "$1" | put_fixture
	E2E_KEYS_BEFORE=$(stored_keys_digest "$1") || fail "dpsenroll keys $1 gave no keys"
	start_tui
	wait_for_text "new enrollment"
	load_in_form "$1"
	wait_for_text "Loaded $1 with its keys"
	set_field "Device ID" "$1-dev"
	change_elsewhere "$1" initialTwin.tags.site bench-7
}

# ---------------------------------------------------------------- certificates and keys

# make_ca CN [OPTION...]: a bench CA (EC P-256, self-signed, 365 days,
# subject CN=CN) in $E2E_TMP/pki: ca.pem and ca.key. OPTIONs go to
# `openssl req` (-addext "keyUsage=...").
make_ca() {
	local cn=$1
	shift
	mkdir -p "$E2E_TMP/pki"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$E2E_TMP/pki/ca.key" -out "$E2E_TMP/pki/ca.pem" -days 365 \
		-subj "/CN=$cn" "$@" 2>/dev/null || fail "openssl could not make the CA"
}

# _device_csr CN CSR KEY: a new EC P-256 key in KEY and its request for
# CN=CN in CSR; the extensions of a device certificate (CA:FALSE,
# digitalSignature, clientAuth) in $E2E_TMP/pki/leaf.ext.
_device_csr() {
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$3" -out "$2" -subj "/CN=$1" 2>/dev/null \
		|| fail "openssl req for $1 failed"
	printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' \
		>"$E2E_TMP/pki/leaf.ext"
}

# make_device_cert CN CERT [KEY]: a device certificate (90 days) for
# CN=CN in CERT, signed by the CA of make_ca; its private key in KEY
# (default: in $E2E_TMP/pki, named after CERT, as its request is).
make_device_cert() {
	local pki=$E2E_TMP/pki name
	name=$(basename "${2%.*}")
	_device_csr "$1" "$pki/$name.csr" "${3:-$pki/$name.key}"
	openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" \
		-CAcreateserial -days 90 -sha256 -extfile "$pki/leaf.ext" \
		-out "$2" 2>/dev/null || fail "openssl x509 -req for $1 failed"
}

# make_expired_device_cert CN CERT: as make_device_cert, but valid for
# one day in 2020 (2020-01-01 to 2020-01-02), and checked to be expired.
# openssl x509 takes -not_before from 3.4 on; openssl ca takes
# -startdate/-enddate in 3.0 too.
make_expired_device_cert() {
	local pki=$E2E_TMP/pki name
	name=$(basename "${2%.*}")
	_device_csr "$1" "$pki/$name.csr" "$pki/$name.key"
	if ! openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" \
		-CAcreateserial -sha256 -extfile "$pki/leaf.ext" \
		-not_before 20200101000000Z -not_after 20200102000000Z \
		-out "$2" 2>/dev/null; then
		mkdir -p "$pki/newcerts"
		: >"$pki/index.txt"
		echo 1000 >"$pki/serial"
		cat >"$pki/ca.cnf" <<-CNF
			[ ca ]
			default_ca = bench
			[ bench ]
			database = $pki/index.txt
			new_certs_dir = $pki/newcerts
			serial = $pki/serial
			default_md = sha256
			policy = anything
			[ anything ]
			commonName = supplied
		CNF
		openssl ca -config "$pki/ca.cnf" -batch -notext -cert "$pki/ca.pem" \
			-keyfile "$pki/ca.key" -extfile "$pki/leaf.ext" -in "$pki/$name.csr" \
			-startdate 20200101000000Z -enddate 20200102000000Z \
			-out "$2" 2>/dev/null || fail "openssl ca for the expired certificate failed"
	fi
	openssl x509 -in "$2" -noout -checkend 0 >/dev/null 2>&1 \
		&& fail "the certificate made to be expired is still valid"
	return 0
}

# make_self_signed_cert CN CERT KEY [OPTION...]: a self-signed
# certificate (EC P-256, 90 days, subject CN=CN) in CERT, its key in KEY.
# Without OPTIONs (for `openssl req`: -addext ...) it is what `openssl req
# -x509` makes by default, CA:TRUE included.
make_self_signed_cert() {
	local cn=$1 cert=$2 key=$3
	shift 3
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$key" -out "$cert" -days 90 -subj "/CN=$cn" "$@" \
		2>/dev/null || fail "openssl could not make $cert"
}

# cert_thumbprint FILE: the certificate's SHA-256 thumbprint as openssl
# reads it: upper-case hex without colons.
cert_thumbprint() {
	openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g'
}

# cert_expiry_day FILE: the day (UTC, YYYY-MM-DD) the certificate expires.
cert_expiry_day() {
	date -u -d "$(openssl x509 -in "$1" -noout -enddate | sed 's/notAfter=//')" +%Y-%m-%d
}

# make_rsa_public_key FILE: a new RSA-2048 public key in FILE (PEM), as
# an endorsement key comes off a bench.
make_rsa_public_key() {
	openssl genrsa 2048 2>/dev/null | openssl rsa -pubout -out "$1" 2>/dev/null \
		|| fail "openssl could not make the RSA public key"
}

# rsa_modulus FILE: the modulus of the RSA public key in FILE, in
# upper-case hex.
rsa_modulus() {
	openssl rsa -pubin -in "$1" -noout -modulus | sed 's/^Modulus=//'
}

# ---------------------------------------------------------------- file browser, more

# browser_lists NAME: waits (2 s at most) for NAME to be listed in the
# open file browser.
browser_lists() {
	wait_until 2 "'$1' is not listed in the file browser" _browser_lists "$1"
}

# browser_lacks NAME: NAME is not listed in the open file browser now
# (read once: call it after something that is listed has been waited for).
browser_lacks() {
	browser_names | grep -qxF -- "$1" && fail "'$1' is listed in the file browser"
	return 0
}

# wait_for_browser_in FOLDER: waits for the file browser to show FOLDER
# (its title).
wait_for_browser_in() {
	wait_for_regex "┌─ Open a file: $1 ─"
}

# browser_open_folder NAME FOLDER: in the open file browser, moves down to
# the folder NAME as a person would, presses Enter and waits to be in
# FOLDER.
browser_open_folder() {
	local pos i
	browser_lists "$1/"
	pos=$(browser_names | grep -nxF -- "$1/" | cut -d: -f1)
	for ((i = 1; i < pos; i++)); do keys Down; done
	wait_until 2 "'$1/' is not highlighted in the file browser" _browser_selected "$1/"
	keys Enter
	wait_for_browser_in "$2"
}

# ---------------------------------------------------------------- themes

# wait_for_empty_form: waits for what a theme paints first: the focus on
# Registration ID, the Identity group and the line of counts.
wait_for_empty_form() {
	wait_for_focus "Registration ID"
	wait_for_text "▾ Identity"
	wait_for_regex "^ [0-9]+ errors?, "
}

# screen_colour fg|bg|any: the first colour of that kind on the screen
# (find_colour_sgr); fails when there is none.
screen_colour() {
	screen_escapes | find_colour_sgr "$1"
}

# ---------------------------------------------------------------- the fleet list

# fleet_fixture COUNT: COUNT symmetric-key enrollments fleet-0001 ...
# (device ids dev-0001 ...) made with `dpsenroll bulk create`; then
# dpsemu's admin API registers some devices: every tenth (fleet-0010,
# fleet-0020 ...) fails with error 401002, and of the others every third
# one (fleet-0001, fleet-0004 ...) is assigned; the rest never registered.
fleet_fixture() {
	local count=$1 i id
	perl -e 'my $n = shift; print "[", join(",", map { sprintf(
		q({"registrationId":"fleet-%04d","deviceId":"dev-%04d","attestation":{"type":"symmetricKey"}}),
		$_, $_) } 1 .. $n), "]"' "$count" |
		cli bulk create - >/dev/null 2>&1 || fail "dpsenroll bulk create of $count enrollments failed"
	for ((i = 1; i <= count; i++)); do
		printf -v id 'fleet-%04d' "$i"
		if ((i % 10 == 0)); then
			emu_admin POST "/admin/registrations/$id" \
				'{"status":"failed","errorCode":401002,"errorMessage":"device certificate not trusted"}' >/dev/null
		elif ((i % 3 == 1)); then
			emu_admin POST "/admin/registrations/$id" >/dev/null
		fi
	done
}

# start_list [ARGS...]: `dpsenroll tui --list ARGS` in a new session, waiting
# for the list's key bar and its headings. The rate budget is raised
# (DPSENROLL_OPS_PER_MINUTE, unless the test set it) so that a few
# hundred states are read in a moment rather than in 20 s.
start_list() {
	start_tui -e "DPSENROLL_OPS_PER_MINUTE=${DPSENROLL_OPS_PER_MINUTE:-60000}" \
		tui --list "$@"
	wait_for_text "Registration ID"
}

# list_row ID: the screen line that shows registration id ID (empty when
# it is not on screen).
list_row() {
	screen | grep -E -- "(^| )$1( |\$)" | head -n 1
}

# wait_for_row ID REGEX: waits until ID's line on screen matches REGEX.
_row_matches() {
	list_row "$1" | grep -qE -- "$2"
}
wait_for_row() {
	wait_until "$E2E_TIMEOUT" "the row of $1 to match /$2/" _row_matches "$1" "$2"
}

# stored_status ID: the provisioning status dpsemu holds for ID.
stored_status() {
	cli get "$1" | json_get provisioningStatus
}

# ---------------------------------------------------------------- languages

# has_locale NAME: NAME (fr_FR.UTF-8) is installed; locale -a may spell
# it fr_FR.utf8.
has_locale() {
	local want=${1/UTF-8/utf8}
	locale -a 2>/dev/null | grep -qix -e "$1" -e "$want"
}

# need_locale NAME: skips the test, saying why, when NAME is missing
# (`make deps` makes fr_FR.UTF-8 as root). CI (CI set) never skips: there
# make deps has made it, and a missing locale fails the test.
need_locale() {
	has_locale "$1" && return 0
	[ -z "${CI:-}" ] || fail "the $1 locale is not installed, and CI must run this test (make deps as root makes it)"
	skip "the $1 locale is not installed (make deps as root makes it)"
}

# start_tui_lang LOCALE BAR [ARGS...]: start_tui with LANG=LOCALE, waiting
# for BAR (the key bar's first key in that language: "F1 Aide"); with BAR
# empty, for any bar (a window that opens at start names its own keys).
start_tui_lang() {
	local lang=$1 bar=$2
	shift 2
	E2E_KEY_BAR_TEXT=$bar start_tui -e "LANG=$lang" -- "$@"
}
