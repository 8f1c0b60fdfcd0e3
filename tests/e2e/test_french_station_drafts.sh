#!/usr/bin/env bash
# LANG=fr_FR.UTF-8 at the bench: the station's title line (count, last
# receipt, a wrong scan) and the request line while a submit is on its
# way speak French; a draft left by a killed window is offered in French
# when the form opens again, and restored. A window is as wide as its
# French title. What is stored is the same as in English.
. "$(dirname "$0")/lib.sh"
need_locale fr_FR.UTF-8
e2e_setup
SUMMARY=$((E2E_ROWS - 1))

mkdir -p "$E2E_TMP/batch"
cat >"$E2E_TMP/batch/template.json" <<'JSON'
{
  "attestation": { "type": "symmetricKey" },
  "provisioningStatus": "enabled",
  "station": { "idPattern": "^bench-[0-9]{6}$", "keysFolder": "keys" }
}
JSON

# the messages window, empty, is as wide as its French title
start_tui_lang fr_FR.UTF-8 "F1 Aide"
keys m
wait_for_text "Pas encore de messages"
wait_for_text "┌─ Messages (les plus récents d'abord) ─┐"
keys Escape

start_tui_lang fr_FR.UTF-8 "F1 Aide" station --template "$E2E_TMP/batch/template.json"
wait_for_text " poste  0 inscrit  "
type_text bench-000001
keys Enter
wait_for_text "bench-000001 prêt : F2 le crée"
# the request line while dpsemu holds the PUT back
emu_fault "delay=2500,count=1,method=PUT"
keys F2
wait_until 3 "the summary line does not say 'envoi de bench-000001 N,Ns (Échap annule)'" \
	_line_matches "$SUMMARY" "envoi de bench-000001 [0-9][,.][0-9]s \(Échap annule\)"
wait_for_regex "^ poste  1 inscrit  dernier ✓ bench-000001 clé [A-F0-9-]{14} [0-9:]{8} keys/bench-000001-keys.json" 5
assert_eq "$(cli get bench-000001 | json_get registrationId)" bench-000001 "stored registrationId"
[ -s "$E2E_TMP/keys/bench-000001-keys.json" ] || fail "no keys file for bench-000001"

# a scan of another batch turns the title into an alarm, in French
type_text bench-12
keys Enter
wait_for_text "✗ MAUVAIS SCAN 'bench-12' : pas un ID de ce lot"
wait_for_text "Mauvais scan : 'bench-12' ne suit pas"
keys C-u
type_text bench-000002
keys Enter
wait_for_text "bench-000002 prêt"
keys F2
wait_for_text " poste  2 inscrits  dernier ✓ bench-000002 "

# a draft left by a window that was killed is offered in French
start_tui_lang fr_FR.UTF-8 "F1 Aide"
keys Enter
type_text bench-draft-fr
keys Enter
wait_for_regex "ID d'enregistrement +✓ bench-draft-fr"
wait_until "$E2E_TIMEOUT" "no draft holds bench-draft-fr" draft_holds registrationId bench-draft-fr
kill_tui
start_tui_lang fr_FR.UTF-8 ""
wait_for_text "─ Inscription inachevée "
wait_for_text "Une inscription pour bench-draft-fr était en cours de modification, non"
wait_for_text "La restaurer ?"
wait_for_text "y : restaurer  n : commencer à vide (brouillon gardé)  d : le supprimer"
keys y
wait_for_no_text "─ Inscription inachevée "
wait_for_regex "ID d'enregistrement +✓ bench-draft-fr"
wait_for_regex "Brouillon du [0-9-]+T[0-9:]+Z restauré"
echo "ok french station and drafts"
