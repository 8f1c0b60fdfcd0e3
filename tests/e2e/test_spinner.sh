#!/usr/bin/env bash
# While a submit is on its way the summary line says so: "submitting", the
# id, the seconds gone by (counting up) and "(Esc cancels)". dpsemu holds
# the one PUT back 2.5 s; then the answer is HTTP 200.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-spin-01
SUMMARY=$((E2E_ROWS - 1))

start_tui
fill_new_form "$ID" symmetricKey
wait_for_text "✓ ready to submit"

emu_fault "delay=2500,count=1,method=PUT"
keys F2
wait_for_line "$SUMMARY" "(Esc cancels)" 2
wait_until 2 "the summary line shows no 'submitting $ID 0.Ns'" \
	_line_matches "$SUMMARY" "submitting $ID 0\.[0-9]s \(Esc cancels\)"
wait_until 3 "the elapsed time on the summary line did not reach 1.Ns or 2.Ns" \
	_line_matches "$SUMMARY" "submitting $ID [12]\.[0-9]s \(Esc cancels\)"
wait_for_text "HTTP 200 OK" 5
wait_for_text "Submitted $ID"
assert_eq "$(cli get "$ID" | json_get registrationId)" "$ID" "registrationId stored"
