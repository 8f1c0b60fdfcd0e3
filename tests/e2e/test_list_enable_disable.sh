#!/usr/bin/env bash
# Marks and the enable/disable actions of the fleet list: three marked
# rows are disabled in one go (bulk updateIfMatchETag), their symmetric
# keys kept; one of them had been changed elsewhere since the list read
# it, and is reported and left as it is, not overwritten. Each enrollment
# gets its own journal line. Enable with nothing marked acts on the
# cursor's row.
. "$(dirname "$0")/lib.sh"
e2e_setup
fleet_fixture 200
KEYS_2=$(stored_keys_digest fleet-0002) || fail "no keys for fleet-0002"
JOURNAL=$XDG_STATE_HOME/dpsenroll/journal.jsonl

start_list
wait_for_text "200 enrollments"
# marks: Space marks and moves on; the footer counts them
keys Down Space Space Space
wait_for_text "3 marked"
wait_for_regex "fleet-0005: "
# someone else changes fleet-0003 after the list read it
change_elsewhere fleet-0003 deviceId changed-elsewhere
ETAG_3=$(cli get fleet-0003 | json_get etag)

keys d
wait_for_text "Disable 3 enrollments?"
keys y
wait_for_text "2 of 3 disabled"
wait_for_text "fleet-0003: changed on the service: left as it is"
keys Enter
wait_for_row fleet-0002 "disabled"
wait_for_row fleet-0004 "disabled"
wait_for_row fleet-0003 "enabled"
# the one not done stays marked
wait_for_text "1 marked"

# what dpsemu holds
assert_eq "$(stored_status fleet-0002)" disabled "fleet-0002 on dpsemu"
assert_eq "$(stored_status fleet-0004)" disabled "fleet-0004 on dpsemu"
assert_eq "$(stored_status fleet-0003)" enabled "fleet-0003 on dpsemu"
assert_eq "$(cli get fleet-0003 | json_get etag)" "$ETAG_3" "fleet-0003's etag (overwritten?)"
assert_eq "$(cli get fleet-0003 | json_get deviceId)" changed-elsewhere "fleet-0003's device id"
assert_eq "$(stored_keys_digest fleet-0002)" "$KEYS_2" "fleet-0002's keys after the disable"

# the journal: one line per enrollment, the changed one failed
grep -c '"operation":"disable"' "$JOURNAL" | grep -qx 3 || fail "not 3 disable lines in the journal: $(cat "$JOURNAL")"
grep '"registrationId":"fleet-0002"' "$JOURNAL" | grep -q '"outcome":"ok"' || fail "fleet-0002's disable is not in the journal as ok"
grep '"registrationId":"fleet-0003"' "$JOURNAL" | grep -q '"outcome":"failed"' || fail "fleet-0003's disable is not in the journal as failed"

# nothing marked: the cursor's row (fleet-0004 after unmarking all)
keys -
wait_for_text "No row is marked"
keys Up
wait_for_regex "fleet-0004: "
keys e
wait_for_text "Enable enrollment fleet-0004?"
keys y
wait_for_text "1 of 1 enabled"
wait_for_row fleet-0004 "enabled"
assert_eq "$(stored_status fleet-0004)" enabled "fleet-0004 on dpsemu after enable"
