#!/usr/bin/env bash
# A symmetric-key enrollment loaded without its keys (the keys call
# failed), then deleted by someone else: reading the keys again finds it
# gone, and the form offers to create it again from what it holds instead
# of a dead end where every submit is refused for want of keys.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-keys-gone-01
printf '{"registrationId":"%s","attestation":{"type":"symmetricKey"}}' \
	"$ID" | put_fixture
emu_fault "malformed,method=POST,path=/enrollments/$ID/attestationmechanism"

start_tui
wait_for_text "new enrollment"
request_load "$ID"
wait_for_text "┌─ Keys not read "
keys Escape
wait_for_no_text "┌─ Keys not read "
set_field "Device ID" "$ID-dev"

emu_clear_faults
cli delete "$ID" >/dev/null 2>&1 || fail "dpsenroll delete failed"

# F2 is refused for want of keys; r reads them again and finds it gone.
keys F2
wait_for_text "┌─ Keys not read "
keys r
wait_for_text "┌─ Deleted on the service "
wait_for_text "Create it again from what you have?"
wait_for_text "The form has no keys (they were not read)"
cli get "$ID" >/dev/null 2>&1 && fail "the enrollment exists before y"
keys y
wait_for_text "HTTP 200 OK"
assert_eq "$(cli get "$ID" | json_get deviceId)" "$ID-dev" "deviceId stored by the new create"
