#!/usr/bin/env bash
# The file browser lists only the files the field takes, folders always:
# for a certificate .pem .crt .cer .der, for a TPM key .pub .tss .pem
# .bin; it says how many others there are, and Ctrl-A shows every file
# and back. A file that is left out can still be chosen after Ctrl-A.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-filter-01
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$E2E_TMP/$ID.key" -out "$E2E_TMP/$ID.pem" -days 90 -subj "/CN=$ID" \
	2>/dev/null || fail "openssl could not make the certificate"
cp "$E2E_TMP/$ID.pem" "$E2E_TMP/gateway.CRT"
cp "$E2E_TMP/$ID.pem" "$E2E_TMP/device.txt"
openssl x509 -in "$E2E_TMP/$ID.pem" -outform DER -out "$E2E_TMP/device.der" \
	|| fail "openssl could not write the DER"
openssl genrsa 2048 2>/dev/null | openssl rsa -pubout -out "$E2E_TMP/ek.pub" 2>/dev/null \
	|| fail "openssl could not make the RSA public key"
echo "bench notes" >"$E2E_TMP/notes.txt"
mkdir -p "$E2E_TMP/jig"

lists() {
	wait_until 2 "'$1' is not listed in the file browser" _browser_lists "$1"
}
lacks() {
	browser_names | grep -qxF -- "$1" && fail "'$1' is listed in the file browser"
	return 0
}
pick_type() {
	keys Home
	wait_for_focus "Registration ID"
	focus_field "Attestation type"
	keys Enter
	wait_for_text "─ Attestation type "
	type_text "$1"
	keys Enter
	wait_for_no_text "─ Attestation type "
}

start_tui
wait_for_text "new enrollment"
wait_for_focus "Registration ID"
keys Enter
type_text "$ID"
keys Enter
pick_type x
focus_field "Certificate"

# In the start folder there are also dpsenroll's own test files (emu/,
# dpsemu.log, tmux.conf ...): folders stay, other files go.
keys o
wait_for_text "┌─ Open a file: $E2E_TMP "
lists "$ID.pem"
lists "gateway.CRT"
lists "device.der"
lists "jig/"
lists "../"
lacks "notes.txt"
lacks "device.txt"
lacks "ek.pub"
lacks "$ID.key"
lacks "tmux.conf"
wait_for_regex "Only certificates \(\.pem \.crt \.cer \.der\); Ctrl-A: [0-9]+ more files"
keys C-a
lists "notes.txt"
lists "device.txt"
lists "ek.pub"
wait_for_text "All files; Ctrl-A: only certificates"
# A certificate with a name the filter does not know is read all the same.
browser_choose device.txt
wait_for_text "┌─ Certificate "
wait_for_regex "│ Subject +CN=$ID +│"
keys Escape
wait_for_no_text "┌─ Certificate "

# Each time the browser opens it shows only what the field takes again.
keys o
wait_for_text "┌─ Open a file: $E2E_TMP "
lacks "notes.txt"
lists "$ID.pem"
keys Escape
wait_for_no_text "┌─ Open a file: "

# A TPM key field takes .pub, .tss, .pem and .bin.
pick_type t
focus_field "Endorsement key"
keys o
wait_for_text "┌─ Open a file: $E2E_TMP "
lists "ek.pub"
lists "$ID.pem"
lacks "gateway.CRT"
lacks "device.der"
lacks "notes.txt"
wait_for_regex "Only TPM keys \(\.pub \.tss \.pem \.bin\); Ctrl-A: [0-9]+ more files"
browser_choose ek.pub
wait_for_text "┌─ TPM key "
wait_for_text "Converted: assumed the standard EK template"
keys Escape
wait_for_no_text "┌─ TPM key "

# The help lists the browser's keys, from the same key table.
keys F1
wait_for_text "─ Keys "
for i in 1 2 3 4 5 6 7 8; do keys NPage; done
wait_for_text "In the file browser"
wait_for_regex "│ +Ctrl-A +Show every file, or only those the field takes"
wait_for_regex "│ +Tab +Complete the typed name or path"
