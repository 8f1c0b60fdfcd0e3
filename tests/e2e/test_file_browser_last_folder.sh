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
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$E2E_TMP/$ID.key" -out "$CERTS/$ID.pem" -days 90 -subj "/CN=$ID" \
	2>/dev/null || fail "openssl could not make the certificate"

browser_in() {
	wait_for_regex "┌─ Open a file: $1 ─"
}
# open_folder NAME PATH: in the open browser, moves down to folder NAME
# as a person would, presses Enter and waits to be in PATH.
open_folder() {
	local pos i
	wait_until 2 "'$1/' is not listed in the file browser" _browser_lists "$1/"
	pos=$(browser_names | grep -nxF -- "$1/" | cut -d: -f1)
	for ((i = 1; i < pos; i++)); do keys Down; done
	wait_until 2 "'$1/' is not highlighted in the file browser" _browser_selected "$1/"
	keys Enter
	browser_in "$2"
}
pick_type() {
	focus_field "Attestation type"
	keys Enter
	wait_for_text "─ Attestation type "
	type_text "$1"
	keys Enter
	wait_for_no_text "─ Attestation type "
}

start_tui
wait_for_text "new enrollment"
wait_for_focus "Registration ID"
keys Enter
type_text "$ID"
keys Enter
pick_type x
focus_field "Certificate"

keys o
browser_in "$E2E_TMP"
open_folder bench "$E2E_TMP/bench"
open_folder certs "$CERTS"
browser_choose "$ID.pem"
wait_for_text "┌─ Certificate "
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +✓ CN=$ID, until "

# The second o: where the certificate was.
keys o
browser_in "$CERTS"
_browser_lists "$ID.pem" || fail "the certificate's folder does not list it"
# Up to another folder, then Esc: that one is where the next o opens.
keys BSpace
browser_in "$E2E_TMP/bench"
keys BSpace
browser_in "$E2E_TMP"
open_folder other "$E2E_TMP/other"
keys Escape
wait_for_no_text "┌─ Open a file: "
keys o
browser_in "$E2E_TMP/other"
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
pick_type t
focus_field "Endorsement key"
keys o
browser_in "$E2E_TMP/other"
