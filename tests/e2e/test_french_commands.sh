#!/usr/bin/env bash
# The commands speak French to a person under LANG=fr_FR.UTF-8: a
# command's --help (its details and the connection options too), a
# usage error, import's problems and summary, the list's table (its
# headings aligned over the values, accents and all) and summary, watch
# running out of time, register refusing to go on without a terminal,
# put meeting an existing enrollment; register's question takes a French
# answer (o for oui). What programs read stays as it
# was: import's results file, and the enrollments the service holds.
. "$(dirname "$0")/lib.sh"
need_locale fr_FR.UTF-8
e2e_setup

fr() { LANG=fr_FR.UTF-8 LANGUAGE=fr "$@"; }

# --help: the command's own details, then the connection options.
help=$(fr cli get --help) || fail "get --help in French failed"
assert_contains "$help" "Utilisation : dpsenroll get ID [--show-keys] [options de connexion]"
assert_contains "$help" "Le service masque les clés symétriques ; --show-keys les lit aussi"
assert_contains "$help" "Connexion (la première trouvée l'emporte) : --connection-string CS,"
assert_contains "$help" "  --retries N          nouveaux essais après 429, 5xx et connexions"
assert_contains "$help" "  --json               l'erreur d'une requête échouée en JSON sur la"
help=$(fr cli watch --help) || fail "watch --help in French failed"
assert_contains "$help" "  --timeout S          combien de temps attendre l'appareil, en"
# watch has its own --timeout: the connection's is not listed again
[[ "$help" != *"requête entière, en secondes"* ]] || fail "watch --help lists the connection's --timeout:
$help"

# A usage error.
err=$(fr cli get 2>&1 >/dev/null); rc=$?
assert_eq "$rc" 2 "exit code of get without an id"
assert_contains "$err" "dpsenroll get : donnez un ID d'enregistrement"
assert_contains "$err" "Voir 'dpsenroll get --help' pour plus de détails."

# import: a file with problems sends nothing and says why in French.
cat >"$E2E_TMP/bad.csv" <<'CSV'
registrationId,attestation.type
fr-1,symmetricKey
fr 2,symmetricKey
fr-3
CSV
err=$(fr cli import "$E2E_TMP/bad.csv" 2>&1 >/dev/null); rc=$?
assert_eq "$rc" 2 "exit code of an import with bad rows"
assert_contains "$err" "bad.csv:3: colonne 1 (registrationId): erreur: le caractère"
assert_contains "$err" "bad.csv:4: erreur: 1 valeur pour 2 colonnes ; une valeur qui contient une virgule se met entre guillemets doubles"
assert_contains "$err" "dpsenroll import : rien n'a été envoyé : 2 lignes avec des erreurs ; corrigez-les et relancez"

# A good one: the summary is French, the results file is not.
cat >"$E2E_TMP/good.csv" <<'CSV'
registrationId,attestation.type
fr-1,symmetricKey
fr-2,symmetricKey
fr-3,symmetricKey
CSV
out=$(fr cli import "$E2E_TMP/good.csv" 2>"$E2E_TMP/import.err"); rc=$?
assert_eq "$rc" 0 "exit code of the import: $(cat "$E2E_TMP/import.err")"
assert_contains "$out" "dpsenroll import : 3 lignes : 3 créées, 0 en échec en "
assert_contains "$out" "résultats dans $E2E_TMP/good.result.csv"
results=$(<"$E2E_TMP/good.result.csv")
assert_contains "$results" "line,id,outcome,status,errorCode,message"
assert_contains "$results" "2,fr-1,created,200"
for id in fr-1 fr-2 fr-3; do
	got=$(cli get "$id" | json_get registrationId) || fail "get $id failed"
	assert_eq "$got" "$id" "the emulator holds $id"
done

