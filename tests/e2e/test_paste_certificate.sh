#!/usr/bin/env bash
# A technician pastes a device certificate (PEM, many lines) into the
# Certificate field. Enter opens the multi-line editor, so the paste's
# newlines start lines there: none of it may end the editing and run as
# form commands (o opening the file browser, q quitting...). After Esc the
# row shows the certificate read back: its CN and expiry.
. "$(dirname "$0")/lib.sh"
e2e_setup

CN=bench-paste-01
# A self-signed leaf (CA:FALSE), so that the row shows no warning.
make_self_signed_cert "$CN" "$E2E_TMP/device.pem" "$E2E_TMP/device.key" \
	-addext "basicConstraints=critical,CA:FALSE" \
	-addext "keyUsage=critical,digitalSignature" \
	-addext "extendedKeyUsage=clientAuth"
UNTIL=$(cert_expiry_day "$E2E_TMP/device.pem")
[ "$(grep -c '' "$E2E_TMP/device.pem")" -gt 3 ] || fail "the PEM is not several lines"

EDITOR_TITLE="─ Certificate: paste it"

start_tui
fill_new_form "$CN" x509
focus_field "Certificate"

keys Enter
wait_for_text "$EDITOR_TITLE"
# As a terminal pastes: the text at once, each newline sent as Enter.
paste_file "$E2E_TMP/device.pem"
wait_for_text "-----END CERTIFICATE-----"
wait_for_text "$EDITOR_TITLE"
assert_screen_lacks "┌─ Open a file: " "the paste opened the file browser"
frames=$(screen | grep -c '┌─')
assert_eq "$frames" 1 "windows open after the paste (the editor alone)"
assert_screen_lacks "EXITED" "the paste ended the program"

keys Escape
wait_for_no_text "$EDITOR_TITLE"
wait_for_regex "^▶ +Certificate +✓ CN=$CN, until $UNTIL\$"
frames=$(screen | grep -c '┌─')
assert_eq "$frames" 0 "windows open after the editor closed"
wait_for_regex "^  Registration ID +✓ $CN\$"
