#!/usr/bin/env bash
# The IoT hubs field is a list edited one hub a line: Enter opens the
# list editor, Esc keeps what was typed and the row shows the hubs joined
# with commas. Taking the second line out again (Ctrl-U empties it,
# Backspace joins it to the first) leaves only the first hub.
. "$(dirname "$0")/lib.sh"
e2e_setup
restart_emulator --linked-hubs a.example.net,b.example.net

start_tui
wait_for_text "new enrollment"
focus_field "IoT hubs"
wait_for_regex "^▶ +IoT hubs +\(not set\)\$"

keys Enter
wait_for_text "IoT hubs: one per line"
type_text a.example.net
keys Enter
type_text b.example.net
keys Escape
wait_for_no_text "IoT hubs: one per line"
wait_for_regex "^▶ +IoT hubs +✓ a\.example\.net, b\.example\.net\$"

keys Enter
wait_for_text "IoT hubs: one per line"
wait_for_text "b.example.net"
keys End
keys C-u
keys BSpace
keys Escape
wait_for_no_text "IoT hubs: one per line"
wait_for_regex "^▶ +IoT hubs +✓ a\.example\.net\$"
assert_screen_lacks "b.example.net" "the second hub is still there"
