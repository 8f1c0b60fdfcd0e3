#!/usr/bin/env bash
# A TPM batch at a station: the scanner reads a label holding the id and
# the endorsement key, "id;ek", which the template's split rule puts into
# both fields. A field the template locks is unlocked for one device and
# locked again for the next. Then, in a plain form, t makes the
# enrollment there a batch's template. 80x24: the station's title fits.
. "$(dirname "$0")/lib.sh"
e2e_setup

# The base64 TPM2B_PUBLIC of an RSA-2048 EK under the default template,
# with a random modulus, as a label would carry it.
ek_text() {
	perl -MMIME::Base64 -e '
		my $policy = pack "H*", "837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa";
		open my $r, "<", "/dev/urandom" or die; read $r, my $mod, 256;
		substr($mod, 0, 1) = chr(ord(substr($mod, 0, 1)) | 0x80);
		my $pub = pack("nnN", 1, 0x000B, 0x000300B2) . pack("n", 32) . $policy
			. pack("nnnnnNn", 6, 128, 0x43, 0x10, 2048, 0, 256) . $mod;
		print encode_base64(pack("n", length $pub) . $pub, "");
	'
}

cat >"$E2E_TMP/template.json" <<'JSON'
{
  "attestation": { "type": "tpm" },
  "provisioningStatus": "enabled",
  "station": {
    "idPattern": "^bench-[0-9]{6}$",
    "split": { "separator": ";",
               "fields": ["registrationId", "attestation.tpm.endorsementKey"] }
  }
}
JSON
EK1=$(ek_text)
EK2=$(ek_text)

E2E_COLS=80 E2E_ROWS=24 start_tui -- station --template "$E2E_TMP/template.json"
wait_for_text " station  0 enrolled"
wait_for_focus "Registration ID"

# a scan of the id alone: the EK is still needed, so the focus goes there
type_text "bench-000010"
keys Enter
wait_for_focus "Endorsement key"
wait_for_text "bench-000010: now Endorsement key"
focus_field_up "Registration ID"
keys Enter C-u
type_text "bench-000010;$EK1"
keys Enter
wait_for_text "bench-000010 ready: F2 creates it"
keys F2
wait_for_text "Created bench-000010 (1 this session)"
wait_for_regex "1 enrolled  last ✓ bench-000010 EK [0-9a-f]{16} "
got=$(cli get bench-000010) || fail "get bench-000010: $got"
assert_eq "$(json_get attestation.tpm.endorsementKey <<<"$got")" "$EK1" "the EK stored"
assert_eq "$(json_get provisioningStatus <<<"$got")" enabled "status of bench-000010"

# a label of another batch: neither part is kept
type_text "lot7-000011;$EK2"
keys Enter
wait_for_text "WRONG SCAN 'lot7-000011'"
wait_for_regex "Endorsement key +✗ \(required\)"
wait_for_focus "Registration ID"

# the next device is disabled: its status unlocked for it alone
type_text "bench-000011;$EK2"
keys Enter
wait_for_text "bench-000011 ready: F2 creates it"
focus_field "Provisioning status"
keys u
wait_for_text "Provisioning status unlocked for this device"
keys Space
wait_for_regex "Provisioning status +✓ disabled"
keys F2
wait_for_text "Created bench-000011 (2 this session)"
got=$(cli get bench-000011) || fail "get bench-000011: $got"
assert_eq "$(json_get provisioningStatus <<<"$got")" disabled "status of bench-000011"
# back on the template: locked again, with the batch's value
focus_field "Provisioning status"
wait_for_regex "Provisioning status +✓ enabled"
keys Space
wait_for_text "Locked: Provisioning status is the batch's"
wait_for_regex "Provisioning status +✓ enabled"
keys F10
wait_for_exit
assert_eq "$E2E_EXIT_STATUS" 0 "the station's exit status"

# from the plain form: this enrollment becomes the template
start_tui
wait_for_text "new enrollment"
choose_attestation symmetricKey
keys t
wait_for_text "Make this enrollment the template of a batch?"
keys y
wait_for_text " station  0 enrolled"
wait_for_focus "Registration ID"
type_text "bench-000012"
keys Enter
wait_for_text "bench-000012 ready: F2 creates it"
keys F2
wait_for_text "Created bench-000012 (1 this session)"
got=$(cli get bench-000012) || fail "get bench-000012: $got"
assert_eq "$(json_get attestation.type <<<"$got")" symmetricKey "type of bench-000012"
