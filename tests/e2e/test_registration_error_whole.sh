#!/usr/bin/env bash
# A device whose registration failed: the technician must read why. The
# registration state's rows take the focus like any other, and i or Enter
# opens the focused one whole, wrapped in a window: the long error
# message, the whole state from its group's row, the etag (the one the
# service stores). Editing keys on them say they are read-only and
# change nothing. At 100x30 and at 80x24.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-reg-failed-01
MESSAGE="The certificate chain could not be verified by the service: the issuing CA certificate was not found among the verified CA certificates of this DPS instance (upload and verify the CA, then register the device again)"
put_fixture <<JSON
{ "registrationId": "$ID", "attestation": { "type": "symmetricKey" } }
JSON
state=$(emu_admin POST "/admin/registrations/$ID" \
	"{\"status\": \"failed\", \"errorCode\": 401002, \"errorMessage\": \"$MESSAGE\"}")
assert_eq "$(json_get errorMessage <<<"$state")" "$MESSAGE" "error message of the simulated registration"
ETAG=$(cli get "$ID" | json_get etag)
[ -n "$ETAG" ] || fail "the stored enrollment has no etag"

# The message lines under the focused row, joined (it wraps at 80).
messages_under_focus() {
	screen | grep -A 3 -m 1 '^▶' | tail -n +2 | grep -E '^ {20,}[^ ]' |
		sed 's/^ *//' | paste -sd ' '
}

# joined TITLE SEP: the window's lines joined with SEP.
joined() {
	window_lines "$1" | paste -sd "$2"
}

check_at() {
	E2E_COLS=$1
	E2E_ROWS=$2
	start_tui -- --load "$ID"
	assert_eq "$(tm display -p -t "$E2E_SESSION" '#{pane_width}x#{pane_height}')" \
		"${1}x$2" "pane size"
	wait_for_text "Loaded $ID"
	wait_for_no_text "(Esc cancels)"

	keys End
	focus_field_up "Error message"
	# cut on its row, and it says so
	wait_for_regex "^▶ +Error message +The certificate chain could not be verified .*…\$"
	assert_contains "$(messages_under_focus)" "i or Enter shows it whole" \
		"message under Error message"
	keys i
	wait_for_text "┌─ Error message "
	assert_contains "$(joined "Error message" " ")" "$MESSAGE" "the error message in its window"
	wait_for_text "Set by the service: it cannot be edited here."
	keys Escape
	wait_for_no_text "┌─ Error message "
	keys Enter
	wait_for_text "┌─ Error message "
	assert_contains "$(joined "Error message" " ")" "$MESSAGE" "the error message opened with Enter"
	keys Escape
	wait_for_no_text "┌─ Error message "

	# editing keys refuse, and say why
	keys Delete
	wait_for_text "Read-only, set by the service; i or Enter shows it whole"
	keys a
	wait_for_regex "^▶ +Error message +The certificate chain"
	assert_screen_lacks "(changed)" "a read-only row was changed"

	# the group's own row opens all of its values
	focus_field_up "Registration state"
	keys i
	wait_for_text "┌─ Registration state "
	assert_contains "$(joined "Registration state" " ")" \
		"Status failed failed: The last registration failed Error code 401002 Error message $MESSAGE" \
		"the registration state in its window"
	keys Escape
	wait_for_no_text "┌─ Registration state "

	focus_field_up "ETag"
	keys i
	wait_for_text "┌─ ETag "
	assert_eq "$(window_lines ETag | head -n 1)" "$ETAG" "the etag in its window"
	keys Escape
	wait_for_no_text "┌─ ETag "
	# ended before the next size opens the same enrollment, which would
	# otherwise find it still open in another window on a slow machine
	keys F10
	wait_for_exit
}

check_at 100 30
check_at 80 24
