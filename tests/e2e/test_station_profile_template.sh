#!/usr/bin/env bash
# A bench's profile names its batch's template: `dpsenroll station
# --profile bench` opens on it (the path relative to the config file);
# with no keys folder, the keys the service makes are shown after the
# create; and a profile without a template says what to give.
. "$(dirname "$0")/lib.sh"
e2e_setup

mkdir -p "$XDG_CONFIG_HOME/dpsenroll"
cat >"$XDG_CONFIG_HOME/dpsenroll/batch-7.json" <<'JSON'
{ "attestation": { "type": "symmetricKey" },
  "initialTwin": { "tags": { "site": "line-7" } } }
JSON
# a shell builtin writes the config: the key is in no process's arguments
( umask 077
  printf '{"profiles": {"bench": {"connectionString": "%s", "cacert": "%s", "template": "batch-7.json"}, "plain": {"connectionString": "%s"}}}\n' \
	"$DPS_CONNECTION_STRING" "$EMU_DATA/ca.pem" "$DPS_CONNECTION_STRING" \
	>"$XDG_CONFIG_HOME/dpsenroll/config.json" )

start_tui -- station --profile bench
wait_for_text " station  0 enrolled"
wait_for_regex "Twin tags +✓ \\{\"site\":\"line-7\"\\}"
type_text "line7-0001"
keys Enter
wait_for_text "line7-0001 ready: F2 creates it"
keys F2
wait_for_text "Created line7-0001 (1 this session)"
# no keys folder in this template: the keys the service made are shown
wait_for_text "The service generated these keys. Store them now"
stored=$(cli keys line7-0001) || fail "keys line7-0001"
key=$(json_get symmetricKey.primaryKey <<<"$stored")
screen | grep -qF -f <(printf '%s\n' "$key") || fail "the primary key is not on screen"
keys Escape
wait_for_no_text "The service generated these keys"
wait_for_focus "Registration ID"
got=$(cli get line7-0001) || fail "get line7-0001: $got"
assert_eq "$(json_get initialTwin.tags.site <<<"$got")" line-7 "the profile's template's tag"

out=$(cli station --profile plain 2>&1) && fail "station without a template ran: $out"
assert_contains "$out" "give the batch's template: --template FILE, or a profile with one"
assert_contains "$out" "profile 'plain' has no \"template\""
