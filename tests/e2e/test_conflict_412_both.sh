#!/usr/bin/env bash
# Both sides changed the same field: the technician's device id and
# someone else's. After the 412 the window lists it once, under "Changed
# by both" where it asks to be checked, not again among the edits
# re-applied; the form keeps the technician's value.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-412-both
printf '{"registrationId":"%s","deviceId":"%s","attestation":{"type":"symmetricKey"}}' \
	"$ID" "$ID" | put_fixture
start_tui
wait_for_text "new enrollment"
load_in_form "$ID"
wait_for_text "Loaded $ID with its keys"
set_field "Device ID" "dev-one"
change_elsewhere "$ID" deviceId dev-two
keys F2
wait_for_text "Review the update"
keys y
wait_for_text "┌─ Changed on the service "
wait_for_text "Changed by both (yours kept; check them):"
wait_for_text "~ Device ID: dev-two -> dev-one"
assert_eq "$(screen | grep -cF -- "~ Device ID: dev-two -> dev-one")" 1 \
	"lines giving the device id changed by both"
assert_screen_lacks "Your changes, re-applied:" \
	"a heading over no change of the technician's own"
keys Escape
wait_for_no_text "┌─ Changed on the service "
wait_for_regex "^▶ Device ID +✓ dev-one\$"
