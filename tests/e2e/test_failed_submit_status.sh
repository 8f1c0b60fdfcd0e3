#!/usr/bin/env bash
# After a failed submit the window with the details can be closed, and the
# status line still says that nothing was stored, whatever else the
# technician looks at, until the next change to the form: first a 401 from
# the service, then an answer too late after the service stored it (read
# back: applied), then no service at all (dpsemu stopped).
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-fail-status-01
SUMMARY=$((E2E_ROWS - 1))

start_tui --retries 0 --timeout 1
fill_new_form "$ID" symmetricKey
wait_for_text "✓ ready to submit"

emu_fault "status=401,count=1,method=PUT"
keys F2
wait_for_text "┌─ Submit "
wait_for_text "HTTP 401 Unauthorized"
keys Escape
wait_for_no_text "┌─ Submit "
wait_for_line "$SUMMARY" "Not submitted: HTTP 401 Unauthorized"
cli get "$ID" >/dev/null 2>&1 && fail "the enrollment exists although the PUT was refused"

# Looking around changes nothing: moving, help and back.
keys Down
wait_for_focus "Symmetric key"
keys Up
wait_for_focus "Attestation type"
keys F1
wait_for_text "─ Keys "
keys Escape
wait_for_no_text "─ Keys "
wait_for_line "$SUMMARY" "Not submitted: HTTP 401 Unauthorized"

# The next change answers it.
keys Home
wait_for_focus "Registration ID"
set_field "Device ID" dev-1
wait_until "$E2E_TIMEOUT" "the 401 stayed on the status line after an edit" \
	eval '! screen_line "$SUMMARY" | grep -qF "Not submitted"'

# The answer late (past --timeout) after the service stored it: it may
# have been applied, so it is read back, and it was.
emu_fault "delay=3000,after,count=1,method=PUT"
keys F2
wait_for_text "┌─ Submit "
wait_for_text "it may have been applied; read back: applied"
keys Escape
wait_for_no_text "┌─ Submit "
wait_for_line "$SUMMARY" "Submitted $ID"
assert_eq "$(cli get "$ID" | json_get deviceId)" dev-1 "deviceId stored by the PUT whose answer was lost"

# No service: nothing accepted the connection.
kill -TERM "$EMU_PID"
wait "$EMU_PID" 2>/dev/null
set_field "Device ID" dev-2
keys F2
wait_for_text "Review the update"
keys y
wait_for_text "┌─ Submit "
wait_for_text "No answer from the service"
# The advice names the port of the connection string, not 443.
wait_for_text "port $EMU_PORT, or this site needs a proxy"
keys Escape
wait_for_no_text "┌─ Submit "
wait_for_line "$SUMMARY" "Not submitted: nothing accepted the connection"
keys Up
wait_for_focus "Registration ID"
wait_for_line "$SUMMARY" "Not submitted: nothing accepted the connection"
wait_until 5 "the draft does not hold what was typed after the failed submits" \
	draft_holds deviceId dev-2
