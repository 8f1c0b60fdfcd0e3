#!/usr/bin/env bash
# Keys made at the bench rather than by the service: g puts a new 64-byte
# key into each key field, w writes both to a file for the device jig
# (mode 0600, the registration id, the keys and their fingerprints), a
# second w never overwrites that file, and the keys the service stores
# after the submit are exactly the ones in the file. (Keys kept across an
# update are test_update_keeps_keys.sh.)
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-keys-gen-01
KEYFILE=$E2E_TMP/$ID-keys.json
FP_RE='[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}'

# fingerprint KEY: the first 6 bytes of SHA-256 over the decoded key.
fingerprint() {
	base64 -d <<<"$1" | sha256sum | cut -c1-12 | tr a-f A-F | sed -E 's/(....)(....)(....)/\1-\2-\3/'
}
# A member of the saved file; the keys never reach a failure message.
saved() {
	json_get "$1" <"$KEYFILE"
}

start_tui
fill_new_form "$ID" symmetricKey

# generate_into LABEL: g on the key field; prints the fingerprint its row
# gives.
generate_into() {
	focus_field "$1"
	keys g
	wait_for_text "Generated a 64-byte key; Ctrl-R shows it, w saves both"
	wait_for_regex "^▶ +$1 +✓ •{12}  \(88 characters; Ctrl-R shows\)  fp $FP_RE\$"
	focused_row | sed -nE "s/.*  fp ($FP_RE)\$/\1/p"
}
fp1=$(generate_into "Primary key") || exit 1
wait_for_regex "^▶ +Primary key +✓ .* fp $fp1\$"
fp2=$(generate_into "Secondary key") || exit 1
wait_for_regex "^▶ +Secondary key +✓ .* fp $fp2\$"
wait_for_regex "^ +Primary key +✓ .* fp $fp1\$"
assert_ne "$fp2" "$fp1" "fingerprints of the two generated keys"
wait_for_text "✓ ready to submit"

keys i
wait_for_text "┌─ Symmetric keys "
wait_for_regex "│ Primary key +fingerprint $fp1 +│"
wait_for_regex "│ Secondary key +fingerprint $fp2 +│"
keys Escape
wait_for_no_text "┌─ Symmetric keys "

keys w
wait_for_text "┌─ Save keys for the device "
wait_for_text "File (written with mode 0600):"
wait_for_text "$ID-keys.json"
keys Enter
wait_for_no_text "┌─ Save keys for the device "
# the status names the folder, since the name alone is relative
wait_for_regex "Keys written to /.*/$ID-keys\.json \(mode 0600\)"
[ -f "$KEYFILE" ] || fail "no key file at $KEYFILE"
assert_eq "$(stat -c %a "$KEYFILE")" 600 "mode of the key file"
assert_eq "$(saved registrationId)" "$ID" "registrationId in the key file"
assert_eq "$(saved primaryKeyFingerprint)" "$fp1" "primaryKeyFingerprint in the key file"
assert_eq "$(saved secondaryKeyFingerprint)" "$fp2" "secondaryKeyFingerprint in the key file"
# The fingerprints shown must be those of the keys written, not of others.
assert_eq "$(fingerprint "$(saved primaryKey)")" "$fp1" "fingerprint of the saved primary key"
assert_eq "$(fingerprint "$(saved secondaryKey)")" "$fp2" "fingerprint of the saved secondary key"
assert_eq "$(saved primaryKey | base64 -d | wc -c)" 64 "bytes in the saved primary key"
assert_eq "$(saved secondaryKey | base64 -d | wc -c)" 64 "bytes in the saved secondary key"
file_digest=$(sha256sum <"$KEYFILE")

# The keys stay masked on screen.
for which in primaryKey secondaryKey; do
	screen | grep -qF -- "$(saved "$which")" && fail "the $which is shown in clear"
done

# A second save to the same name must leave the first file alone.
keys w
wait_for_text "┌─ Save keys for the device "
keys Enter
wait_for_regex "Not written, it exists already: /.*/$ID-keys\.json"
assert_eq "$(sha256sum <"$KEYFILE")" "$file_digest" "digest of the key file after the refused save"

keys F2
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
assert_screen_lacks "The service generated these keys" "the service replaced the generated keys"
stored=$(cli keys "$ID") || fail "dpsenroll keys $ID failed"
for which in primaryKey secondaryKey; do
	[ "$(json_get "symmetricKey.$which" <<<"$stored")" = "$(saved "$which")" ] \
		|| fail "the stored $which differs from the one in the key file"
done
