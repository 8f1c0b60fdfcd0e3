#!/usr/bin/env bash
# An X.509 device registered from the form (r): the technician picks the
# device's certificate, then its private key, in the file browser, and
# confirms. A certificate that is not the enrollment's is refused, and the
# window says it is the device's certificate (not the connection string)
# that was refused; the enrolled pair registers the device over mutual
# TLS, and the form's registration state shows its hub.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-reg-x509
make_self_signed_cert "$ID" "$E2E_TMP/device.pem" "$E2E_TMP/device.key"
make_self_signed_cert "$ID" "$E2E_TMP/other.pem" "$E2E_TMP/other.key"
perl -MJSON::PP -e '
	local $/;
	open my $fh, "<", $ARGV[1] or die;
	print encode_json({ registrationId => $ARGV[0], attestation => { type => "x509",
		x509 => { clientCertificates => { primary => { certificate => <$fh> } } } } });
' "$ID" "$E2E_TMP/device.pem" | put_fixture
export DPS_ID_SCOPE DPS_GLOBAL_ENDPOINT
DPS_ID_SCOPE=$(<"$EMU_DATA/id-scope")
DPS_GLOBAL_ENDPOINT=${EMU_URL#https://}

# pick_pair CERT KEY: in the two file browsers r opens, the names typed
# and Enter.
pick_pair() {
	wait_for_text "┌─ Open a file: "
	wait_for_text "First the device's certificate"
	type_text "$1"
	keys Enter
	wait_for_text "Now the device's private key"
	wait_for_text "┌─ Open a file: "
	type_text "$2"
	keys Enter
}

start_tui
wait_for_text "new enrollment"
load_in_form "$ID"
wait_for_text "Loaded $ID"

# the wrong certificate first
keys r
pick_pair other.pem other.key
wait_for_text "Register $ID as the device would?"
wait_for_text "mutual TLS with"
keys y
wait_for_text "$ID was not registered: HTTP 401 (401002)"
wait_for_text "What it means: the service did not accept the device's"
state=$(cli regstate "$ID") || fail "dpsenroll regstate $ID failed: $state"
assert_eq "$(json_get status <<<"$state")" failed "stored status after the wrong certificate"
keys Escape
wait_for_no_text "was not registered"

keys r
pick_pair device.pem device.key
wait_for_text "Register $ID as the device would?"
keys y
wait_for_text "$ID is registered."
state=$(cli regstate "$ID") || fail "dpsenroll regstate $ID failed: $state"
assert_eq "$(json_get status <<<"$state")" assigned "stored status"
hub=$(json_get assignedHub <<<"$state")
wait_for_regex "assignedHub +$hub"
keys Escape
wait_for_no_text "$ID is registered."
keys End
wait_for_regex "^ +Status +assigned\$"
wait_for_regex "^ +Assigned hub +$hub\$"
