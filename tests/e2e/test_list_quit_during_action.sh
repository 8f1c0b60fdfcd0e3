#!/usr/bin/env bash
# F10 while an action of the fleet list runs asks first: n goes on with
# the action (the footer shows it running, then its outcome), and once it
# is done F10 quits without asking.
. "$(dirname "$0")/lib.sh"
e2e_setup
fleet_fixture 30

start_list
wait_for_text "30 enrollments"
wait_for_no_text "states:"
keys Space Space
wait_for_text "2 marked"
# the service is slow to read the keys for the write
emu_fault "delay=3000,count=2,method=POST"
keys d
wait_for_text "Disable 2 enrollments?"
keys y
wait_for_regex "disabling 2 enrollments\.\.\."
keys F10
wait_for_text "An action on 2 enrollments is still running"
keys n
wait_for_no_text "An action on 2 enrollments is still running"
wait_for_text "2 of 2 disabled" 20
assert_eq "$(stored_status fleet-0001)" disabled "fleet-0001 on dpsemu"
keys F10
wait_for_exit
