#!/usr/bin/env bash
# Enter on a row of the fleet list opens its enrollment in the form, keys
# and registration state loaded as F5 does; l (or F11) in the form goes
# back to the list on the same row with the same filter. With changes in
# the form, Enter asks first. F11 opens the list from a form started on
# an enrollment (--load).
. "$(dirname "$0")/lib.sh"
e2e_setup
fleet_fixture 120

start_list
wait_for_text "120 enrollments"
keys /
type_text fleet-00
keys Enter
wait_for_text "99 of 120 shown"
keys g
type_text fleet-0043
keys Enter
wait_for_regex "fleet-0043: assigned to"
keys Enter
wait_for_text "editing fleet-0043"
wait_for_text "Loaded fleet-0043 with its keys"
wait_for_text "device: assigned to"
wait_for_regex "Device ID +✓ dev-0043"

# back: the same row, the same filter
keys l
wait_for_text "99 of 120 shown"
wait_for_text "filter: fleet-00"
wait_for_regex "fleet-0043: assigned to"

# with changes in the form, Enter asks before replacing them
keys Escape
wait_for_text "editing fleet-0043"
set_field "Device ID" "dev-0043-b"
wait_for_text "(changed)"
keys F11
wait_for_regex "fleet-0043: assigned to"
keys Down
wait_for_regex "fleet-0044: "
keys Enter
wait_for_text "Open fleet-0044 in the form?"
keys n
wait_for_no_text "Open fleet-0044 in the form?"
wait_for_text "99 of 120 shown"
keys Enter
wait_for_text "Open fleet-0044 in the form?"
keys y
wait_for_text "editing fleet-0044"
wait_for_regex "Device ID +✓ dev-0044"

# a form started on an enrollment (--load) opens the list with F11
start_tui tui --load fleet-0050
wait_for_text "editing fleet-0050"
keys F11
wait_for_text "120 enrollments"
keys Escape
wait_for_text "editing fleet-0050"
