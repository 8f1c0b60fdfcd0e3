#!/usr/bin/env bash
# An enum is picked from its popup: Enter opens the picker on the current
# value, arrows move, Enter takes the highlighted value into the row; Esc
# leaves the value as it was.
. "$(dirname "$0")/lib.sh"
e2e_setup

start_tui
focus_field "Allocation policy"
wait_for_regex "^▶ Allocation policy +\(not set\)"

keys Enter
wait_for_text "─ Allocation policy "
for v in hashed geoLatency static custom; do
	wait_for_regex "│ $v "
done
# The picker opens on "(not set)"; two rows down is geoLatency.
rows=$(screen | grep -E '│ (\(not set\)|hashed|geoLatency|static|custom) ' | sed -E 's/.*│ ([^ ]+( set\))?).*/\1/')
assert_eq "$(sed -n 3p <<<"$rows")" geoLatency "third row of the picker"
keys Down Down
keys Enter
wait_for_no_text "─ Allocation policy "
wait_for_regex "^▶ Allocation policy +✓ geoLatency\$"
wait_for_focus "Allocation policy"

# Reopened, it starts on the value; Up and Enter pick the one before.
keys Enter
wait_for_text "─ Allocation policy "
keys Up Enter
wait_for_no_text "─ Allocation policy "
wait_for_regex "^▶ Allocation policy +✓ hashed\$"

# Esc backs out without changing anything.
keys Enter
wait_for_text "─ Allocation policy "
keys Down Down
keys Escape
wait_for_no_text "─ Allocation policy "
wait_for_regex "^▶ Allocation policy +✓ hashed\$"
