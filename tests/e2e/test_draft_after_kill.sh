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
DRAFT=$STATE/draft.json

# draft_has PATH TEXT: the draft holds TEXT for the field at PATH (the
# draft's fields are keyed by the whole dotted path).
draft_has() {
	[ -f "$DRAFT" ] && perl -MJSON::PP -e '
		local $/;
		open my $fh, "<", $ARGV[0] or exit 1;
		my $j = eval { decode_json(<$fh>) } or exit 1;
		exit(($j->{fields}{$ARGV[1]} // "") eq $ARGV[2] ? 0 : 1);
	' "$DRAFT" "$1" "$2"
}

start_tui
wait_for_text "new enrollment"
assert_screen_lacks "Unfinished enrollment" "a draft was offered on the first start"
[ -e "$DRAFT" ] && fail "a draft exists before anything was typed"
wait_for_focus "Registration ID"
keys Enter
type_text "$ID"
keys Enter
wait_for_regex "^▶ Registration ID +✓ $ID\$"
focus_field "Attestation type"
keys Enter
wait_for_text "─ Attestation type "
type_text t
keys Enter
wait_for_no_text "─ Attestation type "
wait_for_regex "Attestation type +✓ tpm\$"

# Saved half a second after the typing stops.
wait_until 5 "the draft never held the registration id" draft_has registrationId "$ID"
wait_until 5 "the draft never held the attestation type" draft_has attestation.type tpm
assert_eq "$(stat -c %a "$DRAFT")" 600 "mode of the draft"
assert_eq "$(stat -c %a "$STATE")" 700 "mode of the draft's folder"

pid=$(tui_pid) || fail "no dpsenroll process in the pane"
kill -KILL "$pid" || fail "kill -KILL $pid failed"
# The killed program leaves the terminal raw, so the shell's EXITED line
# does not start a line: wait for the pane's end instead.
pane_dead() {
	[ "$(tm display -p -t "$E2E_SESSION" '#{pane_dead}' 2>/dev/null)" = 1 ]
}
wait_until "$E2E_TIMEOUT" "the killed program's pane did not end" pane_dead
assert_eq "$(pane_history | grep -oE 'EXITED [0-9]+' | tail -n 1)" "EXITED 137" \
	"exit status of the killed program"
draft_has registrationId "$ID" || fail "the draft did not survive the kill"

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
