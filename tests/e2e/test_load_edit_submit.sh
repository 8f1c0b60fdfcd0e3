#!/usr/bin/env bash
# An enrollment made beforehand with `dpsenroll put` is loaded by id (F5),
# its device id edited and submitted: dpsemu logs the PUT, the etag moves
# on, and the form stays on that enrollment. Then the same form goes stale
# (someone else updates the enrollment with `put --force`): submitting it
# must be refused with 412 (If-Match sent) and the other change kept.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-load-001
put_fixture <<JSON
{
  "registrationId": "$ID",
  "deviceId": "$ID",
  "attestation": { "type": "symmetricKey" },
  "allocationPolicy": "hashed",
  "initialTwin": { "tags": { "site": "bench-3" } },
  "provisioningStatus": "enabled"
}
JSON
before=$(cli get "$ID") || fail "dpsenroll get failed"
old_etag=$(json_get etag <<<"$before")
[ -n "$old_etag" ] || fail "no etag in: $before"

start_tui
wait_for_text "new enrollment"
load_in_form "$ID"
wait_for_text "Loaded $ID"
wait_for_regex "Device ID +✓ $ID\$"
wait_for_regex "Allocation policy +✓ hashed\$"

puts_before=$(emu_log_count "^PUT /enrollments/$ID ")
set_field "Device ID" "$ID-renamed"
wait_for_text "(changed)"

# An update is shown for review first: the one change, then 'y' sends it.
keys F2
wait_for_text "Review the update"
wait_for_regex "Device ID: $ID -> $ID-renamed"
keys y
wait_for_text "HTTP 200 OK"
wait_for_text "editing $ID"
wait_until 2 "dpsemu logged no new PUT of $ID" \
	test "$(emu_log_count "^PUT /enrollments/$ID 200")" -gt "$puts_before"

after=$(cli get "$ID") || fail "dpsenroll get failed"
new_etag=$(json_get etag <<<"$after")
assert_ne "$new_etag" "$old_etag" "etag after the update"
assert_eq "$(json_get deviceId <<<"$after")" "$ID-renamed" "deviceId stored"
assert_eq "$(json_get allocationPolicy <<<"$after")" hashed "allocationPolicy kept"
assert_eq "$(json_get initialTwin.tags.site <<<"$after")" bench-3 "twin tag kept"
# The answer window shows the etag the service now has (base64: matched
# as text, not as a pattern).
wait_for_text "$new_etag"
screen | grep -F -- "$new_etag" | grep -q 'etag' || fail "the new etag is not on the etag line"

keys Escape
wait_for_no_text "HTTP 200 OK"
wait_for_text "editing $ID"
assert_screen_lacks "(changed)" "the submitted form still counts as changed"

# Someone else updates the enrollment while this form holds the old etag:
# the service must refuse the form's update (If-Match) with 412001.
change_elsewhere "$ID" deviceId changed-elsewhere
elsewhere_etag=$(cli get "$ID" | json_get etag)
assert_ne "$elsewhere_etag" "$new_etag" "etag after put --force"

set_field "Device ID" "$ID-stale"
keys F2
wait_for_text "Review the update"
keys y
wait_for_text "HTTP 412"
wait_for_text "412001"
wait_for_text "editing $ID"

final=$(cli get "$ID")
assert_eq "$(json_get deviceId <<<"$final")" changed-elsewhere "deviceId after the refused update"
assert_eq "$(json_get etag <<<"$final")" "$elsewhere_etag" "etag after the refused update"
[ "$(emu_log_count "^PUT /enrollments/$ID 412")" -eq 1 ] || fail "dpsemu did not log one PUT answered 412"
