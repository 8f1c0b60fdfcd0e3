#!/usr/bin/env bash
# A device certificate made the usual way, `openssl req -x509` with no
# extension options, is self-signed and carries CA:TRUE (OpenSSL's
# default). It is a device's own certificate all the same: the details
# window and the row's message say so as a note, the form counts no
# warning, and F2 creates the enrollment at once. A certificate that
# really issues others (keyUsage keyCertSign) still warns.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-selfsigned-01
# Exactly the command a technician finds first.
make_self_signed_cert "$ID" "$E2E_TMP/device.pem" "$E2E_TMP/device.key"
openssl x509 -in "$E2E_TMP/device.pem" -noout -ext basicConstraints 2>/dev/null \
	| grep -q "CA:TRUE" || fail "openssl req -x509 made no CA:TRUE certificate; the test means nothing"
make_self_signed_cert "Bench Issuing CA" "$E2E_TMP/ca.pem" "$E2E_TMP/ca.key" \
	-addext "keyUsage=critical,keyCertSign,cRLSign"
THUMB=$(cert_thumbprint "$E2E_TMP/device.pem")

start_tui
fill_new_form "$ID" x509
focus_field "Certificate"

# The self-signed device certificate: a note, no warning.
keys o
browser_choose device.pem
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$ID +│"
wait_for_text "Self-signed, CA:TRUE as openssl req -x509 makes it: fine for a"
assert_screen_lacks "This is a CA certificate" "the self-signed device certificate was called a CA"
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +✓ CN=$ID, until "
wait_for_text "self-signed, with the CA:TRUE"
assert_screen_lacks "this is a CA certificate" "the form still warns about a CA"
wait_for_text "✓ ready to submit"

# A real CA still warns, in the window and on the form.
keys o
browser_choose ca.pem
wait_for_text "┌─ Certificate "
wait_for_text "This is a CA certificate (keyUsage keyCertSign)"
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +! CN=Bench Issuing CA"
wait_for_text "this is a CA certificate (it may sign certificates)"
wait_for_regex "0 errors, [0-9]+ warnings?"

# The device certificate again, and nothing to confirm: F2 sends it.
keys o
browser_choose device.pem
wait_for_text "┌─ Certificate "
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_text "✓ ready to submit"
keys F2
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
assert_screen_lacks "Create with warnings?" "a create without warnings asked first"
stored=$(cli get "$ID") || fail "dpsenroll get $ID failed"
assert_eq "$(json_get attestation.x509.clientCertificates.primary.info.sha256Thumbprint <<<"$stored")" \
	"$THUMB" "SHA-256 thumbprint stored"