# The list's table: French headings, each over its column's values.
table=$(fr cli list --with-state --output table 2>"$E2E_TMP/list.err"); rc=$?
assert_eq "$rc" 0 "exit code of list: $(cat "$E2E_TMP/list.err")"
assert_contains "$table" "ID D'ENREGISTREMENT"
assert_contains "$table" "ÉTAT"
assert_contains "$(cat "$E2E_TMP/list.err")" "dpsenroll list : 3 inscriptions, 3 états d'enregistrement, en"
# The column (in characters, not bytes) where MISE À JOUR starts in the
# heading, and where the lastUpdated value starts on fr-1's line.
column_of() {	# LINE REGEX
	perl -CSA -e 'my ($l, $re) = @ARGV; print $l =~ /$re/ ? $-[0] : -1' "$1" "$2"
}
heading=$(head -n 1 <<<"$table")
row=$(grep '^fr-1 ' <<<"$table") || fail "no line for fr-1 in the table:
$table"
at_heading=$(column_of "$heading" 'MISE À JOUR')
at_value=$(column_of "$row" '[0-9]{4}-[0-9]{2}-[0-9]{2}T')
[ "$at_heading" -ge 0 ] || fail "no MISE À JOUR heading:
$table"
assert_eq "$at_value" "$at_heading" "the column of the last update under its heading:
$table"

# watch: no device registers in a second.
err=$(fr cli watch fr-1 --timeout 1 2>&1 >/dev/null); rc=$?
assert_eq "$rc" 8 "exit code of watch timed out"
assert_contains "$err" "attente de l'enregistrement de fr-1 (allumez-le)"
assert_contains "$err" "dpsenroll watch : fr-1 : délai dépassé : pas de nouvel enregistrement en 0:01"
assert_contains "$err" "  ensuite : vérifiez que l'appareil est alimenté"

# register: no terminal to confirm on, nothing done.
DPS_ID_SCOPE=$(<"$EMU_DATA/id-scope")
DPS_GLOBAL_ENDPOINT=${EMU_URL#https://}
export DPS_ID_SCOPE DPS_GLOBAL_ENDPOINT
err=$(fr cli register fr-2 </dev/null 2>&1 >/dev/null); rc=$?
assert_eq "$rc" 2 "exit code of register without --yes"
assert_contains "$err" "dpsenroll register : fr-2 : l'enregistrement approvisionne l'appareil dans un hub IoT ; passez --yes"
state=$(cli regstate fr-2 2>&1) && fail "fr-2 has a registration state after a refused register: $state"

# put: an enrollment that exists already.
printf '{"registrationId":"fr-3","attestation":{"type":"symmetricKey"}}' >"$E2E_TMP/fr-3.json"
err=$(fr cli put "$E2E_TMP/fr-3.json" 2>&1 >/dev/null); rc=$?
assert_eq "$rc" 4 "exit code of a put over an existing enrollment"
assert_contains "$err" "dpsenroll put : 'fr-3' existe déjà. Pour la mettre à jour, passez --if-match ETAG"
# register on a terminal: asked in French, answered "o".
E2E_KEY_BAR_TEXT="[o/N]" start_tui -e LANG=fr_FR.UTF-8 -e LANGUAGE=fr \
	-- register fr-2
wait_for_text "Enregistrer fr-2 auprès de $DPS_GLOBAL_ENDPOINT (étendue d'ID $DPS_ID_SCOPE) ?"
keys o Enter
wait_for_text "EXITED 0"
# what it became, in French on the terminal; in English in the journal
wait_for_regex "dpsenroll register : fr-2 : affecté à .* en tant qu'appareil fr-2"
status=$(cli regstate fr-2 | json_get status) || fail "regstate fr-2 failed"
assert_eq "$status" assigned "fr-2's registration state after answering o"
line=$(grep '"operation":"register"' "$XDG_STATE_HOME/dpsenroll/journal.jsonl" | tail -n 1)
assert_contains "$(json_get message <<<"$line")" "assigned to " "register's journal line"
echo "ok french commands"
