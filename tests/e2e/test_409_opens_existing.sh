#!/usr/bin/env bash
# A create of an id that is already enrolled (made beforehand with
# `dpsenroll put`) answers 409; the window offers to open the existing
# enrollment, and y loads it into the form for editing.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-exists-409
cat >"$E2E_TMP/existing.json" <<JSON
{
  "registrationId": "$ID",
  "deviceId": "$ID-device",
  "attestation": { "type": "symmetricKey" }
}
JSON
cli put "$E2E_TMP/existing.json" >/dev/null 2>&1 || fail "dpsenroll put of the fixture failed"

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
wait_for_regex "Attestation type +✓ symmetricKey\$"
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
