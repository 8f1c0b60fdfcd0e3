#!/usr/bin/env bash
# Updating a symmetric-key enrollment from the form must not change its
# keys: GET hides them, and a PUT without keys makes the service generate
# new ones, which locks the device out. Opened with --load, edited and
# submitted, the enrollment must keep the keys it had.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-keys-001
printf '{"registrationId":"%s","deviceId":"%s","attestation":{"type":"symmetricKey"}}' \
	"$ID" "$ID" | put_fixture
# Only a digest of the keys is kept, so a failure never prints them.
before=$(stored_keys_digest "$ID") || fail "dpsenroll keys $ID gave no keys"

start_tui --load "$ID"
wait_for_text "editing $ID"
wait_for_text "Loaded $ID"
wait_for_regex "Device ID +✓ $ID\$"
# Loading is done when no request is running any more.
wait_for_no_text "(Esc cancels)"

set_field "Device ID" "$ID-renamed"
keys F2
wait_for_text "Review the update"
wait_for_text "1 change to the enrollment"
wait_for_regex "Device ID: $ID -> $ID-renamed"
keys y
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
assert_screen_lacks "The service generated these keys" "the update made the service generate new keys"

assert_eq "$(cli get "$ID" | json_get deviceId)" "$ID-renamed" "deviceId stored"
after=$(stored_keys_digest "$ID") || fail "dpsenroll keys $ID gave no keys after the update"
assert_eq "$after" "$before" "digest of the keys after the update (the keys changed)"
