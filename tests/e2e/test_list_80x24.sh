#!/usr/bin/env bash
# The fleet list on the smallest screen (80x24): the columns that do not
# fit are dropped in the stated order (last updated, device id,
# attestation) and the title says which; the registration id, the
# provisioning and registration statuses and the hub stay readable, and a
# failed row's error is whole on the line under the table. Wider, the
# columns come back (all of them at 150 columns).
. "$(dirname "$0")/lib.sh"
e2e_setup
fleet_fixture 40
HUB=$(cli regstate fleet-0001 | json_get assignedHub)

E2E_COLS=80
E2E_ROWS=24
start_list
assert_eq "$(tm display -p -t "$E2E_SESSION" '#{pane_width}x#{pane_height}')" 80x24 "pane size"
wait_for_text "40 enrollments"
wait_for_line 1 "hidden: Last updated, Device ID, Attestation"
wait_for_regex "^ +Registration ID ▲ +Provisioning +Registration +Assigned hub"
wait_for_row fleet-0001 "enabled +assigned +$HUB\$"
wait_for_row fleet-0010 "enabled +failed"
# 19 rows of the table between the headings and the detail line
wait_for_line 21 "fleet-0019"
keys g
type_text fleet-0010
keys Enter
wait_for_line 22 "fleet-0010: registration failed, error 401002: device certificate not"
# the key bar fits
wait_for_line 24 "F1 Help  Enter Open  / Filter  Space Mark  e Enable  d Disable  Esc Form"

resize 100 30
wait_for_line 1 "hidden: Last updated, Device ID"
wait_for_regex "^ +Registration ID ▲ +Attestation +Provisioning"
resize 150 30
wait_for_regex "^ +Registration ID ▲ +Device ID +Attestation +Provisioning +Registration +Assigned hub +Last updated"
wait_for_no_text "hidden:"
wait_for_regex "fleet-0001 +dev-0001 +symmetricKey +enabled +assigned +$HUB +20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}"
