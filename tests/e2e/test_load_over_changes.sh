#!/usr/bin/env bash
# F5 on a form with changes: loading would replace them, so a question
# comes before the load prompt. n keeps the form as typed; y goes on to
# the prompt.
. "$(dirname "$0")/lib.sh"
e2e_setup

DEV=bench-typed-dev-01
QUESTION="Loading replaces the changes"

start_tui
wait_for_text "new enrollment"
set_field "Device ID" "$DEV"
wait_for_text "(changed)"

keys F5
wait_for_text "$QUESTION"
assert_screen_lacks "Load an enrollment" "the load prompt opened before the question"
keys n
wait_for_no_text "$QUESTION"
assert_screen_lacks "Load an enrollment" "the load prompt opened after 'n'"
wait_for_regex "^▶ Device ID +✓ $DEV\$"
wait_for_line 1 "new enrollment (changed)"

keys F5
wait_for_text "$QUESTION"
keys y
wait_for_no_text "$QUESTION"
wait_for_text "Load an enrollment"
keys Escape
wait_for_no_text "Load an enrollment"
wait_for_regex "^▶ Device ID +✓ $DEV\$"
