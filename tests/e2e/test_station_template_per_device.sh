#!/usr/bin/env bash
# A station template made from a whole enrollment (its id, device id and
# symmetric keys in it) must not hand those to every device of the batch:
# a batch sharing one device id or one key would be one device to the
# service and to anyone holding a key. The station leaves them out, says
# so, and each device created gets keys of its own.
. "$(dirname "$0")/lib.sh"
e2e_setup

KEY_A=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
KEY_B=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=
cat >"$E2E_TMP/template.json" <<JSON
{
  "registrationId": "from-template",
  "deviceId": "shared-device",
  "attestation": { "type": "symmetricKey",
                   "symmetricKey": { "primaryKey": "$KEY_A", "secondaryKey": "$KEY_B" } },
  "provisioningStatus": "enabled"
}
JSON

start_tui -- station --template "$E2E_TMP/template.json"
wait_for_text " station  0 enrolled"
wait_for_text "the template's registrationId, deviceId,"
wait_for_regex "^ +Device ID +\\(not set\\)"
assert_screen_lacks "shared-device" "the template's device id on the form"
wait_for_regex "^ +Primary key +"
assert_screen_lacks "fp " "a key fingerprint from the template on the form"

type_text bench-pd-01
keys Enter
wait_for_text "bench-pd-01 ready: F2 creates it"
keys F2
wait_for_text "Created bench-pd-01 (1 this session)"

stored=$(cli get bench-pd-01) || fail "get bench-pd-01: $stored"
assert_eq "$(json_get deviceId <<<"$stored")" "" "the stored device id"
keys_json=$(cli keys bench-pd-01) || fail "keys bench-pd-01: $keys_json"
primary=$(json_get symmetricKey.primaryKey <<<"$keys_json")
[ -n "$primary" ] || fail "bench-pd-01 has no primary key: $keys_json"
assert_ne "$primary" "$KEY_A" "bench-pd-01's primary key (the template's)"
assert_ne "$(json_get symmetricKey.secondaryKey <<<"$keys_json")" "$KEY_B" \
	"bench-pd-01's secondary key (the template's)"
