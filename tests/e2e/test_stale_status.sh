#!/usr/bin/env bash
# News on the status line belongs to the action that made it and goes when
# that action is superseded: "Restored the draft" at the first edit,
# "Nothing changed ... not sent" once there is a change to review, "a chain
# of 2 certificates" when the next file holds a single certificate (even
# the same leaf, so the field's text does not change).
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-stale-01
SUMMARY=$((E2E_ROWS - 1))

summary_lacks() {
	! screen_line "$SUMMARY" | grep -qF -- "$1"
}

# ---- a restored draft, then an edit
start_tui
fill_new_form "$ID"
# A second change, typed once the first is on screen: keys that arrive
# in the same burst as the very first one are the form's starting point.
set_field "Device ID" dev-draft
wait_until 5 "the draft never held the registration id" draft_holds registrationId "$ID"
restart_restoring_draft
wait_for_no_text "┌─ Unfinished enrollment "
wait_for_line "$SUMMARY" "Restored the draft of "
keys Down
wait_for_focus "Device ID"
wait_for_line "$SUMMARY" "Restored the draft of "
set_field "Device ID" dev-stale
wait_until 2 "'Restored the draft' stayed after an edit" \
	summary_lacks "Restored the draft"

# ---- nothing changed, then a change to review
put_fixture <<JSON
{
  "registrationId": "$ID",
  "attestation": { "type": "symmetricKey" },
  "provisioningStatus": "enabled"
}
JSON
keys F7
wait_for_text "┌─ New enrollment "
keys y
wait_for_line "$SUMMARY" "New enrollment"
load_in_form "$ID"
wait_for_text "Loaded $ID"
wait_for_line 1 "editing $ID"
keys F2
wait_for_line "$SUMMARY" "Nothing changed since it was loaded; not sent"
focus_field "Provisioning status"
keys Right
wait_for_regex "^▶ Provisioning status +✓ disabled\$"
keys F2
wait_for_text "Review the update"
wait_for_text "~ Provisioning status: enabled -> disabled"
summary_lacks "Nothing changed" || fail "'Nothing changed ... not sent' is on the status line during the review"
keys n
wait_for_no_text "Review the update"
summary_lacks "Nothing changed" || fail "'Nothing changed ... not sent' came back after the review"

# ---- a chain, then a single certificate
make_ca "Bench Stale CA"
make_device_cert "$ID" "$E2E_TMP/leaf.pem"
cat "$E2E_TMP/leaf.pem" "$E2E_TMP/pki/ca.pem" >"$E2E_TMP/chain.pem"

keys F7
wait_for_text "┌─ New enrollment "
keys y
wait_for_text "new enrollment"
choose_attestation x509
focus_field "Certificate"
keys o
browser_choose chain.pem
wait_for_text "┌─ Certificate "
wait_for_line "$SUMMARY" "From the file: kept the device certificate; dropped 1 CA certificate"
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_line "$SUMMARY" "dropped 1 CA certificate"
keys o
browser_choose leaf.pem
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$ID +│"
summary_lacks "dropped 1 CA" || fail "'dropped 1 CA certificate' is on the status line after a single certificate"
keys Escape
wait_for_no_text "┌─ Certificate "
summary_lacks "dropped 1 CA" || fail "'dropped 1 CA certificate' came back after the window closed"
