#!/usr/bin/env bash
# A submit the service throttles (429 with Retry-After: 4) does not sit
# behind a bare spinner: the status line says "429 throttled by the
# service; retrying in N s (2 of 4)" and counts N down, then the retry goes
# through and the enrollment is stored.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-throttle-01
SUMMARY=$((E2E_ROWS - 1))

start_tui
fill_new_form "$ID" symmetricKey
wait_for_text "✓ ready to submit"

emu_fault "status=429,retry-after=4,count=1,method=PUT"
keys F2
throttled="429 throttled by the service; retrying in"
wait_until 3 "the status line does not say it is throttled, retrying in 4 or 3 s" \
	_line_matches "$SUMMARY" "$throttled [34] s \(2 of 4\); Esc cancels"
wait_until 3 "the countdown did not reach 2 s" \
	_line_matches "$SUMMARY" "$throttled 2 s \(2 of 4\)"
wait_until 3 "the countdown did not reach 1 s" \
	_line_matches "$SUMMARY" "$throttled 1 s \(2 of 4\)"
wait_for_text "HTTP 200 OK" 5
wait_for_text "after 2 attempts"
wait_for_line "$SUMMARY" "Submitted $ID"
assert_eq "$(emu_log_count "^PUT /enrollments/$ID 429")" 1 "PUTs answered 429"
assert_eq "$(cli get "$ID" | json_get registrationId)" "$ID" "registrationId stored"

# At 80x24 the countdown still fits on the status line, next to the
# counts (here during an update, after its review).
keys Escape
wait_for_no_text "HTTP 200 OK"
resize 80 24
SUMMARY=23
wait_for_line "$SUMMARY" "Submitted $ID"
keys Home
wait_for_focus "Registration ID"
set_field "Device ID" dev-throttled
emu_fault "status=429,retry-after=3,count=1,method=PUT"
keys F2
wait_for_text "Review the update"
keys y
wait_until 3 "the status line at 80 columns does not count the wait down" \
	_line_matches "$SUMMARY" "$throttled [1-3] s \(2 of 4\)"
wait_for_text "HTTP 200 OK" 5
assert_eq "$(cli get "$ID" | json_get deviceId)" dev-throttled "deviceId stored"
