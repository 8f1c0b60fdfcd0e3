#!/usr/bin/env bash
# An invalid registration id is explained under the field as it is typed,
# and F2 refuses to send: "Not sent", with the focus taken back to the
# field that is wrong, and nothing reaches the service.
. "$(dirname "$0")/lib.sh"
e2e_setup

BAD="-bad id"

# What the form must say: the same first message the offline check gives.
expected=$(printf '{"registrationId":"%s","attestation":{"type":"symmetricKey"}}' "$BAD" |
	cli validate --json - | perl -MJSON::PP -e '
		local $/; my $a = decode_json(<STDIN>);
		for (@$a) { if ($_->{path} eq "registrationId") { print $_->{message}; last } }')
[ -n "$expected" ] || fail "dpsenroll validate found nothing wrong with '$BAD'"

start_tui
wait_for_focus "Registration ID"
keys Enter
type_text "$BAD"
wait_for_regex "^▶ Registration ID +✗ $BAD"
keys Enter

msg=$(message_under_focus)
msg="${msg#"${msg%%[! ]*}"}"
[ -n "$msg" ] || fail "no message under Registration ID"
# The line is clipped to the screen, so it must be the start of the message.
case "$expected" in
"$msg"*) ;;
*) fail "message under Registration ID is '$msg', expected the start of '$expected'" ;;
esac

# With a valid attestation the registration id is the only thing wrong.
choose_attestation symmetricKey
wait_for_focus "Attestation type"

keys F2
wait_for_text "Not sent"
wait_for_focus "Registration ID"
assert_contains "$(focused_row)" "✗" "the focused row has no error mark"
msg=$(message_under_focus)
msg="${msg#"${msg%%[! ]*}"}"
case "$expected" in
"$msg"*) ;;
*) fail "after F2 the message under Registration ID is '$msg', expected the start of '$expected'" ;;
esac
assert_contains "$(screen_line $((E2E_ROWS - 1)))" "Not sent" "summary line"
assert_screen_lacks "HTTP "
[ "$(emu_log_count '^PUT ')" -eq 0 ] || fail "a PUT reached dpsemu"
wait_for_text "new enrollment"
