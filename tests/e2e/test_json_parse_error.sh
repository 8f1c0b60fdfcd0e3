#!/usr/bin/env bash
# Twin tags are edited as JSON in a window. Broken JSON is reported with
# the line and column of the fault while typing, and again under the field
# after the window is closed; fixing it clears the error.
. "$(dirname "$0")/lib.sh"
e2e_setup

start_tui
focus_field "Twin tags"
keys Enter
wait_for_text "Twin tags (JSON)"
wait_for_text "─ cursor 1:1 ─"

type_text '{"site": "bench",'
keys Enter
type_text '"rack": }'
# The '}' where a value belongs is the 9th character of line 2.
wait_for_regex 'line 2, column 9: [^ ].*'
# The footer also gives where the cursor is: after the '}'.
wait_for_regex '─ cursor 2:10 ─'

keys Escape
wait_for_no_text "Twin tags (JSON)"
wait_for_regex '^▶ +Twin tags +✗ '
assert_contains "$(message_under_focus)" "line 2, column 9" "message under Twin tags"
wait_for_regex '^ [0-9]+ errors?, '

keys F2
wait_for_text "Not sent"
wait_for_focus "Registration ID"

focus_field "Twin tags"
keys Enter
wait_for_text "Twin tags (JSON)"
keys End BSpace
type_text '"A1"}'
wait_for_text "Esc or F2: done"
keys Escape
wait_for_no_text "Twin tags (JSON)"
wait_for_regex '^▶ +Twin tags +✓ \{"site":"bench","rack":"A1"\}'
