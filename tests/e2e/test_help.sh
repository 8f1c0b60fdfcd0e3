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
# the way out first, and that the list goes on below
wait_for_regex "│ Esc or Enter: close    Up, Down, PgUp, PgDn: scroll    \(more below\)"
wait_for_regex "│ +F2 +Submit"
wait_for_regex "│ +Ctrl-S +Submit"
wait_for_regex "│ +F1 +Show this help"
wait_for_regex "│ +Esc +Back"
# Descriptions line up, even after the longest key name (the form's keys
# come first).
wait_for_regex "│ +Keypad Enter +Edit the field"
columns=$(screen | perl -CSD -Mutf8 -ne '
	print index($_, "Edit the field"), "\n" if /│ +(Keypad Enter|Enter|Return) +Edit the field/;
	print index($_, "Show this help"), "\n" if /│ +\? +Show this help/;
	print index($_, "Quit"), "\n" if /│ +q +Quit/;')
assert_eq "$(wc -l <<<"$columns")" 5 "help lines found for ?, Enter, Return, Keypad Enter and q"
assert_eq "$(sort -u <<<"$columns" | wc -l)" 1 "columns where their descriptions start ($(echo $columns))"
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
