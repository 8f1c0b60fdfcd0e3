#!/usr/bin/env bash
# A certificate whose CN cannot be a registration id ("Bench Device #7":
# spaces and '#'): the details window says why instead of offering u, and
# u leaves the registration id as typed.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-cn-01
CN="Bench Device #7"
PKI=$E2E_TMP/pki
mkdir -p "$PKI"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$PKI/ca.key" -out "$PKI/ca.pem" -days 365 \
	-subj "/CN=Bench CN CA" 2>/dev/null || fail "openssl could not make the CA"
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n' >"$PKI/leaf.ext"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$PKI/leaf.key" -out "$PKI/leaf.csr" -subj "/CN=$CN" 2>/dev/null \
	|| fail "openssl req for the leaf failed"
openssl x509 -req -in "$PKI/leaf.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" \
	-CAcreateserial -days 90 -sha256 -extfile "$PKI/leaf.ext" \
	-out "$E2E_TMP/device.pem" 2>/dev/null || fail "openssl x509 -req for the leaf failed"

start_tui
wait_for_text "new enrollment"
wait_for_focus "Registration ID"
keys Enter
type_text "$ID"
keys Enter
wait_for_regex "^▶ Registration ID +✓ $ID\$"
focus_field "Attestation type"
keys Enter
wait_for_text "─ Attestation type "
type_text x
keys Enter
wait_for_no_text "─ Attestation type "
focus_field "Certificate"
keys o
browser_choose device.pem
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$CN +│"
wait_for_text "The CN '$CN' differs from the registration id '$ID'"
wait_for_regex "│ The CN cannot be a registration id: .*' '"
assert_screen_lacks "u: use the CN" "a CN that is not a valid registration id is offered"
keys u
# u is no key of this window: it stays open, and the id is unchanged.
wait_for_text "┌─ Certificate "
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "Registration ID +[✓!] $ID\$"
