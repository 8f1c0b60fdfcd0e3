#!/usr/bin/env bash
# A request that got no answer at all (the service cannot be reached)
# has no raw response: the window does not offer one (r did nothing).
. "$(dirname "$0")/lib.sh"
e2e_setup

E2E_COLS=80
E2E_ROWS=24
start_tui
wait_for_text "new enrollment"
kill -TERM "$EMU_PID"
wait "$EMU_PID" 2>/dev/null
EMU_PID=
request_load bench-000001
wait_for_text "No answer from the service"
wait_for_text "Enter or Esc: close"
assert_screen_lacks "r: raw response" "a raw response is offered where none came"
