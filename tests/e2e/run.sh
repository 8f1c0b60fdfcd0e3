#!/usr/bin/env bash
# Runs every tests/e2e/test_*.sh (or the ones named: run.sh help resize),
# each in its own process, E2E_JOBS at a time (default: one per core).
# Prints "ok NAME", "skip NAME (reason)" or "FAIL NAME" followed by what the
# test printed (its last screen) as each one ends, and last the line
# "N passed, N failed, N skipped". Exits 1 when any test failed.
#
# A test that cannot run here (it needs root, or a free port 443) prints
# its reason on the last line and exits with E2E_SKIP (77); it counts as
# skipped, never as passed.
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
# A test that hangs past this is stopped (its EXIT trap still cleans up).
PER_TEST_LIMIT=${E2E_TEST_LIMIT:-90}
E2E_SKIP=77
JOBS=${E2E_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
[ "$JOBS" -ge 1 ] 2>/dev/null || JOBS=1

tests=()
if [ $# -gt 0 ]; then
	for name in "$@"; do
		name=${name%.sh}
		name=${name#test_}
		tests+=("$E2E_DIR/test_$name.sh")
	done
else
	tests=("$E2E_DIR"/test_*.sh)
fi

OUT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dpse2e-run.XXXXXX") || exit 1
declare -A pid_of=() started=()
# An interrupted run stops the tests still going (timeout passes the
# signal on, and each test's EXIT trap cleans up after it).
cleanup() {
	local i
	for i in "${!pid_of[@]}"; do
		kill -TERM "${pid_of[$i]}" 2>/dev/null
	done
	wait
	rm -rf "$OUT_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

passed=0
failed=0
skipped=0

# report INDEX STATUS: prints the result of a finished test and counts it.
report() {
	local i=$1 rc=$2 t=${tests[$1]} name ms out
	name=$(basename "$t" .sh)
	name=${name#test_}
	ms=0
	[ -n "${started[$i]:-}" ] && ms=$(( $(now_ms) - started[$i] ))
	out=$(cat "$OUT_DIR/$i.out" 2>/dev/null)
	if [ "$rc" -eq 0 ]; then
		echo "ok $name ($ms ms)"
		passed=$((passed + 1))
	elif [ "$rc" -eq "$E2E_SKIP" ]; then
		local why
		why=$(printf '%s\n' "$out" | grep -v '^$' | tail -n 1)
		why=${why#\# }
		echo "skip $name (${why#skipped: })"
		skipped=$((skipped + 1))
	else
		[ "$rc" -eq 124 ] && out="$out"$'\n'"stopped after ${PER_TEST_LIMIT}s"
		echo "FAIL $name ($ms ms)"
		printf '%s\n' "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}

# Starts test INDEX in the background.
launch() {
	local i=$1
	started[$i]=$(now_ms)
	timeout -k 5 "$PER_TEST_LIMIT" bash "${tests[$i]}" >"$OUT_DIR/$i.out" 2>&1 </dev/null &
	pid_of[$i]=$!
}

# Waits for any running test to end and reports it.
reap() {
	local pid rc i
	wait -n -p pid
	rc=$?
	if [ -z "$pid" ]; then
		# Interrupted by a signal; or, should the shell have lost
		# track of them, no children left to wait for.
		[ "$rc" -eq 127 ] || return
		for i in "${!pid_of[@]}"; do
			unset "pid_of[$i]"
			report "$i" 1
		done
		return
	fi
	for i in "${!pid_of[@]}"; do
		if [ "${pid_of[$i]}" = "$pid" ]; then
			unset "pid_of[$i]"
			report "$i" "$rc"
			return
		fi
	done
}

start=$(now_ms)
for i in "${!tests[@]}"; do
	if [ ! -f "${tests[$i]}" ]; then
		printf 'no such test: %s\n' "${tests[$i]}" >"$OUT_DIR/$i.out"
		report "$i" 1
		continue
	fi
	while [ "${#pid_of[@]}" -ge "$JOBS" ]; do
		reap
	done
	launch "$i"
done
while [ "${#pid_of[@]}" -gt 0 ]; do
	reap
done

total_ms=$(( $(now_ms) - start ))
echo "# $((passed + failed + skipped)) tests in $((total_ms / 1000)).$(printf '%03d' $((total_ms % 1000))) s, $JOBS at a time"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
