#!/usr/bin/env bash
# An X.509 device at the bench: its certificate (EC P-256, signed by a
# bench CA, CN = registration id) is read with o and the file browser, the
# details window is checked against openssl's own reading, and the
# enrollment the service stores carries the same thumbprint. Then a
# certificate whose CN is not the id typed: DPS registers an X.509 device
# under its CN, so the details window warns and u takes the CN.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-x509-01
OTHER_CN=bench-x509-02
TYPO=bench-x509-2

make_ca "Bench Test CA"
make_device_cert "$ID" "$E2E_TMP/$ID.pem"
make_device_cert "$OTHER_CN" "$E2E_TMP/$OTHER_CN.pem"

# What openssl says: upper-case hex without colons, and the expiry day.
THUMB=$(cert_thumbprint "$E2E_TMP/$ID.pem")
UNTIL=$(cert_expiry_day "$E2E_TMP/$ID.pem")
[ ${#THUMB} -eq 64 ] || fail "openssl gave no SHA-256 fingerprint: '$THUMB'"

start_tui
fill_new_form "$ID" x509
focus_field "Certificate"

keys o
browser_choose "$ID.pem"
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$ID +│"
wait_for_regex "│ Issuer +CN=Bench Test CA +│"
wait_for_regex "│ SHA-256 +$THUMB +│"
wait_for_regex "│ Key +EC 256"
assert_screen_lacks "differs from the registration id" "a matching CN was reported as different"
assert_screen_lacks "This is a CA certificate" "the leaf was taken for a CA certificate"
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +✓ CN=$ID, until $UNTIL\$"
wait_for_text "✓ ready to submit"

keys F2
wait_for_text "HTTP 200 OK"
wait_for_regex "│ SHA-256 +$THUMB +│"
wait_for_text "Submitted $ID"
stored=$(cli get "$ID") || fail "dpsenroll get $ID failed"
assert_eq "$(json_get attestation.type <<<"$stored")" x509 "attestation type stored"
assert_eq "$(json_get attestation.x509.clientCertificates.primary.info.sha256Thumbprint <<<"$stored")" \
	"$THUMB" "SHA-256 thumbprint stored"
assert_eq "$(json_get attestation.x509.clientCertificates.primary.info.subjectName <<<"$stored")" \
	"CN=$ID" "subject stored"
keys Escape
wait_for_no_text "HTTP 200 OK"

# A certificate that belongs to another device than the id typed.
keys F7
wait_for_text "new enrollment"
keys Home
fill_new_form "$TYPO" x509
focus_field "Certificate"
keys o
browser_choose "$OTHER_CN.pem"
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$OTHER_CN +│"
wait_for_regex "│ SHA-256 +$(cert_thumbprint "$E2E_TMP/$OTHER_CN.pem") +│"
wait_for_text "The CN '$OTHER_CN' differs from the registration id '$TYPO'"
wait_for_text "u: use the CN as the registration id"
keys u
wait_for_no_text "┌─ Certificate "
wait_for_regex "Registration ID +✓ $OTHER_CN\$"
wait_for_text "Registration id set to the certificate's CN, $OTHER_CN"
wait_for_regex "Certificate +✓ CN=$OTHER_CN, until "

keys F2
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $OTHER_CN"
assert_eq "$(cli get "$OTHER_CN" | json_get attestation.x509.clientCertificates.primary.info.subjectName)" \
	"CN=$OTHER_CN" "subject stored under the CN"
cli get "$TYPO" >/dev/null 2>&1 && fail "an enrollment was made under the mistyped id $TYPO"
[ "$(emu_log_count "^PUT /enrollments/")" -eq 2 ] || fail "dpsemu did not log exactly two PUTs"
