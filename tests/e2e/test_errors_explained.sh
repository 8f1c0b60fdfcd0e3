#!/usr/bin/env bash
# A technician meeting an error needs to know what it means and what to
# do, not only a code. Two of the commonest at a bench: the DPS's CA not
# trusted (dpsemu without --cacert / DPSENROLL_CACERT), which must point
# at --cacert, and a connection string with the wrong key (401), whose raw
# answer r shows as the service sent it.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-err-01
CACERT=$DPSENROLL_CACERT
# The tmux server starts with the first TUI and hands its environment to
# every session: without the CA here, the first TUI trusts only the system.
unset DPSENROLL_CACERT

start_tui
wait_for_text "new enrollment"
request_load "$ID"
wait_for_text "┌─ Load "
wait_for_text "No answer from the service"
wait_for_regex "│ What it means: .*CA"
wait_for_regex "│ What to do: .*--cacert"
assert_screen_lacks "HTTP " "an answer is reported where the TLS handshake failed"
# No request may have reached dpsemu's handlers.
[ "$(emu_log_count "^GET /enrollments/$ID ")" -eq 0 ] || fail "dpsemu answered a request over an untrusted connection"
keys Escape
wait_for_no_text "┌─ Load "
wait_for_text "new enrollment"

# Same host and policy, another key: not a secret, so it may go on the
# command line of the session.
other_key=$(head -c 32 /dev/urandom | base64)
bad_cs=$(sed "s|SharedAccessKey=[^;]*|SharedAccessKey=$other_key|" "$EMU_DATA/connection-string")
assert_ne "$bad_cs" "$(cat "$EMU_DATA/connection-string")" "connection string with another key"
start_tui -e "DPS_CONNECTION_STRING=$bad_cs" -e "DPSENROLL_CACERT=$CACERT"
fill_new_form "$ID" symmetricKey
wait_for_text "✓ ready to submit"
keys F2
wait_for_text "┌─ Submit "
wait_for_text "HTTP 401 Unauthorized"
wait_for_regex "│ errorCode +401002 "
wait_for_regex "│ What it means: .*(key|credentials)"
wait_for_regex "│ What to do: .*connection string"
wait_until 2 "dpsemu did not log the PUT answered 401" \
	test "$(emu_log_count "^PUT /enrollments/$ID 401")" -eq 1
tracking=$(screen | sed -nE 's/.*│ trackingId +([0-9a-f-]{36}) .*/\1/p')
[ -n "$tracking" ] || fail "no trackingId in the 401 window"

# The raw answer, as sent: read out of the window, wrapped or not.
raw_text() {
	screen | perl -CSD -Mutf8 -ne '
		if (!defined $col) {
			if (/┌─ Raw response/) { $col = $-[0]; }
			next;
		}
		last if substr($_, $col, 1) eq "└";
		my $inner = substr($_, $col + 1);
		$inner =~ s/│.*//s;
		print $inner;
	' | tr -d ' \n'
}
_raw_has() {
	local want=${1// /}
	[[ "$(raw_text)" == *"$want"* ]]
}
keys r
wait_for_text "┌─ Raw response"
for part in '"errorCode":401002' "\"trackingId\":\"$tracking\"" \
	'"message":"Unauthorized"' \
	'"reason":"the signature does not match; check the shared access key"'; do
	wait_until 2 "the raw response does not show $part" _raw_has "$part"
done
keys r
wait_for_text "HTTP 401 Unauthorized"
keys Escape
wait_for_no_text "┌─ Submit "
wait_for_line $((E2E_ROWS - 1)) "Not submitted: HTTP 401 Unauthorized (401002)"
wait_for_text "new enrollment"

# The refused submission is journaled as such.
last=$(tail -n 1 "$XDG_STATE_HOME/dpsenroll/journal.jsonl") || fail "no journal"
assert_eq "$(json_get outcome <<<"$last")" failed "outcome journaled"
assert_eq "$(json_get status <<<"$last")" 401 "status journaled"
assert_eq "$(json_get errorCode <<<"$last")" 401002 "errorCode journaled"
