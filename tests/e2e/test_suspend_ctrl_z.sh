#!/usr/bin/env bash
# A technician started dpsenroll from their shell and needs the shell for
# a moment. Ctrl-Z gives the terminal back as it was (typed commands echo
# and run), with the draft holding every key typed, also those that came
# with the Ctrl-Z; fg brings the form back whole with the half-typed id,
# drawn for the window's size even if it changed meanwhile, and the
# typing goes on where it stopped; the fleet list suspends the same way,
# and so does a kill -TSTP from elsewhere. Where no shell could bring it
# back (start_tui runs it under bash -c), Ctrl-Z says so and it stays.
. "$(dirname "$0")/lib.sh"
e2e_setup

# A shell with job control, as at a bench.
start_shell() {
	E2E_SESSIONS=$((E2E_SESSIONS + 1))
	E2E_SESSION="shell$E2E_SESSIONS"
	tm -f "$E2E_TMP/tmux.conf" new-session -d -s "$E2E_SESSION" \
		-x "$E2E_COLS" -y "$E2E_ROWS" -c "$E2E_TMP" -- \
		env PS1='bench$ ' bash --norc --noprofile -i \
		|| fail "tmux new-session failed"
	wait_for_text 'bench$'
}

# Runs a command at the shell and waits for its output line.
at_shell() {
	type_text "$1"
	keys Enter
	wait_for_regex "^$2\$"
}

# _stopped N: the shell has said N times that the job stopped, and shows
# its prompt after the last.
_stopped() {
	local s
	s=$(screen) || return 1
	[ "$(grep -cE '^\[1\]\+ +Stopped +.*dpsenroll' <<<"$s")" = "$1" ] &&
		grep -A 1 -E 'Stopped +.*dpsenroll' <<<"$s" | tail -n 1 |
		grep -qE '^bench\$ ?$'
}

wait_for_stopped() {
	wait_until "$E2E_TIMEOUT" "dpsenroll was not stopped at the shell ($1)" \
		_stopped "$1"
}

back_with_fg() {
	type_text fg
	keys Enter
	wait_for_text "F1 Help"
}

# No job control: nothing could type fg, so the program stays and says so.
start_tui
wait_for_focus "Registration ID"
keys C-z
wait_for_text "Ctrl-Z: dpsenroll stays"
keys Enter
type_text "still-here"
wait_for_regex "^▶ Registration ID +✓ still-here\$"
keys Escape C-k
wait_for_regex "^▶ Registration ID +✗ \(required\)\$"

start_shell
type_text "'$DPSENROLL' tui"
keys Enter
wait_for_text "F1 Help"
wait_for_focus "Registration ID"
keys Enter
type_text "rack-7"
wait_for_regex "^▶ Registration ID +✓ rack-7\$"

# the last key comes in with the Ctrl-Z
keys a C-z
wait_for_stopped 1
pid=$(tui_pid) || fail "no dpsenroll process in the pane"
draft_holds registrationId rack-7a "$pid" ||
	fail "the draft of the stopped program does not hold rack-7a"
# the terminal is the shell's again: what is typed echoes and runs
at_shell "echo typed at the shell" "typed at the shell"

back_with_fg
wait_for_regex "^▶ Registration ID +✓ rack-7a\$"
wait_for_text "new enrollment (changed)"
type_text "b"
wait_for_regex "^▶ Registration ID +✓ rack-7ab\$"

# From elsewhere, as a job control shell or a script would; the window
# is made smaller while the program is stopped.
kill -TSTP "$pid"
wait_for_stopped 2
resize 90 26
back_with_fg
wait_for_line 26 "F1 Help"
type_text "c"
wait_for_regex "^▶ Registration ID +✓ rack-7abc\$"

# The fleet list suspends the same way and comes back on its rows.
keys Enter
keys F11
wait_for_text "Fleet list"
keys C-z
wait_for_stopped 3
back_with_fg
wait_for_text "Fleet list"
keys Escape
wait_for_regex "^▶ Registration ID +✓ rack-7abc\$"
