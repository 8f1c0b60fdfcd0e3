#!/usr/bin/env bash
# The journal is the bench's record of what was enrolled, and it is kept
# for a long time: it must never hold a key. Two symmetric-key enrollments
# are made from the form, one with keys made by the service and one with
# keys generated in the form (g); afterwards neither their keys nor the
# policy key of the connection string may be found in the journal, the
# draft folder or anywhere else under HOME. The journal has one line per
# submission (create, ok, the new etag), and journal --csv prints them.
. "$(dirname "$0")/lib.sh"
e2e_setup

ID1=bench-journal-01
ID2=bench-journal-02
STATE=$XDG_STATE_HOME/dpsenroll
JOURNAL=$STATE/journal.jsonl

start_tui
fill_new_form "$ID1" symmetricKey
wait_for_regex "Primary key +\(blank: the service generates one\)\$"
keys F2
wait_for_text "HTTP 200 OK"
wait_for_text "The service generated these keys. Store them now"
wait_for_text "Submitted $ID1"
keys Escape
wait_for_no_text "HTTP 200 OK"

keys F7
wait_for_text "new enrollment"
keys Home
fill_new_form "$ID2" symmetricKey
for label in "Primary key" "Secondary key"; do
	focus_field "$label"
	keys g
	wait_for_regex "^▶ +$label +✓ .* fp [0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}\$"
done
# The draft holds the typed keys until the submit; the submit must take
# them away with it.
_draft_saved() {
	[ -f "$(draft_file)" ]
}
wait_until 5 "no draft was saved while the keys were in the form" _draft_saved
keys F2
wait_for_text "HTTP 200 OK"
wait_for_text "Submitted $ID2"
assert_screen_lacks "The service generated these keys" "the service replaced the keys generated in the form"
keys Escape
wait_for_no_text "HTTP 200 OK"
keys q
wait_for_exit
assert_eq "$E2E_EXIT_STATUS" 0 "exit status after quitting"

# Every secret there is: the four enrollment keys and the policy key.
secrets=()
for id in "$ID1" "$ID2"; do
	stored=$(cli keys "$id") || fail "dpsenroll keys $id failed"
	for which in primaryKey secondaryKey; do
		key=$(json_get "symmetricKey.$which" <<<"$stored")
		[ -n "$key" ] || fail "dpsenroll keys $id has no $which"
		secrets+=("$id $which:$key")
	done
done
policy_key=$(sed -n 's/.*SharedAccessKey=\([^;]*\).*/\1/p' "$EMU_DATA/connection-string")
[ -n "$policy_key" ] || fail "no SharedAccessKey in dpsemu's connection string"
secrets+=("the policy key:$policy_key")

[ -f "$JOURNAL" ] || fail "no journal at $JOURNAL"
[ "$(draft_count)" -eq 0 ] || fail "a draft is still there after both submits"
for s in "${secrets[@]}"; do
	# Names of the files only: a failure must not print the secret.
	# The secret goes to grep on its input, never in its arguments.
	found=$(grep -rlF -f <(printf '%s\n' "${s#*:}") "$HOME" 2>/dev/null)
	[ -z "$found" ] || fail "${s%%:*} is stored in: $found"
done
grep -rqF SharedAccessSignature "$HOME" && fail "a SAS token is stored under HOME"

assert_eq "$(wc -l <"$JOURNAL")" 2 "lines in the journal"
assert_eq "$(stat -c %a "$JOURNAL")" 600 "mode of the journal"
# journal_line N: line N of the journal as "registrationId operation
# outcome status etag".
journal_line() {
	sed -n "${1}p" "$JOURNAL" | perl -MJSON::PP -e '
		local $/; my $j = decode_json(<STDIN>);
		print join(" ", map { $j->{$_} // "-" }
			qw(registrationId operation outcome status etag));'
}
n=1
for id in "$ID1" "$ID2"; do
	etag=$(cli get "$id" | json_get etag)
	[ -n "$etag" ] || fail "no etag for $id"
	assert_eq "$(journal_line "$n")" "$id create ok 200 $etag" "journal line $n"
	n=$((n + 1))
done

csv=$(cli journal --csv) || fail "dpsenroll journal --csv failed"
assert_eq "$(printf '%s\n' "$csv" | wc -l)" 3 "lines of journal --csv (header and two rows)"
assert_eq "$(printf '%s\n' "$csv" | grep -c $'\r$')" 3 "CSV lines ending in CRLF"
header=$(printf '%s\n' "$csv" | sed -n '1p' | tr -d '\r')
# csv_field ROW NAME: a column of a row, found by its header name; none of
# these values needs quoting.
csv_field() {
	local row col
	row=$(printf '%s\n' "$csv" | sed -n "$(($1 + 1))p" | tr -d '\r')
	col=$(tr ',' '\n' <<<"$header" | grep -nx -- "$2" | cut -d: -f1)
	[ -n "$col" ] || fail "journal --csv has no '$2' column: $header"
	cut -d, -f"$col" <<<"$row"
}
n=1
for id in "$ID1" "$ID2"; do
	assert_eq "$(csv_field "$n" registrationId)" "$id" "registrationId in CSV row $n"
	assert_eq "$(csv_field "$n" operation)" create "operation in CSV row $n"
	assert_eq "$(csv_field "$n" outcome)" ok "outcome in CSV row $n"
	assert_eq "$(csv_field "$n" etag)" "$(cli get "$id" | json_get etag)" "etag in CSV row $n"
	n=$((n + 1))
done
