#!/usr/bin/env bash
# The file browser opens where it was last: after a certificate is read
# from a folder two levels down, the next o opens in that folder, not in
# the one dpsenroll was started from; a folder left with Esc counts too;
# and the next run opens there as well (kept in the private state folder,
# mode 0600).
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-last-01
CERTS=$E2E_TMP/bench/certs
mkdir -p "$CERTS" "$E2E_TMP/other"
make_self_signed_cert "$ID" "$CERTS/$ID.pem" "$E2E_TMP/$ID.key"

start_tui
fill_new_form "$ID" x509
focus_field "Certificate"

keys o
wait_for_browser_in "$E2E_TMP"
browser_open_folder bench "$E2E_TMP/bench"
browser_open_folder certs "$CERTS"
browser_choose "$ID.pem"
wait_for_text "┌─ Certificate "
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +✓ CN=$ID, until "

# The second o: where the certificate was.
keys o
wait_for_browser_in "$CERTS"
_browser_lists "$ID.pem" || fail "the certificate's folder does not list it"
# Up to another folder, then Esc: that one is where the next o opens.
keys BSpace
wait_for_browser_in "$E2E_TMP/bench"
keys BSpace
wait_for_browser_in "$E2E_TMP"
browser_open_folder other "$E2E_TMP/other"
keys Escape
wait_for_no_text "┌─ Open a file: "
keys o
wait_for_browser_in "$E2E_TMP/other"
keys Escape
wait_for_no_text "┌─ Open a file: "

# The next run, kept privately.
LAST=$XDG_STATE_HOME/dpsenroll/last-folder
[ -f "$LAST" ] || fail "no $LAST"
assert_eq "$(stat -c %a "$LAST")" 600 "mode of the last-folder file"
assert_eq "$(stat -c %a "$XDG_STATE_HOME/dpsenroll")" 700 "mode of the state folder"
# The form's draft is offered at the next start; it goes first.
wait_until 5 "the draft never held the registration id" draft_holds registrationId "$ID"
# Gone for good before the next starts: a running form's draft is its own.
kill_tui
start_tui
wait_for_text "Unfinished enrollment"
keys n
wait_for_no_text "Unfinished enrollment"
wait_for_focus "Registration ID"
choose_attestation tpm
focus_field "Endorsement key"
keys o
wait_for_browser_in "$E2E_TMP/other"
