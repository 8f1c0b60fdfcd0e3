#!/usr/bin/env bash
# A create whose form holds warnings asks first, as an update's review
# does: F2 lists them (an expired certificate, a CN that is not the
# registration id); n goes back with nothing sent and the form as it was;
# y creates the enrollment.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-warn-01
CN=bench-warn-cn
PKI=$E2E_TMP/pki
mkdir -p "$PKI"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$PKI/ca.key" -out "$PKI/ca.pem" -days 365 -subj "/CN=Bench Warn CA" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null \
	|| fail "openssl could not make the CA"
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' \
	>"$PKI/leaf.ext"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$PKI/$CN.key" -out "$PKI/$CN.csr" -subj "/CN=$CN" 2>/dev/null \
	|| fail "openssl req for $CN failed"
# Valid for one day in 2020: openssl x509 takes -not_before from 3.4 on,
# openssl ca takes -startdate/-enddate in 3.0 too.
if ! openssl x509 -req -in "$PKI/$CN.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" \
	-CAcreateserial -sha256 -extfile "$PKI/leaf.ext" \
	-not_before 20200101000000Z -not_after 20200102000000Z \
	-out "$E2E_TMP/expired.pem" 2>/dev/null; then
	mkdir -p "$PKI/newcerts"
	: >"$PKI/index.txt"
	echo 1000 >"$PKI/serial"
	cat >"$PKI/ca.cnf" <<-CNF
		[ ca ]
		default_ca = bench
		[ bench ]
		database = $PKI/index.txt
		new_certs_dir = $PKI/newcerts
		serial = $PKI/serial
		default_md = sha256
		policy = anything
		[ anything ]
		commonName = supplied
	CNF
	openssl ca -config "$PKI/ca.cnf" -batch -notext -cert "$PKI/ca.pem" \
		-keyfile "$PKI/ca.key" -extfile "$PKI/leaf.ext" -in "$PKI/$CN.csr" \
		-startdate 20200101000000Z -enddate 20200102000000Z \
		-out "$E2E_TMP/expired.pem" 2>/dev/null || fail "openssl ca for the expired certificate failed"
fi
openssl x509 -in "$E2E_TMP/expired.pem" -noout -checkend 0 >/dev/null 2>&1 \
	&& fail "the certificate made to be expired is still valid"
THUMB=$(openssl x509 -in "$E2E_TMP/expired.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')

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
browser_choose expired.pem
wait_for_text "┌─ Certificate "
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +! CN=$CN, until 2020-01-02 EXPIRED\$"
wait_for_text "0 errors, 2 warnings"

# F2 asks first and lists both warnings.
keys F2
wait_for_text "┌─ Create with warnings? "
wait_for_text "The form holds 2 warnings:"
wait_for_regex "│ ! Certificate: the certificate expired on 2020-01-02"
wait_for_regex "│ ! Registration ID: the certificate's CN is '$CN'"
wait_for_text "y: create it"

# n: back, nothing sent, nothing lost.
keys n
wait_for_no_text "┌─ Create with warnings? "
wait_for_regex "^▶ +Certificate +! CN=$CN, until 2020-01-02 EXPIRED\$"
wait_for_regex "^  Registration ID +! $ID\$"
[ "$(emu_log_count "^PUT /enrollments/")" -eq 0 ] || fail "n sent the enrollment"
cli get "$ID" >/dev/null 2>&1 && fail "n created the enrollment $ID"

# Esc is n too.
keys F2
wait_for_text "┌─ Create with warnings? "
keys Escape
wait_for_no_text "┌─ Create with warnings? "
[ "$(emu_log_count "^PUT /enrollments/")" -eq 0 ] || fail "Esc sent the enrollment"

# y: created as it is.
keys F2
wait_for_text "┌─ Create with warnings? "
keys y
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
stored=$(cli get "$ID") || fail "dpsenroll get $ID failed after y"
assert_eq "$(json_get attestation.x509.clientCertificates.primary.info.sha256Thumbprint <<<"$stored")" \
	"$THUMB" "SHA-256 thumbprint stored"
[ "$(emu_log_count "^PUT /enrollments/")" -eq 1 ] || fail "dpsenroll did not send exactly one PUT"
