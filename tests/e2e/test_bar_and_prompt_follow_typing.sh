#!/usr/bin/env bash
# What the screen offers follows what the technician is doing. The key
# bar names the keys of the moment: typing into a field, Enter is Done
# (not Edit); in a window, the window's keys (Esc closes the help);
# typing a list filter, Enter keeps it and Esc clears it. A
# one-line window that opens with text in it (F5 offers the id in the
# form) is replaced by what is typed, so the next id is not glued to the
# last; an arrow key keeps the text to edit it.
. "$(dirname "$0")/lib.sh"
e2e_setup

bar() {
	screen_line "$E2E_ROWS"
}

_bar_has() {
	bar | grep -qF -- "$1"
}

wait_for_bar() {
	wait_until "$E2E_TIMEOUT" "the key bar does not show '$1'" _bar_has "$1"
}

start_tui
wait_for_focus "Registration ID"
wait_for_bar "Enter Edit  Esc Back"
keys Enter
wait_for_bar "Enter Done  F2 Submit"
assert_screen_lacks "Enter Edit" "the bar while typing into a field"
type_text "dev-a"
keys Enter
wait_for_bar "Enter Edit  Esc Back"

# F5 offers the id; typing replaces it
keys F5
wait_for_text "┌─ Load "
keys y
wait_for_text "Registration id:"
wait_for_text "typing replaces this"
# a window names its own keys
wait_for_bar "Enter Go on  Esc Close"
wait_for_regex "│ dev-a +│"
type_text "dev-b"
wait_for_regex "│ dev-b +│"
wait_for_no_text "typing replaces this"
keys Escape
wait_for_no_text "Registration id:"

# an arrow key keeps the offered id to edit it
keys F5
wait_for_text "┌─ Load "
keys y
wait_for_regex "│ dev-a +│"
keys End
type_text "2"
wait_for_regex "│ dev-a2 +│"
keys Escape
wait_for_no_text "Registration id:"

# the help, a window of text, says how it closes and scrolls
keys F1
wait_for_text "─ Keys "
wait_for_bar "Esc Close  PgDn Page"
keys Escape
wait_for_bar "Enter Edit  Esc Back"

# the list's filter
keys F11
wait_for_text "Fleet list"
wait_for_bar "Esc Form"
keys /
wait_for_text "Filter:"
wait_for_bar "Enter Done  Esc Clear"
keys Escape
wait_for_bar "Esc Form"
