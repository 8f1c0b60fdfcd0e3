#!/usr/bin/env bash
# The last step of a bench enrollment, from the form: a technician submits
# a symmetric-key enrollment, then registers the device as it would (r),
# confirms, and sees the hub it was assigned to; the form's registration
# state shows it, and the service holds it.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-reg-form-01
export DPS_ID_SCOPE DPS_GLOBAL_ENDPOINT
DPS_ID_SCOPE=$(<"$EMU_DATA/id-scope")
DPS_GLOBAL_ENDPOINT=${EMU_URL#https://}

start_tui
fill_new_form "$ID" symmetricKey
wait_for_text "✓ ready to submit"
keys F2
wait_for_text "Submitted $ID; v watches the device register, r registers it"
keys Escape
wait_for_no_text "HTTP 200 OK"

keys r
wait_for_text "Register $ID as the device would?"
wait_for_text "This provisions the device into an IoT hub now"
keys y
wait_for_text "$ID is registered."
state=$(cli regstate "$ID") || fail "dpsenroll regstate $ID failed: $state"
assert_eq "$(json_get status <<<"$state")" assigned "stored registration status"
hub=$(json_get assignedHub <<<"$state")
[ -n "$hub" ] || fail "the stored state names no hub: $state"
wait_for_regex "assignedHub +$hub"
wait_for_regex "deviceId +$ID"
wait_for_regex "substatus +initialAssignment"
keys Escape
wait_for_no_text "$ID is registered."

# The form's registration state is the new one, without a reload.
keys End
wait_for_regex "^ +Status +assigned\$"
wait_for_regex "^ +Assigned hub +$hub\$"
wait_for_regex "^ +Substatus +initialAssignment\$"

grep -q "\"registrationId\":\"$ID\",\"operation\":\"register\",\"outcome\":\"ok\"" \
	"$XDG_STATE_HOME/dpsenroll/journal.jsonl" ||
	fail "the journal has no register entry for $ID"

# An update afterwards keeps showing the new state (the service's answer
# to a PUT has none of its own).
keys Home
set_field "Device ID" "$ID-dev"
keys F2
wait_for_text "Review the update"
keys y
wait_for_text "HTTP 200 OK"
keys Escape
wait_for_no_text "HTTP 200 OK"
keys End
wait_for_regex "^ +Status +assigned\$"
wait_for_regex "^ +Assigned hub +$hub\$"
