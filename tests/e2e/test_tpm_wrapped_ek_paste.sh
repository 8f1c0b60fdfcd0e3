#!/usr/bin/env bash
# An endorsement key pasted as tpm2-tools and most terminals give it:
# base64 wrapped at 64 columns. Closing the editor converts it as reading
# the same text from a file (o) does, saying so, and what the service
# stores is the base64 without any white space.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-tpmwrap-01
EK_PREFIX=AToAAQALAAMAsgAg

# The TPM2B_PUBLIC of an RSA-2048 EK under the TCG EK Credential
# Profile's default template, around a fresh modulus.
make_rsa_public_key "$E2E_TMP/ek.pem"
MODULUS=$(rsa_modulus "$E2E_TMP/ek.pem")
[ ${#MODULUS} -eq 512 ] || fail "openssl gave no 2048-bit modulus"
perl -e '
	my $policy = pack("H*", "837197674484B3F81A90CC8D46A5D724FD52D76E06520B64F2A1DA1B331469AA");
	my $t = pack("n n N n", 0x0001, 0x000B, 0x000300B2, 32) . $policy
	      . pack("n n n n n N n", 0x0006, 128, 0x0043, 0x0010, 2048, 0, 256)
	      . pack("H*", $ARGV[0]);
	print pack("n", length $t) . $t;
' "$MODULUS" | base64 -w0 >"$E2E_TMP/ek.b64" || fail "the EK could not be built"
EK=$(cat "$E2E_TMP/ek.b64")
case "$EK" in
"$EK_PREFIX"*) ;;
*) fail "the EK built does not start with $EK_PREFIX" ;;
esac
fold -w 64 "$E2E_TMP/ek.b64" >"$E2E_TMP/ek.wrapped"
echo >>"$E2E_TMP/ek.wrapped"
[ "$(grep -c '' "$E2E_TMP/ek.wrapped")" -gt 5 ] || fail "the EK is not wrapped"
LAST_LINE=$(( $(grep -c '' "$E2E_TMP/ek.wrapped") + 1 ))

start_tui
fill_new_form "$ID" tpm
focus_field "Endorsement key"

keys Enter
wait_for_text "─ Endorsement key: paste it"
paste_file "$E2E_TMP/ek.wrapped"
wait_for_text "cursor $LAST_LINE:1"
keys Escape
wait_for_no_text "─ Endorsement key: paste it"
# What o says of the same text: converted, and the key to read back.
wait_for_text "┌─ TPM key "
wait_for_text "Converted: removed the spaces and line breaks"
wait_for_regex "│ Key +RSA 2048 +│"
wait_for_text "Endorsement key converted: removed the spaces and line breaks"
keys Escape
wait_for_no_text "┌─ TPM key "
wait_for_regex "^▶ +Endorsement key +✓ $EK_PREFIX.* RSA 2048, fp [0-9A-F-]{19}\$"
wait_for_text "✓ ready to submit"

keys F2
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
# Ended by a "." so that a trailing line break would be seen too.
stored=$(cli get "$ID" | perl -MJSON::PP -e '
	local $/;
	my $j = decode_json(<STDIN>);
	print $j->{attestation}{tpm}{endorsementKey} // "", ".";
') || fail "dpsenroll get $ID failed"
stored=${stored%.}
case "$stored" in
*[[:space:]]*) fail "the stored endorsement key holds white space" ;;
esac
assert_eq "$stored" "$EK" "the stored endorsement key"
