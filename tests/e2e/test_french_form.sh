#!/usr/bin/env bash
# LANG=fr_FR.UTF-8 shows the form in French, from po/fr.po: the labels
# and sections, the key bar, a field's validation message, the summary
# bar with its counts, the help (F1) and the explanation of a refusal. The enrollment it sends is the
# same as in English: paths and enum values do not change with the
# language, and the journal line is English.
. "$(dirname "$0")/lib.sh"
need_locale fr_FR.UTF-8
e2e_setup

ID=bench-fr-01
start_tui_lang fr_FR.UTF-8 "F1 Aide"
wait_for_text "nouvelle inscription"
wait_for_regex "^▶ ID d'enregistrement +✗ \(obligatoire\)\$"
wait_for_text "« ID d'enregistrement » est obligatoire"
wait_for_regex "^ ▾ Identité"
wait_for_regex "^  Stratégie d'allocation +\(non défini\)\$"
wait_for_regex "^  État d'approvisionnement +\(non défini : le service prend enabled\)\$"
wait_for_regex "F2 Envoyer +F5 Charger +F7 Nouvelle +F10 Quitter"
wait_for_text " 2 erreurs, 0 avertissement"
assert_screen_lacks "Registration ID" "an English label on the French form"

# A registration id the service refuses: the message says why, in French.
keys Enter
type_text "-$ID"
keys Enter
wait_for_text "il commence par '-' ; le premier caractère d'un ID"
keys Enter C-u
type_text "$ID"
keys Enter
wait_for_regex "^▶ ID d'enregistrement +✓ $ID\$"
wait_for_text " 1 erreur, 0 avertissement"

# The picker: the enum's French help beside its wire value.
focus_field "Type d'attestation"
keys Enter
wait_for_text "─ Type d'attestation "
wait_for_regex "symmetricKey +L'appareil signe avec une clé symétrique partagée"
type_text s
keys Enter
wait_for_no_text "─ Type d'attestation "
wait_for_regex "Type d'attestation +✓ symmetricKey\$"
wait_for_text "✓ prête à envoyer"

keys F1
wait_for_text "─ Touches "
wait_for_regex "│ +F2 +Envoyer au DPS \(créer ou mettre à jour\)"
keys Escape
wait_for_no_text "─ Touches "

# A refusal is explained in French; the service's own message is not
# translated.
emu_fault "status=403,count=1,method=PUT"
keys F2
wait_for_text "HTTP 403 Forbidden"
wait_for_text "Ce que cela veut dire : la stratégie d'accès partagé"
wait_for_text "Que faire : utilisez une stratégie avec EnrollmentRead"
wait_for_text "injected fault"
keys Escape
wait_for_no_text "Que faire :"

# Sent as in English: the stored enrollment has the wire values.
keys F2
wait_for_text "HTTP 200 OK"
stored=$(cli get "$ID") || fail "dpsenroll get $ID failed"
assert_eq "$(json_get registrationId <<<"$stored")" "$ID" "stored registrationId"
assert_eq "$(json_get attestation.type <<<"$stored")" symmetricKey "stored attestation.type"
journal=$XDG_STATE_HOME/dpsenroll/journal.jsonl
line=$(tail -n 1 "$journal")
assert_eq "$(json_get outcome <<<"$line")" ok "journal outcome"
assert_eq "$(json_get operation <<<"$line")" create "journal operation"
assert_eq "$(json_get registrationId <<<"$line")" "$ID" "journal registrationId"
# The fleet list in French: its title, headings and the row's line.
keys Escape
wait_for_no_text "HTTP 200 OK"
keys F11
wait_for_text " Liste du parc : 1 inscription"
wait_for_regex "ID d'enregistrement .*Approvisionne.*Enregistrement"
wait_for_regex "^ $ID : "
echo "ok french form"
