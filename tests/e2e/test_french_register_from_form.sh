#!/usr/bin/env bash
# LANG=fr_FR.UTF-8: registering a device from the form (r) asks in French
# and says the outcome in French on the status line, while the journal
# keeps the English words and the service holds the registration.
. "$(dirname "$0")/lib.sh"
need_locale fr_FR.UTF-8
e2e_setup

ID=bench-fr-reg-01
export DPS_ID_SCOPE DPS_GLOBAL_ENDPOINT
DPS_ID_SCOPE=$(<"$EMU_DATA/id-scope")
DPS_GLOBAL_ENDPOINT=${EMU_URL#https://}
put_fixture <<JSON
{ "registrationId": "$ID", "attestation": { "type": "symmetricKey" } }
JSON

start_tui_lang fr_FR.UTF-8 "F1 Aide"
keys F5
wait_for_text "Charger une inscription"
keys C-u
type_text "$ID"
keys Enter
wait_for_text "$ID chargée"

keys r
wait_for_text "Enregistrer $ID comme le ferait l'appareil ?"
keys y
wait_for_text "$ID est enregistré."
keys Escape
wait_for_regex "$ID : affecté à dpsemu-hub"
assert_screen_lacks "assigned to" "the outcome in English on the French status line"

state=$(cli regstate "$ID") || fail "dpsenroll regstate $ID failed: $state"
assert_eq "$(json_get status <<<"$state")" assigned "stored registration status"
line=$(grep '"operation":"register"' "$XDG_STATE_HOME/dpsenroll/journal.jsonl" | tail -n 1)
assert_contains "$(json_get message <<<"$line")" "assigned to " "register's journal line"
