#!/usr/bin/env bash
# The first keys of a new form arrive in one burst (a paste, a barcode
# scanner typing the id and Enter): they are a change like any other and
# reach the draft, without waiting for a second change.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-burst-01
start_tui
wait_for_text "new enrollment"
wait_for_focus "Registration ID"
# One send-keys: the program reads the whole burst at once.
keys Enter "$ID" Enter
wait_for_regex "^▶ Registration ID +✓ $ID\$"
wait_until "$E2E_TIMEOUT" "the draft never held the id typed in the first burst" \
	draft_holds registrationId "$ID"
