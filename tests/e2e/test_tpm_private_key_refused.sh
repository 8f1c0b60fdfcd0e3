#!/usr/bin/env bash
# A private key file read into the TPM endorsement key field (o), or the
# same key pasted into its editor, is refused with a message saying it
# stays on the device; the field and the draft never hold it.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-tpmkey-01
EK_PATH=attestation.tpm.endorsementKey
openssl ecparam -name prime256v1 -genkey -noout -out "$E2E_TMP/ek.key" 2>/dev/null \
	|| fail "openssl could not make the key"
grep -q -- "-----BEGIN EC PRIVATE KEY-----" "$E2E_TMP/ek.key" || fail "openssl wrote no EC private key"
LAST_LINE=$(( $(grep -c '' "$E2E_TMP/ek.key") + 1 ))

ek_row_clean() {
	local row
	row=$(field_row "Endorsement key") || return 1
	case "$row" in
	*BEGIN* | *PRIVATE*) return 1 ;;
	esac
}

start_tui
fill_new_form "$ID" tpm
focus_field "Endorsement key"

# From a file.
keys o
# A key file is not among what the field takes: Ctrl-A lists every file.
wait_for_text "┌─ Open a file: "
keys C-a
browser_choose ek.key
wait_for_text "┌─ Endorsement key "
wait_for_text "Not kept: this is a private key (-----BEGIN EC PRIVATE KEY-----); it stays on the device"
wait_for_text "Not used: this is a private key"
keys Escape
wait_for_no_text "┌─ Endorsement key "
ek_row_clean || fail "the endorsement key row shows the private key: $(field_row "Endorsement key")"

# Pasted into the editor: refused when the editor closes.
keys Enter
wait_for_text "─ Endorsement key: paste it"
paste_file "$E2E_TMP/ek.key"
wait_for_text "cursor $LAST_LINE:1"
wait_for_text "this is a private key (-----BEGIN EC PRIVATE KEY-----); it stays"
keys Escape
wait_for_no_text "─ Endorsement key: paste it"
wait_for_text "┌─ Endorsement key "
wait_for_text "Not kept: this is a private key (-----BEGIN EC PRIVATE KEY-----); it stays on the device"
# The smallest terminal still shows the whole message, wrapped.
resize 80 24
wait_for_text "Not kept: this is a private key (-----BEGIN EC PRIVATE KEY-----); it"
wait_for_text "tpm2_readpublic"
resize "$E2E_COLS" "$E2E_ROWS"
keys Escape
wait_for_no_text "┌─ Endorsement key "
ek_row_clean || fail "the endorsement key row shows the private key: $(field_row "Endorsement key")"

# A change after both, so that the draft on disk is known to be saved
# after them; it holds neither the key nor anything for the field.
focus_field "Storage root key"
keys Enter
wait_for_text "─ Storage root key: paste it"
type_text "later-edit"
keys Escape
wait_for_no_text "─ Storage root key: paste it"
wait_until "$E2E_TIMEOUT" "the draft was not saved after the edit" \
	draft_holds attestation.tpm.storageRootKey "later-edit"
draft=$(draft_file)
grep -qF "PRIVATE KEY" "$draft" && fail "the draft holds the private key"
files_hold_lines_of "$E2E_TMP/ek.key" "$draft" && fail "the draft holds the private key's lines"
if ! draft_holds "$EK_PATH" ""; then
	fail "the draft keeps something for the endorsement key"
fi
