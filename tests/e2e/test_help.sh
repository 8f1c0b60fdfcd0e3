#!/usr/bin/env bash
# Help lists the keys from the key table: F1 (and ?) open it, the submit
# keys are among them, Esc closes it and the form is back as it was.
. "$(dirname "$0")/lib.sh"
e2e_setup

start_tui
wait_for_focus "Registration ID"
assert_screen_lacks "─ Keys "

keys F1
wait_for_text "─ Keys "
wait_for_regex "│ +F2 +Submit"
wait_for_regex "│ +Ctrl-S +Submit"
wait_for_regex "│ +F1 +Show this help"
wait_for_regex "│ +Esc +Back"
keys Escape
wait_for_no_text "─ Keys "
wait_for_no_text "Submit to DPS"
wait_for_focus "Registration ID"
wait_for_text "F1 Help"

keys '?'
wait_for_text "─ Keys "
wait_for_regex "│ +F2 +Submit"
keys Escape
wait_for_no_text "─ Keys "
wait_for_focus "Registration ID"
