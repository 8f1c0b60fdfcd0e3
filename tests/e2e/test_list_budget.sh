#!/usr/bin/env bash
# Registration states share the session's rate budget: at 120 operations a
# minute the footer says they are held back by it and about how long the
# rest take; the rows on screen are read first (after a jump, the rows
# around it come before those scrolled past); and what the technician asks
# for (opening a row in the form) is not queued behind the states.
. "$(dirname "$0")/lib.sh"
e2e_setup
fleet_fixture 60

E2E_COLS=80
E2E_ROWS=24
DPSENROLL_OPS_PER_MINUTE=120 start_list
wait_for_text "60 enrollments"
keys g
type_text fleet-0045
keys Enter
wait_for_regex "fleet-0045: "
wait_for_regex "states: [0-9]+ of 60, held back by the rate budget \(120/min\): [0-9]+ s more"
# the rows on screen (fleet-0027 .. fleet-0045) before those above them
wait_until 30 "fleet-0045's state to be read" _row_matches fleet-0045 "unassigned"
wait_until 30 "fleet-0027's state to be read" _row_matches fleet-0027 "unassigned"
assert_eq "$(emu_log_count 'GET /registrations/fleet-0020 ')" 0 "reads of fleet-0020 (off screen) before the rows on screen were done"
# not one in flight twice
dups=$(grep -oE 'GET /registrations/fleet-[0-9]+ ' "$EMU_LOG" | sort | uniq -d)
assert_eq "$dups" "" "states read twice"

# the technician's own request goes ahead of the states still held back
keys Enter
wait_for_text "Loaded fleet-0045 with its keys"
keys l
wait_for_text "held back by the rate budget"
