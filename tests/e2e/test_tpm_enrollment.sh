#!/usr/bin/env bash
# A TPM device whose endorsement key came off the bench as a PEM RSA-2048
# public key, not in the form DPS takes: read with o and the file browser,
# it must be converted to a TPM2B_PUBLIC with the standard EK template,
# saying what was assumed, and show the fingerprint the technician reads
# back against the device. The service must store the converted key, with
# the same modulus and fingerprint.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-tpm-01
# TPM2B_PUBLIC of an RSA-2048 key under the TCG EK Credential Profile's
# default template, as every such key starts in base64.
EK_PREFIX=AToAAQALAAMAsgAg

make_rsa_public_key "$E2E_TMP/ek.pem"
MODULUS=$(rsa_modulus "$E2E_TMP/ek.pem")
[ ${#MODULUS} -eq 512 ] || fail "openssl gave no 2048-bit modulus: '$MODULUS'"

start_tui
fill_new_form "$ID" tpm
focus_field "Endorsement key"

keys o
browser_choose ek.pem
wait_for_text "Converted: assumed the standard EK template"
wait_for_text "┌─ TPM key "
wait_for_text "DPS form: base64 of a TPM2B_PUBLIC"
wait_for_regex "│ Key +RSA 2048 +│"
wait_for_regex "│ Fingerprint +[0-9A-F]{4}(-[0-9A-F]{4}){3} +│"
FP=$(screen | sed -nE 's/.*│ Fingerprint +([0-9A-F-]{19}) +│.*/\1/p')
keys Escape
wait_for_no_text "┌─ TPM key "
wait_for_text "✓ ready to submit"

keys F2
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
ek=$(cli get "$ID" | json_get attestation.tpm.endorsementKey) || fail "dpsenroll get $ID failed"
case "$ek" in
"$EK_PREFIX"*) ;;
*) fail "the stored endorsement key does not start with $EK_PREFIX: '${ek:0:40}...'" ;;
esac
# The fingerprint is the first 8 bytes of SHA-256 over the TPM2B_PUBLIC,
# and its last 256 bytes are the RSA modulus.
stored_fp=$(base64 -d <<<"$ek" | sha256sum | cut -c1-16 | tr a-f A-F | sed -E 's/(....)(....)(....)(....)/\1-\2-\3-\4/')
assert_eq "$FP" "$stored_fp" "fingerprint shown in the details against the stored key's"
stored_modulus=$(base64 -d <<<"$ek" | tail -c 256 | od -An -tx1 -v | tr -d ' \n' | tr a-f A-F)
assert_eq "$stored_modulus" "$MODULUS" "modulus of the stored endorsement key"
keys Escape
wait_for_no_text "HTTP 200 OK"

# The row the technician reads back against the device, focused (the
# focus has stayed on it since o) and not.
wait_for_regex "^▶ +Endorsement key +✓ $EK_PREFIX.* RSA 2048, fp $FP\$"
keys Down
wait_for_focus "Storage root key"
wait_for_regex "^ +Endorsement key +✓ $EK_PREFIX.* RSA 2048, fp $FP\$"
