#!/usr/bin/env bash
# A crash or a pulled plug must not lose what the technician typed: the
# form saves a draft while they type (mode 0600, in a 0700 folder), so
# after the program is killed outright (SIGKILL: no handler, no chance to
# save at exit) the next start offers it back, and y restores the
# registration id and the attestation type into the form.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-draft-01
STATE=$XDG_STATE_HOME/dpsenroll

start_tui
wait_for_text "new enrollment"
assert_screen_lacks "Unfinished enrollment" "a draft was offered on the first start"
assert_eq "$(draft_count)" 0 "drafts before anything was typed"
fill_new_form "$ID" tpm

# Saved half a second after the typing stops.
wait_until 5 "the draft never held the registration id" draft_holds registrationId "$ID"
wait_until 5 "the draft never held the attestation type" draft_holds attestation.type tpm
pid=$(tui_pid) || fail "no dpsenroll process in the pane"
DRAFT=$(draft_file "$pid")
assert_eq "$(stat -c %a "$DRAFT")" 600 "mode of the draft"
assert_eq "$(stat -c %a "$(draft_dir)")" 700 "mode of the drafts' folder"
assert_eq "$(stat -c %a "$STATE")" 700 "mode of the state folder"

# The killed program leaves the terminal raw, so the shell's EXITED line
# does not start a line: kill_tui waits for the pane's end instead.
kill_tui
assert_eq "$(pane_history | grep -oE 'EXITED [0-9]+' | tail -n 1)" "EXITED 137" \
	"exit status of the killed program"
draft_holds registrationId "$ID" "$pid" || fail "the draft did not survive the kill"

start_tui
wait_for_text "┌─ Unfinished enrollment "
wait_for_text "An enrollment for $ID was being edited and not submitted"
wait_for_text "y: restore"
keys y
wait_for_no_text "┌─ Unfinished enrollment "
wait_for_text "Restored the draft of "
wait_for_regex "Registration ID +✓ $ID\$"
wait_for_regex "Attestation type +✓ tpm\$"
# The restored type brings its own fields back.
wait_for_regex "Endorsement key +✗ \(required\)\$"
wait_for_text "new enrollment"
wait_for_text "(changed)"
