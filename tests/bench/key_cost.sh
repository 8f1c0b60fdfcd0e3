#!/usr/bin/env bash
# The work a typed key costs, counted rather than timed: both programs run
# under callgrind in the same 100x30 tmux pane, type the same ids one
# key at a time (each key waited for on screen, so none are batched), and
# the instructions of a run with no keys are taken off. Unlike a time, the
# count does not move with the machine's load, so a change to the code
# shows even where the pty round trip hides it from the key echo figure.
#
# With DPSEMU set, the fleet list's Down key is counted too, on a dpsemu
# of 1000 enrollments whose states are all read: the counters are zeroed
# once the list is still and read back after the keys.
#
#   DPSENROLL=build/dpsenroll [DIALOG=dialog] [DPSEMU=build/dpsemu] tests/bench/key_cost.sh
set -uo pipefail
DPSENROLL=${DPSENROLL:-build/dpsenroll}
DPSEMU=${DPSEMU:-}
DIALOG=${DIALOG:-dialog}
TYPED=bench-device-0001-line-07-rack-b-slot-42
for tool in valgrind tmux "$DIALOG"; do
	command -v "$tool" >/dev/null || { echo "key_cost: $tool is missing (make bench installs it)"; exit 2; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/keycost.XXXXXX")
SOCK=keycost-$$
EMU_PID=
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; [ -z "$EMU_PID" ] || kill "$EMU_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
export LANG=C.UTF-8
unset DPS_CONNECTION_STRING

screen() { tmux -L "$SOCK" capture-pane -p -t k 2>/dev/null; }
wait_screen() {	# TEXT: up to 60 s (valgrind is slow to start)
	local i
	for ((i = 0; i < 1200; i++)); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	echo "key_cost: '$1' never showed on the screen of $CURRENT" >&2
	screen >&2
	return 1
}

# run NAME KEYS: total instructions of one run that types KEYS keys.
run() {
	local name=$1 keys=$2 out=$WORK/$1.$2.cg cmd ready open quit i
	CURRENT=$name
	# a home of its own: no draft of the run before is offered
	export HOME=$WORK/home-$name-$keys-${#TYPED}-$RANDOM
	mkdir -p "$HOME"
	if [ "$name" = dpsenroll ]; then
		cmd="$DPSENROLL"; ready="F10 Quit"; open=Enter; quit=F10
	else
		cmd="$DIALOG --form Enroll 20 70 10 'Registration ID:' 1 1 '' 1 20 44 128"
		ready="Registration ID:"; open=; quit=Escape
	fi
	echo "set -g remain-on-exit on" >"$WORK/tmux.conf"
	tmux -L "$SOCK" -f "$WORK/tmux.conf" new-session -d -s k -x 100 -y 30 \
		"valgrind --tool=callgrind --callgrind-out-file=$out $cmd 2>/dev/null" || return 1
	wait_screen "$ready" || return 1
	[ -z "$open" ] || tmux -L "$SOCK" send-keys -t k "$open"
	sleep 0.5
	for ((i = 0; i < keys; i++)); do
		tmux -L "$SOCK" send-keys -t k -l -- "${TYPED:$i:1}"
		wait_screen "${TYPED:0:$((i + 1))}" || return 1
	done
	tmux -L "$SOCK" send-keys -t k "$quit"
	# dpsenroll asks before it drops what was typed
	if [ "$name" = dpsenroll ] && [ "$keys" -gt 0 ]; then
		wait_screen "─ Quit " && tmux -L "$SOCK" send-keys -t k y
	fi
	for ((i = 0; i < 1200; i++)); do
		[ "$(tmux -L "$SOCK" display -p -t k '#{pane_dead}' 2>/dev/null)" = 1 ] && break
		sleep 0.05
	done
	tmux -L "$SOCK" kill-server 2>/dev/null
	sed -n 's/^summary: *//p;s/^totals: *//p' "$out" | head -n 1
}

per_key() {	# NAME NONE: instructions per key, NONE those of no keys
	local all
	all=$(run "$1" ${#TYPED}) || return 1
	echo $(( (all - $2) / ${#TYPED} ))
}

mine_none=$(run dpsenroll 0) && theirs_none=$(run dialog 0) || exit 1
printf 'Instructions per typed key (callgrind; each key waited for on screen;\n'
printf 'a run without keys taken off). The id with dashes flips live validation\n'
printf 'on every dash, which redraws the form; the other changes only the value.\n\n'
printf '%-40s %10s %10s %7s\n' "typed" dpsenroll dialog ratio
for TYPED in benchdevice0001line07rackbslot42 bench-device-0001-line-07-rack-b-slot-42; do
	mine=$(per_key dpsenroll "$mine_none") && theirs=$(per_key dialog "$theirs_none") || exit 1
	dialog_first=${dialog_first:-$theirs}
	printf '%-40s %10d %10d %7.2f\n' "$TYPED" "$mine" "$theirs" \
		"$(echo "$mine $theirs" | awk '{ printf "%.2f", $1 / $2 }')"
done

[ -n "$DPSEMU" ] || exit 0
for tool in callgrind_control python3; do
	command -v "$tool" >/dev/null || { echo "key_cost: $tool is missing"; exit 2; }
done

# A dpsemu of 1000 enrollments, on a port of its own.
start_emu() {
	local i
	mkdir -p "$WORK/emu"
	"$DPSEMU" --data "$WORK/emu" --listen 127.0.0.1:0 --throttle 0 >"$WORK/emu.out" 2>&1 &
	EMU_PID=$!
	for ((i = 0; i < 200; i++)); do
		grep -qs 'listening on' "$WORK/emu.out" && break
		sleep 0.05
	done
	export DPS_CONNECTION_STRING DPSENROLL_CACERT=$WORK/emu/ca.pem DPSENROLL_OPS_PER_MINUTE=0
	DPS_CONNECTION_STRING=$(cat "$WORK/emu/connection-string") || return 1
	python3 -c 'import json; print(json.dumps([{"registrationId": "fleet-%06d" % i, "attestation": {"type": "symmetricKey"}} for i in range(1, 1001)]))' >"$WORK/fill.json"
	"$DPSENROLL" bulk create "$WORK/fill.json" >/dev/null
}

# DOWNS Down keys, each waited for on the line under the table; prints
# the instructions they took.
list_downs() {
	local downs=$1 out=$WORK/list.cg i want
	CURRENT="the fleet list"
	export HOME=$WORK/home-list-$RANDOM
	mkdir -p "$HOME"
	tmux -L "$SOCK" -f "$WORK/tmux.conf" new-session -d -s k -x 100 -y 30 \
		"valgrind --tool=callgrind --callgrind-out-file=$out $DPSENROLL tui --list 2>/dev/null" || return 1
	wait_screen "Fleet list: 1000 enrollments" || return 1
	for ((i = 0; i < 1200; i++)); do
		screen | grep -q 'states:' || break
		sleep 0.05
	done
	sleep 0.5
	callgrind_control -z >/dev/null 2>&1
	for ((i = 0; i < downs; i++)); do
		want=$(printf ' fleet-%06d: ' $((i + 2)))
		tmux -L "$SOCK" send-keys -t k Down
		wait_screen "$want" || return 1
	done
	callgrind_control -d >/dev/null 2>&1
	for ((i = 0; i < 200; i++)); do
		[ -s "$out.1" ] && break
		sleep 0.05
	done
	tmux -L "$SOCK" kill-server 2>/dev/null
	sed -n 's/^summary: *//p;s/^totals: *//p' "$out.1" | head -n 1
}

start_emu || { echo "key_cost: dpsemu did not start or fill" >&2; exit 1; }
# 20 keys stay within the first screen of rows: no key scrolls the table
downs=20
list=$(list_downs $downs) || exit 1
per=$((list / downs))
printf '%-40s %10d %10d %7.2f\n' "Down on the fleet list (1000 rows)" "$per" "$dialog_first" \
	"$(echo "$per $dialog_first" | awk '{ printf "%.2f", $1 / $2 }')"
printf '\n(The fleet list: instructions per Down, counted from a still list to\n'
printf 'the last key; against dialog'"'"'s per key of the first id above. A Down repaints\n'
printf 'the cursor cells of two rows and the line under the table.)\n'
