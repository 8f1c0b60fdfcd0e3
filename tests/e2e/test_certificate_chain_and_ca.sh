#!/usr/bin/env bash
# Certificate files that are not a plain device certificate: a chain
# (leaf + CA) gives its leaf and says so; the CA certificate alone (one
# that signs certificates: keyCertSign) is taken but the details window
# warns it is a CA certificate; an expired certificate is marked EXPIRED
# on its row and in the details window.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-chain-01
OLD=bench-expired-01
PKI=$E2E_TMP/pki
make_ca "Bench Chain CA" -addext "keyUsage=critical,keyCertSign,cRLSign"
cp "$PKI/ca.pem" "$E2E_TMP/ca.pem"
make_device_cert "$ID" "$PKI/leaf.pem"
cat "$PKI/leaf.pem" "$E2E_TMP/ca.pem" >"$E2E_TMP/chain.pem"
# A certificate valid for one day in 2020.
make_expired_device_cert "$OLD" "$E2E_TMP/expired.pem"

start_tui
fill_new_form "$ID" x509
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
