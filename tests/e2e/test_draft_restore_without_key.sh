#!/usr/bin/env bash
# A draft that holds a private key (written while a paste of
# `cat device.key device.pem ca.pem` was open in the certificate editor,
# by a version that kept it) is restored without the key: the window says
# so and what else went, the field holds the device certificate alone,
# and the draft on disk loses the key as soon as it is read.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-draftkey-01
CERT_PATH=attestation.x509.clientCertificates.primary.certificate
make_ca "Bench Draft CA"
make_device_cert "$ID" "$E2E_TMP/device.pem" "$E2E_TMP/device.key"
cat "$E2E_TMP/device.key" "$E2E_TMP/device.pem" "$E2E_TMP/pki/ca.pem" >"$E2E_TMP/bundle.pem"

draft=$(draft_file)
mkdir -p "$(dirname "$draft")"
chmod 700 "$(dirname "$draft")"
perl -MJSON::PP -e '
	local $/;
	open my $fh, "<", $ARGV[2] or die;
	my $bundle = <$fh>;
	print JSON::PP->new->canonical->encode({
		format => 1, savedAt => "2024-05-01T12:00:00Z",
		registrationId => $ARGV[0], etag => undef, base => undef,
		fields => { registrationId => $ARGV[0],
			    "attestation.type" => "x509",
			    $ARGV[1] => $bundle },
	});
' "$ID" "$CERT_PATH" "$E2E_TMP/bundle.pem" >"$draft" || fail "the draft could not be written"
chmod 600 "$draft"
grep -qF "PRIVATE KEY" "$draft" || fail "the draft made for the test holds no key"

_draft_without_key() {
	! grep -qF "PRIVATE KEY" "$draft" && ! files_hold_lines_of "$E2E_TMP/device.key" "$draft"
}

# Seen, the key goes from the file at once, restored or not.
start_tui
wait_for_text "Unfinished enrollment"
wait_for_text "A private key it held was left out"
wait_until "$E2E_TIMEOUT" "the draft on disk still holds the private key" _draft_without_key
keys y
wait_for_text "┌─ Draft restored "
wait_for_text "Certificate: kept the device certificate; dropped 1 CA certificate"
keys Escape
wait_for_no_text "┌─ Draft restored "
wait_for_regex "^ +Certificate +✓ CN=$ID, until [0-9-]{10}\$"

# Written again as the form now holds it: the device certificate alone.
wait_until "$E2E_TIMEOUT" "the draft does not hold the device certificate alone" \
	draft_holds_file "$CERT_PATH" "$E2E_TMP/device.pem"
grep -qF "PRIVATE KEY" "$draft" && fail "the draft still holds the private key"
files_hold_lines_of "$E2E_TMP/device.key" "$draft" && fail "the draft still holds the private key's lines"
files_hold_lines_of "$E2E_TMP/pki/ca.pem" "$draft" && fail "the draft still holds the CA certificate"
exit 0
