#!/usr/bin/env bash
# Quitting: with nothing changed, q quits at once. With unsubmitted
# changes it asks first: 'n' (and Esc) keep the form and what was typed, q
# then 'y' ends the program and hands the terminal back.
. "$(dirname "$0")/lib.sh"
e2e_setup

QUESTION="┌─ Quit "

start_tui
wait_for_focus "Registration ID"
keys q
wait_for_exit
assert_eq "$E2E_EXIT_STATUS" 0 "exit status after q on an unchanged form"

start_tui
wait_for_focus "Registration ID"
keys Enter
type_text "quit-test-01"
keys Enter
wait_for_regex "^▶ Registration ID +✓ quit-test-01\$"

keys q
wait_for_text "$QUESTION"
wait_for_text "not submitted"
keys n
wait_for_no_text "$QUESTION"
wait_for_regex "^▶ Registration ID +✓ quit-test-01\$"
assert_screen_lacks "EXITED" "the program ended after 'n'"

keys F10
wait_for_text "$QUESTION"
keys Escape
wait_for_no_text "$QUESTION"
wait_for_regex "^▶ Registration ID +✓ quit-test-01\$"

keys q
wait_for_text "$QUESTION"
keys y
wait_for_exit
assert_eq "$E2E_EXIT_STATUS" 0 "exit status after quitting"
# The alternate screen is gone: no trace of the form is left.
assert_screen_lacks "Registration ID" "the form is still on the terminal after quitting"
assert_screen_lacks "F1 Help" "the key bar is still on the terminal after quitting"
