#!/usr/bin/env bash
# A letter typed on a text field that is not being edited must not vanish
# without a word: the status says Enter edits the field, and the field is
# left as it was.
. "$(dirname "$0")/lib.sh"
e2e_setup

start_tui
wait_for_text "new enrollment"
wait_for_focus "Registration ID"
wait_for_regex "^▶ Registration ID +✗ \(required\)\$"
assert_screen_lacks "Press Enter to edit" "the hint is shown before any letter"

type_text x
wait_for_text "Press Enter to edit Registration ID"
wait_for_regex "^▶ Registration ID +✗ \(required\)\$"
assert_screen_lacks "(changed)" "the letter changed the form"
