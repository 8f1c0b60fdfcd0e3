#!/usr/bin/env bash
# The fleet list's deletes. x deletes the registration state of the
# cursor's device (asked first): the row reads unassigned and dpsemu has
# no state for it. Deleting 12 marked enrollments asks for the count to
# be typed: a wrong count deletes nothing; the right one deletes them all
# (gone from the list and from dpsemu, journaled). Deleting 2 asks yes or
# no, naming the count.
. "$(dirname "$0")/lib.sh"
e2e_setup
fleet_fixture 150
JOURNAL=$XDG_STATE_HOME/dpsenroll/journal.jsonl
[ -n "$(cli regstate fleet-0004 | json_get status)" ] || fail "fleet-0004 did not register"

start_list
wait_for_text "150 enrollments"
wait_for_no_text "states:"

# the registration state of fleet-0004 (assigned)
keys g
type_text fleet-0004
keys Enter
wait_for_regex "fleet-0004: assigned to"
keys x
wait_for_text "Delete the registration state of enrollment fleet-0004?"
keys n
wait_for_no_text "Delete the registration state of"
assert_eq "$(cli regstate fleet-0004 | json_get status)" assigned "fleet-0004's state after n"
keys x
wait_for_text "Delete the registration state of enrollment fleet-0004?"
keys y
wait_for_text "1 of 1 registration states deleted"
wait_for_row fleet-0004 "unassigned"
cli regstate fleet-0004 >/dev/null 2>&1 && fail "dpsemu still has a registration state for fleet-0004"
grep '"registrationId":"fleet-0004"' "$JOURNAL" |
	grep '"operation":"deleteRegistrationState"' | grep -q '"outcome":"ok"' ||
	fail "the journal has no delete of fleet-0004's state: $(cat "$JOURNAL")"

# twelve marked: fleet-0120 .. fleet-0129 and fleet-0012, fleet-0112
keys /
type_text fleet-012
keys Enter
wait_for_text "10 of 150 shown"
keys +
wait_for_text "10 marked"
for id in fleet-0112 fleet-0012; do
	keys /
	keys C-u
	type_text "$id"
	keys Enter
	wait_for_text "1 of 150 shown"
	keys Home Space
done
wait_for_text "12 marked"
keys Delete
wait_for_text "Type 12 to go on:"
type_text 11
keys Enter
wait_for_text "Nothing deleted: the count typed was '11', not 12"
cli get fleet-0120 >/dev/null 2>&1 || fail "fleet-0120 was deleted after a wrong count"
keys X
wait_for_text "Type 12 to go on:"
type_text 12
keys Enter
wait_for_text "12 of 12 deleted"
for id in fleet-0012 fleet-0112 fleet-0120 fleet-0129; do
	cli get "$id" >/dev/null 2>&1 && fail "$id is still on dpsemu"
	grep "\"registrationId\":\"$id\"" "$JOURNAL" | grep -q '"operation":"delete"' ||
		fail "the journal has no delete of $id"
done
cli get fleet-0130 >/dev/null 2>&1 || fail "fleet-0130 was deleted too"
keys /
wait_for_text "Filter:"
keys Escape
wait_for_text "138 enrollments"
assert_eq "$(list_row fleet-0120)" "" "fleet-0120's row after its delete"

# two: a plain question naming the count
keys Home Space Space
wait_for_text "2 marked"
keys Delete
wait_for_text "Delete 2 enrollments?"
keys y
wait_for_text "2 of 2 deleted"
cli get fleet-0001 >/dev/null 2>&1 && fail "fleet-0001 is still on dpsemu"
cli get fleet-0002 >/dev/null 2>&1 && fail "fleet-0002 is still on dpsemu"
wait_for_text "136 enrollments"
