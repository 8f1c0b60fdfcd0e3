#!/usr/bin/env bash
# Someone deletes the enrollment while it is loaded in the form. Every
# update of it is then answered 404, and F7 would throw the edits away:
# the form must offer to create it again from what it holds, as a true
# create (no etag), with the keys it had, so the device keeps working;
# the form then holds the new record, loaded.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-deleted-01
printf '{"registrationId":"%s","deviceId":"dev-1","attestation":{"type":"symmetricKey"},"initialTwin":{"tags":{"site":"bench-3"}}}' \
	"$ID" | put_fixture
keys_before=$(stored_keys_digest "$ID") || fail "dpsenroll keys $ID gave no keys"

start_tui
wait_for_text "new enrollment"
load_in_form "$ID"
wait_for_text "Loaded $ID with its keys"
set_field "Device ID" dev-2

cli delete "$ID" >/dev/null 2>&1 || fail "dpsenroll delete $ID failed"
cli get "$ID" >/dev/null 2>&1 && fail "$ID still exists after delete"

keys F2
wait_for_text "Review the update"
keys y
wait_for_text "┌─ Deleted on the service "
wait_for_text "HTTP 404 Not Found"
wait_for_text "someone deleted it after you loaded it"
wait_for_text "Create it again from what you have?"
wait_for_text "keeps the keys the form holds"
wait_for_text "y: create it again"
wait_for_log_count "^PUT /enrollments/$ID 404" 1

# n keeps everything as it was; F2 meets the same answer and the offer.
keys n
wait_for_no_text "┌─ Deleted on the service "
wait_for_regex "^▶ Device ID +✓ dev-2\$"
wait_for_text "editing $ID (changed)"
keys F2
wait_for_text "Review the update"
keys y
wait_for_text "┌─ Deleted on the service "
keys y
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
assert_screen_lacks "The service generated these keys" "the create made the service generate new keys"
# the fixture's create, then the form's
wait_for_log_count "^PUT /enrollments/$ID 200" 2

stored=$(cli get "$ID") || fail "$ID was not created again"
assert_eq "$(json_get deviceId <<<"$stored")" dev-2 "deviceId stored (the edit)"
assert_eq "$(json_get initialTwin.tags.site <<<"$stored")" bench-3 "twin tag stored"
assert_eq "$(stored_keys_digest "$ID")" "$keys_before" "digest of the keys of the created enrollment"

# The form holds the new record: its etag, and no change left to send.
keys Escape
wait_for_no_text "HTTP 200 OK"
wait_for_text "editing $ID"
assert_screen_lacks "(changed)" "the created enrollment is not shown as loaded"
set_field "Device ID" dev-3
keys F2
wait_for_text "Review the update"
wait_for_text "If-Match $(json_get etag <<<"$stored" | cut -c1-12)..."
keys y
wait_for_text "HTTP 200 OK"
assert_eq "$(cli get "$ID" | json_get deviceId)" dev-3 "deviceId after an update of the created enrollment"
assert_eq "$(stored_keys_digest "$ID")" "$keys_before" "digest of the keys after that update"
