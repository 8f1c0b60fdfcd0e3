#!/usr/bin/env bash
# LANG=fr_FR.UTF-8: the review before an update of an enrollment whose
# device has registered says in French what the update does to the
# device (here: disabled, it will be refused; its hubs changed, it may
# move), in 80 columns, wrapped like the English; the journal line of
# the update stays English. The key bar keeps F10 in 80 columns.
. "$(dirname "$0")/lib.sh"
need_locale fr_FR.UTF-8
E2E_COLS=80
E2E_ROWS=24
e2e_setup

ID=bench-fr-review-01
put_fixture <<JSON
{
  "registrationId": "$ID",
  "attestation": { "type": "symmetricKey" },
  "provisioningStatus": "enabled"
}
JSON
register_device "$ID"

start_tui_lang fr_FR.UTF-8 "F1 Aide"
# The French key bar is longer than 80 columns: keys are left out from
# the right, but the way out stays, and an ellipsis says F1 has the rest.
wait_for_regex "^ F1 Aide .* F10 Quitter +…\$"
keys F5
wait_for_text "Charger une inscription"
keys C-u
type_text "$ID"
keys Enter
wait_for_text "modification de $ID"
wait_for_text "$ID chargée"

focus_field "État d'approvisionnement"
keys Right
wait_for_regex "État d'approvisionnement +✓ disabled"
keys F2
wait_for_text "Examiner la mise à jour"
wait_for_text "! l'appareil est enregistré (affecté à $E2E_HUB) et"
wait_for_text "sera refusé lors de son prochain enregistrement ; son identité dans"
wait_for_text "1 modification de l'inscription sur le service :"
assert_screen_lacks "the device is registered" "an English warning in the French review"

# Sent, the journal's line is English.
keys y
wait_for_no_text "Examiner la mise à jour"
wait_for_text "HTTP 200 OK"
assert_eq "$(cli get "$ID" | json_get provisioningStatus)" disabled "provisioningStatus stored"
line=$(tail -n 1 "$XDG_STATE_HOME/dpsenroll/journal.jsonl")
assert_eq "$(json_get operation <<<"$line")" update "journal operation"
assert_eq "$(json_get outcome <<<"$line")" ok "journal outcome"
echo "ok french review"
