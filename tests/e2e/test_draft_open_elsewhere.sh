#!/usr/bin/env bash
# Two windows on one enrollment would each keep their own draft, but the
# later submit would meet a conflict: a second window that loads the
# enrollment a first one has open, or types its registration id, is
# warned, with the first window's process named. A window is not warned
# about itself, nor about an enrollment no other window has open.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-elsewhere-01
OTHER=bench-elsewhere-02
WARNING="┌─ Open in another window "
put_fixture <<JSON
{
  "registrationId": "$ID",
  "attestation": { "type": "symmetricKey" },
  "provisioningStatus": "enabled"
}
JSON

# load ID: F5, the id, Enter, and wait for the request (and the keys
# fetched after it) to be over.
load() {
	request_load "$1"
	wait_for_text "Loaded $1"
	wait_for_no_text "(Esc cancels)"
}

start_tui
pid_a=$(tui_pid) || fail "no dpsenroll process in the first window"
wait_for_text "new enrollment"
load "$ID"
wait_for_text "editing $ID"
assert_screen_lacks "$WARNING" "the first window was warned about itself"

start_tui_beside
wait_for_text "new enrollment"
load "$ID"
wait_for_text "$WARNING"
wait_for_text "$ID is also open in another dpsenroll window (process $pid_a,"
keys Escape
wait_for_no_text "$WARNING"
wait_for_text "editing $ID"

# A third window types the id of a new enrollment that is the same one.
start_tui_beside
wait_for_focus "Registration ID"
keys Enter
type_text "$OTHER"
keys Enter Down
# The id is looked at when typing ends, in the frame that moves the focus.
wait_for_focus "Device ID"
assert_screen_lacks "$WARNING" "warned about an enrollment no other window has open"
keys Up
wait_for_focus "Registration ID"
keys Enter
keys C-u
type_text "$ID"
keys Enter
wait_for_text "$WARNING"
wait_for_regex "$ID is also open in another dpsenroll window \(process [0-9]+,"
keys Escape
wait_for_no_text "$WARNING"

