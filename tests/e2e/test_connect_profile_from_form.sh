#!/usr/bin/env bash
# A form started with a wrong service key is fixed from the form: the
# submit is refused (401), F12 lists the config's profiles (names and
# hosts, never keys), one that cannot be used says why and keeps the
# connection there was, the right one connects, and the submit then
# succeeds with everything that was typed. The enrollment is on dpsemu.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID=bench-switch-profile
WINDOW="┌─ Connect to a DPS "
HOST=127.0.0.1:$EMU_PORT
# The key of the right profile, for checks on what is shown; a shell
# builtin writes the config, so it is in no process's arguments.
KEYFILE=$E2E_TMP/policy-key
( umask 077
  sed -n 's/.*SharedAccessKey=\([^;]*\).*/\1/p' "$EMU_DATA/connection-string" >"$KEYFILE"
  mkdir -p "$XDG_CONFIG_HOME/dpsenroll"
  printf '{"profiles": {"broken": {"connectionString": "HostName=%s;SharedAccessKey=abc"}, "bench": {"connectionString": "%s", "cacert": "%s"}}}\n' \
	"$HOST" "$DPS_CONNECTION_STRING" "$EMU_DATA/ca.pem" >"$XDG_CONFIG_HOME/dpsenroll/config.json" )
[ -s "$KEYFILE" ] || fail "no SharedAccessKey in dpsemu's connection string"
WRONG="HostName=$HOST;SharedAccessKeyName=provisioningserviceowner;SharedAccessKey=d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXk="

start_tui -e "DPS_CONNECTION_STRING=$WRONG" --retries 0
wait_for_text "new enrollment  $HOST"
fill_new_form "$ID"
set_field "Device ID" "$ID-device"
choose_attestation symmetricKey
wait_for_text "✓ ready to submit"
keys F2
wait_for_text "┌─ Submit "
wait_for_text "HTTP 401"
keys Escape
wait_for_no_text "┌─ Submit "
wait_for_text "Not submitted: HTTP 401"
cli get "$ID" >/dev/null 2>&1 && fail "the enrollment was made with a wrong key"

# The key is listed in help.
keys F1
wait_for_text "─ Keys "
wait_for_regex "│ +F12 +Connect to another DPS"
keys Escape
wait_for_no_text "─ Keys "

# The window at the smallest size the form works in.
resize 80 24
wait_for_text "new enrollment (changed)  $HOST"
keys F12
wait_for_text "$WINDOW"
wait_for_text "Now: $HOST"
wait_for_regex "│ > broken +cannot be used \(Enter says why\)"
wait_for_regex "│   bench +$HOST"
wait_for_text "Paste a connection string..."
grep -qF -f "$KEYFILE" <(screen) && fail "the connection window shows a service key"

# The broken one is refused and says why; the window stays.
keys Enter
wait_for_text "Not connected (the connection stays as it was): profile 'broken': the"
wait_for_text "connection string has no SharedAccessKeyName"
wait_for_text "$WINDOW"
keys Down
wait_for_regex "│ > bench +$HOST"
keys Enter
wait_for_no_text "$WINDOW"
wait_for_text "Connected to $HOST (profile bench)"

# Everything typed is still there, and now the submit goes through.
wait_for_regex "Registration ID +✓ $ID\$"
wait_for_regex "Device ID +✓ $ID-device\$"
wait_for_regex "Attestation type +✓ symmetricKey\$"
keys F2
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID"
stored=$(cli get "$ID") || fail "the enrollment is not on dpsemu after the submit"
assert_eq "$(json_get deviceId <<<"$stored")" "$ID-device" "deviceId stored"
assert_eq "$(json_get attestation.type <<<"$stored")" symmetricKey "attestation type stored"
