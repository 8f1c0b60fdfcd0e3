#!/usr/bin/env bash
# Loading a symmetric-key enrollment reads its keys too, so an update
# resends them. When they cannot be read, the form must say so and refuse
# to send an update without them (the service would generate new keys and
# lock the device out), keeping the edits; r or y reads them again, and
# then the update goes through with the keys unchanged.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-load-keys-01
printf '{"registrationId":"%s","deviceId":"%s","attestation":{"type":"symmetricKey"}}' \
	"$ID" "$ID" | put_fixture
keys_before=$(stored_keys_digest "$ID") || fail "dpsenroll keys $ID gave no keys"
MECH="^POST /enrollments/$ID/attestationmechanism"
FAULT="malformed,method=POST,path=/enrollments/$ID/attestationmechanism"
emu_fault "$FAULT"

start_tui
wait_for_text "new enrollment"
request_load "$ID"
wait_for_text "┌─ Keys not read "
wait_for_text "'$ID' was loaded, but its keys could not be read:"
wait_for_text "not valid JSON"
wait_for_text "the form sends no update of it"
wait_for_text "r or y: try again"
keys Escape
wait_for_no_text "┌─ Keys not read "
wait_for_text "editing $ID"
# The key rows do not pretend the service would make new ones.
wait_for_regex "^ +Primary key +\(not read from the service: F5 loads again\)\$"
assert_screen_lacks "the service generates one" "a key row says the service generates one"

set_field "Device ID" "$ID-dev"
keys F2
wait_for_text "┌─ Keys not read "
wait_for_text "were not read when it was loaded, so this update is not"
wait_for_text "Nothing was sent, and your edits are kept"
assert_screen_lacks "Review the update" "the update was offered for sending without the keys"
assert_eq "$(emu_log_count "^PUT /enrollments/$ID ")" 1 "PUTs of $ID (only the fixture)"
emu_clear_faults
assert_eq "$(stored_keys_digest "$ID")" "$keys_before" "digest of the keys after the refused submit"
emu_fault "$FAULT"

# r while the keys are still unreadable: the same window again.
# Reads of the keys so far: the test's own two and the form's load.
wait_for_log_count "$MECH " 3
keys r
wait_for_log_count "$MECH " 4
wait_for_text "┌─ Keys not read "
wait_for_text "'$ID' was loaded, but its keys could not be read:"
wait_for_no_text "(Esc cancels)"

# Readable again: y reads them, and the edit is still there to send.
emu_clear_faults
keys y
wait_for_no_text "┌─ Keys not read "
wait_for_text "Loaded $ID with its keys"
wait_for_regex "^▶ Device ID +✓ $ID-dev\$"
wait_for_text "editing $ID (changed)"
keys F2
wait_for_text "Review the update"
wait_for_text "1 change to the enrollment"
keys y
wait_for_text "HTTP 200 OK"
assert_screen_lacks "The service generated these keys" "the update made the service generate new keys"
assert_eq "$(cli get "$ID" | json_get deviceId)" "$ID-dev" "deviceId stored"
assert_eq "$(stored_keys_digest "$ID")" "$keys_before" "digest of the keys after the update"
