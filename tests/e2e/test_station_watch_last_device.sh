#!/usr/bin/env bash
# At a station the form is the next device's as soon as one is created:
# v (watch) or r (register) then says how to reach the device just
# created (load it with F5), not "submit the enrollment first", which
# it was; at 80x24 the whole hint fits. Letters on an open field are a
# scan's text at a station, so v and r are pressed on a locked field.
. "$(dirname "$0")/lib.sh"
e2e_setup

mkdir -p "$E2E_TMP/batch"
cat >"$E2E_TMP/batch/template.json" <<'JSON'
{ "attestation": { "type": "symmetricKey" }, "station": { "keysFolder": "keys" } }
JSON

E2E_COLS=80
E2E_ROWS=24
start_tui -- station --template "$E2E_TMP/batch/template.json"
wait_for_text " station  0 enrolled"
# a scan's letters are text, never keys of the form
type_text vr
wait_for_regex "Registration ID +. vr$"
keys C-u
# before any device, the usual hint
focus_field "Attestation type"
keys v
wait_for_text "Cannot watch: submit the enrollment (F2)"
focus_field_up "Registration ID"
type_text bench-000031
keys Enter
wait_for_text "bench-000031 ready: F2 creates it"
keys F2
wait_for_text "Created bench-000031 (1 this session)"
focus_field "Attestation type"
keys v
wait_for_text "To watch bench-000031 (created last), load it with F5"
keys r
wait_for_text "To register bench-000031 (created last), load it with F5"
assert_screen_lacks "submit the enrollment" "the device just created is said to need a submit"
# as told: loaded, it is watched
keys Escape
request_load bench-000031
wait_for_text "Loaded bench-000031"
keys v
wait_for_regex "waiting for bench-000031 to register \\(power it on\\)"
