#!/usr/bin/env bash
# Two people on one enrollment: the technician loads it and edits the
# device id while someone else changes its twin tag (put --force). The
# technician's submit meets 412; the form must fetch the new copy, show
# what changed on the service and which edits were re-applied, keep the
# edit, and then send the merged copy with the new etag, so both changes
# end up stored and the device's keys stay what they were.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-412-01
# Loaded, the device id edited, and the twin tag changed elsewhere.
conflict_412_setup "$ID"
wait_for_regex "Twin tags +✓ \{\"site\":\"bench-3\"\}\$"
wait_for_text "(changed)"
elsewhere_etag=$(cli get "$ID" | json_get etag)
[ -n "$elsewhere_etag" ] || fail "no etag after put --force"

keys F2
wait_for_text "Review the update"
keys y
wait_for_text "┌─ Changed on the service "
wait_for_text "412001"
wait_for_text "nothing you typed is lost"
wait_for_text "Your changes, re-applied:"
wait_for_text "F2 submits with the new etag"
[ "$(emu_log_count "^PUT /enrollments/$ID 412")" -eq 1 ] || fail "dpsemu did not log one PUT answered 412"
# Each change must be listed under its own heading: theirs, then yours.
line_of() {
	screen | grep -nF -- "$1" | head -n 1 | cut -d: -f1
}
theirs_at=$(line_of "│ Changed on the service:")
tag_at=$(line_of "~ Twin tags: site: \"bench-3\" -> \"bench-7\"")
yours_at=$(line_of "│ Your changes, re-applied:")
device_at=$(line_of "~ Device ID: $ID -> $ID-dev")
for n in theirs_at tag_at yours_at device_at; do
	[ -n "${!n}" ] || fail "the conflict window lacks a line ($n)"
done
[ "$theirs_at" -lt "$tag_at" ] && [ "$tag_at" -lt "$yours_at" ] && [ "$yours_at" -lt "$device_at" ] \
	|| fail "the changes are not under their headings (lines $theirs_at, $tag_at, $yours_at, $device_at)"
assert_screen_lacks "Changed by both" "a conflict reported where each side changed another field"

keys Escape
wait_for_no_text "┌─ Changed on the service "
wait_for_regex "^▶ Device ID +✓ $ID-dev\$"
wait_for_regex "Twin tags +✓ \{\"site\":\"bench-7\"\}\$"
wait_for_text "(changed)"
wait_for_text "editing $ID"

keys F2
wait_for_text "Review the update"
wait_for_text "1 change to the enrollment"
wait_for_regex "~ Device ID: $ID -> $ID-dev "
wait_for_text "If-Match ${elsewhere_etag:0:12}..."
keys y
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
assert_screen_lacks "The service generated these keys" "the update made the service generate new keys"
# The fixture, the change elsewhere, the refused form, the merged form.
puts=$(grep -E "^PUT /enrollments/$ID " "$EMU_LOG" | awk '{ print $3 }' | tr '\n' ' ')
assert_eq "$puts" "200 200 412 200 " "statuses of the PUTs dpsemu logged"

final=$(cli get "$ID") || fail "dpsenroll get $ID failed"
assert_eq "$(json_get deviceId <<<"$final")" "$ID-dev" "deviceId stored"
assert_eq "$(json_get initialTwin.tags.site <<<"$final")" bench-7 "twin tag stored"
assert_ne "$(json_get etag <<<"$final")" "$elsewhere_etag" "etag after the merged update"
assert_eq "$(stored_keys_digest "$ID")" "$E2E_KEYS_BEFORE" "digest of the keys after the merged update (the keys changed)"
keys Escape
wait_for_no_text "HTTP 200 OK"
assert_screen_lacks "(changed)" "the submitted form still counts as changed"
