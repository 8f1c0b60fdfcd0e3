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
wait_for_text "new enrollment"
wait_for_focus "Registration ID"
keys Enter
type_text "$ID"
keys Enter
wait_for_regex "^▶ Registration ID +✓ $ID\$"
# A second change, typed once the first is on screen: keys that arrive
# in the same burst as the very first one are the form's starting point.
keys Down
wait_for_focus "Device ID"
keys Enter
type_text "dev-draft"
keys Enter
wait_for_regex "^▶ Device ID +✓ dev-draft\$"
wait_until 5 "the draft never held the registration id" draft_holds registrationId "$ID"
keys F10
wait_for_text "┌─ Quit "
keys y
wait_for_exit

start_tui
wait_for_text "┌─ Unfinished enrollment "
keys y
wait_for_no_text "┌─ Unfinished enrollment "
wait_for_line "$SUMMARY" "Restored the draft of "
keys Down
wait_for_focus "Device ID"
wait_for_line "$SUMMARY" "Restored the draft of "
keys Enter C-u
type_text "dev-stale"
keys Enter
wait_for_regex "^▶ Device ID +✓ dev-stale\$"
wait_until 2 "'Restored the draft' stayed after an edit" \
	summary_lacks "Restored the draft"

# ---- nothing changed, then a change to review
cat >"$E2E_TMP/enrollment.json" <<JSON
{
  "registrationId": "$ID",
  "attestation": { "type": "symmetricKey" },
  "provisioningStatus": "enabled"
}
JSON
cli put "$E2E_TMP/enrollment.json" >/dev/null 2>&1 || fail "dpsenroll put of the fixture failed"
keys F7
wait_for_text "┌─ New enrollment "
keys y
wait_for_line "$SUMMARY" "New enrollment"
keys F5
wait_for_text "Load an enrollment"
type_text "$ID"
keys Enter
wait_for_text "Loaded $ID"
wait_for_no_text "(Esc cancels)"
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
PKI=$E2E_TMP/pki
mkdir -p "$PKI"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$PKI/ca.key" -out "$E2E_TMP/ca.pem" -days 365 \
	-subj "/CN=Bench Stale CA" 2>/dev/null || fail "openssl could not make the CA"
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n' >"$PKI/leaf.ext"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$PKI/leaf.key" -out "$PKI/leaf.csr" -subj "/CN=$ID" 2>/dev/null \
	|| fail "openssl req for the leaf failed"
openssl x509 -req -in "$PKI/leaf.csr" -CA "$E2E_TMP/ca.pem" -CAkey "$PKI/ca.key" \
	-CAcreateserial -days 90 -sha256 -extfile "$PKI/leaf.ext" \
	-out "$E2E_TMP/leaf.pem" 2>/dev/null || fail "openssl x509 -req for the leaf failed"
cat "$E2E_TMP/leaf.pem" "$E2E_TMP/ca.pem" >"$E2E_TMP/chain.pem"

keys F7
wait_for_text "┌─ New enrollment "
keys y
wait_for_text "new enrollment"
focus_field "Attestation type"
keys Enter
wait_for_text "─ Attestation type "
type_text x
keys Enter
wait_for_no_text "─ Attestation type "
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
