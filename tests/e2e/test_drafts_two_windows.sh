#!/usr/bin/env bash
# Two forms open at once on the same HOME, editing different enrollments,
# each keep their own draft. When one is killed outright, a third form
# started next offers the killed one's draft (and not the running one's),
# restores it, and the running form's work is untouched all along.
. "$(dirname "$0")/lib.sh"
e2e_setup

A=bench-window-a
B=bench-window-b

start_tui
win_a=$E2E_SESSION
fill_new_form "$A" tpm
pid_a=$(tui_pid) || fail "no dpsenroll process in window A"
wait_until 5 "A's draft never held its registration id" \
	draft_holds registrationId "$A" "$pid_a"

# B starts while A runs: A's draft is A's, nothing is offered.
start_tui_beside
win_b=$E2E_SESSION
wait_for_text "new enrollment"
assert_screen_lacks "Unfinished enrollment" "window B was offered the draft of window A, which is running"
fill_new_form "$B" x509
pid_b=$(tui_pid) || fail "no dpsenroll process in window B"
wait_until 5 "B's draft never held its registration id" \
	draft_holds registrationId "$B" "$pid_b"
assert_ne "$(draft_file "$pid_a")" "$(draft_file "$pid_b")" "draft files of A and B"
draft_holds registrationId "$A" "$pid_a" || fail "B's typing changed A's draft"
assert_eq "$(draft_count)" 2 "drafts with two windows open"

kill_tui
draft_holds registrationId "$B" "$pid_b" || fail "B's draft did not survive the kill"

# A third form: B's draft (lock gone with B) is offered, A's is not.
start_tui_beside
wait_for_text "┌─ Unfinished enrollment "
wait_for_text "An enrollment for $B was being edited and not submitted"
wait_for_text "attestation x509"
assert_screen_lacks "$A" "the third window offered the draft of window A, which is running"
assert_screen_lacks "Unfinished enrollments" "more than one draft was offered"
keys y
wait_for_no_text "┌─ Unfinished enrollment "
wait_for_text "Restored the draft of "
wait_for_regex "Registration ID +✓ $B\$"
wait_for_regex "Attestation type +✓ x509\$"
pid_c=$(tui_pid) || fail "no dpsenroll process in the third window"

# The third form goes on in B's draft; A's stays A's.
keys Home
set_field "Device ID" "$B-device"
wait_until 5 "the third window's changes never reached the restored draft" \
	draft_holds deviceId "$B-device" "$pid_c"
assert_eq "$(draft_file "$pid_c")" "$(draft_file "$pid_b")" "draft file the third window writes"
assert_eq "$(draft_count)" 2 "drafts after restoring (the restored one is reused)"

use_tui "$win_a"
wait_for_regex "Registration ID +✓ $A\$"
wait_for_regex "Attestation type +✓ tpm\$"
draft_holds registrationId "$A" "$pid_a" || fail "A's draft lost its registration id"
draft_holds attestation.type tpm "$pid_a" || fail "A's draft lost its attestation type"
draft_holds deviceId "" "$pid_a" || fail "the third window's typing reached A's draft"
# A still saves to its own draft.
keys Home
set_field "Device ID" "$A-device"
wait_until 5 "A's draft never held its device id" draft_holds deviceId "$A-device" "$pid_a"
draft_holds deviceId "$B-device" "$pid_c" || fail "A's typing changed the third window's draft"
