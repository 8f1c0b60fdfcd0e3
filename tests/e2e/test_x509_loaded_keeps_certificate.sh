#!/usr/bin/env bash
# A loaded X.509 enrollment: the service returns only what it read from the
# certificate, never the certificate. The Certificate row shows that (CN,
# expiry, the start of the SHA-256 thumbprint) and counts as set; i shows
# all of it. An update of another field keeps the certificate on the
# service (its info is unchanged when read back from dpsemu), and giving
# a new certificate replaces it. At 80x24 the certificate info's rows keep
# their whole labels and open whole.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=x509-dev-1
NEW_DEVICE=x509-dev-1-hub

make_ca "Bench Test CA"
make_device_cert "$ID" "$E2E_TMP/first.pem"
make_device_cert "$ID" "$E2E_TMP/second.pem"

THUMB=$(cert_thumbprint "$E2E_TMP/first.pem")
NEW_THUMB=$(cert_thumbprint "$E2E_TMP/second.pem")
UNTIL=$(cert_expiry_day "$E2E_TMP/first.pem")
[ ${#THUMB} -eq 64 ] || fail "openssl gave no SHA-256 fingerprint: '$THUMB'"
assert_ne "$NEW_THUMB" "$THUMB" "thumbprints of the two certificates"

perl -MJSON::PP -e '
	local $/;
	open my $fh, "<", $ARGV[1] or die;
	print encode_json({ registrationId => $ARGV[0], attestation => { type => "x509",
		x509 => { clientCertificates => { primary => { certificate => <$fh> } } } } });
' "$ID" "$E2E_TMP/first.pem" | put_fixture
stored() {
	cli get "$ID" | json_get "$1"
}
PRIMARY=attestation.x509.clientCertificates.primary.info
SECONDARY=attestation.x509.clientCertificates.secondary.info
assert_eq "$(stored $PRIMARY.sha256Thumbprint)" "$THUMB" "thumbprint stored by the fixture"
SERIAL=$(stored $PRIMARY.serialNumber)

load() {
	start_tui -- --load "$ID"
	wait_for_text "Loaded $ID"
	wait_for_no_text "(Esc cancels)"
}

load
focus_field "Certificate"
wait_for_regex "^▶ +Certificate +✓ on the service: CN=$ID, until $UNTIL, SHA-256 ${THUMB:0:8}…\$"
assert_screen_lacks "(not set)  " "the certificate row says it is not set"
wait_for_text "✓ ready to submit"
keys i
wait_for_text "┌─ Certificate on the service "
wait_for_regex "│ Subject +CN=$ID +│"
wait_for_regex "│ Issuer +CN=Bench Test CA +│"
wait_for_regex "│ SHA-256 +$THUMB +│"
wait_for_regex "│ Valid until +${UNTIL}T[0-9:]+Z \(valid, [0-9]+ days left\) +│"
wait_for_text "The service keeps this certificate"
keys Escape
wait_for_no_text "┌─ Certificate on the service "

# An update of another field keeps the certificate on the service.
keys Home
set_field "Device ID" "$NEW_DEVICE"
keys F2
wait_for_text "Review the update"
wait_for_text "+ Device ID: $NEW_DEVICE"
assert_screen_lacks "Certificate" "the review shows a certificate change"
keys y
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
keys Escape
wait_for_no_text "HTTP 200 OK"
assert_eq "$(stored deviceId)" "$NEW_DEVICE" "device id stored by the update"
assert_eq "$(stored $PRIMARY.sha256Thumbprint)" "$THUMB" "primary thumbprint after the update"
assert_eq "$(stored $PRIMARY.serialNumber)" "$SERIAL" "primary serial after the update"
assert_eq "$(stored $PRIMARY.subjectName)" "CN=$ID" "primary subject after the update"
assert_eq "$(stored $SECONDARY.sha256Thumbprint)" "$THUMB" "secondary thumbprint after the update"
focus_field "Certificate"
wait_for_regex "^▶ +Certificate +✓ on the service: CN=$ID, until $UNTIL, SHA-256 ${THUMB:0:8}…\$"

# A new certificate replaces it.
keys o
browser_choose second.pem
wait_for_text "┌─ Certificate "
wait_for_regex "│ SHA-256 +$NEW_THUMB +│"
keys Escape
wait_for_regex "^▶ +Certificate +✓ CN=$ID, until "
keys F2
wait_for_text "Review the update"
keys y
wait_for_text "HTTP 200 OK"
keys Escape
wait_for_no_text "HTTP 200 OK"
assert_eq "$(stored $PRIMARY.sha256Thumbprint)" "$NEW_THUMB" "primary thumbprint after the new certificate"

# At 80x24: the info rows keep their whole labels, and the thumbprint
# cut on its row opens whole.
E2E_COLS=80
E2E_ROWS=24
load
focus_field "SHA-256 thumbprint"
wait_for_regex "^▶ +SHA-256 thumbprint +${NEW_THUMB:0:20}[0-9A-F]*…\$"
keys i
wait_for_text "┌─ SHA-256 thumbprint "
assert_eq "$(window_lines "SHA-256 thumbprint" | head -n 2 | tr -d '\n')" "$NEW_THUMB" \
	"the thumbprint in its window"
keys Escape
wait_for_no_text "┌─ SHA-256 thumbprint "
