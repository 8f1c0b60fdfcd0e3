#!/usr/bin/env bash
# LANG=fr_FR.UTF-8: the fleet list's actions speak French. The key bar and
# the help name the keys as a French keyboard does (Entrée, Espace,
# Échap); disabling two marked rows asks in French naming the count, and
# reports the one changed elsewhere, each sentence agreeing with its
# count; jump, delete-state and the row's details are French too, and
# the help's longer French descriptions wrap in their own column. What is
# sent and journaled is the same as in English.
. "$(dirname "$0")/lib.sh"
need_locale fr_FR.UTF-8
e2e_setup
fleet_fixture 12
JOURNAL=$XDG_STATE_HOME/dpsenroll/journal.jsonl

E2E_KEY_BAR_TEXT="F1 Aide" start_tui -e LANG=fr_FR.UTF-8 \
	-e DPSENROLL_OPS_PER_MINUTE=60000 -- tui --list
wait_for_text " Liste du parc : 12 inscriptions"
wait_for_regex "Entrée Ouvrir +/ Filtrer +Espace Marquer .* Échap Formulaire"
assert_screen_lacks "Enter Ouvrir" "an English key name in the French key bar"

# two marked, one of them changed elsewhere since the list read it
keys Down Space Space
wait_for_text "2 marquées"
change_elsewhere fleet-0003 deviceId changed-elsewhere
keys d
wait_for_text "─ Désactiver "
wait_for_text "Désactiver 2 inscriptions ?"
wait_for_text "Chacune est d'abord relue, puis réécrite avec son etag"
wait_for_text "y : oui    n ou Échap : non"
keys y
wait_for_text "1 sur 2 n'a pas été désactivée (elle reste marquée) :"
wait_for_text "fleet-0003 : modifiée sur le service : laissée telle quelle"
wait_for_text "F5 relit la liste ; Entrée ferme"
wait_for_text "1 sur 2 désactivée ; modifiées ailleurs : 1 (laissées telles quelles), non faites : 0"
assert_eq "$(cli get fleet-0002 | json_get provisioningStatus)" disabled "fleet-0002 after the disable"
assert_eq "$(cli get fleet-0003 | json_get deviceId)" changed-elsewhere "fleet-0003 kept as changed elsewhere"
line=$(grep '"registrationId":"fleet-0002"' "$JOURNAL" | tail -n 1)
assert_eq "$(json_get outcome <<<"$line")" ok "journal outcome of fleet-0002"
keys Enter
wait_for_no_text "F5 relit la liste"

# jump to an id that is not there
keys g
wait_for_text "─ Aller à une inscription "
wait_for_text "ID d'enregistrement :"
type_text nope
keys Enter
wait_for_text "Aucune inscription 'nope' dans la liste (12 inscriptions)"

# the registration state of the row still marked: asked, nothing done on n
keys x
wait_for_text "Supprimer l'état d'enregistrement de l'inscription fleet-0003 ?"
keys n
wait_for_no_text "Supprimer l'état d'enregistrement"

# the row whole, its labels in one column
keys i
wait_for_regex "│ Etag de l'inscription +[A-Za-z0-9=]+ +│"
wait_for_regex "│ État lu +il y a [0-9]+ s +│"
keys Escape
wait_for_no_text "Etag de l'inscription"

# the help names the keys in French, their descriptions in one column
keys F1
wait_for_text "─ Touches "
wait_for_regex "│   Entrée +Modifier le champ"
wait_for_regex "│   Entrée \(pavé\) +Modifier le champ"
wait_for_regex "│   Échap +Revenir en arrière"
# a description too long for the line goes on in its own column
wait_for_regex "│ {19}afficher en entier une valeur en lecture seule +│"
keys Escape
echo "ok french list actions"
