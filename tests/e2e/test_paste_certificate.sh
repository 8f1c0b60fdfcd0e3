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
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$E2E_TMP/device.key" -out "$E2E_TMP/device.pem" -days 90 \
	-subj "/CN=$CN" \
	-addext "basicConstraints=critical,CA:FALSE" \
	-addext "keyUsage=critical,digitalSignature" \
	-addext "extendedKeyUsage=clientAuth" 2>/dev/null \
	|| fail "openssl could not make the certificate"
UNTIL=$(date -u -d "$(openssl x509 -in "$E2E_TMP/device.pem" -noout -enddate | sed 's/notAfter=//')" +%Y-%m-%d)
[ "$(grep -c '' "$E2E_TMP/device.pem")" -gt 3 ] || fail "the PEM is not several lines"

EDITOR_TITLE="─ Certificate: paste it"

start_tui
wait_for_text "new enrollment"
wait_for_focus "Registration ID"
keys Enter
type_text "$CN"
keys Enter
wait_for_regex "^▶ Registration ID +✓ $CN\$"
focus_field "Attestation type"
keys Enter
wait_for_text "─ Attestation type "
type_text x
keys Enter
wait_for_no_text "─ Attestation type "
wait_for_regex "Attestation type +✓ x509\$"
focus_field "Certificate"

keys Enter
wait_for_text "$EDITOR_TITLE"
# As a terminal pastes: the text at once, each newline sent as Enter.
tm load-buffer -b pem "$E2E_TMP/device.pem" || fail "tmux load-buffer failed"
tm paste-buffer -b pem -t "$E2E_SESSION" || fail "tmux paste-buffer failed"
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
