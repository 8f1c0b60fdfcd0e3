#!/usr/bin/env bash
# A generated symmetric key is masked on its row; Ctrl-R shows it in
# clear (88 characters of base64 for 64 bytes) and Ctrl-R again masks it.
# The window is made wide enough for the whole key: at 100 columns the
# value column holds only its first part.
. "$(dirname "$0")/lib.sh"
e2e_setup

FP_RE='[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}'

start_tui
resize 160 30
wait_for_text "new enrollment"
choose_attestation symmetricKey

focus_field "Primary key"
keys g
wait_for_text "Generated a 64-byte key; Ctrl-R shows it"
wait_for_regex "^▶ +Primary key +✓ •{12}  \(88 characters; Ctrl-R shows\)"

keys C-r
wait_for_regex "^▶ +Primary key +✓ [A-Za-z0-9+/]{86}==( |\$)"
assert_screen_lacks "•" "a masked key is still on screen"
key=$(focused_row | grep -oE '[A-Za-z0-9+/]{86}==')
assert_eq "${#key}" 88 "length of the key shown"
assert_eq "$(base64 -d <<<"$key" | wc -c)" 64 "bytes in the key shown"

keys C-r
wait_for_regex "^▶ +Primary key +✓ •{12}  \(88 characters; Ctrl-R shows\)"
assert_screen_lacks "$key" "the key is still shown in clear"
