#!/usr/bin/env bash
# When the service refuses, the answer window says so with the service's
# own fields: the HTTP status, errorCode, message, trackingId and the
# x-ms-error-code header, for a 500 injected in dpsemu on every try (so the
# retry gives up too). Then a create of an id that already exists.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-dup-001
printf '{"registrationId":"%s","attestation":{"type":"symmetricKey"}}' "$ID" | put_fixture

# One retry keeps the wait short and still shows the retry was made.
start_tui --retries 1
fill_new_form "$ID" symmetricKey
wait_for_text "✓ ready to submit"

emu_fault "status=500"
keys F2
wait_for_text "HTTP 500 Internal Server Error"
wait_for_regex "│ errorCode +500000 "
wait_for_regex "│ message +injected fault"
wait_for_regex "│ trackingId +[0-9a-f-]{36} "
wait_for_regex "│ x-ms-error-code +500000 "
wait_for_text "after 2 attempts"
wait_for_text "new enrollment"
tracking=$(screen | sed -nE 's/.*│ trackingId +([0-9a-f-]{36}) .*/\1/p')
[ "$(emu_log_count "^PUT /enrollments/$ID 500")" -eq 2 ] || fail "dpsemu did not log two PUTs answered 500"

# "r" shows the raw answer: the same tracking id as the window.
keys r
wait_for_text "Raw response"
wait_for_text "$tracking"
keys r
wait_for_text "HTTP 500 Internal Server Error"
keys Escape
wait_for_no_text "┌─ Submit "
# the status line still says it
wait_for_line $((E2E_ROWS - 1)) "Not submitted: HTTP 500 Internal Server Error (500000)"

emu_clear_faults
# A create of an id that exists: the 409 and its code are shown, and backing
# out leaves the form as typed, still a new enrollment.
keys F2
wait_for_text "HTTP 409"
wait_for_text "409201"
wait_until 2 "dpsemu did not log the PUT answered 409" \
	test "$(emu_log_count "^PUT /enrollments/$ID 409")" -eq 1
keys Escape
wait_for_no_text "┌─ Already enrolled "
wait_for_line $((E2E_ROWS - 1)) "Not submitted: HTTP 409 Conflict (409201)"
wait_for_text "new enrollment"
wait_for_regex "Registration ID +✓ $ID\$"
wait_for_regex "Attestation type +✓ symmetricKey\$"
