#!/usr/bin/env bash
# Drafts left by several windows that were killed are all offered at the
# next start, in a list with their registration id, attestation type and
# time: Enter restores the highlighted one and the others are kept; "n"
# keeps them all; d asks, then deletes one for good.
. "$(dirname "$0")/lib.sh"
e2e_setup

A=bench-pick-a
B=bench-pick-b
LIST="┌─ Unfinished enrollments "
ONE="┌─ Unfinished enrollment "

# type_form ID TYPE: a new form filled in, and its draft saved.
type_form() {
	fill_new_form "$1" "$2"
	wait_until 5 "the draft never held $1" draft_holds registrationId "$1"
}

# The registration id on the highlighted row of the list.
highlighted() {
	screen | sed -n 's/^.*│ > \([^ ]*\) .*$/\1/p' | head -n 1
}

# Read at every try of a wait, not once before it.
highlighted_is() {
	[ "$(highlighted)" = "$1" ]
}

start_tui
type_form "$A" tpm
kill_tui

start_tui
wait_for_text "$ONE"
wait_for_text "An enrollment for $A was being edited"
keys n
wait_for_no_text "$ONE"
wait_for_text "new enrollment"
type_form "$B" symmetricKey
kill_tui
assert_eq "$(draft_count)" 2 "drafts after two killed windows (n kept the first)"

start_tui
wait_for_text "$LIST"
wait_for_text "2 unfinished enrollments, left by windows that closed"
wait_for_regex "│ [> ] $A +tpm +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"
wait_for_regex "│ [> ] $B +symmetricKey +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"
# The list at the smallest size the form works in.
resize 80 24
wait_for_regex "│ [> ] $A +tpm +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z +│"
wait_for_regex "│ [> ] $B +symmetricKey +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z +│"
wait_for_text "n or Esc: start empty (the drafts are kept and offered next time)"
[ "$(highlighted)" = "$A" ] || keys Down
wait_until "$E2E_TIMEOUT" "$A is not highlighted" highlighted_is "$A"
# d asks first; n keeps it.
keys d
wait_for_text "Delete the draft of $A for good?"
keys n
wait_for_no_text "Delete the draft of"
wait_for_text "$LIST"
keys Enter
wait_for_no_text "$LIST"
wait_for_text "Restored the draft of "
wait_for_regex "Registration ID +✓ $A\$"
wait_for_regex "Attestation type +✓ tpm\$"
assert_eq "$(draft_count)" 2 "drafts after restoring one (the other is kept)"
keys q
wait_for_text "┌─ Quit "
keys y
wait_for_exit

# Both are offered again (the restored one was not submitted); the
# highlighted one is deleted, the other is then asked about alone.
start_tui
wait_for_text "$LIST"
gone=$(highlighted)
case "$gone" in
"$A") kept=$B ;;
"$B") kept=$A ;;
*) fail "no draft is highlighted: '$gone'" ;;
esac
keys d
wait_for_text "Delete the draft of $gone for good?"
keys y
wait_for_text "$ONE"
wait_for_text "An enrollment for $kept was being edited"
wait_for_text "Deleted the draft of $gone"
assert_eq "$(draft_count)" 1 "drafts after deleting one"
keys n
wait_for_no_text "$ONE"
wait_for_text "new enrollment"
keys q
wait_for_exit
# With no form running, draft_file is the one draft left.
draft_holds registrationId "$kept" || fail "the draft kept does not hold $kept"
