#!/usr/bin/env bash
# On the smallest screen (80x24) a technician loads an enrollment whose
# device registered long ago and watches it register again (v): the
# status line counts the wait, whole; the old registration is not taken
# as the answer. When the device registers (simulated by the emulator's
# admin API, as a TPM device would) the outcome window names its hub and
# the form's registration state shows the new one.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-w1
put_fixture <<JSON
{
  "registrationId": "$ID",
  "attestation": { "type": "symmetricKey" }
}
JSON
emu_admin POST "/admin/registrations/$ID" \
	'{"status": "failed", "errorCode": 400209}' >/dev/null

E2E_COLS=80
E2E_ROWS=24
start_tui
wait_for_text "new enrollment"
load_in_form "$ID"
wait_for_text "Loaded $ID"

keys v
wait_for_regex "waiting for $ID to register \\(power it on\\) 0:0[2-9]\$"
# the old failure was there all along: still waiting, nothing shown
assert_screen_lacks "is not registered" "the old state taken as the answer"
register_device "$ID"
wait_for_text "$ID is registered."
wait_for_regex "assignedHub +$E2E_HUB"
# the values stand in one column, the longest name's included
hub_at=$(screen | grep -o ".*assignedHub *" | head -n 1 | wc -m)
time_at=$(screen | grep -o ".*lastUpdatedDateTimeUtc *" | head -n 1 | wc -m)
assert_eq "$time_at" "$hub_at" "where the last update's value starts"
keys Escape
wait_for_no_text "$ID is registered."
keys End
wait_for_regex "^ +Status +assigned\$"
wait_for_regex "^ +Assigned hub +$E2E_HUB\$"

# the messages keep what the live line left out
keys m
wait_for_text "$ID: the registration state there predates this watch"
