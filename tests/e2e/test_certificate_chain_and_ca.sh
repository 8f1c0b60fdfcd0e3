#!/usr/bin/env bash
# Certificate files that are not a plain device certificate: a chain
# (leaf + CA) gives its leaf and says so; the CA certificate alone (one
# that signs certificates: keyCertSign) is taken but the details window
# warns it is a CA certificate; an expired certificate is marked EXPIRED
# on its row and in the details window.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-chain-01
PKI=$E2E_TMP/pki
mkdir -p "$PKI"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$PKI/ca.key" -out "$E2E_TMP/ca.pem" -days 365 \
	-subj "/CN=Bench Chain CA" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	2>/dev/null || fail "openssl could not make the CA"
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' \
	>"$PKI/leaf.ext"

# csr CN: a new key and its request in $PKI/CN.csr.
csr() {
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$PKI/$1.key" -out "$PKI/$1.csr" -subj "/CN=$1" 2>/dev/null \
		|| fail "openssl req for $1 failed"
}
csr "$ID"
openssl x509 -req -in "$PKI/$ID.csr" -CA "$E2E_TMP/ca.pem" -CAkey "$PKI/ca.key" \
	-CAcreateserial -days 90 -sha256 -extfile "$PKI/leaf.ext" \
	-out "$PKI/leaf.pem" 2>/dev/null || fail "openssl x509 -req for the leaf failed"
cat "$PKI/leaf.pem" "$E2E_TMP/ca.pem" >"$E2E_TMP/chain.pem"

# A certificate valid for one day in 2020. openssl x509 takes -not_before
# only from 3.4 on; openssl ca takes -startdate/-enddate in 3.0 too.
OLD=bench-expired-01
csr "$OLD"
if ! openssl x509 -req -in "$PKI/$OLD.csr" -CA "$E2E_TMP/ca.pem" -CAkey "$PKI/ca.key" \
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
	openssl ca -config "$PKI/ca.cnf" -batch -notext -cert "$E2E_TMP/ca.pem" \
		-keyfile "$PKI/ca.key" -extfile "$PKI/leaf.ext" -in "$PKI/$OLD.csr" \
		-startdate 20200101000000Z -enddate 20200102000000Z \
		-out "$E2E_TMP/expired.pem" 2>/dev/null || fail "openssl ca for the expired certificate failed"
fi
openssl x509 -in "$E2E_TMP/expired.pem" -noout -checkend 0 >/dev/null 2>&1 \
	&& fail "the certificate made to be expired is still valid"

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
wait_for_regex "Attestation type +✓ x509\$"
focus_field "Certificate"

# The chain: its leaf is taken (the window shows the leaf alone) and the
# status line says the CA certificate was dropped.
keys o
browser_choose chain.pem
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$ID +│"
wait_for_regex "│ Issuer +CN=Bench Chain CA +│"
wait_for_line $((E2E_ROWS - 1)) "From the file: kept the device certificate; dropped 1 CA certificate"
assert_screen_lacks "This is a CA certificate" "the chain's leaf was taken for a CA certificate"
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +✓ CN=$ID, until [0-9-]{10}\$"

# The CA certificate alone.
keys o
browser_choose ca.pem
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=Bench Chain CA +│"
wait_for_text "This is a CA certificate"
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +.*CN=Bench Chain CA, until "

# An expired certificate.
keys o
browser_choose expired.pem
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$OLD +│"
wait_for_regex "│ Valid until +2020-01-02.*EXPIRED"
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +.*CN=$OLD, until 2020-01-02 EXPIRED\$"
