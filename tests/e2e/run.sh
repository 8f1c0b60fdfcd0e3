#!/usr/bin/env bash
# Runs every tests/e2e/test_*.sh (or the ones named: run.sh help resize),
# one at a time, each in its own process. Prints "ok NAME" or "FAIL NAME"
# followed by what the test printed (its last screen), and last the line
# "N passed, N failed". Exits 1 when any test failed.
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
# A test that hangs past this is stopped (its EXIT trap still cleans up).
PER_TEST_LIMIT=${E2E_TEST_LIMIT:-90}

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

passed=0
failed=0
start=$(date +%s%N)
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	name=${name#test_}
	if [ ! -f "$t" ]; then
		echo "FAIL $name"
		echo "    no such test: $t"
		failed=$((failed + 1))
		continue
	fi
	t0=$(date +%s%N)
	out=$(timeout -k 5 "$PER_TEST_LIMIT" bash "$t" 2>&1 </dev/null)
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	if [ "$rc" -eq 0 ]; then
		echo "ok $name ($ms ms)"
		passed=$((passed + 1))
	else
		[ "$rc" -eq 124 ] && out="$out"$'\n'"stopped after ${PER_TEST_LIMIT}s"
		echo "FAIL $name ($ms ms)"
		printf '%s\n' "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
total_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "# $((passed + failed)) tests in $((total_ms / 1000)).$(printf '%03d' $((total_ms % 1000))) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
