#!/usr/bin/env bash
# The title tells whose device is assigned only while the form is about
# that enrollment: once the registration id differs from the loaded one
# (a submit would create a new enrollment), "device: assigned to ..." goes,
# and it comes back when the id is typed back (in another case: ids
# compare case-insensitively).
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-header-01
put_fixture <<JSON
{
  "registrationId": "$ID",
  "attestation": { "type": "symmetricKey" }
}
JSON
register_device "$ID"

title_lacks() {
	! screen_line 1 | grep -qF -- "$1"
}

start_tui --load "$ID"
wait_for_text "Loaded $ID"
wait_for_no_text "(Esc cancels)"
wait_for_line 1 "editing $ID"
wait_for_line 1 "device: assigned to"

wait_for_focus "Registration ID"
set_field "Registration ID" "$ID-copy"
wait_until 2 "the title still says the device is assigned after the id changed" \
	title_lacks "device:"

set_field "Registration ID" BENCH-HEADER-01
wait_for_line 1 "device: assigned to"
