#!/usr/bin/env bash
# After a 412 the form fetches the service's new copy. When that fetch is
# cancelled (Esc), nothing of it may linger: the next load must be a plain
# load of what is stored, not taken for the cancelled fetch and merged
# with the old edits.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-412-cancel-01
conflict_412_setup "$ID"

# The fetch that follows the 412 is slow; Esc cancels it.
emu_fault "delay=5000,method=GET,path=/enrollments/$ID"
keys F2
wait_for_text "Review the update"
keys y
wait_for_regex "loading $ID [0-9.]+s \(Esc cancels\)"
keys Escape
wait_for_text "Cancelled"
wait_for_no_text "(Esc cancels)"
emu_clear_faults

keys F5
wait_for_text "Loading replaces the changes"
keys y
wait_for_text "Load an enrollment"
keys C-u
type_text "$ID"
keys Enter
wait_for_text "Loaded $ID with its keys"
wait_for_no_text "(Esc cancels)"
assert_screen_lacks "Changed on the service" "the load was taken for the cancelled fetch"
wait_for_regex "Device ID +✓ $ID\$"
wait_for_regex "Twin tags +✓ \{\"site\":\"bench-7\"\}\$"
assert_screen_lacks "(changed)" "the loaded enrollment counts as changed"
