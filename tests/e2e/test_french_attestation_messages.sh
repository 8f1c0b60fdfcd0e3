#!/usr/bin/env bash
# In French, at 80x24, what the form says about a TPM key is French and
# whole: a private key pasted where the endorsement key goes (refused, the
# message wrapped in its window), a public key turned into the DPS form
# (the fingerprint to compare with the device), and text that is not
# base64 (the field's message). The draft never holds the private key.
. "$(dirname "$0")/lib.sh"
need_locale fr_FR.UTF-8
E2E_COLS=80
E2E_ROWS=24
e2e_setup

EK_PATH=attestation.tpm.endorsementKey
openssl ecparam -name prime256v1 -genkey -noout -out "$E2E_TMP/ek.key" 2>/dev/null \
	|| fail "openssl could not make the key"
make_rsa_public_key "$E2E_TMP/ek.pub"

# Enter on the endorsement key opens its editor; FILE is pasted there and
# Escape closes it, which reads what was given.
give_ek() {
	focus_field "Clé de type EK"
	keys Enter
	wait_for_text "─ Clé de type EK : collez-le"
	keys C-u
	paste_file "$1"
	wait_for_text "curseur $(( $(grep -c '' "$1") + 1 )):1"
	keys Escape
	wait_for_no_text "─ Clé de type EK : collez-le"
}

start_tui_lang fr_FR.UTF-8 "F1 Aide"
wait_for_text "nouvelle inscription"
set_field "ID d'enregistrement" bench-fr-tpm
focus_field "Type d'attestation"
keys Enter
wait_for_text "─ Type d'attestation "
type_text t
keys Enter
wait_for_no_text "─ Type d'attestation "

give_ek "$E2E_TMP/ek.key"
wait_for_text "┌─ Clé de type EK "
wait_for_text "Non conservé : c'est une clé privée (-----BEGIN EC PRIVATE KEY-----) ;"
wait_for_text "elle reste sur l'appareil, donnez la partie publique de la clé du TPM"
wait_for_text "(tpm2_readpublic -c HANDLE -f tss -o key.pub)"
assert_screen_lacks "it stays on the device" "English in the refusal"
keys Escape
wait_for_no_text "┌─ Clé de type EK "

give_ek "$E2E_TMP/ek.pub"
wait_for_text "┌─ Clé TPM "
wait_for_text "Converti : modèle d'EK standard supposé (TCG EK Credential Profile, RSA"
wait_for_regex "│ 2048 par défaut\) pour placer cette clé publique dans un TPM2B_PUBLIC ; +│"
wait_for_text "qu'affiche \`sha256sum ek.pub\` après \`tpm2_readpublic -c 0x81010001 -f"
assert_screen_lacks "assumed the standard EK template" "English in the conversion note"
keys Escape
wait_for_no_text "┌─ Clé TPM "

printf 'AB$CD\n' >"$E2E_TMP/notb64"
give_ek "$E2E_TMP/notb64"
wait_for_regex "Clé de type EK +✗ AB\\\$CD\$"
wait_for_text "ce n'est pas du base64 : le caractère 3,"
wait_for_text "'\$', n'est pas un caractère base64 ; DPS"
assert_screen_lacks "this is not base64" "English in the field's message"

wait_until "$E2E_TIMEOUT" "the draft was not saved with the last text given" \
	draft_holds "$EK_PATH" $'AB$CD\n'
grep -qF "PRIVATE KEY" "$(draft_file)" && fail "the draft holds the private key"
echo "ok french attestation messages"
