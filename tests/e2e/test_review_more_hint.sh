#!/usr/bin/env bash
# The review of an update says "(PgDn shows more)" only when its content
# does not fit in the window: not for one change, yes for forty twin tags
# changed at once (listed key by key), where PgDn then reaches the last.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-more-01
HINT="(PgDn shows more)"
# tags VALUE: forty tags, all set to VALUE, as JSON members.
tags() {
	perl -e 'print join(",", map { sprintf("\"tag%02d\":\"%s\"", $_, $ARGV[0]) } 1 .. 40)' "$1"
}
put_fixture <<JSON
{
  "registrationId": "$ID",
  "attestation": { "type": "symmetricKey" },
  "provisioningStatus": "enabled",
  "initialTwin": { "tags": { $(tags old) } }
}
JSON

start_tui
wait_for_text "new enrollment"
load_in_form "$ID"
wait_for_text "Loaded $ID"
wait_for_line 1 "editing $ID"

# One change: everything fits.
focus_field "Provisioning status"
keys Right
wait_for_regex "^▶ Provisioning status +✓ disabled\$"
keys F2
wait_for_text "Review the update"
wait_for_text "~ Provisioning status: enabled -> disabled"
wait_for_text "y: send it    n or Esc: back to the form"
assert_screen_lacks "$HINT" "the hint shows although the review fits"
keys n
wait_for_no_text "Review the update"
keys Left
wait_for_regex "^▶ Provisioning status +✓ enabled\$"

# Forty changed tags do not fit in 30 rows.
keys Home
wait_for_focus "Registration ID"
focus_field "Twin tags"
keys C-k
wait_for_regex "^▶ +Twin tags +\(not set\)\$"
keys Enter
wait_for_text "─ Twin tags "
type_text "{$(tags new)}"
keys Escape
wait_for_no_text "─ Twin tags "
wait_for_regex "^▶ +Twin tags +✓ \{\"tag01\":\"new\""
keys F2
wait_for_text "Review the update"
wait_for_text "y: send it    n or Esc: back to the form    $HINT"
wait_for_text "40 changes to the enrollment on the service:"
wait_for_text "~ Twin tags: tag01: \"old\" -> \"new\""
assert_screen_lacks "~ Twin tags: tag40" "the last tag is in view before PgDn"
keys PgDn
keys PgDn
wait_for_text "~ Twin tags: tag40: \"old\" -> \"new\""
keys n
wait_for_no_text "Review the update"
