#!/usr/bin/env bash
# A 412 makes the form fetch the service's new copy and its keys before it
# merges the technician's edits on it. When the keys cannot be read, the
# merge must not go ahead without them (the next submit would make the
# service generate new keys and lock the device out): the form says so,
# sends nothing, keeps the edits, and r or y tries again; once the keys
# can be read, the merge and the update go through with the keys intact.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-412-keys-01
conflict_412_setup "$ID"
MECH="^POST /enrollments/$ID/attestationmechanism"

# The keys stop being readable.
elsewhere_etag=$(cli get "$ID" | json_get etag)
FAULT="status=404,method=POST,path=/enrollments/$ID/attestationmechanism"
emu_fault "$FAULT"

# submit_meets_412: F2, y, and the window saying the keys were not read.
submit_meets_412() {
	keys F2
	wait_for_text "Review the update"
	keys y
	wait_for_text "┌─ Changed on the service; keys not read "
	wait_for_text "412001"
	wait_for_text "keys could not be read:"
	wait_for_text "Nothing was sent, and your edits are kept"
	wait_for_text "r or y: try again"
}
submit_meets_412
# nothing but the fixture, the change elsewhere and the refused submit
puts=$(grep -E "^PUT /enrollments/$ID " "$EMU_LOG" | awk '{ print $3 }' | tr '\n' ' ')
assert_eq "$puts" "200 200 412 " "statuses of the PUTs dpsemu logged"
# the fault is lifted while the test itself reads the keys
emu_clear_faults
assert_eq "$(stored_keys_digest "$ID")" "$E2E_KEYS_BEFORE" "digest of the keys after the refused submit"
emu_fault "$FAULT"
stored=$(cli get "$ID")
assert_eq "$(json_get deviceId <<<"$stored")" "$ID" "deviceId stored (the edit went out)"
assert_eq "$(json_get etag <<<"$stored")" "$elsewhere_etag" "etag (something was written)"

# Esc: the form is as it was, edit included, and not merged.
keys Escape
wait_for_no_text "┌─ Changed on the service; keys not read "
wait_for_regex "^▶ Device ID +✓ $ID-dev\$"
wait_for_text "editing $ID (changed)"
wait_for_regex "Twin tags +✓ \{\"site\":\"bench-3\"\}\$"

# Again, and r while the keys are still unreadable: the same answer.
submit_meets_412
wait_for_log_count "$MECH 404" 2
keys r
wait_for_log_count "$MECH 404" 3
wait_for_text "┌─ Changed on the service; keys not read "
wait_for_no_text "(Esc cancels)"

# Readable again: y fetches the copy and its keys, and the merge is shown.
emu_clear_faults
keys y
wait_for_text "┌─ Changed on the service "
wait_for_text "Your changes, re-applied:"
wait_for_text "~ Device ID: $ID -> $ID-dev"
assert_screen_lacks "keys not read" "the merge window still says the keys were not read"
keys Escape
wait_for_regex "^▶ Device ID +✓ $ID-dev\$"
wait_for_regex "Twin tags +✓ \{\"site\":\"bench-7\"\}\$"
keys F2
wait_for_text "Review the update"
wait_for_text "1 change to the enrollment"
wait_for_text "If-Match ${elsewhere_etag:0:12}..."
keys y
wait_for_text "HTTP 200 OK"
assert_screen_lacks "The service generated these keys" "the update made the service generate new keys"

final=$(cli get "$ID")
assert_eq "$(json_get deviceId <<<"$final")" "$ID-dev" "deviceId stored"
assert_eq "$(json_get initialTwin.tags.site <<<"$final")" bench-7 "twin tag stored"
assert_eq "$(stored_keys_digest "$ID")" "$E2E_KEYS_BEFORE" "digest of the keys after the merged update"
