#!/usr/bin/env bash
# What programs read does not change with the language: under
# LANG=fr_FR.UTF-8 (even with LANGUAGE=fr) `dpsenroll validate --json`
# prints what it prints in English, with the same exit code, while the
# text output is French; `dpsenroll get` prints the same JSON; and the
# journal lines of a put that works and one the service refuses hold the
# same fields and values as in English.
. "$(dirname "$0")/lib.sh"
need_locale fr_FR.UTF-8
e2e_setup

fr() { LANG=fr_FR.UTF-8 LANGUAGE=fr "$@"; }
en() { LANG=C.UTF-8 "$@"; }

bad=$E2E_TMP/bad.json
cat >"$bad" <<'JSON'
{"registrationId": "-bench fr", "attestation": {"type": "Tpm"},
 "allocationPolicy": "static", "iotHubs": ["a b", "hub2.azure-devices.net"],
 "initialTwin": {"tags": {"$x": 1}}, "registrationID": "x"}
JSON
json_fr=$(fr cli validate --json "$bad"); rc_fr=$?
json_en=$(en cli validate --json "$bad"); rc_en=$?
assert_eq "$rc_fr" 2 "exit code of validate --json in French"
assert_eq "$rc_en" 2 "exit code of validate --json in English"
[ "$json_fr" = "$json_en" ] || fail "validate --json differs in French:
$(diff <(echo "$json_en") <(echo "$json_fr"))"
assert_contains "$json_en" "the first character of a registration id must be a letter or digit"

# The same findings in text are French: the JSON above stayed English on
# purpose, not because nothing is translated.
text_fr=$(fr cli validate "$bad"); rc=$?
assert_eq "$rc" 2 "exit code of validate in French"
assert_contains "$text_fr" "registrationId: erreur: il commence par '-'"
assert_contains "$text_fr" "attestation.type: erreur: 'Tpm' n'est pas une valeur valide pour « Type d'attestation »"

# Enrollments and the journal.
journal=$XDG_STATE_HOME/dpsenroll/journal.jsonl
put_as() {	# LANGUAGE-FUNCTION ID
	printf '{"registrationId":"%s","attestation":{"type":"symmetricKey"}}' "$2" >"$E2E_TMP/$2.json"
	"$1" cli put "$E2E_TMP/$2.json" >/dev/null 2>&1 || fail "put $2 failed"
	emu_fault "status=400,count=1,method=PUT"
	printf '{"registrationId":"%s-no","attestation":{"type":"symmetricKey"}}' "$2" >"$E2E_TMP/$2-no.json"
	if "$1" cli put "$E2E_TMP/$2-no.json" >/dev/null 2>&1; then
		fail "the put of $2-no went through the fault"
	fi
}
put_as en bench-en
put_as fr bench-fr

# The journal's lines without what differs by nature (time, etag,
# tracking id), the id made the same.
normalized() {	# ID
	grep "\"registrationId\":\"$1" "$journal" | perl -MJSON::PP -ne '
		my $j = decode_json($_);
		delete @$j{qw(time etag trackingId)};
		$j->{registrationId} =~ s/^bench-(en|fr)/bench-ID/;
		print JSON::PP->new->canonical->encode($j), "\n";'
}
lines_en=$(normalized bench-en)
lines_fr=$(normalized bench-fr)
assert_eq "$(wc -l <<<"$lines_en")" 2 "journal lines of the English puts"
[ "$lines_fr" = "$lines_en" ] || fail "the journal differs in French:
$(diff <(echo "$lines_en") <(echo "$lines_fr"))"

# --help speaks French too; the command names and options do not change.
help_fr=$(fr cli --help) || fail "--help in French failed"
assert_contains "$help_fr" "Commandes :"
assert_contains "$help_fr" "  validate         vérifier un fichier JSON d'inscription"

get_fr=$(fr cli get bench-fr) || fail "get in French failed"
get_en=$(en cli get bench-fr) || fail "get in English failed"
[ "$get_fr" = "$get_en" ] || fail "dpsenroll get differs in French"
echo "ok french output unchanged"
