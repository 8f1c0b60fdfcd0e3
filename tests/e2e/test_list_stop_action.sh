#!/usr/bin/env bash
# c stops a running action of the fleet list between two enrollments:
# those in hand are finished, the rest are left as they are, listed as
# stopped (and journaled as cancelled), and stay marked.
. "$(dirname "$0")/lib.sh"
e2e_setup
fleet_fixture 30
JOURNAL=$XDG_STATE_HOME/dpsenroll/journal.jsonl

start_list
wait_for_text "30 enrollments"
wait_for_no_text "states:"
keys +
wait_for_text "30 marked"
# every read of an enrollment is slow, so the action is still in its
# first ten when c comes
emu_fault "delay=1500,method=GET,path=/enrollments/"
keys d
wait_for_text "Disable 30 enrollments?"
keys y
wait_for_regex "disabling 30 enrollments\.\.\. .*\(c stops\)"
keys c
wait_for_regex "[0-9]+ of 30 were not disabled \(they stay marked\):" 30
wait_for_text "fleet-0012: not done: stopped"
keys Enter
wait_for_regex "[0-9]+ of 30 disabled; 0 changed on the service \(left as they are\), [0-9]+ not done"
wait_for_regex " [0-9]+ marked"
emu_clear_faults
assert_eq "$(stored_status fleet-0030)" enabled "fleet-0030 on dpsemu after the stop"
grep '"registrationId":"fleet-0030"' "$JOURNAL" | grep -q '"outcome":"cancelled"' ||
	fail "fleet-0030 is not in the journal as cancelled: $(cat "$JOURNAL")"
