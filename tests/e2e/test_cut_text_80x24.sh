#!/usr/bin/env bash
# On the smallest screen the form supports (80x24), text that does not fit
# is cut with an ellipsis, never silently, and the whole text can still be
# read: a picker's descriptions (the chosen one whole below the list), the
# status line (m lists the recent messages whole), the title. The JSON
# editor's footer gives the error's position once (the cursor's is in the
# border), and a masked key still says that Ctrl-R shows it.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-cut-text-01
put_fixture <<JSON
{ "registrationId": "$ID", "attestation": { "type": "symmetricKey" } }
JSON
register_device "$ID"
echo "not a certificate" >"$E2E_TMP/notes.txt"

E2E_COLS=80
E2E_ROWS=24
start_tui
assert_eq "$(tm display -p -t "$E2E_SESSION" '#{pane_width}x#{pane_height}')" 80x24 "pane size"
wait_for_text "new enrollment"

# A picker's descriptions are cut with an ellipsis; the chosen one is
# shown whole under the list.
focus_field "Attestation type"
keys Enter
wait_for_text "─ Attestation type "
wait_for_regex "│ none +No attestation mechanism \(not usable by a real ?… │"
wait_for_regex "│ No attestation mechanism \(not usable by a real device\) +│"
keys Down
wait_for_regex "│ The device proves itself with its TPM endorsement key +│"
type_text x
keys Enter
wait_for_no_text "─ Attestation type "
wait_for_regex "Attestation type +✓ x509\$"

# A status message longer than the status line ends in an ellipsis, and
# m shows it whole.
focus_field "Certificate"
keys o
wait_for_text "┌─ Open a file: "
keys C-a	# not among what the field takes: list every file
browser_choose notes.txt
wait_for_regex "Not used: not a certificate: .*…\$"
assert_screen_lacks "base64 of DER, or DER" "the whole message fit the status line"
keys m
wait_for_text "─ Messages (newest first) "
wait_for_regex "│ [0-9:]{8}  Not used: not a certificate: expected PEM"
wait_for_text "base64 of DER, or DER"
keys Escape
wait_for_no_text "─ Messages (newest first) "

# The JSON editor's footer: the error's position once, the cursor's in
# the bottom border.
focus_field "Twin tags"
keys Enter
wait_for_text "─ Twin tags (JSON) "
type_text '{"a": '
wait_for_regex "│ line 1, column 7: the text ends too early"
wait_for_regex "─ cursor 1:7 ─┘"
assert_eq "$(screen | grep -o 'line 1, column 7' | wc -l)" 1 "times the position is on screen"
keys Escape
wait_for_no_text "─ Twin tags (JSON) "

# A masked key keeps its Ctrl-R hint beside its fingerprint.
keys F5
wait_for_text "Load"
keys y
wait_for_text "Registration id:"
keys C-u
type_text "$ID"
keys Enter
wait_for_text "Loaded $ID"
wait_for_no_text "(Esc cancels)"
keys Home
wait_for_focus "Registration ID"
focus_field "Primary key"
wait_for_regex "^▶ +Primary key +✓ •+ .*Ctrl-R shows  fp [0-9A-F-]{14}\$"
wait_for_regex "^ +Secondary key +✓ •+ .*Ctrl-R shows  fp [0-9A-F-]{14}\$"
keys g
wait_for_text "Generated a 64-byte key; Ctrl-R shows it"

# The title names the device's hub; cut, it ends in an ellipsis.
wait_for_regex "^ dpsenroll  editing $ID \(changed\)  .*…\$"
