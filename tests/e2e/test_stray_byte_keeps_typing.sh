#!/usr/bin/env bash
# A byte that starts no character (a Latin-1 terminal, a scanner set to
# another code page, Alt sending 8-bit meta) must not stop the program
# from reading: it is dropped, the keys after it reach the field, and the
# program still quits on F10.
. "$(dirname "$0")/lib.sh"
e2e_setup

start_tui
wait_for_focus "Registration ID"
keys Enter
tm send-keys -t "$E2E_SESSION" -H c3 || fail "send-keys -H failed"
type_text "rack-9"
wait_for_regex "^▶ Registration ID +✓ rack-9\$"
keys Escape F10
wait_for_text "┌─ Quit "
keys y
wait_for_exit
assert_eq "$E2E_EXIT_STATUS" 0 "exit status after F10 and y"
