#!/usr/bin/env bash
# The file browser lists only the files the field takes, folders always:
# for a certificate .pem .crt .cer .der, for a TPM key .pub .tss .pem
# .bin; it says how many others there are, and Ctrl-A shows every file
# and back. A file that is left out can still be chosen after Ctrl-A.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-filter-01
make_self_signed_cert "$ID" "$E2E_TMP/$ID.pem" "$E2E_TMP/$ID.key"
cp "$E2E_TMP/$ID.pem" "$E2E_TMP/gateway.CRT"
cp "$E2E_TMP/$ID.pem" "$E2E_TMP/device.txt"
openssl x509 -in "$E2E_TMP/$ID.pem" -outform DER -out "$E2E_TMP/device.der" \
	|| fail "openssl could not write the DER"
make_rsa_public_key "$E2E_TMP/ek.pub"
echo "bench notes" >"$E2E_TMP/notes.txt"
mkdir -p "$E2E_TMP/jig"

start_tui
fill_new_form "$ID" x509
focus_field "Certificate"

# In the start folder there are also dpsenroll's own test files (emu/,
# dpsemu.log, tmux.conf ...): folders stay, other files go.
keys o
wait_for_text "┌─ Open a file: $E2E_TMP "
browser_lists "$ID.pem"
browser_lists "gateway.CRT"
browser_lists "device.der"
browser_lists "jig/"
browser_lists "../"
browser_lacks "notes.txt"
browser_lacks "device.txt"
browser_lacks "ek.pub"
browser_lacks "$ID.key"
browser_lacks "tmux.conf"
wait_for_regex "Only certificates \(\.pem \.crt \.cer \.der\); Ctrl-A: [0-9]+ more files"
keys C-a
browser_lists "notes.txt"
browser_lists "device.txt"
browser_lists "ek.pub"
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
browser_lacks "notes.txt"
browser_lists "$ID.pem"
keys Escape
wait_for_no_text "┌─ Open a file: "

# A TPM key field takes .pub, .tss, .pem and .bin.
keys Home
wait_for_focus "Registration ID"
choose_attestation tpm
focus_field "Endorsement key"
keys o
wait_for_text "┌─ Open a file: $E2E_TMP "
browser_lists "ek.pub"
browser_lists "$ID.pem"
browser_lacks "gateway.CRT"
browser_lacks "device.der"
browser_lacks "notes.txt"
wait_for_regex "Only TPM keys \(\.pub \.tss \.pem \.bin\); Ctrl-A: [0-9]+ more files"
browser_choose ek.pub
wait_for_text "┌─ TPM key "
wait_for_text "Converted: assumed the standard EK template"
keys Escape
wait_for_no_text "┌─ TPM key "

# The help lists the browser's keys, from the same key table.
keys F1
wait_for_text "─ Keys "
# a page at a time until its section shows, then a line at a time until
# its last key does (the help grows with the program's screens); each key
# waits for the screen to move
_browser_keys_shown() {
	local before
	before=$(screen)
	grep -qF "In the file browser" <<<"$before" &&
		grep -qE "│ +Ctrl-A +Show every file" <<<"$before" && return 0
	if grep -qF "In the file browser" <<<"$before"; then keys Down; else keys NPage; fi
	wait_until "$E2E_TIMEOUT" "the help to scroll" _screen_differs "$before"
	return 1
}
wait_until "$E2E_TIMEOUT" "the help's file browser section" _browser_keys_shown
wait_for_regex "│ +Ctrl-A +Show every file, or only those the field takes"
wait_for_regex "│ +Tab +Complete the typed name or path"
