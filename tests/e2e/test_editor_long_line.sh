#!/usr/bin/env bash
# A line longer than the editor window (a long twin value) scrolls
# sideways with the cursor: the end being typed stays in sight, and the
# cursor stays inside the window.
. "$(dirname "$0")/lib.sh"
e2e_setup

start_tui
wait_for_text "new enrollment"
focus_field "Twin tags"
keys Enter
wait_for_text "─ Twin tags (JSON) "
long=$(printf 'segment%02d-' $(seq 1 14))
type_text "{\"note\": \"${long}END-OF-LINE\"}"
wait_for_text "END-OF-LINE\"}"
cursor_x=$(tm display -p '#{cursor_x}')
[ "$cursor_x" -lt 96 ] || fail "the cursor left the window (column $cursor_x)"
keys Escape
wait_for_no_text "─ Twin tags (JSON) "
