#!/usr/bin/env bash
# Setting one reprovision flag makes the other required: its row says so,
# instead of a default the service would not apply.
. "$(dirname "$0")/lib.sh"
e2e_setup

start_tui
wait_for_text "new enrollment"
focus_field "Migrate device data"
keys Space
wait_for_regex "Migrate device data +✓ \[x\] true"
wait_for_regex "Update hub assignment +✗ \(required\)"
assert_screen_lacks "Update hub assignment       ✗ (not set" \
	"the row of the missing flag still offers a default"
