#!/usr/bin/env bash
# While a submit is on its way the summary line says so: "submitting", the
# id, the seconds gone by (counting up) and "(Esc cancels)". dpsemu holds
# the one PUT back 2.5 s; then the answer is HTTP 200.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-spin-01
SUMMARY=$((E2E_ROWS - 1))

start_tui
wait_for_text "new enrollment"
wait_for_focus "Registration ID"
keys Enter
type_text "$ID"
keys Enter
wait_for_regex "^▶ Registration ID +✓ $ID\$"
focus_field "Attestation type"
keys Enter
wait_for_text "─ Attestation type "
type_text s
keys Enter
wait_for_no_text "─ Attestation type "
wait_for_text "✓ ready to submit"

emu_fault "delay=2500,count=1,method=PUT"
keys F2
wait_for_line "$SUMMARY" "(Esc cancels)" 2
_summary_matches() {
	screen_line "$SUMMARY" | grep -qE -- "$1"
}
wait_until 2 "the summary line shows no 'submitting $ID 0.Ns'" \
	_summary_matches "submitting $ID 0\.[0-9]s \(Esc cancels\)"
wait_until 3 "the elapsed time on the summary line did not reach 1.Ns or 2.Ns" \
	_summary_matches "submitting $ID [12]\.[0-9]s \(Esc cancels\)"
wait_for_text "HTTP 200 OK" 5
wait_for_text "Submitted $ID"
assert_eq "$(cli get "$ID" | json_get registrationId)" "$ID" "registrationId stored"
