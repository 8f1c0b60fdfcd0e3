#!/usr/bin/env bash
# An enrollment whose device has registered (dpsemu's admin API simulates
# the registration). The PUT answer carries no registration state, yet the
# form must keep knowing the device is assigned after an update: the title
# keeps saying so, and disabling the enrollment again, two updates later,
# still warns that the registered device will be refused.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-assigned-01
WARNING="! the device is registered (assigned to"
put_fixture <<JSON
{
  "registrationId": "$ID",
  "attestation": { "type": "symmetricKey" },
  "provisioningStatus": "enabled"
}
JSON
register_device "$ID"

start_tui
wait_for_text "new enrollment"
load_in_form "$ID"
wait_for_text "Loaded $ID"
wait_for_line 1 "editing $ID"
wait_for_line 1 "device: assigned to"

# submit_status STATUS: F2 and y on a form whose provisioning status was
# just set to STATUS; waits for the answer and closes it.
submit_status() {
	keys F2
	wait_for_text "Review the update"
	wait_for_regex "~ Provisioning status: [a-z]+ -> $1"
	keys y
	wait_for_no_text "Review the update"
	wait_for_text "HTTP 200 OK"
	wait_for_text "Submitted $ID"
	keys Escape
	wait_for_no_text "HTTP 200 OK"
	assert_eq "$(cli get "$ID" | json_get provisioningStatus)" "$1" "provisioningStatus stored"
}

focus_field "Provisioning status"
keys Right
wait_for_regex "^▶ Provisioning status +✓ disabled\$"
keys F2
wait_for_text "Review the update"
wait_for_text "$WARNING $E2E_HUB)"
keys n
wait_for_no_text "Review the update"
submit_status disabled
wait_for_line 1 "device: assigned to"

keys Left
wait_for_regex "^▶ Provisioning status +✓ enabled\$"
keys F2
wait_for_text "Review the update"
assert_screen_lacks "$WARNING" "enabling the enrollment warned about the registered device"
keys n
wait_for_no_text "Review the update"
submit_status enabled
wait_for_line 1 "device: assigned to"

keys Space
wait_for_regex "^▶ Provisioning status +✓ disabled\$"
keys F2
wait_for_text "Review the update"
wait_for_text "~ Provisioning status: enabled -> disabled"
wait_for_text "$WARNING $E2E_HUB)"
wait_for_line 1 "device: assigned to"
keys n
wait_for_no_text "Review the update"
wait_for_regex "^▶ Provisioning status +✓ disabled\$"
