#!/usr/bin/env bash
# An X.509 device at the bench: its certificate (EC P-256, signed by a
# bench CA, CN = registration id) is read with o and the file browser, the
# details window is checked against openssl's own reading, and the
# enrollment the service stores carries the same thumbprint. Then a
# certificate whose CN is not the id typed: DPS registers an X.509 device
# under its CN, so the details window warns and u takes the CN.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-x509-01
OTHER_CN=bench-x509-02
TYPO=bench-x509-2

# make_cert CN: a CA-signed leaf (CA:FALSE) in $E2E_TMP/CN.pem.
make_cert() {
	local cn=$1 dir=$E2E_TMP/pki
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$dir/$cn.key" -out "$dir/$cn.csr" -subj "/CN=$cn" 2>/dev/null \
		|| fail "openssl req for $cn failed"
	printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' \
		>"$dir/leaf.ext"
	openssl x509 -req -in "$dir/$cn.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
		-CAcreateserial -days 90 -sha256 -extfile "$dir/leaf.ext" \
		-out "$E2E_TMP/$cn.pem" 2>/dev/null || fail "openssl x509 -req for $cn failed"
}
mkdir -p "$E2E_TMP/pki"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$E2E_TMP/pki/ca.key" -out "$E2E_TMP/pki/ca.pem" -days 365 \
	-subj "/CN=Bench Test CA" 2>/dev/null || fail "openssl could not make the CA"
make_cert "$ID"
make_cert "$OTHER_CN"

# What openssl says: upper-case hex without colons, and the expiry day.
thumbprint() {
	openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g'
}
expiry_day() {
	date -u -d "$(openssl x509 -in "$1" -noout -enddate | sed 's/notAfter=//')" +%Y-%m-%d
}
THUMB=$(thumbprint "$E2E_TMP/$ID.pem")
UNTIL=$(expiry_day "$E2E_TMP/$ID.pem")
[ ${#THUMB} -eq 64 ] || fail "openssl gave no SHA-256 fingerprint: '$THUMB'"

# pick_x509: the attestation type picker, x509 chosen by its first letter.
pick_x509() {
	focus_field "Attestation type"
	keys Enter
	wait_for_text "─ Attestation type "
	type_text x
	keys Enter
	wait_for_no_text "─ Attestation type "
	wait_for_regex "Attestation type +✓ x509\$"
}

start_tui
wait_for_text "new enrollment"
wait_for_focus "Registration ID"
keys Enter
type_text "$ID"
keys Enter
wait_for_regex "^▶ Registration ID +✓ $ID\$"
pick_x509
focus_field "Certificate"

keys o
browser_choose "$ID.pem"
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$ID +│"
wait_for_regex "│ Issuer +CN=Bench Test CA +│"
wait_for_regex "│ SHA-256 +$THUMB +│"
wait_for_regex "│ Key +EC 256"
assert_screen_lacks "differs from the registration id" "a matching CN was reported as different"
assert_screen_lacks "This is a CA certificate" "the leaf was taken for a CA certificate"
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +✓ CN=$ID, until $UNTIL\$"
wait_for_text "✓ ready to submit"

keys F2
wait_for_text "HTTP 200 OK"
wait_for_regex "│ SHA-256 +$THUMB +│"
wait_for_text "Submitted $ID"
stored=$(cli get "$ID") || fail "dpsenroll get $ID failed"
assert_eq "$(json_get attestation.type <<<"$stored")" x509 "attestation type stored"
assert_eq "$(json_get attestation.x509.clientCertificates.primary.info.sha256Thumbprint <<<"$stored")" \
	"$THUMB" "SHA-256 thumbprint stored"
assert_eq "$(json_get attestation.x509.clientCertificates.primary.info.subjectName <<<"$stored")" \
	"CN=$ID" "subject stored"
keys Escape
wait_for_no_text "HTTP 200 OK"

# A certificate that belongs to another device than the id typed.
keys F7
wait_for_text "new enrollment"
keys Home
wait_for_focus "Registration ID"
keys Enter
type_text "$TYPO"
keys Enter
wait_for_regex "^▶ Registration ID +✓ $TYPO\$"
pick_x509
focus_field "Certificate"
keys o
browser_choose "$OTHER_CN.pem"
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$OTHER_CN +│"
wait_for_regex "│ SHA-256 +$(thumbprint "$E2E_TMP/$OTHER_CN.pem") +│"
wait_for_text "The CN '$OTHER_CN' differs from the registration id '$TYPO'"
wait_for_text "u: use the CN as the registration id"
keys u
wait_for_no_text "┌─ Certificate "
wait_for_regex "Registration ID +✓ $OTHER_CN\$"
wait_for_text "Registration id set to the certificate's CN, $OTHER_CN"
wait_for_regex "Certificate +✓ CN=$OTHER_CN, until "

keys F2
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $OTHER_CN"
assert_eq "$(cli get "$OTHER_CN" | json_get attestation.x509.clientCertificates.primary.info.subjectName)" \
	"CN=$OTHER_CN" "subject stored under the CN"
cli get "$TYPO" >/dev/null 2>&1 && fail "an enrollment was made under the mistyped id $TYPO"
[ "$(emu_log_count "^PUT /enrollments/")" -eq 2 ] || fail "dpsemu did not log exactly two PUTs"
