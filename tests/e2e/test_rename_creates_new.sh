#!/usr/bin/env bash
# DPS has no rename: a loaded enrollment whose registration id is changed
# is created as a new one. That create must carry no etag (neither in the
# body nor as If-Match), or the service answers 404 and nothing is made.
# The new enrollment must then exist beside the old one, which stays as it
# was; the form holds the new one, loaded, without the old device's
# registration.
. "$(dirname "$0")/lib.sh"
e2e_setup

OLD=bench-rename-01
NEW=bench-rename-02
printf '{"registrationId":"%s","deviceId":"dev-7","attestation":{"type":"symmetricKey"}}' \
	"$OLD" | put_fixture
# The old enrollment's device has registered.
register_device "$OLD"
old_before=$(cli get "$OLD") || fail "dpsenroll get $OLD failed"
old_keys=$(stored_keys_digest "$OLD") || fail "dpsenroll keys $OLD gave no keys"

start_tui
wait_for_text "new enrollment"
load_in_form "$OLD"
wait_for_text "Loaded $OLD with its keys"
wait_for_text "device: assigned to"

set_field "Registration ID" "$NEW"
keys F2
wait_for_text "Another registration id"
wait_for_text "creates a new enrollment"
keys y
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $NEW"
assert_screen_lacks "HTTP 404" "the create was answered 404"
[ "$(emu_log_count "^PUT /enrollments/$NEW 200")" -eq 1 ] \
	|| fail "dpsemu did not log one PUT of $NEW answered 200"
[ "$(emu_log_count "^PUT /enrollments/$NEW 404")" -eq 0 ] \
	|| fail "the create of $NEW was answered 404 (an etag went with it)"
keys Escape
wait_for_no_text "HTTP 200 OK"
wait_for_text "editing $NEW"
assert_screen_lacks "(changed)" "the created enrollment is not shown as loaded"
assert_screen_lacks "device: assigned" "the new enrollment shows the old one's device"

new_stored=$(cli get "$NEW") || fail "the new enrollment $NEW does not exist"
assert_eq "$(json_get registrationId <<<"$new_stored")" "$NEW" "registrationId stored"
assert_eq "$(json_get deviceId <<<"$new_stored")" dev-7 "deviceId of the new enrollment"
assert_eq "$(stored_keys_digest "$NEW")" "$old_keys" "keys of the new enrollment (the form's keys)"

old_after=$(cli get "$OLD") || fail "the old enrollment $OLD is gone"
assert_eq "$(json_get etag <<<"$old_after")" "$(json_get etag <<<"$old_before")" \
	"etag of the old enrollment (it was changed)"
assert_eq "$(stored_keys_digest "$OLD")" "$old_keys" "keys of the old enrollment"

# The form holds the new enrollment: an edit is an update of it.
set_field "Device ID" dev-8
keys F2
wait_for_text "Review the update"
keys y
wait_for_text "HTTP 200 OK"
assert_eq "$(cli get "$NEW" | json_get deviceId)" dev-8 "deviceId of $NEW after an update"
assert_eq "$(cli get "$OLD" | json_get deviceId)" dev-7 "deviceId of $OLD after updating $NEW"
keys Escape
wait_for_no_text "HTTP 200 OK"

# The same from a draft: the renamed form is left (its draft keeps the
# loaded copy and its etag), restored at the next start and submitted.
DRAFTED=bench-rename-03
load_in_form "$OLD"
wait_for_text "Loaded $OLD with its keys"
keys Home
wait_for_focus "Registration ID"
set_field "Registration ID" "$DRAFTED"
wait_until 5 "the draft never held the new registration id" \
	draft_holds registrationId "$DRAFTED"
restart_restoring_draft
wait_for_text "Restored the draft of "
wait_for_regex "Registration ID +✓ $DRAFTED\$"
keys F2
wait_for_text "Another registration id"
keys y
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $DRAFTED"
[ "$(emu_log_count "^PUT /enrollments/$DRAFTED 200")" -eq 1 ] \
	|| fail "dpsemu did not log one PUT of $DRAFTED answered 200"
assert_eq "$(cli get "$DRAFTED" | json_get registrationId)" "$DRAFTED" \
	"registrationId of the enrollment created from the draft"
assert_eq "$(cli get "$OLD" | json_get etag)" "$(json_get etag <<<"$old_before")" \
	"etag of the old enrollment after the create from the draft"
