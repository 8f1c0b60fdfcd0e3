#!/usr/bin/env bash
# The fleet list on 300 enrollments (every tenth device failed to
# register, every third of the others assigned, the rest never
# registered): `tui --list` shows the first rows and loads the rest, the
# registration states of the rows on screen come first and then all of
# them, a failed device's row says so and the line under the table gives
# its error, and the title says which columns 100 columns hide. Jumping to
# an id and End reach rows far down.
. "$(dirname "$0")/lib.sh"
e2e_setup
fleet_fixture 300
HUB=$(cli regstate fleet-0001 | json_get assignedHub)
[ -n "$HUB" ] || fail "fleet-0001 has no assigned hub on dpsemu"

start_list
wait_for_text "300 enrollments"
wait_for_text "hidden: Last updated, Device ID"
wait_for_row fleet-0001 "enabled +assigned +$HUB"
wait_for_row fleet-0002 "enabled +unassigned"
wait_for_row fleet-0010 "enabled +failed"
# every state is read in the background; the footer counts until then
wait_for_no_text "states:"
# a failed registration's row stands out (the theme's row-failed: red in
# the default theme); a row that is not failed has no colour of its own
failed_line=$(screen_escapes | grep -m 1 "fleet-0020")
assert_eq "$(find_colour_sgr fg <<<"$failed_line")" "fg 31" "colour of fleet-0020's row (failed)"
plain_line=$(screen_escapes | grep -m 1 "fleet-0002")
if find_colour_sgr fg <<<"$plain_line" >/dev/null; then
	fail "fleet-0002's row (unassigned) is coloured: $plain_line"
fi

# the cursor row's whole story, under the table
keys End
wait_for_regex "fleet-0300: registration failed, error 401002: device certificate not trusted"
wait_for_row fleet-0300 "failed"
keys Home
wait_for_regex "fleet-0001: assigned to $HUB"

keys g
wait_for_text "Registration id:"
type_text fleet-0125
keys Enter
wait_for_regex "fleet-0125: (not registered|unassigned)"
wait_for_row fleet-0125 "unassigned"
# what dpsemu holds agrees with the row
[ "$(cli regstate fleet-0125 2>/dev/null | json_get status)" = "" ] \
	|| fail "fleet-0125 has a registration state on dpsemu"
keys g
type_text fleet-9999
keys Enter
wait_for_text "No enrollment 'fleet-9999' among the 300 listed"

# i shows the row whole
keys End i
wait_for_text "device certificate not trusted"
wait_for_regex "Error 401002"
keys Escape
wait_for_no_text "Error 401002"

# Esc goes to the form; F10 there quits
keys Escape
wait_for_text "new enrollment"
keys F10
wait_for_exit
