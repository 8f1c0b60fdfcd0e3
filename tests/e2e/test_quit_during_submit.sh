#!/usr/bin/env bash
# Quitting or cancelling while a submit is on its way (dpsemu holds the PUT
# for 3 s). q must say that a request is running, not only that the form
# has changes, and n must keep the program, which then shows the answer
# with the keys the service made. Esc cancels the wait but the service may
# already have done the work, and the status must say so rather than claim
# nothing happened.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-quit-run-01
QUESTION="┌─ Quit "

start_tui
fill_new_form "$ID" symmetricKey
wait_for_text "✓ ready to submit"

emu_fault "delay=3000,count=1,method=PUT"
keys F2
wait_for_text "submitting $ID"
keys q
wait_for_text "$QUESTION"
wait_for_text "A submit is still running"
_has_text "(Esc cancels)" \
	|| fail "the submit ended before the question was asked; the test proves nothing"
keys n
wait_for_no_text "$QUESTION"
assert_screen_lacks "EXITED" "the program ended after 'n'"

# The request went on: its answer and the generated keys are shown.
wait_for_text "HTTP 200 OK"
wait_for_text "The service generated these keys. Store them now"
wait_for_text "Submitted $ID"
wait_for_text "editing $ID"
_exited && fail "the program ended after 'n'"
[ "$(emu_log_count "^PUT /enrollments/$ID 200")" -eq 1 ] || fail "dpsemu did not log one PUT of $ID"
keys Escape
wait_for_no_text "HTTP 200 OK"

# Cancelling an update during the wait.
keys Home
wait_for_focus "Registration ID"
set_field "Device ID" "$ID-dev"
emu_fault "delay=3000,count=1,method=PUT"
keys F2
wait_for_text "Review the update"
keys y
wait_for_no_text "Review the update"
wait_for_text "submitting $ID"
keys Escape
wait_for_text "Cancelled; the service may have applied it already"
wait_for_no_text "(Esc cancels)"
assert_screen_lacks "the form is as it was" "a cancelled submit was reported as having changed nothing"
wait_for_regex "^▶ Device ID +✓ $ID-dev\$"
