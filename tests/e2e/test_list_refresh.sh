#!/usr/bin/env bash
# The fleet list keeps the states it read, with their age; r reads the
# states of the rows on screen (or of the marked rows) again, showing the
# old ones until the new ones come; F5 reads the whole list again, with
# the filter kept.
. "$(dirname "$0")/lib.sh"
e2e_setup
fleet_fixture 60

start_list
wait_for_text "60 enrollments"
wait_for_no_text "states:"
wait_for_row fleet-0002 "unassigned"
wait_for_regex "fleet-0001: assigned to .*\(state read [0-9]+ s ago\)"

# fleet-0002 registers after the list read its state
register_device fleet-0002
keys Down
wait_for_regex "fleet-0002: unassigned"
keys r
wait_for_text "Reading 25 registration states again (the rows on screen)"
wait_for_row fleet-0002 "assigned +$E2E_HUB"
wait_for_regex "fleet-0002: assigned to $E2E_HUB"

# a marked row far down: only it is read again
register_device fleet-0053
keys g
type_text fleet-0053
keys Enter
wait_for_row fleet-0053 "unassigned"
keys Space
wait_for_text "1 marked"
keys r
wait_for_text "Reading 1 registration state again (the marked rows)"
wait_for_row fleet-0053 "assigned"

# F5: an enrollment made elsewhere shows, under the same filter
printf '{"registrationId":"fleet-0061","deviceId":"dev-0061","attestation":{"type":"symmetricKey"}}' | put_fixture
keys /
type_text fleet-006
keys Enter
wait_for_text "1 of 60 shown"
keys F5
wait_for_text "2 of 61 shown"
wait_for_row fleet-0061 "unassigned"
wait_for_text "filter: fleet-006"
