#!/usr/bin/env bash
# The technician goes on typing while an update is on its way (a slow
# service: dpsemu holds the PUT for 3 s). The answer must not wipe what was
# typed meanwhile: the field keeps it, the form still counts as changed,
# the status says the text is kept and not sent, and the draft holding it
# stays. Only the text that left with the PUT is stored, and the next
# review shows the later edit against what the service answered.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-typing-01
put_fixture <<JSON
{
  "registrationId": "$ID",
  "deviceId": "$ID",
  "attestation": { "type": "symmetricKey" },
  "initialTwin": { "tags": { "site": "bench-3" } }
}
JSON

start_tui
wait_for_text "new enrollment"
load_in_form "$ID"
wait_for_text "Loaded $ID"

set_field "Device ID" "$ID-sent"

emu_fault "delay=3000,count=1,method=PUT"
keys F2
wait_for_text "Review the update"
wait_for_text "~ Device ID: $ID -> $ID-sent"
keys y
wait_for_no_text "Review the update"
wait_for_text "submitting $ID"

set_field "Device ID" "$ID-later"
# The draft is written half a second after typing stops, well inside the
# delay, so the answer meets a draft that holds the later text.
wait_until 2 "the draft never held the text typed during the submit" \
	draft_holds deviceId "$ID-later"
_has_text "(Esc cancels)" \
	|| fail "the submit ended before the edit made during it was done; the test proves nothing"

wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID; what you typed meanwhile is kept and not sent yet"
wait_for_regex "^▶ Device ID +✓ $ID-later\$"
wait_for_line 1 "editing $ID (changed)"
[ -f "$(draft_file)" ] || fail "the draft was deleted although the form holds text not sent"
draft_holds deviceId "$ID-later" || fail "the draft no longer holds the text typed during the submit"

stored=$(cli get "$ID") || fail "dpsenroll get $ID failed"
assert_eq "$(json_get deviceId <<<"$stored")" "$ID-sent" "deviceId stored (the text that left with the PUT)"
assert_eq "$(json_get initialTwin.tags.site <<<"$stored")" bench-3 "twin tag kept"

keys Escape
wait_for_no_text "HTTP 200 OK"
wait_for_regex "^▶ Device ID +✓ $ID-later\$"
wait_for_line 1 "editing $ID (changed)"

# What is left to send is the later edit alone, over the service's answer.
keys F2
wait_for_text "Review the update"
wait_for_text "1 change to the enrollment"
wait_for_text "~ Device ID: $ID-sent -> $ID-later"
keys n
wait_for_no_text "Review the update"
wait_for_regex "^▶ Device ID +✓ $ID-later\$"
[ "$(emu_log_count "^PUT /enrollments/$ID 200")" -eq 2 ] \
	|| fail "dpsemu did not log exactly two PUTs of $ID (the fixture and the submit)"
