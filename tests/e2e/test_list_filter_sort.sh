#!/usr/bin/env bash
# The fleet list's typed filter narrows the rows as it is typed (status,
# id), Enter keeps it and Esc while typing clears it; s sorts by the next
# column and S reverses the order, the heading showing which; the cursor
# stays on its row through both.
. "$(dirname "$0")/lib.sh"
e2e_setup
fleet_fixture 300

start_list
wait_for_text "300 enrollments"
wait_for_no_text "states:"

keys /
wait_for_text "Filter:"
type_text failed
wait_for_text "30 of 300 shown"
wait_for_row fleet-0010 "failed"
wait_for_row fleet-0020 "failed"
assert_eq "$(list_row fleet-0001)" "" "fleet-0001 (assigned) is shown by the filter 'failed'"
keys Enter
wait_for_text "filter: failed"
# the filter words all have to match: a failed one among 0100..0199
keys /
type_text " fleet-01"
wait_for_text "10 of 300 shown"
wait_for_row fleet-0100 "failed"
assert_eq "$(list_row fleet-0010)" "" "fleet-0010 is shown by 'failed fleet-01'"
keys Escape
wait_for_text "300 enrollments"
# the cursor stayed on its row, now among all of them
wait_for_regex "fleet-0100: registration failed"
keys Home
wait_for_row fleet-0001 "assigned"

# sorting: the cursor stays on fleet-0003 wherever it goes
keys Down Down
wait_for_regex "fleet-0003: unassigned"
keys S
wait_for_text "Registration ID ▼"
wait_for_regex "fleet-0003: unassigned"
wait_for_line 28 "fleet-0003"
keys Home
wait_for_line 3 "fleet-0300"
wait_for_line 4 "fleet-0299"
# the hidden device id column sorts too (dev-0001 first)
keys s
wait_for_text "Sorted by Device ID"
keys Home
wait_for_line 3 "fleet-0001"
# by registration status: assigned rows first, then failed, unassigned
keys s s s
wait_for_text "Registration ▲"
keys Home
wait_for_line 3 "assigned"
keys S
wait_for_text "Registration ▼"
keys Home
wait_for_line 3 "unassigned"
