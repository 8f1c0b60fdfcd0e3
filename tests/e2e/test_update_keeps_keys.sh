#!/usr/bin/env bash
# Updating a symmetric-key enrollment from the form must not change its
# keys: GET hides them, and a PUT without keys makes the service generate
# new ones, which locks the device out. Opened with --load, edited and
# submitted, the enrollment must keep the keys it had.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-keys-001
printf '{"registrationId":"%s","deviceId":"%s","attestation":{"type":"symmetricKey"}}' \
	"$ID" "$ID" >"$E2E_TMP/enrollment.json"
cli put "$E2E_TMP/enrollment.json" >/dev/null 2>&1 || fail "dpsenroll put failed"
# Only a digest of the keys is kept, so a failure never prints them.
keys_digest() {
	cli keys "$ID" | perl -MJSON::PP -MDigest::SHA=sha256_hex -e '
		local $/; my $j = decode_json(<STDIN>);
		my $k = $j->{symmetricKey} // $j->{attestation}{symmetricKey} // {};
		exit 1 unless $k->{primaryKey} && $k->{secondaryKey};
		print sha256_hex($k->{primaryKey} . "/" . $k->{secondaryKey});'
}
before=$(keys_digest) || fail "dpsenroll keys $ID gave no keys"

start_tui --load "$ID"
wait_for_text "editing $ID"
wait_for_text "Loaded $ID"
wait_for_regex "Device ID +✓ $ID\$"
# Loading is done when no request is running any more.
wait_for_no_text "(Esc cancels)"

focus_field "Device ID"
keys Enter C-u
type_text "$ID-renamed"
keys Enter
wait_for_regex "^▶ Device ID +✓ $ID-renamed\$"
keys F2
wait_for_text "Review the update"
wait_for_text "1 change to the enrollment"
wait_for_regex "Device ID: $ID -> $ID-renamed"
keys y
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
assert_screen_lacks "The service generated these keys" "the update made the service generate new keys"

assert_eq "$(cli get "$ID" | json_get deviceId)" "$ID-renamed" "deviceId stored"
after=$(keys_digest) || fail "dpsenroll keys $ID gave no keys after the update"
assert_eq "$after" "$before" "digest of the keys after the update (the keys changed)"
