#!/usr/bin/env bash
# A technician pastes a device's key file together with its certificate
# chain into the Certificate field (`cat device.key device.pem ca.pem`, a
# common thing to paste). The private key is never kept: not in the draft
# saved while the editor is still open, not in the field once the editor
# closes, not in the request, not in the journal. The field keeps the
# device certificate alone and says what it dropped, and the service
# stores exactly that certificate.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-keypaste-01
CERT_PATH=attestation.x509.clientCertificates.primary.certificate
make_ca "Bench Paste CA"
cp "$E2E_TMP/pki/ca.pem" "$E2E_TMP/ca.pem"
make_device_cert "$ID" "$E2E_TMP/device.pem" "$E2E_TMP/device.key"
grep -q -- "-----BEGIN PRIVATE KEY-----" "$E2E_TMP/device.key" \
	|| fail "openssl wrote no PKCS#8 private key"
cat "$E2E_TMP/device.key" "$E2E_TMP/device.pem" "$E2E_TMP/ca.pem" >"$E2E_TMP/bundle.pem"
cat "$E2E_TMP/device.pem" "$E2E_TMP/ca.pem" >"$E2E_TMP/chain.pem"
LEAF_SHA256=$(cert_thumbprint "$E2E_TMP/device.pem")
# Once the paste is in, the editor's cursor is on the line after it.
LAST_LINE=$(( $(grep -c '' "$E2E_TMP/bundle.pem") + 1 ))

EDITOR_TITLE="─ Certificate: paste it"

# no_key_in FILE...: the files exist, with neither a PRIVATE KEY line nor
# a line of the key.
no_key_in() {
	local f
	for f in "$@"; do
		[ -f "$f" ] || return 1
	done
	grep -aqF "PRIVATE KEY" -- "$@" && return 1
	! files_hold_lines_of "$E2E_TMP/device.key" "$@"
}

start_tui
fill_new_form "$ID" x509
focus_field "Certificate"

# The key file picked by mistake with o: not used, and said why.
keys o
# A key file is not among what the field takes: Ctrl-A lists every file.
wait_for_text "┌─ Open a file: "
keys C-a
browser_choose device.key
wait_for_text "┌─ Certificate "
wait_for_text "Not kept: this is a private key (-----BEGIN PRIVATE KEY-----); it stays on the"
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +✗ \(required\)\$"

keys Enter
wait_for_text "$EDITOR_TITLE"
paste_file "$E2E_TMP/bundle.pem"
wait_for_text "cursor $LAST_LINE:1"
# While it is open, the editor says what is wrong with the text.
wait_for_text "a private key (-----BEGIN PRIVATE KEY-----) is here with the cert"

# The draft is saved while the editor is still open: it holds the paste
# without its key.
wait_until "$E2E_TIMEOUT" "the draft does not hold the paste without its key" \
	draft_holds_file "$CERT_PATH" "$E2E_TMP/chain.pem"
no_key_in "$(draft_file)" || fail "the draft holds the private key"

# Closing the editor keeps the device certificate alone, and says what
# went, as reading the same file with o does.
keys Escape
wait_for_no_text "$EDITOR_TITLE"
wait_for_text "┌─ Certificate "
wait_for_text "Kept the device certificate; dropped a private key and 1 CA certificate"
wait_for_regex "│ Subject +CN=$ID +│"
wait_for_text "Certificate: kept the device certificate; dropped a private key"
keys Escape
wait_for_no_text "┌─ Certificate "
wait_for_regex "^▶ +Certificate +✓ CN=$ID, until [0-9-]{10}\$"
# What the field holds now (the draft saves it as it is): the device
# certificate alone, as the device's file has it.
wait_until "$E2E_TIMEOUT" "the field does not hold the device certificate alone" \
	draft_holds_file "$CERT_PATH" "$E2E_TMP/device.pem"
no_key_in "$(draft_file)" || fail "the draft holds the private key"

keys F2
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
keys Escape
wait_for_no_text "HTTP 200 OK"

# What the service stores: the info read from the leaf, for both slots...
got=$(cli get "$ID") || fail "dpsenroll get $ID failed"
for slot in primary secondary; do
	sha=$(json_get "attestation.x509.clientCertificates.$slot.info.sha256Thumbprint" <<<"$got")
	assert_eq "$sha" "$LEAF_SHA256" "SHA-256 thumbprint of the stored $slot certificate"
done
assert_contains "$got" "\"subjectName\"" "the stored enrollment"
case "$got" in
*"PRIVATE KEY"*) fail "dpsenroll get shows a private key" ;;
esac
# ...and, in its database files, the leaf's text alone: neither the key
# nor the CA certificate.
store=$(emu_store_files)
[ -n "$store" ] || fail "dpsemu has no database files"
# shellcheck disable=SC2086
files_hold_lines_of "$E2E_TMP/device.pem" $store || fail "the device certificate is not in dpsemu's store"
# shellcheck disable=SC2086
no_key_in $store || fail "the private key reached dpsemu's store"
# shellcheck disable=SC2086
files_hold_lines_of "$E2E_TMP/ca.pem" $store && fail "the CA certificate reached dpsemu's store"

journal=$XDG_STATE_HOME/dpsenroll/journal.jsonl
[ -s "$journal" ] || fail "the submit was not journalled"
no_key_in "$journal" || fail "the journal holds the private key"
if [ -f "$(draft_file)" ]; then
	no_key_in "$(draft_file)" || fail "the draft holds the private key"
fi
