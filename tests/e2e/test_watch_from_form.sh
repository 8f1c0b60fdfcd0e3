#!/usr/bin/env bash
# After submitting, the technician watches the device register (v): the
# status line counts the wait; when the device registers (simulated by the
# emulator's admin API, as a TPM device would) the outcome window names
# its hub and the form's registration state shows it.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-watch-form-01

start_tui
fill_new_form "$ID" symmetricKey
wait_for_text "✓ ready to submit"
keys F2
wait_for_text "Submitted $ID"
keys Escape
wait_for_no_text "HTTP 200 OK"

keys v
wait_for_regex "waiting for $ID to register \\(power it on\\) 0:0[0-9]"
register_device "$ID"
wait_for_text "$ID is registered."
wait_for_regex "assignedHub +$E2E_HUB"
keys Escape
wait_for_no_text "$ID is registered."
keys End
wait_for_regex "^ +Status +assigned\$"
wait_for_regex "^ +Assigned hub +$E2E_HUB\$"
