#!/usr/bin/env bash
# A submit whose request is lost may have been applied: the form reads the
# enrollment back and says which. Not applied: F2 sends it again. Changed
# by someone else (another bench created the id meanwhile): look at it.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-lost-read-01
SUMMARY=$((E2E_ROWS - 1))

start_tui --retries 0
fill_new_form "$ID" symmetricKey
keys Home
wait_for_focus "Registration ID"
set_field "Device ID" dev-ours
wait_for_text "✓ ready to submit"

emu_fault "drop,count=1,method=PUT"
keys F2
wait_for_text "┌─ Submit "
wait_for_text "it may have been applied; read back: not applied"
keys Escape
wait_for_no_text "┌─ Submit "
wait_for_line "$SUMMARY" "Not submitted (answer lost); read back: not applied, F2 sends it again"
cli get "$ID" >/dev/null 2>&1 && fail "the enrollment exists although its PUT never reached the service"

# Someone else creates it; the next submit is lost too.
printf '{"registrationId":"%s","attestation":{"type":"symmetricKey"},"deviceId":"dev-theirs"}' \
	"$ID" >"$E2E_TMP/theirs.json"
cli put "$E2E_TMP/theirs.json" >/dev/null || fail "the other bench's create failed"
# (On the kept connection libcurl may resend the PUT by itself, which
# then meets 409: the window is "Already enrolled" then, saying the same.)
emu_fault "drop,count=1,method=PUT"
keys F2
wait_for_text "read back: changed by someone else"
wait_for_text "look at it"
assert_eq "$(cli get "$ID" | json_get deviceId)" dev-theirs "deviceId of the other bench's record"
keys Escape
wait_for_no_text "read back: changed by someone else"
wait_for_regex "Not (confirmed \(answer lost\); read back: changed by someone else, F5 loads it|submitted: HTTP 409 Conflict)"
