#!/usr/bin/env bash
# A create of an id that is already enrolled (made beforehand with
# `dpsenroll put`) answers 409; the window offers to open the existing
# enrollment, and y loads it into the form for editing.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-exists-409
put_fixture <<JSON
{
  "registrationId": "$ID",
  "deviceId": "$ID-device",
  "attestation": { "type": "symmetricKey" }
}
JSON

start_tui
fill_new_form "$ID" symmetricKey
wait_for_text "✓ ready to submit"

keys F2
wait_for_text "HTTP 409"
wait_for_text "Open the existing enrollment '$ID'"
wait_for_text "y: open it"
wait_until 2 "dpsemu did not log the PUT answered 409" \
	test "$(emu_log_count "^PUT /enrollments/$ID 409")" -eq 1

keys y
wait_for_no_text "y: open it"
wait_for_text "editing $ID"
wait_for_no_text "(Esc cancels)"
wait_for_regex "Device ID +✓ $ID-device\$"
assert_screen_lacks "new enrollment" "the form is still a new enrollment"
