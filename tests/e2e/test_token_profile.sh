#!/usr/bin/env bash
# A profile without a shared access key: "auth": "token" with a
# tokenCommand. The form connects with it, loads an enrollment, submits
# an update and creates another; dpsemu (--token-key) checks the bearer
# token on each request, and the command runs once for all of them (the
# token lives an hour). The token is in no file the program wrote.
. "$(dirname "$0")/lib.sh"
e2e_setup

( umask 077; head -c 32 /dev/urandom >"$E2E_TMP/token-key" )
restart_emulator --token-key "$E2E_TMP/token-key"
HOST=127.0.0.1:$EMU_PORT

# The command prints a token minted by dpsemu and counts its runs.
( umask 077
  emu_admin POST /admin/token '{"lifetimeSeconds": 3600}' |
	json_get accessToken >"$E2E_TMP/token" )
[ -s "$E2E_TMP/token" ] || fail "dpsemu minted no token"
printf 'echo run >>"%s/runs"\ncat "%s/token"\n' "$E2E_TMP" "$E2E_TMP" >"$E2E_TMP/print-token.sh"
( umask 077
  mkdir -p "$XDG_CONFIG_HOME/dpsenroll"
  printf '{"profiles": {"entra": {"auth": "token", "hostName": "%s", "tokenCommand": "sh %s/print-token.sh", "cacert": "%s"}}}\n' \
	"$HOST" "$E2E_TMP" "$EMU_DATA/ca.pem" >"$XDG_CONFIG_HOME/dpsenroll/config.json" )

ID=bench-entra-001
put_fixture <<JSON
{
  "registrationId": "$ID",
  "deviceId": "$ID",
  "attestation": { "type": "symmetricKey" },
  "provisioningStatus": "enabled"
}
JSON

bearer_before=$(emu_log_count "^GET /enrollments/$ID ")
start_tui --profile entra
wait_for_text "new enrollment  $HOST"
load_in_form "$ID"
wait_for_text "Loaded $ID"
wait_for_regex "Device ID +✓ $ID\$"

set_field "Device ID" "$ID-renamed"
keys F2
wait_for_text "Review the update"
keys y
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
stored=$(cli get "$ID") || fail "dpsenroll get failed"
assert_eq "$(json_get deviceId <<<"$stored")" "$ID-renamed" "deviceId stored"
keys Escape
wait_for_no_text "┌─ Submit "

# A new one too, in the same form.
keys F7
wait_for_text "new enrollment"
keys Home
fill_new_form "$ID-new" symmetricKey
wait_for_text "✓ ready to submit"
keys F2
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID-new"
stored=$(cli get "$ID-new") || fail "the new enrollment is not on dpsemu"
assert_eq "$(json_get registrationId <<<"$stored")" "$ID-new" "new enrollment stored"

# Every request of the form carried the token; the command ran once.
[ "$(emu_log_count "^GET /enrollments/$ID ")" -gt "$bearer_before" ] ||
	fail "the form never read the enrollment"
assert_eq "$(wc -l <"$E2E_TMP/runs")" 1 "tokenCommand runs"
if grep -rqF -f "$E2E_TMP/token" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"; then
	fail "the access token was written to a file"
fi
