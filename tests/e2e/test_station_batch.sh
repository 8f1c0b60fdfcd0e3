#!/usr/bin/env bash
# A bench enrolls a batch at a station: the template holds the batch's
# values and rules, a barcode scanner types each device's id and Enter.
# Two devices go through (keys files written 0600, a receipt, the count),
# a wrong scan is refused with the title turned to an alarm and nothing
# kept, an id that exists already is skipped, and the journal gives the
# batch's record.
. "$(dirname "$0")/lib.sh"
e2e_setup

mkdir -p "$E2E_TMP/batch"
cat >"$E2E_TMP/batch/template.json" <<'JSON'
{
  "attestation": { "type": "symmetricKey" },
  "provisioningStatus": "enabled",
  "initialTwin": { "tags": { "line": "A", "site": "bench-3" } },
  "station": { "idPattern": "^bench-[0-9]{6}$", "keysFolder": "keys" }
}
JSON
# one device of the batch was enrolled before
printf '{"registrationId":"bench-000003","attestation":{"type":"symmetricKey"}}' \
	>"$E2E_TMP/batch/existing.json"
out=$(cli put "$E2E_TMP/batch/existing.json" 2>&1) || fail "put: $out"

start_tui -- station --template "$E2E_TMP/batch/template.json"
wait_for_text " station  0 enrolled"
wait_for_focus "Registration ID"
# the batch's values are there, and locked, which the row says in words
wait_for_regex "Provisioning status +✓ enabled +locked: the batch's; u unlocks\$"
focus_field "Provisioning status"
keys Space
wait_for_text "Locked: Provisioning status is the batch's; u unlocks it for this device"
wait_for_regex "Provisioning status +✓ enabled"
focus_field_up "Registration ID"

# scan: the id and Enter, as a scanner types them, without Enter first
scan() {
	type_text "$1"
	keys Enter
}

scan bench-000001
wait_for_text "bench-000001 ready: F2 creates it"
keys F2
wait_for_text "Created bench-000001 (1 this session)"
wait_for_regex "1 enrolled  last ✓ bench-000001 key [A-F0-9-]{14} [0-9:]{8} keys/bench-000001-keys.json"
wait_for_focus "Registration ID"

# a wrong scan: refused, nothing kept, the title says so
scan bench-12
wait_for_text "WRONG SCAN 'bench-12': not an id of this batch"
wait_for_text "Wrong scan: 'bench-12' does not match ^bench-[0-9]{6}\$; scan the id again"
wait_for_regex "^▶ Registration ID +✗ \(required\)"
title=$(screen_escapes | head -n 1)
[[ "$title" == *$'\e[7m'* || "$title" == *$'\e[41m'* || "$title" == *$'\e[31m'* ]] ||
	fail "the wrong scan does not change the title's look: $(printf %q "$title")"

scan bench-000002
wait_for_text "bench-000002 ready: F2 creates it"
keys F2
wait_for_text "Created bench-000002 (2 this session)"

# an id enrolled before: skipped
scan bench-000003
keys F2
wait_for_text "'bench-000003' is enrolled already"
keys n
wait_for_text "Skipped bench-000003 (already enrolled)"
wait_for_text "2 enrolled  last ✓ bench-000002"
wait_for_focus "Registration ID"
# the same id again, opened this time for review; F7 goes back to the batch
scan bench-000003
keys F2
wait_for_text "'bench-000003' is enrolled already"
keys y
wait_for_text "Loaded bench-000003"
wait_for_regex "Registration ID +✓ bench-000003"
keys F7
wait_for_text "Next device: scan or type its id"
wait_for_regex "^▶ Registration ID +✗ \(required\)"

# the next device scanned while one is being sent: its id is kept
emu_fault "delay=1500,count=1,method=PUT"
scan bench-000005
keys F2
wait_for_text "submitting bench-000005"
scan bench-000006
wait_for_text "Created bench-000005 (3 this session)"
wait_for_regex "^▶ Registration ID +✓ bench-000006"
keys F2
wait_for_text "Created bench-000006 (4 this session)"

# what the service holds: both devices, with the template's tags
for id in bench-000001 bench-000002; do
	got=$(cli get "$id") || fail "dpsenroll get $id: $got"
	assert_eq "$(json_get initialTwin.tags.site <<<"$got")" bench-3 "$id's site tag"
	f="$E2E_TMP/keys/$id-keys.json"
	[ -f "$f" ] || fail "no keys file $f"
	assert_eq "$(stat -c %a "$f")" 600 "mode of $f"
	stored=$(cli keys "$id") || fail "dpsenroll keys $id"
	assert_eq "$(json_get primaryKey <"$f")" "$(json_get symmetricKey.primaryKey <<<"$stored")" \
		"the primary key in $f"
done
cli get bench-12 >/dev/null 2>&1 && fail "the wrong scan was enrolled"

# the batch's record
csv=$(cli journal --since 1h --csv) || fail "journal --since: $csv"
for id in bench-000001 bench-000002; do
	grep -q ",$id,create,ok,200," <<<"$csv" || fail "the journal lacks $id: $csv"
done
grep -q ",bench-000003,create,failed,409," <<<"$csv" || fail "the journal lacks the skipped id: $csv"
