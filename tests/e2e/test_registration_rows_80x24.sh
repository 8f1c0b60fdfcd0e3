#!/usr/bin/env bash
# On the smallest screen the form supports (80x24), the registration state
# of an assigned device sits at the bottom of the form. End takes the
# focus to its last row and brings the rows above it into view: the
# device's status and assigned hub must be readable.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-small-reg-01
put_fixture <<JSON
{
  "registrationId": "$ID",
  "attestation": { "type": "symmetricKey" }
}
JSON
register_device "$ID"

E2E_COLS=80
E2E_ROWS=24
start_tui
assert_eq "$(tm display -p -t "$E2E_SESSION" '#{pane_width}x#{pane_height}')" 80x24 "pane size"
wait_for_text "new enrollment"
load_in_form "$ID"
wait_for_text "Loaded $ID"
wait_for_line 1 "device: assigned to"

keys End
wait_for_focus "Registration ETag"
wait_for_regex "^ +Status +assigned\$"
wait_for_regex "^ +Assigned hub +$E2E_HUB\$"
wait_for_line 24 "F1 Help"
