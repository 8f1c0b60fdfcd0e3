#!/usr/bin/env bash
# A submit the service refuses on every try (500, retries included) must
# not throw the work away: the error window shows HTTP 500, and the draft
# file still holds the registration id typed.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-draft-500

start_tui --retries 1
fill_new_form "$ID" symmetricKey
wait_for_text "✓ ready to submit"
wait_until 5 "the draft never held the registration id" draft_holds registrationId "$ID"

emu_fault "status=500,count=10,method=PUT"
keys F2
wait_for_text "HTTP 500 Internal Server Error"
wait_for_text "after 2 attempts"
wait_until 2 "dpsemu did not log two PUTs answered 500" \
	test "$(emu_log_count "^PUT /enrollments/$ID 500")" -eq 2
cli get "$ID" >/dev/null 2>&1 && fail "the enrollment was made although every PUT failed"

[ -f "$(draft_file)" ] || fail "the draft was deleted after the failed submit"
draft_holds registrationId "$ID" || fail "the draft no longer holds the registration id"
keys Escape
wait_for_no_text "┌─ Submit "
wait_for_text "new enrollment"
wait_for_regex "Registration ID +✓ $ID\$"
draft_holds registrationId "$ID" || fail "the draft lost the registration id after closing the error"
