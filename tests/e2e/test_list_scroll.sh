#!/usr/bin/env bash
# Scrolling the fleet list moves the rows already drawn instead of drawing
# them again: after each Down and Up past the table's edge, page keys,
# End and Home, every line of the table shows the row that belongs there,
# in order, with that row's own state, the arrow on the cursor's row, and
# a mark stays with its row.
. "$(dirname "$0")/lib.sh"
e2e_setup
fleet_fixture 80
ROWS=25	# the table's lines at 100x30

start_list
wait_for_text "80 enrollments"
wait_for_no_text "states:"

# what fixture row N's registration status is
status_of() {
	if (($1 % 10 == 0)); then echo failed
	elif (($1 % 3 == 1)); then echo assigned
	else echo unassigned; fi
}

# check_table FIRST CURSOR: the table shows fleet-FIRST and the ROWS
# after it, each with its own status, the arrow only on fleet-CURSOR.
check_table() {
	local first=$1 cursor=$2 s lines n i id line want
	s=$(screen)
	mapfile -t lines < <(sed -n "3,$((ROWS + 2))p" <<<"$s")
	for ((i = 0; i < ROWS; i++)); do
		n=$((first + i))
		printf -v id 'fleet-%04d' "$n"
		line=${lines[$i]}
		[[ $line =~ ^(.).[\ ●]\ *$id\  ]] ||
			fail "table line $((i + 1)) should show $id: '$line'"$'\n'"$s"
		want=$(status_of "$n")
		[[ $line =~ \ $want( |$) ]] ||
			fail "$id's line should say $want: '$line'"
		if ((n == cursor)); then
			[[ ${BASH_REMATCH[0]} && $line == ▶* ]] || fail "the arrow is not on $id: '$line'"
		elif [[ $line == ▶* ]]; then
			fail "the arrow is on $id, the cursor is on fleet-$cursor: '$line'"
		fi
	done
}

step() {	# KEY TARGET: one key, waited for
	keys "$1"
	wait_for_regex "^ fleet-$(printf %04d "$2"): "
}

check_table 1 1
for ((n = 2; n <= 30; n++)); do
	step Down "$n"
done
check_table 6 30
step Space 31	# marks the row, then moves on
wait_for_regex "^ ● +fleet-0030 "
check_table 7 31
for ((n = 32; n <= 40; n++)); do
	step Down "$n"
done
check_table 16 40
for ((n = 39; n >= 10; n--)); do
	step Up "$n"
done
check_table 10 10
assert_contains "$(list_row fleet-0030)" "● " "the mark of fleet-0030 after scrolling away and back"
step NPage 35
check_table 11 35
step End 80
check_table 56 80
step Home 1
check_table 1 1
