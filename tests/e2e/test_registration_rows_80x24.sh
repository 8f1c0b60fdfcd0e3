#!/usr/bin/env bash
# On the smallest screen the form supports (80x24), the registration state
# of an assigned device sits at the bottom of the form. End takes the
# focus to its last row and brings the rows above it into view: the
# device's status and assigned hub must be readable.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-small-reg-01
cat >"$E2E_TMP/enrollment.json" <<JSON
{
  "registrationId": "$ID",
  "attestation": { "type": "symmetricKey" }
}
JSON
cli put "$E2E_TMP/enrollment.json" >/dev/null 2>&1 || fail "dpsenroll put of the fixture failed"
state=$(emu_admin POST "/admin/registrations/$ID")
assert_eq "$(json_get status <<<"$state")" assigned "status of the simulated registration"
HUB=$(json_get assignedHub <<<"$state")
[ -n "$HUB" ] || fail "the simulated registration has no assigned hub: $state"

E2E_COLS=80
E2E_ROWS=24
start_tui
assert_eq "$(tm display -p -t "$E2E_SESSION" '#{pane_width}x#{pane_height}')" 80x24 "pane size"
wait_for_text "new enrollment"
keys F5
wait_for_text "Load an enrollment"
type_text "$ID"
keys Enter
wait_for_text "Loaded $ID"
# Loading is done when no request is running any more.
wait_for_no_text "(Esc cancels)"
wait_for_line 1 "device: assigned to"

keys End
wait_for_focus "Registration ETag"
wait_for_regex "^ +Status +assigned\$"
wait_for_regex "^ +Assigned hub +$HUB\$"
wait_for_line 24 "F1 Help"
