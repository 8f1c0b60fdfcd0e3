#!/usr/bin/env bash
# In a window too small for the form nothing of it can be seen, so F10 must
# quit at once, changes or not: a question would be drawn nowhere and the
# program would seem to hang. The draft keeps what was typed. start_tui
# runs the program under bash -c '...; echo EXITED $?', so its end shows.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-small-01

start_tui
wait_for_text "new enrollment"
wait_for_focus "Registration ID"
keys Enter
type_text "$ID"
keys Enter
wait_for_regex "^▶ Registration ID +✓ $ID\$"
wait_for_text "(changed)"
wait_until 5 "the draft never held the registration id" draft_holds registrationId "$ID"

resize 60 20
wait_for_text "Terminal too small"
# the message wraps at words, not in the middle of one
wait_for_regex "^Terminal too small: 60x20\. dpsenroll needs at least 80x24; *\$"
wait_for_regex "^enlarge the window \(F10 quits\)\. *\$"
keys F10
wait_for_exit
assert_eq "$E2E_EXIT_STATUS" 0 "exit status after F10 in a too small window"
draft_holds registrationId "$ID" || fail "the draft did not survive quitting"
