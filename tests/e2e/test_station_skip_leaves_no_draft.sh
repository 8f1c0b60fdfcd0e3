#!/usr/bin/env bash
# At a station, a device whose id is enrolled already is skipped: the
# next form must not offer to restore it as "an enrollment being edited
# and not submitted" (the service has it; there is nothing to restore).
. "$(dirname "$0")/lib.sh"
e2e_setup

mkdir -p "$E2E_TMP/batch"
cat >"$E2E_TMP/batch/template.json" <<'JSON'
{ "attestation": { "type": "symmetricKey" },
  "initialTwin": { "tags": { "line": "A" } } }
JSON
printf '{"registrationId":"bench-000009","attestation":{"type":"symmetricKey"}}' \
	>"$E2E_TMP/batch/existing.json"
out=$(cli put "$E2E_TMP/batch/existing.json" 2>&1) || fail "put: $out"

start_tui -- station --template "$E2E_TMP/batch/template.json"
wait_for_text " station  0 enrolled"
wait_for_focus "Registration ID"
type_text bench-000009
keys Enter
wait_for_text "bench-000009 ready: F2 creates it"
keys F2
wait_for_text "'bench-000009' is enrolled already"
keys n
wait_for_text "Skipped bench-000009 (already enrolled)"
keys F10
wait_for_exit
assert_eq "$E2E_EXIT_STATUS" 0 "exit status of the station"
assert_eq "$(draft_count)" 0 "drafts left after the skipped device"

start_tui
wait_for_text "new enrollment"
assert_screen_lacks "Unfinished enrollment" "the skipped device is offered as a draft"
assert_screen_lacks "bench-000009" "the skipped device is offered as a draft"
